"""Running the benchmarks: the database, the synthetic data, the cases, the table and the JSON file."""

import json
import os
import platform
import sys
import time
import traceback
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.urls import get_resolver
from django.utils import timezone

from zhaoshang.demo.management.commands.demo import format_table
from zhaoshang.demo.scale import SCALES, ScaleSpec, build_scale
from zhaoshang.metrics import rollup
from zhaoshang.metrics.numbers import fixed
from zhaoshang.organisation.models import Region, User

# A tiny tree for testing the harness itself (seconds, not minutes); its figures mean nothing.
TEST_SPEC = ScaleSpec(
    key="benchtest",
    root_code="970000",
    root_name="基准测试省",
    cities=2,
    counties_per_city=1,
    towns_per_county=4,
    units_per_county=10,
    projects=400,
    activities=3000,
    leads=600,
    enterprises=150,
    name_offset=20,
)


@dataclass(frozen=True)
class Sizes:
    import_rows: int
    export_rows: int
    dashboard_runs: int
    repeats: int  # timed repetitions of the assessment and of its hand-written SQL
    # Rows of the file both importers read for import_vs_django_import_export (django-import-export
    # takes minutes for 10 000 rows; the ratio is measured on a smaller file, the same for both).
    compare_rows: int


SIZES = {
    "province": Sizes(
        import_rows=10_000, export_rows=100_000, dashboard_runs=15, repeats=3, compare_rows=2000
    ),
    "city": Sizes(import_rows=10_000, export_rows=100_000, dashboard_runs=15, repeats=3, compare_rows=2000),
    "test": Sizes(import_rows=40, export_rows=200, dashboard_runs=2, repeats=1, compare_rows=20),
}


@dataclass
class Result:
    name: str
    value: float | None
    unit: str
    target: float | None = None
    better: str = "lower"  # or "higher"
    note: str = ""
    skipped: str = ""  # why it was not measured

    @property
    def passed(self) -> bool | None:
        if self.skipped or self.value is None or self.target is None:
            return None
        return self.value <= self.target if self.better == "lower" else self.value >= self.target


@dataclass
class Context:
    scale: str
    spec: ScaleSpec
    sizes: Sizes
    root: Region
    bureau: User
    today: date
    period_code: str  # the last complete month, YYYY-MM (assessment, bulletin)
    database: str
    machine: str
    workdir: Path
    args: Any
    extras: dict[str, Any] = field(default_factory=dict)


def machine_label() -> str:
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {fixed(pages / 1024**3, 1)} GB"
    except (ValueError, OSError, AttributeError):
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU{memory}, Python {platform.python_version()}"


def database_label(db_label: str) -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} ({db_label})"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return f"PostgreSQL {version} ({connection.settings_dict.get('NAME')})"


def last_complete_month(today: date) -> str:
    last = today.replace(day=1) - timedelta(days=1)
    return f"{last.year}-{last.month:02d}"


def prepare(args, out: Path) -> Context:
    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    spec = TEST_SPEC if args.scale == "test" else SCALES[args.scale]
    result = build_scale(spec, seed=args.seed)
    if result.skipped:
        print(f"基准数据库中已有{spec.root_name}的合成数据,直接使用。", file=sys.stderr)
    # The monthly summary the engine reads (metrics.rollup): built by the generator; after a
    # migration that added it, or changes since, brought up to date here rather than inside a timing.
    settle_started = time.monotonic()
    rollup.settle()
    print(f"月度汇总就绪,用时{fixed(time.monotonic() - settle_started, 1)}秒", file=sys.stderr)
    root = Region.objects.get(code=spec.root_code)
    bureau = User.objects.get(username=f"{spec.key}_bureau")
    today = timezone.localdate()
    sizes = SIZES[args.scale]
    if args.runs:
        sizes = Sizes(sizes.import_rows, sizes.export_rows, args.runs, sizes.repeats, sizes.compare_rows)
    workdir = out.parent
    workdir.mkdir(parents=True, exist_ok=True)
    # The URL configuration, which a server process has loaded by its first page (the system checks
    # of ``zhaoshang`` commands import it too): loaded here, not inside the first timing that builds a
    # link (the bulletin's), where importing the views, the API and its schema would count as the report's.
    get_resolver().url_patterns  # noqa: B018
    print(f"准备用时{fixed(time.monotonic() - started, 1)}秒", file=sys.stderr)
    return Context(
        scale=args.scale,
        spec=spec,
        sizes=sizes,
        root=root,
        bureau=bureau,
        today=today,
        period_code=last_complete_month(today),
        database=database_label(args.db_label),
        machine=machine_label(),
        workdir=workdir,
        args=args,
    )


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 100:
        return fixed(value, 0, grouping=True)
    if value >= 10:
        return fixed(value, 1)
    return fixed(value, 2)


def render_table(results: list[Result]) -> str:
    rows = []
    for r in results:
        if r.skipped:
            verdict = "未实现/跳过"
        elif r.passed is None:
            verdict = "—"
        else:
            verdict = "通过" if r.passed else "未达标"
        target = "—" if r.target is None else ("≤ " if r.better == "lower" else "≥ ") + _fmt(r.target)
        rows.append([r.name, _fmt(r.value), r.unit, target, verdict, r.skipped or r.note])
    return format_table(["名称", "数值", "单位", "目标", "结果", "说明"], rows)


def records(results: list[Result], ctx: Context) -> list[dict[str, Any]]:
    """The JSON objects of SPEC §5 (measured results only), plus ``better``, ``passed`` and ``note``."""
    return [
        {
            "name": r.name,
            "value": r.value,
            "unit": r.unit,
            "target": r.target,
            "scale": ctx.scale,
            "database": ctx.database,
            "machine": ctx.machine,
            "better": r.better,
            "passed": r.passed,
            "note": r.note,
        }
        for r in results
        if not r.skipped
    ]


def cpu_reference() -> float:
    """Seconds for a fixed piece of pure Python (ten million additions): how fast the machine runs
    Python at that moment. A shared host's speed varies by half within an hour; measured at the
    start and at the end of a run, it tells whether that run's figures came from a slow spell."""
    started = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - started


def run(args, *, out: Path) -> int:
    from zhaoshang.bench import cases

    ctx = prepare(args, out)
    wanted = [w.strip() for w in (args.only or "").split(",") if w.strip()]
    reference = cpu_reference()
    results: list[Result] = []
    for name, case in cases.CASES:
        if wanted and not any(name.startswith(w) for w in wanted):
            continue
        print(f"运行 {name} …", file=sys.stderr, flush=True)
        started = time.monotonic()
        try:
            results.extend(case(ctx))
        except Exception as error:  # a broken case is reported, the others still run
            traceback.print_exc()
            results.append(Result(name, None, "", skipped=f"出错:{type(error).__name__}: {error}"[:200]))
        print(f"  {name} 用时{fixed(time.monotonic() - started, 1)}秒", file=sys.stderr, flush=True)
    after = cpu_reference()
    results.append(
        Result(
            "cpu_reference_s",
            reference,
            "秒",
            note=f"机器速度参照:纯 Python 一千万次整数加法,运行开始时;结束时{fixed(after, 2)}秒(越小越快)",
        )
    )

    print()
    print(f"规模:{ctx.scale}({ctx.spec.root_name})  数据库:{ctx.database}")
    print(f"机器:{ctx.machine}")
    print(render_table(results))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(records(results, ctx), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\n结果已写入 {out}")

    return 0
