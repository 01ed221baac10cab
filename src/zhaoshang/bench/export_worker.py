"""``python -m zhaoshang.bench.export_worker OUT ROWS ROOT_PATH``: the export benchmark's child process.

Exports the first ROWS projects of the tree under ROOT_PATH to OUT (.xlsx) with
``exchange.services.export_file`` and prints one JSON line: rows, seconds (the export alone), peak
resident memory of this process (``VmHWM``) and the resident memory before the export began.
Run in its own process so that the peak is the export's, not the bench's.
"""

import json
import os
import resource
import sys
import time


def _rss_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024**2
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    out, rows, root_path = argv[0], int(argv[1]), argv[2]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
    import django

    django.setup()
    from zhaoshang.bench.cases import _acting
    from zhaoshang.exchange.services import export_file, export_queryset

    queryset = export_queryset(kind="projects", user=None).filter(region__path__startswith=root_path)
    baseline = _rss_mb()
    started = time.perf_counter()
    with _acting():
        count = export_file(kind="projects", user=None, out=out, queryset=queryset[:rows])
    seconds = time.perf_counter() - started
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across fork + exec, so a child of the (large)
    # bench process would report the parent's peak.
    peak = _status().get("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"rows": count, "seconds": seconds, "peak_mb": peak, "baseline_mb": baseline, "status": _status()}
        )
    )
    return 0


def _status() -> dict[str, float]:
    """Resident memory by kind at the end (Linux): anonymous (the heap), file-backed, shared."""
    out = {}
    try:
        with open("/proc/self/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem"):
                    out[key] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
