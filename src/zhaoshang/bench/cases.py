"""The benchmark cases. Each takes the harness ``Context`` and returns ``Result`` rows; a case whose
feature is not there yet returns a skipped row saying why."""

import contextlib
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal

from django.db import connection, transaction

from zhaoshang.bench import rawsql
from zhaoshang.bench.harness import Context, Result
from zhaoshang.metrics.numbers import fixed


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def _median_time(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    """One warm-up run (caches, lazy imports), then the median of ``repeats`` timed runs."""
    value = fn()
    times = []
    for _ in range(repeats):
        seconds, value = _timed(fn)
        times.append(seconds)
    return statistics.median(times), value


def _acting():
    """Audit rows written by the timed services name the command line, as ``zhaoshang import`` does."""
    try:
        from zhaoshang.exchange.cli import acting
    except ImportError:
        return contextlib.nullcontext()
    return acting()


# --------------------------------------------------------------------------------------------------
# Assessment
# --------------------------------------------------------------------------------------------------


def _schemes(ctx: Context, year: int):
    from zhaoshang.assessment.defaults import create_default_schemes
    from zhaoshang.assessment.models import Scheme

    with _acting():
        create_default_schemes(year=year, region=ctx.root)
    return list(Scheme.objects.filter(year=year, region=ctx.root).select_related("region").order_by("pk"))


def _floor_for(ctx: Context, schemes, period) -> dict:
    """The fair floor (``rawsql.floor_aggregates``: one full-scan grouped query per base table, all
    units at once), the schemes' subjects picked from it: ``{(scheme pk, subject pk): {code: value}}``."""
    from zhaoshang.organisation.models import Region

    found = rawsql.floor_aggregates(
        window=(period.window.start, period.window.end),
        period=(period.period.start, period.period.end),
        year=period.year,
    )
    paths = dict(Region.objects.values_list("pk", "path"))
    out: dict = {}
    for scheme in schemes:
        codes = {item.indicator for item in scheme.items.all()}
        if scheme.assessment_group_id is None:
            children = list(Region.objects.filter(parent=scheme.region).values_list("pk", "path"))
            for pk, path in children:
                values: dict[str, Decimal] = {}
                for region, figures in found["region"].items():
                    if paths.get(region, "").startswith(path):
                        for code, value in figures.items():
                            values[code] = values.get(code, Decimal(0)) + value
                out[(scheme.pk, pk)] = values
            wanted = {pk for pk, _path in children}
            for unit, region, code, value in found["targets"]:
                if unit is None and region in wanted and code in codes:
                    out[(scheme.pk, region)][f"target:{code}"] = Decimal(str(value))
        else:
            for unit, figures in found["unit"].items():
                out[(scheme.pk, unit)] = dict(figures)
            for unit, _region, code, value in found["targets"]:
                if unit is not None and code in codes:
                    out.setdefault((scheme.pk, unit), {})[f"target:{code}"] = Decimal(str(value))
    return out


def _check(computed: dict, raw: dict) -> list[str]:
    """Differences between the assessment's figures and the hand-written SQL's."""
    problems = []
    for scheme_pk, lines in computed.items():
        for line in lines:
            mine = raw.get((scheme_pk, line.subject_id), {})
            pairs = [
                (e["code"], Decimal(e["value"] or 0), mine.get(e["code"], Decimal(0))) for e in entries(line)
            ]
            pairs.append(
                (
                    "leaderboard:signed_projects",
                    Decimal(line.signed_projects),
                    mine.get("leaderboard:signed_projects", Decimal(0)),
                )
            )
            pairs.append(
                (
                    "leaderboard:signed_amount_wan",
                    Decimal(line.signed_amount_wan),
                    mine.get("leaderboard:signed_amount_wan", Decimal(0)),
                )
            )
            for e in entries(line):
                if e.get("target") is not None:
                    pairs.append(
                        (
                            f"target:{e['code']}",
                            Decimal(e["target"]),
                            mine.get(f"target:{e['code']}", Decimal(0)),
                        )
                    )
            for code, ours, theirs in pairs:
                if abs(ours - theirs) > Decimal("0.001"):
                    problems.append(f"{line.name} {code}: 考核{ours} ≠ SQL{theirs}")
    return problems


def entries(line) -> list[dict]:
    return [e for e in line.entries if e.get("code")]


def case_assessment(ctx: Context) -> list[Result]:
    try:
        from zhaoshang.assessment.periods import parse
        from zhaoshang.assessment.services import assessment_compute
    except ImportError as error:
        return _assessment_by_engine(ctx, f"考核应用不可用({error}),改用指标引擎")

    period = parse(ctx.period_code)
    schemes = _schemes(ctx, period.year)
    if not schemes:
        return [Result("assessment_s", None, "秒", skipped="没有考核办法")]
    units = 0

    def ours():
        return {s.pk: assessment_compute(scheme=s, period=period) for s in schemes}

    ours_s, computed = _median_time(ours, ctx.sizes.repeats)
    units = sum(len(lines) for lines in computed.values())
    raw_s, raw = _median_time(lambda: _floor_for(ctx, schemes, period), ctx.sizes.repeats)
    problems = _check(computed, raw)
    ctx.extras["assessment"] = {"ours_s": ours_s, "raw_s": raw_s, "problems": problems[:20]}
    ctx.extras["schemes"] = (schemes, period)
    checked = "与手写SQL核对一致" if not problems else f"与手写SQL不一致{len(problems)}处,如:{problems[0]}"
    print(f"  手写SQL下限(每张基础表一次全表分组扫描):{fixed(raw_s, 2)}秒", file=sys.stderr)
    note = (
        f"assessment_compute × {len(schemes)}个考核办法,{units}个考核对象,{ctx.period_code};"
        f"中位数/{ctx.sizes.repeats}次"
    )
    return [
        Result("assessment_s", ours_s, "秒", target=1, note=note),
        Result(
            "assessment_vs_raw_sql",
            ours_s / raw_s if raw_s else None,
            "倍",
            target=1,
            note=f"下限:手写SQL每张基础表一次全表分组扫描(SQLite 用 NOT INDEXED),全部单位一次算出,"
            f"{fixed(raw_s, 2)}秒;{checked}",
        ),
    ]


def _assessment_by_engine(ctx: Context, why: str) -> list[Result]:
    """Without the assessment app: the engine over the default schemes' indicators, for every unit."""
    from zhaoshang.metrics import periods
    from zhaoshang.metrics.engine import measure_by_unit
    from zhaoshang.organisation.models import Unit

    codes = [
        "signed_projects_100m",
        "signed_amount_wan",
        "commenced_projects",
        "funds_wan",
        "leads",
        "trips",
        "valuable_leads",
        "days_away",
        "visits",
        "inspections",
        "signed_projects_1b",
    ]
    year, month = (int(x) for x in ctx.period_code.split("-"))
    window = periods.year_to_date(year, month)
    ids = list(Unit.objects.filter(region__path__startswith=ctx.root.path).values_list("pk", flat=True))

    def ours():
        return {c: measure_by_unit(c, period=window, unit_ids=ids) for c in codes}

    seconds, _ = _median_time(ours, ctx.sizes.repeats)
    return [
        Result("assessment_s", seconds, "秒", note=f"{why}:measure_by_unit × {len(codes)}个指标"),
        Result("assessment_vs_raw_sql", None, "倍", target=1, skipped="需要考核应用的考核办法"),
    ]


# --------------------------------------------------------------------------------------------------
# Dashboard
# --------------------------------------------------------------------------------------------------


def dashboard_timings(ctx: Context, runs: int) -> list[float]:
    from zhaoshang.dashboard.selectors import dashboard_data
    from zhaoshang.metrics import periods
    from zhaoshang.metrics.indicators import Basis

    # What the cockpit shows by default: this year to the current month, recognised basis.
    period = periods.from_to(None, f"{ctx.today:%Y-%m}", ctx.today)
    user = ctx.bureau
    dashboard_data(user=user, period=period, basis=Basis.RECOGNISED, today=ctx.today)  # warm-up
    times = []
    for _ in range(runs):
        seconds, _data = _timed(
            lambda: dashboard_data(user=user, period=period, basis=Basis.RECOGNISED, today=ctx.today)
        )
        times.append(seconds * 1000)
    return times


def case_dashboard(ctx: Context) -> list[Result]:
    times = dashboard_timings(ctx, ctx.sizes.dashboard_runs)
    return [
        Result(
            "dashboard_p50_ms",
            statistics.median(times),
            "毫秒",
            target=150,
            note=f"dashboard_data,{ctx.bureau.username}(全{ctx.spec.root_name}),{len(times)}次,"
            f"最快{fixed(min(times), 0)}、最慢{fixed(max(times), 0)}毫秒",
        )
    ]


# --------------------------------------------------------------------------------------------------
# Import and export
# --------------------------------------------------------------------------------------------------


def _exchange_available() -> str | None:
    try:
        from zhaoshang.exchange import services
    except ImportError as error:
        return f"导入导出服务不可用({error})"
    missing = [n for n in ("import_file", "export_file") if not hasattr(services, n)]
    return f"exchange.services 缺少 {'、'.join(missing)}" if missing else None


def case_import(ctx: Context) -> list[Result]:
    why = _exchange_available()
    if why:
        return [Result("import_10k_s", None, "秒", target=5, skipped=why)]
    from zhaoshang.bench import importexport
    from zhaoshang.exchange.services import import_file

    rows = ctx.sizes.import_rows
    path = ctx.workdir / f"import-{rows}.xlsx"
    importexport.write_project_workbook(path, rows=rows, root=ctx.root)

    def ours(path=path):
        with _acting(), transaction.atomic():
            report = import_file(user=None, kind="projects", path=path, filename=path.name)
            transaction.set_rollback(True)
        return report

    ours_s, report = _timed(ours)
    note = f"{rows}行,全部校验,事务回滚"
    if not report.ok or report.created != rows:
        first = report.problems[0] if report.problems else None
        note += f";新建{report.created}行,问题{len(report.problems)}个:{first}"
    results = [Result("import_10k_s", ours_s, "秒", target=5, note=note)]

    if importlib.util.find_spec("import_export") is None:
        results.append(
            Result(
                "import_vs_django_import_export",
                None,
                "倍",
                target=5,
                better="higher",
                skipped="未安装 django-import-export(pip install django-import-export)",
            )
        )
        return results
    compare = path
    ours_compare_s = ours_s
    if ctx.sizes.compare_rows < rows:
        compare = ctx.workdir / f"import-{ctx.sizes.compare_rows}.xlsx"
        importexport.write_project_workbook(compare, rows=ctx.sizes.compare_rows, root=ctx.root)
        ours_compare_s, _report = _timed(lambda: ours(compare))
    theirs_s, outcome = _timed(lambda: importexport.import_with_django_import_export(compare))
    n = min(rows, ctx.sizes.compare_rows)
    results.append(
        Result(
            "import_vs_django_import_export",
            theirs_s / ours_compare_s,
            "倍",
            target=5,
            better="higher",
            note=f"同一{n}行文件:django-import-export(use_bulk、batch_size、skip_diff、缓存的实例加载器、"
            f"预取的外键控件){fixed(theirs_s, 1)}秒({outcome}),本系统{fixed(ours_compare_s, 1)}秒;"
            f"{importexport.DIFFERENCES}",
        )
    )
    return results


def case_export(ctx: Context) -> list[Result]:
    why = _exchange_available()
    if why:
        return [
            Result("export_100k_s", None, "秒", target=6, skipped=why),
            Result("export_100k_peak_mb", None, "MB", target=300, skipped=why),
        ]
    out = ctx.workdir / "export.xlsx"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "zhaoshang.bench.export_worker",
            str(out),
            str(ctx.sizes.export_rows),
            ctx.root.path,
        ],
        env={**os.environ},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        tail = (completed.stderr or completed.stdout).strip().splitlines()[-1:] or ["?"]
        reason = f"导出子进程失败:{tail[0]}"[:200]
        return [
            Result("export_100k_s", None, "秒", target=6, skipped=reason),
            Result("export_100k_peak_mb", None, "MB", target=300, skipped=reason),
        ]
    data = json.loads(completed.stdout.strip().splitlines()[-1])
    size_mb = out.stat().st_size / 1024**2 if out.exists() else 0
    note = f"{data['rows']}行项目,xlsx {fixed(size_mb, 1)} MB,子进程计时"
    return [
        Result("export_100k_s", data["seconds"], "秒", target=6, note=note),
        Result(
            "export_100k_peak_mb",
            data["peak_mb"],
            "MB",
            target=300,
            note=f"子进程峰值常驻内存(VmHWM),其中启动Django后{fixed(data['baseline_mb'], 0)} MB;结束时"
            + "、".join(f"{k} {fixed(v, 0)}" for k, v in data.get("status", {}).items()),
        ),
    ]


def _assessment_once(ctx: Context) -> object:
    from zhaoshang.assessment.periods import parse
    from zhaoshang.assessment.services import assessment_compute

    schemes, period = ctx.extras.get("schemes") or (None, None)
    if schemes is None:
        period = parse(ctx.period_code)
        schemes = _schemes(ctx, period.year)
    return {s.pk: assessment_compute(scheme=s, period=period) for s in schemes}


def _dashboard_once(ctx: Context) -> object:
    from zhaoshang.dashboard.selectors import dashboard_data
    from zhaoshang.metrics import periods
    from zhaoshang.metrics.indicators import Basis

    period = periods.from_to(None, f"{ctx.today:%Y-%m}", ctx.today)
    return dashboard_data(user=ctx.bureau, period=period, basis=Basis.RECOGNISED, today=ctx.today)


AFTER_SUFFIXES = ("(基准导入甲)", "(基准导入乙)")


def _remove_imported(ctx: Context) -> float:
    """Put the database back as it was: the projects the committed imports created go. Returns the
    seconds their deletion took, committed with the summary's upkeep (what a bureau waits for when it
    deletes an import made by mistake); the tidying after it is not timed."""
    from zhaoshang.metrics import rollup
    from zhaoshang.projects.models import Project

    started = time.perf_counter()
    with transaction.atomic():
        for suffix in AFTER_SUFFIXES:
            Project.objects.filter(name__endswith=suffix, region__path__startswith=ctx.root.path).delete()
        rollup.upkeep()
    seconds = time.perf_counter() - started
    rollup.compact()  # what the night's job does; the summary rows the imports appended merged again
    if connection.vendor == "postgresql":
        # As it was, including the dead rows gone: otherwise autovacuum clears those of 12 000 deleted
        # projects and 100 000 changed summary rows during the next cases, timing the bench's own
        # clean-up rather than what they measure.
        with connection.cursor() as c:
            c.execute("VACUUM (ANALYZE) projects_project, metrics_monthlyfigure, metrics_rollupmark")
    return seconds


def case_after_import(ctx: Context) -> list[Result]:
    """What a user waits for around an import that is committed: the import itself with the monthly
    summary's upkeep (``import_10k_commit_s``), then the first cockpit right after it (cold) and the
    next one (warm); then a second, smaller import and the first assessment after it (cold, warm)."""
    why = _exchange_available()
    if why:
        return [Result("import_10k_commit_s", None, "秒", target=5, skipped=why)]
    from zhaoshang.bench import importexport
    from zhaoshang.exchange.services import import_file
    from zhaoshang.metrics.models import RollupMark

    def commit(path):
        with _acting():
            return import_file(user=None, kind="projects", path=path, filename=path.name)

    sizes = (ctx.sizes.import_rows, ctx.sizes.compare_rows)
    paths = []
    for suffix, rows in zip(AFTER_SUFFIXES, sizes, strict=True):
        path = ctx.workdir / f"import-commit-{rows}-{len(paths)}.xlsx"
        importexport.write_project_workbook(path, rows=rows, root=ctx.root, suffix=suffix)
        paths.append(path)
    _remove_imported(ctx)  # a run stopped half-way left its rows
    results = []
    try:
        seconds, report = _timed(lambda: commit(paths[0]))
        left = RollupMark.objects.count()
        note = f"{sizes[0]}行,全部校验,提交,含月度汇总更新;之后待处理标记{left}个"
        if not report.ok or report.created != sizes[0]:
            note += f";新建{report.created}行,问题{len(report.problems)}个"
        results.append(Result("import_10k_commit_s", seconds, "秒", target=5, note=note))
        cold, _data = _timed(lambda: _dashboard_once(ctx))
        warm, _data = _timed(lambda: _dashboard_once(ctx))
        results.append(
            Result(
                "dashboard_after_import_s",
                cold,
                "秒",
                target=2,
                note=f"导入{sizes[0]}行提交后的第一次驾驶舱(冷);第二次(热){fixed(warm * 1000, 0)}毫秒",
            )
        )
        results.append(Result("dashboard_after_import_warm_s", warm, "秒", note="导入后第二次驾驶舱"))
        seconds2, report2 = _timed(lambda: commit(paths[1]))
        cold, _data = _timed(lambda: _assessment_once(ctx))
        warm, _data = _timed(lambda: _assessment_once(ctx))
        results.append(
            Result(
                "assessment_after_import_s",
                cold,
                "秒",
                target=3,
                note=f"导入{sizes[1]}行提交(用时{fixed(seconds2, 1)}秒,新建{report2.created}行)后的第一次考核(冷);"
                f"第二次(热){fixed(warm, 2)}秒",
            )
        )
        results.append(Result("assessment_after_import_warm_s", warm, "秒", note="导入后第二次考核"))
    finally:
        removed = _remove_imported(ctx)
    note = f"删除这两次导入的{sum(sizes)}个项目,提交,含月度汇总更新"
    results.append(Result("delete_imported_s", removed, "秒", note=note))
    return results


def case_summary_build(ctx: Context) -> list[Result]:
    """The first build of the monthly summary from the records (``rollup.rebuild``, as ``migrate``
    runs it on a database without one), rolled back afterwards."""
    from zhaoshang.metrics import rollup

    def build():
        with transaction.atomic():
            rows = rollup.rebuild()
            transaction.set_rollback(True)
        return rows

    seconds, rows = _timed(build)
    return [Result("summary_build_s", seconds, "秒", target=60, note=f"rollup.rebuild,{rows}行,事务回滚")]


# --------------------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------------------


def case_bulletin(ctx: Context) -> list[Result]:
    from django.core.management import call_command, get_commands

    if "report" not in get_commands():
        return [Result("bulletin_docx_s", None, "秒", skipped="报告应用尚未提供 report 命令")]
    out = ctx.workdir / "bulletin.docx"
    args = ["report", "bulletin", "--format", "docx", "-o", str(out), "--region", ctx.root.code]
    args += ["--from", ctx.period_code, "--to", ctx.period_code]
    try:
        seconds, _ = _timed(lambda: call_command(*args))
    except Exception as error:  # the reports app is being built: say why rather than fail the run
        return [
            Result(
                "bulletin_docx_s", None, "秒", skipped=f"未实现/出错:{type(error).__name__}: {error}"[:200]
            )
        ]
    return [
        Result(
            "bulletin_docx_s",
            seconds,
            "秒",
            target=3,
            note=f"zhaoshang report bulletin --format docx,{ctx.period_code}",
        )
    ]


CASES = [
    ("assessment", case_assessment),
    ("dashboard", case_dashboard),
    ("import", case_import),
    ("after_import", case_after_import),
    ("export", case_export),
    ("bulletin", case_bulletin),
    ("summary_build", case_summary_build),
]
