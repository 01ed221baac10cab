"""Prototypes of the speed-ups the bench recommends, measured against the baseline in the same run
(``python -m zhaoshang.bench --experiments``). Nothing here changes the product: the engine fix is a
monkeypatch for the duration of a measurement, the indexes are created on the bench database and
dropped again, the rollup table is the bench's own.

1. ``partner``: ``metrics.engine.measure_by_unit`` without the ``partner_units IN (…)`` filter in SQL
   (the wanted units are picked in Python). With thousands of ids, SQLite probes the through table's
   (activity_id, unit_id) index once per id for every activity row in the period.
2. ``indexes``: composite indexes that turn the period scans into index range scans and, for the
   counts, index-only scans (``PROPOSED_INDEXES``, exactly as the models' ``Meta.indexes`` would
   declare them).
3. ``rollup``: the cockpit read from a monthly per-unit summary table (``zhaoshang.bench.rollup``).
"""

import statistics
import sys
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from unittest import mock

from django.db import connection, models

from zhaoshang.activities.models import Activity
from zhaoshang.leads.models import Lead
from zhaoshang.projects.models import FundsRecord, Project

PROPOSED_INDEXES: list[tuple[type[models.Model], models.Index]] = [
    # Activity counts and sums by kind over a period: kind, then the date range, then every column
    # the engine filters or sums on (index-only on SQLite; on PostgreSQL ``include=`` would do).
    (
        Activity,
        models.Index(
            fields=[
                "kind",
                "started_on",
                "review_status",
                "is_deleted",
                "unit",
                "ended_on",
                "enterprise_count",
                "batches",
            ],
            name="activity_kind_period_cover",
        ),
    ),
    (
        Lead,
        models.Index(
            fields=["reported_on", "review_status", "is_deleted", "unit", "is_valuable"],
            name="lead_period_cover",
        ),
    ),
    (
        FundsRecord,
        models.Index(
            fields=["month", "review_status", "is_deleted", "project", "amount_wan", "recognised_amount_wan"],
            name="funds_period_cover",
        ),
    ),
    (Project, models.Index(fields=["signed_on", "review_status"], name="project_signed_status")),
    (Project, models.Index(fields=["commenced_on", "review_status"], name="project_commenced_status")),
]


@dataclass
class Finding:
    name: str
    variant: str
    value: float
    unit: str
    baseline: float | None = None
    note: str = ""

    @property
    def gain(self) -> str:
        if not self.baseline or not self.value:
            return ""
        return f"{self.baseline / self.value:.1f}×"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------------
# The engine fix
# --------------------------------------------------------------------------------------------------


def measure_by_unit_partner_fix(code, *, period, basis="recognised", unit_ids=None):
    """``metrics.engine.measure_by_unit`` with the partner path's unit filter applied in Python."""
    from django.db.models import Count

    from zhaoshang.metrics.engine import ZERO, _as_decimal
    from zhaoshang.metrics.indicators import REGISTRY

    indicator = REGISTRY[code]
    if indicator.unit_path is None:
        return {}
    wanted = set(unit_ids) if unit_ids is not None else None
    out = {}
    paths = [indicator.unit_path] + ([indicator.partner_path] if indicator.partner_path else [])
    for path in paths:
        qs = indicator.queryset(period, basis)
        if unit_ids is not None and path != indicator.partner_path:
            qs = qs.filter(**{f"{path}__in": unit_ids})
        rows = qs.values(path).annotate(v=indicator.value(period, basis), n=Count("pk")).order_by()
        for row in rows:
            key = row[path]
            if key is None or (wanted is not None and key not in wanted):
                continue
            out[key] = out.get(key, ZERO) + _as_decimal(indicator, row["v"], row["n"])
    return out


@contextmanager
def partner_fix():
    """Swap the fixed function in wherever ``measure_by_unit`` was imported by name."""
    with ExitStack() as stack:
        for name, module in list(sys.modules.items()):
            if name.startswith("zhaoshang.") and getattr(module, "measure_by_unit", None) is not None:
                if name.startswith("zhaoshang.bench"):
                    continue
                stack.enter_context(mock.patch.object(module, "measure_by_unit", measure_by_unit_partner_fix))
        yield


# --------------------------------------------------------------------------------------------------
# Indexes
# --------------------------------------------------------------------------------------------------


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@contextmanager
def proposed_indexes():
    """Create ``PROPOSED_INDEXES`` as a migration would, refresh statistics; drop them afterwards."""
    started = time.monotonic()
    with connection.schema_editor() as editor:
        for model, index in PROPOSED_INDEXES:
            editor.add_index(model, index)
    analyze()
    say(f"  建立建议索引并ANALYZE {time.monotonic() - started:.1f}秒")
    try:
        yield time.monotonic() - started
    finally:
        with connection.schema_editor() as editor:
            for model, index in PROPOSED_INDEXES:
                editor.remove_index(model, index)
        analyze()


# --------------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------------


def _measure(ctx, label: str) -> dict[str, float]:
    from zhaoshang.bench import cases
    from zhaoshang.bench.harness import last_complete_month

    out: dict[str, float] = {}
    try:
        from zhaoshang.assessment.periods import parse
        from zhaoshang.assessment.services import assessment_compute

        period = parse(last_complete_month(ctx.today))
        schemes = cases._schemes(ctx, period.year)
        seconds, computed = cases._median_time(
            lambda: {s.pk: assessment_compute(scheme=s, period=period) for s in schemes}, ctx.sizes.repeats
        )
        out["assessment_s"] = seconds
        ctx.extras.setdefault("experiment_results", {})[label] = {
            pk: [(line.subject_id, str(line.score)) for line in lines] for pk, lines in computed.items()
        }
    except ImportError:
        pass
    times = cases.dashboard_timings(ctx, ctx.sizes.dashboard_runs)
    out["dashboard_p50_ms"] = statistics.median(times)
    say(f"  {label}: " + "、".join(f"{k} {v:.3f}" for k, v in out.items()))
    return out


def run(ctx) -> list[Finding]:
    from zhaoshang.bench import rollup

    say("试验:基线、引擎修正、建议索引、汇总表 …")
    base = _measure(ctx, "基线")
    with partner_fix():
        fixed = _measure(ctx, "引擎修正")
    with proposed_indexes() as index_seconds:
        index_only = _measure(ctx, "索引(无引擎修正)")
        with partner_fix():
            indexed = _measure(ctx, "引擎修正+索引")
            rolled = rollup.experiment(ctx, baseline=base["dashboard_p50_ms"])
    results = ctx.extras.get("experiment_results", {})
    same = len({repr(v) for v in results.values()}) <= 1
    findings = []
    for name, unit in (("assessment_s", "秒"), ("dashboard_p50_ms", "毫秒")):
        if name not in base:
            continue
        findings.append(Finding(name, "基线", base[name], unit))
        findings.append(Finding(name, "引擎修正(partner_units 不用 IN 过滤)", fixed[name], unit, base[name]))
        findings.append(Finding(name, "建议索引(无引擎修正)", index_only[name], unit, base[name]))
        findings.append(
            Finding(
                name,
                "引擎修正+建议索引",
                indexed[name],
                unit,
                base[name],
                note=f"建索引+ANALYZE {index_seconds:.0f}秒",
            )
        )
    findings.extend(rolled)
    print()
    print("试验结果(同一次运行中测得):")
    from zhaoshang.demo.management.commands.demo import format_table

    print(
        format_table(
            ["名称", "方案", "数值", "单位", "提速", "说明"],
            [[f.name, f.variant, f"{f.value:.3f}", f.unit, f.gain, f.note] for f in findings],
        )
    )
    print("考核结果在各方案下" + ("完全一致" if same else "不一致!"))
    return findings
