"""Prototype: a monthly per-unit summary (汇总) table the cockpit can read instead of the records.

The design, for whoever integrates it into ``metrics`` (the table here is the bench's own, created
with raw SQL; a real one would be a model with a migration):

``metrics_monthly(basis, indicator, month, unit_id, region_id, partner, value, records)``
    one row per indicator, basis (认定/上报), calendar month and (credited unit, credited region):
    what ``measure`` counts for that unit/region in that month. ``partner`` rows are a joint
    activity's partner units: they count for the unit, not again for the region (SPEC §3).
    Index ``(indicator, basis, month, partner, region_id, unit_id, value, records)``: every read
    is an index-only range scan.

Filled by the metrics engine itself (one home per fact: ``Indicator.queryset`` / ``value``, grouped
by month, unit and region), so the table can never count differently from the engine; days away
(外出天数) are computed month by month because a trip is split at the month's bounds.

Kept current in the same transaction as the records: every service that writes a record the
registry counts (create, update, delete, workflow transitions, imports, the duplicate pool) calls
``refresh_cells(codes, months, unit_ids)`` with the months and units of the record *before and after*
the change; that deletes those cells and recomputes them from the records (a handful of indexed
queries; imports batch the cells of all their rows). Periods made of whole months (the cockpit,
monthly/quarterly/yearly assessments, bulletins) read the table; anything else (a campaign, a week,
a multi-unit scope where a joint activity must count once) keeps measuring the records.

``tests/test_bench_rollup.py`` checks that the table equals the engine on the records, before and
after records change.
"""

import datetime
import statistics
import time
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Count
from django.db.models.functions import TruncMonth

TABLE = "bench_metrics_monthly"
BASES = ("recognised", "reported")
# What the cockpit reads (and what the default assessment schemes score).
CODES = (
    "signed_projects",
    "signed_projects_100m",
    "signed_amount_100m_wan",
    "signed_amount_wan",
    "signed_projects_1b",
    "commenced_projects",
    "commenced_amount_wan",
    "in_production_projects",
    "funds_wan",
    "leads",
    "valuable_leads",
    "trips",
    "days_away",
    "visits",
    "inspections",
)


def _months(first: datetime.date, last: datetime.date):
    m = first.replace(day=1)
    while m <= last:
        yield m
        m = (m + datetime.timedelta(days=32)).replace(day=1)


def _month_period(month: datetime.date):
    from zhaoshang.metrics.periods import month as month_period

    return month_period(month.year, month.month)


def create_table() -> None:
    with connection.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {TABLE}")
        c.execute(
            f"""CREATE TABLE {TABLE} (
                level varchar(4) NOT NULL,
                basis varchar(12) NOT NULL,
                indicator varchar(40) NOT NULL,
                month date NOT NULL,
                unit_id bigint NULL,
                region_id bigint NULL,
                partner boolean NOT NULL,
                dim varchar(60) NOT NULL,
                value decimal(22, 4) NOT NULL,
                records integer NOT NULL
            )"""
        )
        c.execute(
            f"CREATE INDEX {TABLE}_read ON {TABLE} "
            "(level, indicator, basis, month, region_id, partner, unit_id, dim, value)"
        )
        c.execute(f"CREATE INDEX {TABLE}_cell ON {TABLE} (unit_id, month)")
        c.execute(f"CREATE INDEX {TABLE}_area ON {TABLE} (region_id, month)")


def drop_table() -> None:
    with connection.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {TABLE}")


def _rows_for(code: str, basis: str, first: datetime.date, last: datetime.date, unit_ids=None):
    """(month, unit, region, partner, value, records) for ``code`` from the records, via the engine."""
    from zhaoshang.metrics.engine import _as_decimal
    from zhaoshang.metrics.indicators import REGISTRY
    from zhaoshang.metrics.periods import Period

    indicator = REGISTRY[code]
    paths = [(indicator.unit_path, False)]
    if indicator.partner_path:
        paths.append((indicator.partner_path, True))
    region = indicator.region_path
    out = []
    if indicator.overlaps:
        windows = [(_month_period(m), m) for m in _months(first, last)]
    else:
        windows = [(Period(first, last, ""), None)]
    for period, fixed_month in windows:
        for path, partner in paths:
            qs = indicator.queryset(period, basis)
            if unit_ids is not None:
                qs = qs.filter(**{f"{path}__in": unit_ids})
            group = [path, region]
            if fixed_month is None:
                qs = qs.annotate(_m=TruncMonth(indicator.date_field))
                group = ["_m", *group]
            rows = qs.values(*group).annotate(v=indicator.value(period, basis), n=Count("pk")).order_by()
            for row in rows:
                if row[path] is None:
                    continue
                month = fixed_month or row["_m"]
                if isinstance(month, datetime.datetime):
                    month = month.date()
                value = _as_decimal(indicator, row["v"], row["n"])
                out.append((month, row[path], row[region], partner, value, row["n"]))
    return out


# Breakdowns the cockpit draws for a region: (indicator, what to group by).
def _breakdowns():
    from zhaoshang.dashboard.selectors import size_band

    return (("signed_amount_100m_wan", "industry__name"), ("signed_projects", size_band()))


def _dim_rows_for(code, group_by, basis, first, last, region=None):
    """(month, region, dim, value, records) of one breakdown, from the records via the engine."""
    from django.db.models import F

    from zhaoshang.metrics.engine import _as_decimal
    from zhaoshang.metrics.indicators import REGISTRY
    from zhaoshang.metrics.periods import Period

    indicator = REGISTRY[code]
    qs = indicator.queryset(Period(first, last, ""), basis)
    if region is not None:
        qs = qs.filter(**{f"{indicator.region_path}__path__startswith": region.path})
    qs = qs.annotate(
        _m=TruncMonth(indicator.date_field), _d=F(group_by) if isinstance(group_by, str) else group_by
    )
    rows = qs.values("_m", indicator.region_path, "_d").annotate(
        v=indicator.value(None, basis), n=Count("pk")
    )
    out = []
    for row in rows.order_by():
        month = row["_m"].date() if isinstance(row["_m"], datetime.datetime) else row["_m"]
        value = _as_decimal(indicator, row["v"], row["n"])
        out.append((month, row[indicator.region_path], str(row["_d"] or ""), value, row["n"]))
    return out


class Areas:
    """Each region's 汇总区域: itself from the county level up, its county below it (a town's
    figures are summed into its county's rows; a region scope at county level or above reads them)."""

    def __init__(self):
        from zhaoshang.organisation.models import Region

        rows = list(Region.objects.values_list("pk", "level", "parent_id"))
        self.level = {pk: level for pk, level, _parent in rows}
        parent = {pk: parent for pk, _level, parent in rows}
        self.area = {}
        for pk, _level, _parent in rows:
            up = pk
            while self.level.get(up) == "town" and parent.get(up):
                up = parent[up]
            self.area[pk] = up

    def of(self, region_id):
        return self.area.get(region_id, region_id)

    def members(self, areas) -> list[int]:
        areas = set(areas)
        return [pk for pk, area in self.area.items() if area in areas]


def _write(rows) -> int:
    sql = (
        f"INSERT INTO {TABLE} (level, basis, indicator, month, unit_id, region_id, partner, dim, value, records) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    rows = [r for r in rows if r[8] or r[9]]
    with connection.cursor() as c:
        c.executemany(sql, rows)
    return len(rows)


def _unit_and_area_rows(code, basis, unit_rows, areas: Areas) -> list[tuple]:
    out = []
    totals: dict[tuple, list] = {}
    for month, unit, region, partner, value, records in unit_rows:
        out.append(("unit", basis, code, month, unit, region, partner, "", value, records))
        if not partner:  # a joint activity counts once for the region
            cell = totals.setdefault((month, areas.of(region)), [Decimal(0), 0])
            cell[0] += value
            cell[1] += records
    for (month, area), (value, records) in totals.items():
        out.append(("area", basis, code, month, None, area, False, "", value, records))
    return out


def _dim_area_rows(code, group_by, basis, dim_rows, areas: Areas) -> list[tuple]:
    totals: dict[tuple, list] = {}
    for month, region, dim, value, records in dim_rows:
        cell = totals.setdefault((month, areas.of(region), dim), [Decimal(0), 0])
        cell[0] += value
        cell[1] += records
    return [
        (
            "area",
            basis,
            f"{code}@{'industry' if isinstance(group_by, str) else 'band'}",
            month,
            None,
            area,
            False,
            dim,
            v,
            n,
        )
        for (month, area, dim), (v, n) in totals.items()
    ]


def build(first: datetime.date, last: datetime.date, codes=CODES) -> int:
    """Fill the table for every month from ``first`` to ``last``; returns the rows written."""
    create_table()
    areas = Areas()
    written = 0
    for code in codes:
        for basis in BASES:
            written += _write(_unit_and_area_rows(code, basis, _rows_for(code, basis, first, last), areas))
    for code, group_by in _breakdowns():
        for basis in BASES:
            written += _write(
                _dim_area_rows(
                    code, group_by, basis, _dim_rows_for(code, group_by, basis, first, last), areas
                )
            )
    return written


def refresh_cells(*, codes, months, unit_ids) -> None:
    """Recompute what a record change touches — the cells of ``unit_ids`` × ``months`` (the units and
    months of the record before and after the change) and the area totals they feed — from the
    records, in the caller's transaction."""
    from zhaoshang.organisation.models import Region, Unit

    unit_ids = sorted(set(unit_ids))
    months = sorted(set(months))
    if not unit_ids or not months:
        return
    areas = Areas()
    marks = ", ".join(["%s"] * len(unit_ids))
    month_marks = ", ".join(["%s"] * len(months))
    with connection.cursor() as c:
        # The areas whose totals change: those of the cells as they were, and of the units now.
        c.execute(
            f"SELECT DISTINCT region_id FROM {TABLE} WHERE level = 'unit' AND unit_id IN ({marks}) "
            f"AND month IN ({month_marks})",
            [*unit_ids, *months],
        )
        touched = {areas.of(r) for (r,) in c.fetchall()}
        touched |= {
            areas.of(r) for r in Unit.objects.filter(pk__in=unit_ids).values_list("region_id", flat=True)
        }
        c.execute(
            f"DELETE FROM {TABLE} WHERE level = 'unit' AND unit_id IN ({marks}) AND month IN ({month_marks})",
            [*unit_ids, *months],
        )
    for code in codes:
        for basis in BASES:
            rows = []
            for month in months:
                period = _month_period(month)
                rows += [
                    r
                    for r in _rows_for(code, basis, period.start, period.end, unit_ids=unit_ids)
                    if r[0] == month
                ]
            touched |= {areas.of(r[2]) for r in rows}
            _write([r for r in _unit_and_area_rows(code, basis, rows, areas) if r[0] == "unit"])
    # Area totals of the touched areas and months, summed again from the unit rows (and, for the
    # breakdowns, from the records of those areas).
    area_ids = sorted(a for a in touched if a is not None)
    if not area_ids:
        return
    members = areas.members(area_ids)
    area_marks = ", ".join(["%s"] * len(area_ids))
    member_marks = ", ".join(["%s"] * len(members))
    with connection.cursor() as c:
        c.execute(
            f"DELETE FROM {TABLE} WHERE level = 'area' AND region_id IN ({area_marks}) AND month IN ({month_marks})",
            [*area_ids, *months],
        )
        c.execute(
            f"SELECT basis, indicator, month, region_id, SUM(value), SUM(records) FROM {TABLE} "
            f"WHERE level = 'unit' AND partner = %s AND region_id IN ({member_marks}) AND month IN ({month_marks}) "
            "GROUP BY basis, indicator, month, region_id",
            [False, *members, *months],
        )
        found = c.fetchall()
    totals: dict[tuple, list] = {}
    for basis, code, month, region, value, records in found:
        if isinstance(month, str):
            month = datetime.date.fromisoformat(month)
        cell = totals.setdefault((basis, code, month, areas.of(region)), [Decimal(0), 0])
        cell[0] += Decimal(str(value))
        cell[1] += records
    _write([("area", b, code, m, None, a, False, "", v, n) for (b, code, m, a), (v, n) in totals.items()])
    for area in Region.objects.filter(pk__in=area_ids):
        for code, group_by in _breakdowns():
            for basis in BASES:
                dims = []
                for month in months:
                    period = _month_period(month)
                    dims += [
                        r
                        for r in _dim_rows_for(code, group_by, basis, period.start, period.end, region=area)
                        if areas.of(r[1]) == area.pk
                    ]
                _write(_dim_area_rows(code, group_by, basis, dims, areas))


# --------------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------------


def _month_value(month):
    return datetime.date.fromisoformat(month) if isinstance(month, str) else month


def read_by_month(
    *, codes, period, basis, region=None, unit_id=None
) -> dict[str, dict[datetime.date, Decimal]]:
    """``{code: {month: value}}`` over ``period`` (whole months) for a region's subtree (from the area
    totals, for a region at county level or above) or one unit."""
    marks = ", ".join(["%s"] * len(codes))
    params: list = [*codes, basis]
    if unit_id is not None:
        scope = f"WHERE t.level = 'unit' AND t.indicator IN ({marks}) AND t.basis = %s AND t.unit_id = %s"
        params.append(unit_id)
    elif region is not None and region.level != "town":
        scope = (
            "JOIN organisation_region g ON g.id = t.region_id "
            f"WHERE t.level = 'area' AND t.indicator IN ({marks}) AND t.basis = %s AND g.path LIKE %s"
        )
        params.append(f"{region.path}%")
    elif region is not None:
        scope = (
            "JOIN organisation_region g ON g.id = t.region_id "
            f"WHERE t.level = 'unit' AND t.indicator IN ({marks}) AND t.basis = %s AND t.partner = %s "
            "AND g.path LIKE %s"
        )
        params += [False, f"{region.path}%"]
    else:
        scope = f"WHERE t.level = 'area' AND t.indicator IN ({marks}) AND t.basis = %s"
    params += [period.start.replace(day=1), period.end]
    out: dict[str, dict] = defaultdict(dict)
    with connection.cursor() as c:
        c.execute(
            f"SELECT t.indicator, t.month, SUM(t.value) FROM {TABLE} t {scope} "
            "AND t.month BETWEEN %s AND %s GROUP BY t.indicator, t.month",
            params,
        )
        for code, month, value in c.fetchall():
            out[code][_month_value(month)] = Decimal(str(value))
    return out


def read_breakdown(*, code, by, period, basis, region) -> dict[str, Decimal]:
    """A region's breakdown (``by`` = "industry" or "band") over ``period`` from the area totals."""
    params = [f"{code}@{by}", basis, period.start.replace(day=1), period.end]
    where = ""
    if region is not None:
        where = "AND g.path LIKE %s"
        params.append(f"{region.path}%")
    with connection.cursor() as c:
        c.execute(
            f"SELECT t.dim, SUM(t.value) FROM {TABLE} t JOIN organisation_region g ON g.id = t.region_id "
            f"WHERE t.level = 'area' AND t.indicator = %s AND t.basis = %s AND t.month BETWEEN %s AND %s {where} "
            "GROUP BY t.dim",
            params,
        )
        return {dim: Decimal(str(v)) for dim, v in c.fetchall() if v}


def read_by_unit(*, code, period, basis, unit_ids) -> dict[int, Decimal]:
    wanted = set(unit_ids)
    with connection.cursor() as c:
        c.execute(
            f"SELECT t.unit_id, SUM(t.value) FROM {TABLE} t WHERE t.level = 'unit' AND t.indicator = %s "
            "AND t.basis = %s AND t.month BETWEEN %s AND %s GROUP BY t.unit_id",
            [code, basis, period.start.replace(day=1), period.end],
        )
        return {u: Decimal(str(v)) for u, v in c.fetchall() if u in wanted}


def dashboard_data_rollup(*, user, period, basis, today):
    """``dashboard.selectors.dashboard_data`` with the headlines, the trend, the ranking and the
    funnel read from the summary table; the industry and size breakdowns, the stalled projects, the
    units and the targets as before. Same result, fewer rows read."""
    from zhaoshang.core import access
    from zhaoshang.dashboard import selectors as ds
    from zhaoshang.metrics.engine import ZERO, measure_grouped
    from zhaoshang.metrics.indicators import REGISTRY
    from zhaoshang.organisation.choices import UNIT_ROLES
    from zhaoshang.organisation.models import Unit
    from zhaoshang.projects.models import Project

    scope = ds.user_scope(user)
    if user.role in UNIT_ROLES and not user.is_superuser:
        where = {"unit_id": user.unit_id}
    else:
        where = {"region": scope.get("region")}
    previous = period.previous_year()
    codes = [*ds.HEADLINE_CODES, "signed_projects", "in_production_projects"]
    now = read_by_month(codes=codes, period=period, basis=basis, **where)
    then = read_by_month(codes=codes, period=previous, basis=basis, **where)
    targets = ds._targets(user, period.year, ds.HEADLINE_CODES)
    headlines = []
    for code in ds.HEADLINE_CODES:
        indicator = REGISTRY[code]
        headlines.append(
            ds.Headline(
                code,
                str(indicator.name),
                str(indicator.unit),
                indicator.money,
                sum(now[code].values(), ZERO),
                sum(then[code].values(), ZERO),
                targets.get(code),
                ds._link(code, period, basis),
            )
        )
    by = {h.code: h for h in headlines}
    months = (
        list(range(period.start.month, period.end.month + 1)) if period.start.year == period.end.year else []
    )
    trend = {}
    for code in ("signed_projects_100m", "signed_amount_100m_wan"):
        for label, data in (("now", now), ("then", then)):
            per_month = {m.month: v for m, v in data[code].items()}
            trend[f"{code}:{label}"] = [float(per_month.get(m, ZERO)) for m in months]
    if "unit_id" in where or (where["region"] is not None and where["region"].level == "town"):
        industries = measure_grouped(
            "signed_amount_100m_wan", period=period, basis=basis, group_by="industry__name", **scope
        )
        bands = measure_grouped(
            "signed_projects", period=period, basis=basis, group_by=ds.size_band(), **scope
        )
    else:
        industries = read_breakdown(
            code="signed_amount_100m_wan", by="industry", period=period, basis=basis, region=where["region"]
        )
        bands = read_breakdown(
            code="signed_projects", by="band", period=period, basis=basis, region=where["region"]
        )
    units = access.unit_choices_for(user, Unit.objects.filter(is_active=True))
    unit_names = dict(units.values_list("pk", "name"))
    amounts = read_by_unit(code="signed_amount_100m_wan", period=period, basis=basis, unit_ids=unit_names)
    counts = read_by_unit(code="signed_projects_100m", period=period, basis=basis, unit_ids=unit_names)
    ranking = sorted(
        (
            {
                "unit_id": pk,
                "name": unit_names[pk],
                "count": counts.get(pk, ZERO),
                "amount": amounts.get(pk, ZERO),
            }
            for pk in unit_names
            if counts.get(pk) or amounts.get(pk)
        ),
        key=lambda r: (-r["amount"], -r["count"], r["name"]),
    )[:10]
    funnel = [
        ("招商信息", by["leads"].value),
        ("签约项目", sum(now["signed_projects"].values(), ZERO)),
        ("开工项目", by["commenced_projects"].value),
        ("投产项目", sum(now["in_production_projects"].values(), ZERO)),
    ]
    stalled = (
        access.restrict(Project.objects.all(), user)
        .filter(
            stage="signed",
            commenced_on__isnull=True,
            signed_on__lte=today - datetime.timedelta(days=ds.STALLED_AFTER_DAYS),
        )
        .select_related("introducing_unit")
        .order_by("signed_on")[:8]
    )
    return {
        "headlines": headlines,
        "trend": {"months": [f"{m}月" for m in months], **trend},
        "industries": [
            {"name": name or "其他", "value": float(v / 10000)}
            for name, v in sorted(industries.items(), key=lambda kv: -kv[1])
        ],
        "bands": [{"name": name, "value": float(v)} for name, v in bands.items()],
        "ranking": ranking,
        "funnel": [{"name": str(name), "value": float(v)} for name, v in funnel],
        "stalled": list(stalled),
        "stalled_days": ds.STALLED_AFTER_DAYS,
    }


def comparable(data: dict) -> dict:
    """The parts of the cockpit the rollup serves, in a form two results can be compared in."""
    return {
        "industries": sorted((i["name"], round(i["value"], 6)) for i in data["industries"]),
        "bands": sorted((b["name"], b["value"]) for b in data["bands"]),
        "headlines": [(h.code, h.value, h.previous, h.target) for h in data["headlines"]],
        "trend": data["trend"],
        "ranking": [(r["unit_id"], r["count"], r["amount"]) for r in data["ranking"]],
        "funnel": [f["value"] for f in data["funnel"]],
    }


# --------------------------------------------------------------------------------------------------
# The experiment
# --------------------------------------------------------------------------------------------------


def experiment(ctx, baseline: float | None = None) -> list:
    """Build the table for the synthetic data, check the cockpit reads the same figures from it,
    time it against ``dashboard_data``, and time refreshing one record's cells."""
    from zhaoshang.bench.experiments import Finding, say
    from zhaoshang.dashboard.selectors import dashboard_data
    from zhaoshang.metrics import periods
    from zhaoshang.projects.models import Project

    # The months the cockpit reads (this year and the same period last year); a real table would
    # hold every month.
    first = datetime.date(ctx.today.year - 1, 1, 1)
    started = time.monotonic()
    written = build(first, ctx.today)
    build_s = time.monotonic() - started
    with connection.cursor() as c:
        c.execute("ANALYZE")
    say(f"  汇总表 {written:,} 行,生成{build_s:.1f}秒")
    period = periods.from_to(None, f"{ctx.today:%Y-%m}", ctx.today)
    user = ctx.bureau
    raw = dashboard_data(user=user, period=period, basis="recognised", today=ctx.today)
    rolled = dashboard_data_rollup(user=user, period=period, basis="recognised", today=ctx.today)
    same = comparable(raw) == comparable(rolled)
    times = []
    for _ in range(ctx.sizes.dashboard_runs):
        t = time.perf_counter()
        dashboard_data_rollup(user=user, period=period, basis="recognised", today=ctx.today)
        times.append((time.perf_counter() - t) * 1000)
    raw_times = []
    for _ in range(ctx.sizes.dashboard_runs):
        t = time.perf_counter()
        dashboard_data(user=user, period=period, basis="recognised", today=ctx.today)
        raw_times.append((time.perf_counter() - t) * 1000)

    # Keeping it current: one record changes (its signing month moves), its cells are recomputed.
    project = Project.objects.filter(region__path__startswith=ctx.root.path, signed_on__isnull=False).first()
    refresh_ms = None
    if project is not None:
        old = project.signed_on.replace(day=1)
        new_signed = project.signed_on - datetime.timedelta(days=40)
        from django.db import transaction

        with transaction.atomic():
            Project.objects.filter(pk=project.pk).update(signed_on=new_signed)
            t = time.perf_counter()
            refresh_cells(
                codes=CODES, months=[old, new_signed.replace(day=1)], unit_ids=[project.introducing_unit_id]
            )
            refresh_ms = (time.perf_counter() - t) * 1000
            transaction.set_rollback(True)
    drop_table()
    raw_p50, rolled_p50 = statistics.median(raw_times), statistics.median(times)
    return [
        Finding(
            "dashboard_p50_ms",
            "引擎修正+建议索引+月度汇总表",
            rolled_p50,
            "毫秒",
            baseline,
            note=(
                f"同时测得不用汇总表{raw_p50:.0f}毫秒;与逐条统计{'结果一致' if same else '结果不一致!'};"
                f"汇总表{written:,}行({first:%Y-%m}起),生成{build_s:.0f}秒;"
                + (f"改一个项目后刷新其单元格{refresh_ms:.0f}毫秒" if refresh_ms is not None else "")
            ),
        )
    ]
