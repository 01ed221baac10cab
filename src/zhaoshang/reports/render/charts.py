"""Charts as PNG (matplotlib, Agg backend) with a CJK font, for the HTML view, Word and PDF.

The font is a free CJK font installed on the machine (Debian ``fonts-noto-cjk``: Noto Sans CJK SC);
nothing is fetched at run time. Charts are drawn from the data stored with the report (``charts``
in the draft), so an edited draft keeps its charts.
"""

import io
import threading
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from zhaoshang.core.formatting import plain
from zhaoshang.metrics.numbers import round_half_up

_LOCK = threading.Lock()  # pyplot's state is global
CJK_FONT_FILES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
]
CJK_FAMILIES = ["Noto Sans CJK SC", "Source Han Sans SC", "Noto Serif CJK SC", "SimHei", "Microsoft YaHei"]
RED, GREY = "#b3261e", "#9ca3af"


@lru_cache(maxsize=1)
def _matplotlib():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    extra = getattr(settings, "ZHAOSHANG", {}).get("CJK_FONT_FILES") or []
    for path in [*extra, *CJK_FONT_FILES]:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
    available = {f.name for f in font_manager.fontManager.ttflist}
    families = [f for f in CJK_FAMILIES if f in available] or ["sans-serif"]
    matplotlib.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [*families, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "svg.fonttype": "none",
        }
    )
    return plt


def render_png(spec: dict, *, dpi: int = 200) -> bytes:
    """One chart: ``{"type": "bar"|"barh"|"line", "categories": [...], "series": [{"name", "values"}],
    "unit": "亿元", "reference": 100.0 (optional line)}``."""
    plt = _matplotlib()
    categories = [str(c) for c in spec.get("categories", [])]
    series = spec.get("series", [])
    kind = spec.get("type", "bar")
    unit = spec.get("unit", "")
    with _LOCK:
        height = 3.2 if kind != "barh" else max(2.4, 0.38 * len(categories) + 0.8)
        fig, ax = plt.subplots(figsize=(6.3, height))
        try:
            colours = [RED, GREY, "#6b7280", "#f59e0b"]
            n = max(len(series), 1)
            width = 0.8 / n
            positions = list(range(len(categories)))
            for index, s in enumerate(series):
                values = [float(v or 0) for v in s.get("values", [])]
                colour = colours[index % len(colours)]
                if kind == "line":
                    ax.plot(positions, values, marker="o", color=colour, label=s.get("name", ""))
                    continue
                offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
                bars = (ax.barh if kind == "barh" else ax.bar)(
                    offsets, values, width * 0.9, color=colour, label=s.get("name", "")
                )
                for bar, value in zip(bars, values, strict=False):
                    label = plain(round_half_up(value, 2))
                    if kind == "barh":
                        ax.annotate(
                            label,
                            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                            xytext=(3, 0),
                            textcoords="offset points",
                            va="center",
                            fontsize=7,
                        )
                    else:
                        ax.annotate(
                            label,
                            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                            xytext=(0, 2),
                            textcoords="offset points",
                            ha="center",
                            fontsize=7,
                        )
            if kind == "barh":
                ax.set_yticks(positions, categories, fontsize=8)
                ax.set_xlabel(unit, fontsize=8)
                ax.margins(x=0.12)
            else:
                ax.set_xticks(positions, categories, fontsize=8)
                ax.set_ylabel(unit, fontsize=8)
                ax.margins(y=0.12)
            if spec.get("reference") is not None:
                line = ax.axvline if kind == "barh" else ax.axhline
                line(float(spec["reference"]), color="#374151", linewidth=0.8, linestyle="--")
            ax.tick_params(labelsize=8)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
            if len(series) > 1:
                ax.legend(fontsize=8, frameon=False)
            fig.tight_layout()
            out = io.BytesIO()
            fig.savefig(out, format="png", dpi=dpi)
            return out.getvalue()
        finally:
            plt.close(fig)


def render_all(charts: dict) -> dict[str, bytes]:
    return {name: render_png(spec) for name, spec in (charts or {}).items()}
