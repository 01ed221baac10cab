"""The monthly summary (汇总) behind whole-month figures, kept exact.

Why: at province scale (200 000 projects, 2 000 000 activities) counting the records live costs
seconds per cockpit or assessment; the same figures summed from a per-month, per-unit table cost
milliseconds. Bureaus' periods are whole months (月报, quarters, 1至N月), so that is what is summed.

What is stored (``MonthlyFigure``): for each indicator of ``CODES``, each basis and each calendar
month, the value ``measure`` gives for every credited unit (and every record region it lands in),
partner units of joint activities separately; the same summed per area (a region from county level
up; a town's figures sum into its county) so that a province reads a few thousand rows; and the
cockpit's two breakdowns per area (``BREAKDOWNS``). Every cell is computed *by the engine itself*
(``Indicator.queryset`` / ``Indicator.value`` grouped by month), so the table can never count by
other rules than the records do — one home per fact.

How it stays exact: database triggers (created by migration ``metrics.0001``, SQLite and
PostgreSQL) write a ``RollupMark`` in the same transaction as any change to a project, a funds
record, a lead, an activity or its partner units, a unit's region or the region tree — whatever
wrote it: forms, the workflow, imports, ``QuerySet.update``, raw SQL. ``settle`` applies the marks:

- *No read pays for a write.* The writers — the import (``exchange.services.import_file``), the
  record services and the workflow (``core.services``, ``core.workflow``, the project and lead
  services) — call ``upkeep`` (= ``settle``) last thing in their own transaction, so the cells
  change when the records do and commit with them.
- *Set-based.* A record created since the table was last brought up to date (its id above the
  table's watermark for that record table) adds its contribution by difference: one grouped
  statement per indicator over the new records, whose differences are added to the unit, area and
  breakdown rows in one pass (``_add_rows``: in place on SQLite; on PostgreSQL appended as rows of
  their own, since reads sum a key's rows, and merged later by ``compact``, daily and on
  ``zhaoshang rollup compact``, never on a writer's or reader's path). The cells of changed or deleted records are
  recomputed from the records of those (unit, month) cells only, found from the cells through a
  temporary table (one grouped statement per indicator); the areas' totals follow by difference,
  the touched areas' breakdowns are counted again.
- *Reads never settle a backlog.* A read settles at most ``READ_SETTLE`` pending marks (a raw-SQL
  fix: milliseconds); with more, or a rebuild pending, ``read`` returns None and the engine counts
  the records, writing nothing, until the next writer's ``upkeep`` (or ``migrate``) applies them.

A figure is therefore always the records' figure. ``zhaoshang rollup verify`` compares the table
with the records, and the test suite reads most figures through it (``tests/test_rollup.py``
compares every cell).

``ZHAOSHANG_ROLLUP=0`` turns the table off: every figure is then counted from the records.
"""

import contextlib
import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.metrics import options
from zhaoshang.metrics.closing import closed_through
from zhaoshang.metrics.indicators import (
    DEFINITIONS,
    EITHER_BASIS,
    REGISTRY,
    Indicator,
    basis_rows,
    effective,
)
from zhaoshang.metrics.models import ClosedFigure, ClosedMonth, MonthlyFigure, RollupMark
from zhaoshang.metrics.periods import Period, month_end, next_month

BASES = ("recognised", "reported")
# What the cockpit, the default assessment schemes and the bulletins read.
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
    "out_of_province_trips",
    "days_away",
    "visits",
    "inspections",
)
TABLE = MonthlyFigure._meta.db_table
LEDGER = ClosedFigure._meta.db_table
KEY = "level, basis, indicator, month, unit_id, region_id, partner, dim"
COLUMNS = f"{KEY}, value, records"  # a row as written
ZERO = Decimal(0)


def size_band():
    """规模分档 of a signed project by its counted investment (SPEC §3: 1–5、5–10、10–20、20亿元以上),
    by the bands the options of its signing year set (``metrics.options``)."""
    return options.size_band("signed_on")


BAND_LABELS = {
    "20亿元以上": _("20亿元以上"),
    "10–20亿元": _("10–20亿元"),
    "5–10亿元": _("5–10亿元"),
    "1–5亿元": _("1–5亿元"),
    "1亿元以下": _("1亿元以下"),
}
# The area breakdowns: name → (indicator, what its records are grouped by).
BREAKDOWNS = {"industry": ("signed_amount_100m_wan", "industry_id"), "band": ("signed_projects", "band")}

# An indicator's defaults: its value a count of its records, no ``refine`` of its own.
_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Indicator)}
_COUNT = _DEFAULTS["value"]
_SAME_ROWS = (
    "model",
    "date_field",
    "unit_path",
    "region_path",
    "refine",
    "where",
    "partner_path",
    "basis_aware",
    "alive_path",
    "overlaps",
    "inclusive_days",
    "split_credit",
)


def _count_pairs() -> dict[str, str]:
    """``{count indicator: amount indicator}`` of ``CODES`` that count the very same records (one
    table, date, rule and paths; the one counts them, the other sums an amount over them). Every
    stored row keeps its records' number beside its value, so the count is the amount's ``records``
    and is not stored again: 签约项目 and 签约额 are one row, not two — two fifths fewer rows to write
    on every import and on the first build."""
    pairs = {}
    for code in CODES:
        count = REGISTRY[code]
        if count.value is not _COUNT:
            continue
        for other in CODES:
            amount = REGISTRY[other]
            if amount.value is not _COUNT and all(
                getattr(count, name) == getattr(amount, name) for name in _SAME_ROWS
            ):
                pairs[code] = other
                break
    return pairs


COUNTED_AS = _count_pairs()
# What the table holds a row for.
STORED = tuple(c for c in CODES if c not in COUNTED_AS)


def stored(code: str) -> str:
    """The indicator whose rows hold ``code``'s figure (itself, or its amount: ``COUNTED_AS``)."""
    return COUNTED_AS.get(code, code)


class MonthOf(TruncMonth):
    """``TruncMonth`` of a date; on SQLite in SQL (``date(x, 'start of month')``) rather than through
    Django's Python function called once per row (a fifth of the first build's time). Datetimes keep
    Django's, which converts to the current time zone first."""

    def as_sqlite(self, compiler, connection, **extra_context):
        if self.lhs.output_field.get_internal_type() != "DateField":
            return self.as_sql(compiler, connection, **extra_context)
        sql, params = compiler.compile(self.lhs)
        return f"date({sql}, 'start of month')", params


def enabled() -> bool:
    return getattr(settings, "ZHAOSHANG_ROLLUP", True)


def covers(code: str, period: Period) -> bool:
    """Whether ``code`` over ``period`` can be read from the table: a summed indicator, whole months,
    counted by the date the table sums by (not by recognition date: ``indicators.effective``)."""
    return (
        enabled()
        and code in CODES
        and period.start.day == 1
        and period.end == month_end(period.end.year, period.end.month)
        and effective(code, period) is REGISTRY[code]
    )


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    out, m = [], first.replace(day=1)
    while m <= last:
        out.append(m)
        m = next_month(m)
    return out


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value


Q4 = Decimal("0.0001")


def _as_decimal(value) -> Decimal:
    """A stored or summed value as an exact Decimal. Records hold at most four decimals (万元), so any
    sum of them does too; SQLite sums decimals in binary floating point, and rounding to four places
    gives back the exact sum. Trailing zeros go, so that a count reads 12, not 12.0000."""
    if type(value) is int:  # SQLite's sum of whole numbers (counts): exact as it is
        return Decimal(value)
    # PostgreSQL returns exact decimals already: no text round trip for those.
    d = (value if isinstance(value, Decimal) else Decimal(str(value or 0))).quantize(Q4)
    if d == d.to_integral_value():
        return d.quantize(Decimal(1))
    return Decimal(str(d).rstrip("0"))


# --------------------------------------------------------------------------------------------------
# Computing cells from the records (through the engine's own definitions)
# --------------------------------------------------------------------------------------------------


def _value(indicator, row) -> Decimal:
    from zhaoshang.metrics.engine import _as_decimal as engine_decimal

    return _as_decimal(engine_decimal(indicator, row["v"], row["n"]))


def _longest_span(model) -> datetime.timedelta:
    """The longest ``ended_on − started_on`` of ``model``'s records (zero without any)."""
    found = model._default_manager.aggregate(
        span=Max(ExpressionWrapper(F("ended_on") - F("started_on"), output_field=DurationField()))
    )["span"]
    return found or datetime.timedelta(0)


@contextlib.contextmanager
def _table_scan(model, whole: bool):
    """On SQLite, read ``model``'s table in order for a query over (nearly) all of it: its planner
    would walk a date index over most of the table and fetch every row at random, several times
    slower. Only the query's own table; joined tables keep their indexes. Elsewhere: nothing."""
    if not whole or connection.vendor != "sqlite":
        yield
        return
    table = f'FROM "{model._meta.db_table}" '

    def rewrite(execute, sql, params, many, context):
        if sql.startswith("SELECT") and table in sql:
            sql = sql.replace(table, f"{table}NOT INDEXED ", 1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(rewrite):
        yield


def unit_cells(code, basis, months: list[datetime.date], unit_ids=None) -> list[tuple]:
    """``(month, unit, region, partner, value, records)`` of ``code`` for ``months`` (and units)."""
    return _unit_cells(code, (basis,), months, unit_ids)[basis]


def _only(expression, condition: Q | None):
    """``expression`` with each of its aggregates counting only the rows ``condition`` picks."""
    if condition is None:
        return expression
    expression = expression.copy()
    if isinstance(expression, Aggregate):
        expression.filter = condition if expression.filter is None else expression.filter & condition
        return expression
    expression.set_source_expressions([_only(e, condition) for e in expression.get_source_expressions()])
    return expression


def _per_basis(indicator, period, bases, split: bool) -> dict:
    """The aggregates ``v<i>``/``n<i>`` of each of ``bases`` for one grouped pass; with ``split`` each
    counts only its own rows among those of either basis (``basis_rows``)."""
    model = apps.get_model(indicator.model)
    aggregates = {}
    for i, basis in enumerate(bases):
        rows_of = basis_rows(model, basis) if split else None
        aggregates[f"v{i}"] = _only(indicator.value(period, basis), rows_of)
        aggregates[f"n{i}"] = Count("pk", filter=rows_of)
    return aggregates


def _basis_values(indicator, row: dict, bases):
    """``(basis, value, records)`` of each basis with records in the grouped ``row`` (``_per_basis``)."""
    for i, basis in enumerate(bases):
        n = row[f"n{i}"]
        if n:  # no row of this basis in the group: no cell
            yield basis, _value(indicator, {"v": row[f"v{i}"], "n": n}), n


def unit_cells_by_basis(code, months: list[datetime.date]) -> dict[str, list[tuple]]:
    """``unit_cells(code, basis, months)`` of both bases, each of every unit: one grouped pass over
    the rows counting on either basis (``counted_rows(model, EITHER_BASIS)``), each basis's value
    and records aggregated from its own rows (``basis_rows``), so exactly the rows
    ``Indicator.queryset(period, basis)`` counts. Half the scans of one pass per basis."""
    return _unit_cells(code, BASES, months, None)


def _unit_cells(code, bases, months: list[datetime.date], unit_ids) -> dict[str, list[tuple]]:
    """The cells of ``unit_cells`` for each of ``bases``: one basis reads its own rows; several read
    the rows of either basis once, each aggregated over its own."""
    indicator = REGISTRY[code]
    region = indicator.region_path
    wanted = set(months)
    out: dict[str, list[tuple]] = {basis: [] for basis in bases}
    for rows, path, partner, fixed, scan in _cell_queries(indicator, bases, months, unit_ids):
        with _table_scan(apps.get_model(indicator.model), scan):
            rows = list(rows)
        for row in rows:
            month = fixed or _as_date(row["_m"])
            if row[path] is None or month not in wanted:
                continue
            for basis, value, n in _basis_values(indicator, row, bases):
                out[basis].append((month, row[path], row[region], partner, value, n))
    return out


def _cell_queries(indicator, bases, months: list[datetime.date], unit_ids):
    """The grouped querysets of an indicator's unit cells over ``months`` (and units), through the
    engine's own definition: ``(rows, unit path, partner, fixed month or None, whole-table scan)``,
    each row grouped by ``_m`` (unless the month is fixed), the unit path and the region path, with
    the aggregates ``v<i>``/``n<i>`` of each of ``bases`` (``_per_basis``)."""
    model = apps.get_model(indicator.model)
    paths = [(indicator.unit_path, False)]
    if indicator.partner_path:
        paths.append((indicator.partner_path, True))
    region = indicator.region_path
    split = indicator.basis_aware and len(bases) > 1
    scan = EITHER_BASIS if split else bases[0]
    if indicator.overlaps and unit_ids is None:
        _fill_months(months)
        for path, partner in paths:
            period = _MonthBounds()
            qs = indicator.queryset(period, scan).extra(tables=[MONTHS], where=[_month_reach(model)])
            if partner:  # an inner join: SQLite then reads the partner table first
                qs = qs.filter(**{f"{path}__isnull": False})
            qs = qs.annotate(_m=RawSQL(f'"{MONTHS}"."first"', [], output_field=DateField()))
            rows = qs.values("_m", path, region).annotate(**_per_basis(indicator, period, bases, split))
            yield rows.order_by(), path, partner, None, True
        return
    span = None
    if indicator.overlaps:  # days away: a trip is split at the months' bounds
        windows = [(Period(m, month_end(m.year, m.month), ""), m) for m in months]
        span = _longest_span(model)
    else:
        windows = [(Period(min(months), month_end(max(months).year, max(months).month), ""), None)]
    for period, fixed in windows:
        for path, partner in paths:
            qs = indicator.queryset(period, scan)
            if unit_ids is not None:
                qs = qs.filter(**{f"{path}__in": unit_ids})
            if partner:  # an inner join: SQLite then reads the partner table first
                qs = qs.filter(**{f"{path}__isnull": False})
            if span is not None:
                # Implied by the overlap (no trip is longer than the longest): lets the month's
                # query read a range of the start-date index rather than every earlier trip.
                qs = qs.filter(started_on__gte=period.start - span)
            group = [path, region]
            if fixed is None:
                qs = qs.annotate(_m=MonthOf(indicator.date_field))
                group = ["_m", *group]
            rows = qs.values(*group).annotate(**_per_basis(indicator, period, bases, split)).order_by()
            yield rows, path, partner, fixed, fixed is None and unit_ids is None


# The months of one build, for an indicator split at the months' bounds (days away): every record
# joined to each month it overlaps, in one statement, rather than one statement per month.
MONTHS = "zs_rollup_months"


class _MonthBounds:
    """A period whose bounds are the months table's columns: ``Indicator.queryset`` and ``value``
    then test and split each record at the bounds of the month it is joined to."""

    label = ""

    def __init__(self):
        self.start = RawSQL(f'"{MONTHS}"."first"', [], output_field=DateField())
        self.end = RawSQL(f'"{MONTHS}"."last"', [], output_field=DateField())


def _fill_months(months: list[datetime.date]) -> None:
    with connection.cursor() as c:
        c.execute(f"CREATE TEMP TABLE IF NOT EXISTS {MONTHS} (first date NOT NULL, last date NOT NULL)")
        c.execute(f"DELETE FROM {MONTHS}")
        c.executemany(
            f"INSERT INTO {MONTHS} (first, last) VALUES (%s, %s)",
            [(m, month_end(m.year, m.month)) for m in months],
        )
        c.execute(f"CREATE INDEX IF NOT EXISTS {MONTHS}_first ON {MONTHS} (first)")


def _month_reach(model) -> str:
    """Implied by the overlap test (a month overlapping [start, end] begins between the first of the
    start's month and the end): lets each record find its months by an index range."""
    table = model._meta.db_table
    started = f'"{table}"."{model._meta.get_field("started_on").column}"'
    ended = f'"{table}"."{model._meta.get_field("ended_on").column}"'
    if connection.vendor == "sqlite":
        start_of_month = f"date({started}, 'start of month')"
    else:
        start_of_month = f"CAST(date_trunc('month', {started}) AS date)"
    return f'"{MONTHS}"."first" >= {start_of_month} AND "{MONTHS}"."first" <= COALESCE({ended}, {started})'


def dim_cells(name, basis, months, region_ids=None) -> list[tuple]:
    """``(month, region, dim, value, records)`` of breakdown ``name`` for ``months`` (and regions)."""
    code, group_by = BREAKDOWNS[name]
    indicator = REGISTRY[code]
    period = Period(min(months), month_end(max(months).year, max(months).month), "")
    qs = indicator.queryset(period, basis)
    if region_ids is not None:
        qs = qs.filter(**{f"{indicator.region_path}__in": region_ids})
    qs = qs.annotate(_m=MonthOf(indicator.date_field), _d=size_band() if group_by == "band" else F(group_by))
    rows = qs.values("_m", indicator.region_path, "_d").annotate(
        v=indicator.value(period, basis), n=Count("pk")
    )
    wanted = set(months)
    out = []
    for row in rows.order_by():
        month = _as_date(row["_m"])
        if month in wanted:
            dim = "" if row["_d"] is None else str(row["_d"])
            out.append((month, row[indicator.region_path], dim, _value(indicator, row), row["n"]))
    return out


def dim_cells_by_basis(name, months) -> dict[str, list[tuple]]:
    """``dim_cells(name, basis, months)`` of both bases in one grouped pass (as ``unit_cells_by_basis``)."""
    code, group_by = BREAKDOWNS[name]
    indicator = REGISTRY[code]
    period = Period(min(months), month_end(max(months).year, max(months).month), "")
    qs = indicator.queryset(period, EITHER_BASIS if indicator.basis_aware else BASES[0])
    qs = qs.annotate(_m=MonthOf(indicator.date_field), _d=size_band() if group_by == "band" else F(group_by))
    rows = qs.values("_m", indicator.region_path, "_d").annotate(
        **_per_basis(indicator, period, BASES, indicator.basis_aware)
    )
    wanted = set(months)
    out: dict[str, list[tuple]] = {basis: [] for basis in BASES}
    for row in rows.order_by():
        month = _as_date(row["_m"])
        if month not in wanted:
            continue
        dim = "" if row["_d"] is None else str(row["_d"])
        for basis, value, n in _basis_values(indicator, row, BASES):
            out[basis].append((month, row[indicator.region_path], dim, value, n))
    return out


class Areas:
    """Each region's summing area: itself from the county level up, its county below."""

    def __init__(self):
        from zhaoshang.organisation.models import Region

        rows = list(Region.objects.values_list("pk", "level", "parent_id"))
        level = {pk: lvl for pk, lvl, _p in rows}
        parent = {pk: p for pk, _l, p in rows}
        self.area = {}
        for pk, _level, _parent in rows:
            up = pk
            while level.get(up) == "town" and parent.get(up):
                up = parent[up]
            self.area[pk] = up

    def of(self, region_id):
        return self.area.get(region_id, region_id)

    def members(self, areas: Iterable[int]) -> list[int]:
        areas = set(areas)
        return [pk for pk, area in self.area.items() if area in areas]


def _insert(rows: list[tuple], table: str = TABLE) -> None:
    """Write the rows that hold something (``_load``: one COPY stream on PostgreSQL; the first build
    writes millions)."""
    with connection.cursor() as c:
        _load(c, table, COLUMNS, [r for r in rows if r[8] or r[9]])


def _area_rows(basis, code, cells, areas: Areas) -> list[tuple]:
    totals: dict[tuple, list] = defaultdict(lambda: [ZERO, 0])
    for month, _unit, region, partner, value, records in cells:
        if not partner:  # a joint activity counts once for the region
            cell = totals[(month, areas.of(region))]
            cell[0] += value
            cell[1] += records
    return [("area", basis, code, m, None, a, False, "", v, n) for (m, a), (v, n) in totals.items()]


def _dim_rows(basis, name, cells, areas: Areas) -> list[tuple]:
    totals: dict[tuple, list] = defaultdict(lambda: [ZERO, 0])
    for month, region, dim, value, records in cells:
        cell = totals[(month, areas.of(region), dim)]
        cell[0] += value
        cell[1] += records
    return [("area", basis, f"@{name}", m, None, a, False, d, v, n) for (m, a, d), (v, n) in totals.items()]


def data_months() -> list[datetime.date]:
    """Every month from the earliest record date to the latest one the table may hold."""
    from zhaoshang.activities.models import Activity
    from zhaoshang.leads.models import Lead
    from zhaoshang.projects.models import FundsRecord, Project

    bounds = []
    for model, fields in (
        (Project, ("signed_on", "commenced_on", "in_production_on")),
        (FundsRecord, ("month",)),
        (Lead, ("reported_on",)),
        (Activity, ("started_on", "ended_on")),
    ):
        aggregates = {}
        for f in fields:
            aggregates[f"lo_{f}"] = Min(f)
            aggregates[f"hi_{f}"] = Max(f)
        bounds += [v for v in model._default_manager.aggregate(**aggregates).values() if v]
    if not bounds:
        return []
    return _months(min(bounds), max(bounds))


def signature() -> str:
    """What the table holds (its indicators and breakdowns): a release that changes them rebuilds it."""
    import hashlib

    # The codes alone do not change when a definition does, and the stored cells would keep the old
    # counting: the definitions' release (indicators.DEFINITIONS) is hashed too, so that a database
    # built before a definition changed rebuilds on the next migrate.
    # The counting options of each year (亿元以上门槛, 规模分档 …) change what the cells hold the same
    # way; saving them also has the table rebuilt (``metrics.services.counting_rules_save``).
    parts = [f"definitions:{DEFINITIONS}", *CODES, *(f"@{n}" for n in BREAKDOWNS)]
    parts += [f"{c}=records:{a}" for c, a in COUNTED_AS.items()]
    if options.signature_part():  # none set: the signature of a database built before options
        parts.append(f"options:{options.signature_part()}")
    text = ",".join(parts)
    return hashlib.sha1(text.encode()).hexdigest()  # 40 characters: fits the dim column


def _write_signature() -> None:
    MonthlyFigure.objects.create(
        level="meta",
        basis="",
        indicator="signature",
        month=datetime.date(1970, 1, 1),
        dim=signature(),
        value=ZERO,
        records=0,
    )


def _all_rows(months: list[datetime.date]):
    """Every row of the table over ``months``, computed from the records, one batch per indicator
    (or breakdown) and basis: what ``rebuild`` writes and ``verify`` compares against."""
    areas = Areas()
    for code in STORED:
        by_basis = unit_cells_by_basis(code, months)
        for basis in BASES:
            cells = by_basis[basis]
            rows = [("unit", basis, code, m, u, r, p, "", v, n) for m, u, r, p, v, n in cells]
            yield rows + _area_rows(basis, code, cells, areas)
    for name in BREAKDOWNS:
        by_basis = dim_cells_by_basis(name, months)
        for basis in BASES:
            yield _dim_rows(basis, name, by_basis[basis], areas)


# --------------------------------------------------------------------------------------------------
# The first build, in SQL
# --------------------------------------------------------------------------------------------------

AREA_MAP = "zs_rollup_areas"


def _not_indexed(sql: str, model) -> str:
    """``sql`` reading ``model``'s own table in order (as ``_table_scan``), on SQLite."""
    if connection.vendor != "sqlite":
        return sql
    table = f'FROM "{model._meta.db_table}" '
    return sql.replace(table, f"{table}NOT INDEXED ", 1)


def _cell_value_sql(indicator, v: str, n: str) -> str:
    """A grouped row's value as stored, in SQL: what ``_value`` makes of ``v`` and ``n`` in Python
    (days away: whole days of the summed durations plus one a record; else the sum to four places)."""
    if indicator.inclusive_days:
        days = f"{v} / 86400000000" if connection.vendor == "sqlite" else f"EXTRACT(EPOCH FROM {v}) / 86400"
        return f"CASE WHEN {v} IS NULL THEN 0 ELSE {days} + {n} END"
    if connection.vendor == "sqlite":
        return f"COALESCE(ROUND({v}, 4), 0)"
    return f"COALESCE(ROUND(CAST({v} AS numeric), 4), 0)"


def _insert_unit_cells(code: str, months: list[datetime.date], table: str) -> None:
    """Write ``code``'s unit rows of both bases for ``months`` straight from its grouped statements
    (``_cell_queries``, the engine's own definition) with INSERT … SELECT: the same cells as
    ``unit_cells_by_basis``, without fetching them into Python."""
    indicator = REGISTRY[code]
    model = apps.get_model(indicator.model)
    region = indicator.region_path
    for rows, path, partner, fixed, scan in _cell_queries(indicator, BASES, months, None):
        assert fixed is None  # every month in one statement
        sql, params = rows.query.sql_with_params()
        if scan:
            sql = _not_indexed(sql, model)
        cells = [(indicator, basis, f"v{i}", f"n{i}") for i, basis in enumerate(BASES)]
        _write_grouped(sql, params, path, region, partner, cells, months, table)


# An indicator without a ``refine`` of its own (its rows told apart by ``where`` alone, if at all).
_PLAIN_REFINE = _DEFAULTS["refine"]


def _scan_groups(codes) -> list[list[str]]:
    """``codes`` in groups counted in one pass: indicators of one table told apart only by their
    condition (``Indicator.where``) and their value, by the same date and paths; the rest alone."""
    groups: dict[tuple, list[str]] = {}
    for code in codes:
        i = REGISTRY[code]
        if i.overlaps or i.refine is not _PLAIN_REFINE:
            groups[(code,)] = [code]
            continue
        key = (i.model, i.date_field, i.unit_path, i.partner_path, i.region_path, i.basis_aware, i.alive_path)
        groups.setdefault(key, []).append(code)
    return list(groups.values())


def _insert_scan_group(codes: list[str], months: list[datetime.date], table: str) -> None:
    """Write the unit rows of several indicators of one table (``_scan_groups``) in one grouped pass
    per unit path: the rows of the indicators' shared query (``Indicator.queryset`` without the
    condition), each indicator's and basis's aggregates counting only its own rows (its ``where`` and
    ``basis_rows``): exactly the rows each indicator's own query counts."""
    indicators = [REGISTRY[c] for c in codes]
    first_indicator = indicators[0]
    model = apps.get_model(first_indicator.model)
    region = first_indicator.region_path
    first, last = min(months), max(months)
    period = Period(first, month_end(last.year, last.month), "")
    shared = dataclasses.replace(first_indicator, where=None)
    split = first_indicator.basis_aware
    scan = EITHER_BASIS if split else BASES[0]
    paths = [(first_indicator.unit_path, False)]
    if first_indicator.partner_path:
        paths.append((first_indicator.partner_path, True))
    conditions = Q()
    for indicator in indicators:
        conditions |= indicator.where if indicator.where is not None else Q(pk__isnull=False)
    for path, partner in paths:
        qs = shared.queryset(period, scan).filter(conditions)
        if partner:  # an inner join: SQLite then reads the partner table first
            qs = qs.filter(**{f"{path}__isnull": False})
        qs = qs.annotate(_m=MonthOf(first_indicator.date_field))
        aggregates = {}
        for k, indicator in enumerate(indicators):
            for i, basis in enumerate(BASES):
                rows_of = basis_rows(model, basis) if split else None
                picks = [q for q in (rows_of, indicator.where) if q is not None]
                condition = None
                for q in picks:
                    condition = q if condition is None else condition & q
                aggregates[f"v{k}_{i}"] = _only(indicator.value(period, basis), condition)
                aggregates[f"n{k}_{i}"] = Count("pk", filter=condition)
        rows = qs.values("_m", path, region).annotate(**aggregates).order_by()
        sql, params = rows.query.sql_with_params()
        sql = _not_indexed(sql, model)
        cells = [
            (indicator, basis, f"v{k}_{i}", f"n{k}_{i}")
            for k, indicator in enumerate(indicators)
            for i, basis in enumerate(BASES)
        ]
        _write_grouped(sql, params, path, region, partner, cells, months, table)


GROUPED = "zs_rollup_grouped"


def _exact_sum(value: str) -> str:
    """``SUM(value)`` of stored values (four decimals at most), exact: on SQLite, which sums in
    binary floating point, as integers of ten-thousandths."""
    if connection.vendor == "sqlite":
        return f"SUM(CAST(ROUND(({value}) * 10000) AS INTEGER)) / 10000.0"
    return f"SUM({value})"


def _write_grouped(sql, params, path, region, partner, cells, months, table: str) -> None:
    """Write the unit rows of one grouped statement (``sql``: rows by ``_m``, unit ``path`` and
    ``region``) for each of ``cells`` (indicator, basis, its value and records columns), and unless
    they are partner rows their area totals (a region's rows sum into its area, a town's into its
    county: ``_area_rows``), with INSERT … SELECT from the statement's rows kept in a temporary
    table: nothing fetched into Python, and the totals summed from a few hundred thousand rows
    rather than from the whole table."""
    first, last = min(months), max(months)
    keep = f'g."{path}" IS NOT NULL AND g."_m" >= %s AND g."_m" <= %s'
    area = f'COALESCE(a.area_id, g."{region}")'
    units, unit_args, totals, total_args = [], [], [], []
    for indicator, basis, v, n in cells:
        value = _cell_value_sql(indicator, f"g.{v}", f"g.{n}")
        units.append(
            f'SELECT %s, %s, %s, g."_m", g."{path}", g."{region}", %s, %s, {value}, g.{n} '
            f"FROM {GROUPED} g WHERE g.{n} > 0 AND {keep}"
        )
        unit_args += ["unit", basis, indicator.code, partner, "", first, last]
        if not partner:  # a joint activity counts once for the region
            totals.append(
                f'SELECT %s, %s, %s, g."_m", CAST(NULL AS bigint), {area}, %s, %s, {_exact_sum(value)}, SUM(g.{n}) '
                f'FROM {GROUPED} g LEFT JOIN {AREA_MAP} a ON a.region_id = g."{region}" '
                f'WHERE g.{n} > 0 AND {keep} GROUP BY g."_m", {area}'
            )
            total_args += ["area", basis, indicator.code, False, "", first, last]
    insert = f"INSERT INTO {table} ({COLUMNS}) "
    with connection.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {GROUPED}")
        c.execute(f"CREATE TEMP TABLE {GROUPED} AS {sql}", params)
        c.execute(insert + " UNION ALL ".join(units), unit_args)
        if totals:
            c.execute(insert + " UNION ALL ".join(totals), total_args)
        c.execute(f"DROP TABLE {GROUPED}")


def _area_map(areas: Areas) -> None:
    """Each region's summing area (``Areas``) into a temporary table, for the area totals in SQL."""
    with connection.cursor() as c:
        c.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {AREA_MAP} (region_id bigint PRIMARY KEY, area_id bigint)"
        )
        c.execute(f"DELETE FROM {AREA_MAP}")
        pairs = list(areas.area.items())
        for i in range(0, len(pairs), 5000):
            c.executemany(f"INSERT INTO {AREA_MAP} (region_id, area_id) VALUES (%s, %s)", pairs[i : i + 5000])


def _build(months: list[datetime.date], table: str) -> int:
    """Write every row of the table over ``months`` into ``table`` (what ``_all_rows`` computes,
    which ``verify`` compares against): the unit rows and their area totals in SQL
    (``_write_grouped``), the breakdowns from Python. Returns the rows written."""
    areas = Areas()
    _area_map(areas)
    for codes in _scan_groups(STORED):
        if len(codes) == 1:
            _insert_unit_cells(codes[0], months, table)
        else:
            _insert_scan_group(codes, months, table)
    with connection.cursor() as c:
        c.execute(f"SELECT COUNT(*) FROM {table} WHERE level <> 'meta'")
        written = c.fetchone()[0]
    for name in BREAKDOWNS:
        by_basis = dim_cells_by_basis(name, months)
        for basis in BASES:
            rows = _dim_rows(basis, name, by_basis[basis], areas)
            _insert(rows, table)
            written += len([r for r in rows if r[8] or r[9]])
    return written


SHADOW = "zs_rollup_shadow"


@contextlib.contextmanager
def _fresh_table():
    """The empty table without indexes that the rebuild writes into (yielded: its name); at the end
    it is the table, with its indexes. An index built once from the finished rows costs a fraction
    of one kept up to date row by row over millions of inserts: at province scale (3.6 million
    rows) writing them into the indexed table on PostgreSQL cost 90 s even in index order, into a
    bare table 6 s and building the indexes after 17 s. All in the rebuild's transaction.

    SQLite: the table itself, its rows deleted and its indexes dropped, created again at the end;
    readers (WAL) keep reading the committed table meanwhile. PostgreSQL: dropping an index would
    lock readers out until the rebuild commits, so a new table like it is filled and indexed under
    other names, then takes the place and the names of the old one, which readers wait for only
    while the rebuild commits."""
    indexes = MonthlyFigure._meta.indexes
    quote = connection.ops.quote_name
    if connection.vendor != "postgresql":
        editor = connection.schema_editor()
        with connection.cursor() as c:
            for index in indexes:
                c.execute(f"DROP INDEX IF EXISTS {quote(index.name)}")
            c.execute(f"DELETE FROM {TABLE}")
        yield TABLE
        with connection.cursor() as c:
            for index in indexes:
                c.execute(str(index.create_sql(MonthlyFigure, editor)))
        return
    with connection.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {SHADOW}")
        c.execute(f"CREATE TABLE {SHADOW} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING IDENTITY)")
    yield SHADOW
    with connection.cursor() as c:
        for i, index in enumerate(indexes):
            columns = ", ".join(quote(MonthlyFigure._meta.get_field(f).column) for f in index.fields)
            c.execute(f"CREATE INDEX {SHADOW}_{i} ON {SHADOW} ({columns})")
        c.execute(f"ALTER TABLE {SHADOW} ADD CONSTRAINT {SHADOW}_pkey PRIMARY KEY (id)")
        c.execute(f"DROP TABLE {TABLE}")
        c.execute(f"ALTER TABLE {SHADOW} RENAME TO {TABLE}")
        for i, index in enumerate(indexes):
            c.execute(f"ALTER INDEX {SHADOW}_{i} RENAME TO {quote(index.name)}")
        c.execute(f"ALTER TABLE {TABLE} RENAME CONSTRAINT {SHADOW}_pkey TO {TABLE}_pkey")
        c.execute(f"ALTER SEQUENCE {SHADOW}_id_seq RENAME TO {TABLE}_id_seq")
        c.execute(f"ANALYZE {TABLE}")  # a new table has no statistics for the planner yet


@transaction.atomic
def rebuild(made=None) -> int:
    """Recompute the whole table from the records; returns the rows written. Closed months keep
    what they were closed at: what the rebuild changes there (a release counting by a corrected
    rule) is posted to the current month like any other late change.

    Set-based (``_build``): one grouped statement per unit path for each indicator, or for each group
    of indicators of one table told apart by a condition only (``_scan_groups``); its rows written
    as unit rows and summed into area rows by INSERT … SELECT, never fetched into Python. ``verify``
    computes the same cells the other way (``_all_rows``: in Python, indicator by indicator)."""
    RollupMark.objects.all().delete()
    with _fresh_table() as table:
        months = data_months()
        written = _build(months, table) if months else 0
    _write_signature()
    _write_watermarks()
    _write_compacted()  # one row per key: nothing to merge
    closed = closed_months()
    if closed:
        post_adjustments(months=closed, last=closed[-1], made=made)
    return written


MODEL_CODES = {
    kind: [c for c in STORED if REGISTRY[c].model == model]
    for kind, model in (
        ("project", "projects.Project"),
        ("funds", "projects.FundsRecord"),
        ("lead", "leads.Lead"),
        ("activity", "activities.Activity"),
    )
}

# The changed cells of one settle: (kind, unit, month, last day of the month), a temporary table of
# the connection, so that the records of those cells are found from the cells (index probes by
# unit) in one statement per indicator, rather than by scanning every record of the months.
CELLS = "zs_rollup_cells"
# (model, unit path) → (tables joined after the cells, their join conditions, the unit column): the
# records whose unit path is the cell's unit. The same paths as the indicators' (indicators.py).
DRIVERS = {
    ("projects.Project", "introducing_unit"): (
        "projects_project r",
        "",
        "r.introducing_unit_id",
    ),
    ("projects.FundsRecord", "project__introducing_unit"): (
        "projects_project p CROSS JOIN projects_fundsrecord r",
        "r.project_id = p.id AND ",
        "p.introducing_unit_id",
    ),
    ("leads.Lead", "unit"): ("leads_lead r", "", "r.unit_id"),
    ("activities.Activity", "unit"): ("activities_activity r", "", "r.unit_id"),
    ("activities.Activity", "partner_units"): (
        "activities_activity_partner_units x CROSS JOIN activities_activity r",
        "r.id = x.activity_id AND ",
        "x.unit_id",
    ),
}


# The same joins with the records' table first, for ``_cell_join`` reading the records by date.
DATED = {
    ("projects.Project", "introducing_unit"): "projects_project r",
    ("projects.FundsRecord", "project__introducing_unit"): (
        "projects_fundsrecord r CROSS JOIN projects_project p"
    ),
    ("leads.Lead", "unit"): "leads_lead r",
    ("activities.Activity", "unit"): "activities_activity r",
    ("activities.Activity", "partner_units"): (
        "activities_activity r CROSS JOIN activities_activity_partner_units x"
    ),
}
# Above this many cells the records are read by date and matched to the cells, rather than the
# records of each cell's unit looked up and filtered by date: a unit's records are found through
# its index but not its month's, so a cell costs all its unit's records (65 projects, 650
# activities a unit at province scale). Deleting a 10 000-project import touches some 30 000 cells:
# 95 s cell by cell.
MANY_CELLS = 300


def _cell_join(
    model,
    date_field: str,
    overlaps: bool,
    tables: tuple[str, str],
    joins: str,
    unit: str,
    where,
    params,
    spans: dict | None = None,
):
    """``(sql, params)``: ``SELECT r.id`` of ``model``'s records (``r``) whose ``unit`` falls in a
    cell of the cells table matching ``where`` (on ``c``) and whose ``date_field`` falls in the
    cell's month (a trip overlapping it, for ``overlaps``). ``tables``: the tables to join after
    the cells (``DRIVERS``), and the same with the records first (``DATED``). SQLite follows a
    ``CROSS JOIN``'s order: with few cells the cells go first, with many the records of the cells'
    whole span of dates, read through the date's index. ``spans``: the longest trip of each model,
    kept by the caller across its statements (a scan of every trip: 1.5 s over 2 million)."""
    if overlaps:
        started = model._meta.get_field("started_on").column
        ended = model._meta.get_field("ended_on").column
        when = f"r.{started} <= c.last AND (r.{ended} >= c.month OR (r.{ended} IS NULL AND r.{started} >= c.month))"
    else:
        # The record's month equal to the cell's (not its date between the month's bounds): a key
        # both databases join on, each record matched with its one cell.
        started = model._meta.get_field(date_field).column
        when = f"{_month_sql(f'r.{started}')} = c.month"
    link = f"{joins}{unit} = c.unit_id AND {when}"
    after, dated = tables
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MIN(month), MAX(last) FROM {CELLS} c WHERE {where}", params)
        count, first, last = cursor.fetchone()
    if count <= MANY_CELLS:
        return f"SELECT r.id FROM {CELLS} c CROSS JOIN {after} WHERE {where} AND {link}", params
    first, last = _as_date(first), _as_date(last)
    if overlaps:
        spans = {} if spans is None else spans
        if model not in spans:
            spans[model] = _longest_span(model)
        first -= spans[model]  # a trip that began before the first month and reaches into it
    if connection.vendor == "sqlite" and _most_of(model, started, first, last):
        # Most of the table: read in order rather than row by row through the date's index (a
        # deleted import of six years' projects: 0.4 s a statement through the index, 0.13 s in order).
        dated = dated.replace(f"{model._meta.db_table} r", f"{model._meta.db_table} r NOT INDEXED", 1)
    return (
        f"SELECT r.id FROM {dated} CROSS JOIN {CELLS} c WHERE r.{started} >= %s AND r.{started} <= %s "
        f"AND {where} AND {link}",
        [first, last, *params],
    )


@contextlib.contextmanager
def _hash_joins(cells: int):
    """PostgreSQL, for many cells: no nested loops while the cells' records are counted. Its planner
    takes a unit to have a record or two in a month (it has 65 projects over six years) and looks
    the cells' records up unit by unit (a deleted 10 000-project import: 1.3 s a statement); a hash
    join of the cells with the records read once costs a fraction. Restored after (``SET LOCAL``
    lasts to the end of the transaction otherwise)."""
    if connection.vendor != "postgresql" or cells <= MANY_CELLS:
        yield
        return
    with connection.cursor() as c:
        c.execute("SHOW enable_nestloop")
        (before,) = c.fetchone()
        c.execute("SET LOCAL enable_nestloop = off")
    try:
        yield
    finally:
        with connection.cursor() as c:
            c.execute(f"SET LOCAL enable_nestloop = {'on' if before == 'on' else 'off'}")


def _month_sql(column: str) -> str:
    """The first day of ``column``'s month (a date column), in the database's own SQL."""
    if connection.vendor == "sqlite":
        return f"date({column}, 'start of month')"
    return f"CAST(DATE_TRUNC('month', {column}) AS date)"


def _most_of(model, column: str, first: datetime.date, last: datetime.date) -> bool:
    """Whether ``first``–``last`` spans more than a quarter of the dates ``column`` holds."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN({column}), MAX({column}) FROM {model._meta.db_table}")
        low, high = cursor.fetchone()
    if low is None:
        return False
    low, high = _as_date(low), _as_date(high)
    return (min(last, high) - max(first, low)).days * 4 > (high - low).days


def _cells_table(c) -> None:
    c.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {CELLS} "
        "(kind varchar(12) NOT NULL, unit_id bigint NOT NULL, month date NOT NULL, last date NOT NULL)"
    )
    c.execute(f"CREATE INDEX IF NOT EXISTS {CELLS}_key ON {CELLS} (kind, unit_id, month)")


def _put_cells(kind: str, cells: Iterable[tuple[int, datetime.date]]) -> None:
    rows = [(kind, u, m, month_end(m.year, m.month)) for u, m in cells]
    with connection.cursor() as c:
        _cells_table(c)
        _load(c, CELLS, "kind, unit_id, month, last", rows)
        if connection.vendor == "postgresql" and len(rows) > MANY_CELLS:
            # A temporary table has no statistics: the planner would take it for a few hundred rows
            # and look each cell's records up (a deleted 10 000-project import: 30 000 cells, 4 s a
            # statement); counted, it reads the records once and matches them to the cells.
            c.execute(f"ANALYZE {CELLS}")


def _records_of_cells(indicator, path: str, kind: str, month: datetime.date | None = None, spans=None):
    """The primary keys of ``indicator``'s records whose ``path`` unit and date fall in a cell of
    ``kind`` (only cells of ``month`` when given; a trip overlapping it for ``overlaps``): SQL.
    ``spans``: as ``_cell_join``'s."""
    from django.db.models.expressions import RawSQL

    model = apps.get_model(indicator.model)
    tables, joins, unit = DRIVERS[(indicator.model, path)]
    params: list = [kind]
    where = "c.kind = %s"
    if month is not None:
        where += " AND c.month = %s"
        params.append(month)
    key = (indicator.model, path)
    sql, params = _cell_join(
        model,
        indicator.date_field,
        indicator.overlaps,
        (tables, DATED[key]),
        joins,
        unit,
        where,
        params,
        spans,
    )
    return RawSQL(sql, params)


def cells_values(code: str, basis: str, kind: str, cells: set[tuple[int, datetime.date]]) -> list[tuple]:
    """``(month, unit, region, partner, value, records)`` of ``code`` for the ``cells`` (unit, month)
    of ``kind`` put in the cells table: one grouped statement per unit path (per month for an
    indicator split at the months' bounds), through the engine's own definition."""
    indicator = REGISTRY[code]
    paths = [(indicator.unit_path, False)]
    if indicator.partner_path:
        paths.append((indicator.partner_path, True))
    region = indicator.region_path
    months = sorted({m for _u, m in cells})
    if indicator.overlaps:
        windows = [(Period(m, month_end(m.year, m.month), ""), m) for m in months]
    else:
        windows = [(Period(months[0], month_end(months[-1].year, months[-1].month), ""), None)]
    out = []
    spans: dict = {}  # the longest trip, looked up once for every month's statement
    for period, fixed in windows:
        for path, partner in paths:
            qs = indicator.queryset(period, basis).filter(
                pk__in=_records_of_cells(indicator, path, kind, fixed, spans)
            )
            group = [path, region]
            if fixed is None:
                qs = qs.annotate(_m=MonthOf(indicator.date_field))
                group = ["_m", *group]
            rows = qs.values(*group).annotate(v=indicator.value(period, basis), n=Count("pk")).order_by()
            for row in rows:
                month = fixed or _as_date(row["_m"])
                if row[path] is None or (row[path], month) not in cells:
                    continue  # another partner unit of a joint activity, not a changed cell
                out.append((month, row[path], row[region], partner, _value(indicator, row), row["n"]))
    return out


def _old_unit_rows(kind: str, codes: list[str]) -> list[tuple]:
    """The stored unit rows of the changed cells: ``(id, basis, indicator, month, region, partner,
    value, records)``."""
    with connection.cursor() as c:
        c.execute(
            f"SELECT t.id, t.basis, t.indicator, t.month, t.region_id, t.partner, t.value, t.records "
            f"FROM {CELLS} c CROSS JOIN {TABLE} t WHERE c.kind = %s AND t.unit_id = c.unit_id "
            f"AND t.month = c.month AND t.level = 'unit' AND t.indicator IN ({_in(codes)})",
            [kind, *codes],
        )
        return c.fetchall()


def _delete_ids(ids: list[int]) -> None:
    with connection.cursor() as c:
        for i in range(0, len(ids), 5000):
            chunk = ids[i : i + 5000]
            c.execute(f"DELETE FROM {TABLE} WHERE id IN ({_in(chunk)})", chunk)


def _load(c, table: str, columns: str, rows: list[tuple]) -> None:
    """Write ``rows`` into ``table``: one COPY stream on PostgreSQL (an ``executemany`` of 120 000
    rows costs some 8 seconds there, the COPY well under one), batched inserts elsewhere."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        with c.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(rows[0]))
    for i in range(0, len(rows), 5000):
        c.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows[i : i + 5000])


DELTA = "zs_rollup_delta"
MATCH = "zs_rollup_match"
COMPACTED = "compacted"  # the meta row holding the highest id merged by ``compact``


def _add_rows(rows: list[tuple]) -> None:
    """Add ``(level, basis, indicator, month, unit, region, partner, dim, value, records)`` to the
    table. Every read sums a key's rows (``SUM … GROUP BY``), so a figure is the same with one row
    per key or several, and each database gets the cheaper write:

    - PostgreSQL: appended as rows of their own, beside the stored row of the same key. An update
      there writes a new version of the row into every index: adding 74 000 rows (a 10 000-project
      import) in place cost 2.7 s, appending them 0.9 s. ``compact`` merges them later, off the
      writers' path.
    - SQLite: added to the stored rows in place (``_merge``); an update there rewrites only the
      index holding the changed columns, and appending cost twice as much (four B-trees to insert
      into at random places)."""
    if _appends():
        _insert(rows)
        return
    rows = [r for r in rows if r[8] or r[9]]
    if not rows:
        return
    with connection.cursor() as c:
        _delta_tables(c)
        _load(c, DELTA, f"seq, {KEY}, dv, dn", [(seq, *row) for seq, row in enumerate(rows)])
        _merge(c)
        c.execute(f"DELETE FROM {DELTA}")
        c.execute(f"DELETE FROM {MATCH}")


def _appends() -> bool:
    """Whether ``_add_rows`` appends (PostgreSQL) or adds in place (SQLite)."""
    return connection.vendor == "postgresql"


def _delta_tables(c) -> None:
    c.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {DELTA} (seq bigint NOT NULL, level varchar(4), "
        "basis varchar(12), indicator varchar(48), month date, unit_id bigint, region_id bigint, "
        "partner boolean, dim varchar(60), dv numeric(22, 4), dn integer)"
    )
    c.execute(f"CREATE TEMP TABLE IF NOT EXISTS {MATCH} (seq bigint PRIMARY KEY, tid bigint NOT NULL)")
    c.execute(f"DELETE FROM {DELTA}")
    c.execute(f"DELETE FROM {MATCH}")


def _merge(c, through: int | None = None) -> int:
    """Add the ``DELTA`` rows to the stored rows of their keys (those with ids up to ``through``, if
    given), in set-based statements: each key's stored row found first (a read, through the key's
    index: ``MATCH``), then those rows updated by id and the keys without one inserted. An
    ``UPDATE … FROM`` the deltas that looks each row up by the index it changes cost three times as
    much on SQLite. Returns the rows inserted."""
    same = (
        "t.level = d.level AND t.indicator = d.indicator AND t.basis = d.basis "
        "AND t.month = d.month AND t.region_id = d.region_id AND t.partner = d.partner "
        "AND t.dim = d.dim AND "
    )
    bound, params = ("", []) if through is None else (" AND t.id <= %s", [through])
    for unit in (
        "t.unit_id = d.unit_id AND d.unit_id IS NOT NULL",
        "t.unit_id IS NULL AND d.unit_id IS NULL",
    ):
        # MIN: one stored row takes the sum even if a key had several (they all count anyway).
        c.execute(
            f"INSERT INTO {MATCH} (seq, tid) SELECT d.seq, MIN(t.id) FROM {DELTA} d "
            f"CROSS JOIN {TABLE} t WHERE {same}{unit}{bound} GROUP BY d.seq",
            params,
        )
    c.execute(
        f"UPDATE {TABLE} AS t SET value = t.value + d.dv, records = t.records + d.dn "
        f"FROM {MATCH} m, {DELTA} d WHERE t.id = m.tid AND d.seq = m.seq"
    )
    keys = ", ".join(f"d.{k}" for k in KEY.split(", "))
    c.execute(
        f"INSERT INTO {TABLE} ({COLUMNS}) SELECT {keys}, d.dv, d.dn FROM {DELTA} d "
        f"WHERE NOT EXISTS (SELECT 1 FROM {MATCH} m WHERE m.seq = d.seq) AND (d.dv <> 0 OR d.dn <> 0)"
    )
    return c.rowcount


def _compacted_through() -> int:
    """The highest id ``compact`` has merged up to (0 when unknown: the whole table is merged)."""
    row = MonthlyFigure.objects.filter(level="meta", indicator=COMPACTED).values_list("value", flat=True)
    return int(row[0]) if row else 0


@transaction.atomic
def compact() -> int:
    """Merge the rows ``_add_rows`` appended (ids above the last compaction's) into one row per key,
    sums unchanged; returns the rows removed. The daily job and ``zhaoshang rollup compact`` run it.

    The appended rows summed by key into ``DELTA``, added to the stored rows (``_merge``), then
    deleted. On PostgreSQL the table is locked against other writers (not readers) meanwhile, so
    that no row commits below the new mark unmerged."""
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute(f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE")
        through = _compacted_through()
        c.execute(f"SELECT MAX(id) FROM {TABLE} WHERE id > %s AND level <> 'meta'", [through])
        top = c.fetchone()[0]
        if top is None:
            return 0
        _delta_tables(c)
        c.execute(
            f"INSERT INTO {DELTA} (seq, {KEY}, dv, dn) SELECT MIN(id), {KEY}, SUM(value), SUM(records) "
            f"FROM {TABLE} WHERE id > %s AND id <= %s AND level <> 'meta' GROUP BY {KEY}",
            [through, top],
        )
        removed = -_merge(c, through)
        c.execute(f"DELETE FROM {TABLE} WHERE id > %s AND id <= %s AND level <> 'meta'", [through, top])
        removed += c.rowcount
        # A key whose additions cancelled out (a record added, then withdrawn) holds nothing.
        c.execute(f"DELETE FROM {TABLE} WHERE id IN (SELECT tid FROM {MATCH}) AND value = 0 AND records = 0")
        removed += c.rowcount
        _write_compacted()
        c.execute(f"DELETE FROM {DELTA}")
        c.execute(f"DELETE FROM {MATCH}")
    return removed


def _write_compacted() -> None:
    """Mark every row now in the table as merged."""
    with connection.cursor() as c:
        c.execute(f"SELECT MAX(id) FROM {TABLE} WHERE level <> 'meta'")
        through = c.fetchone()[0] or 0
    MonthlyFigure.objects.filter(level="meta", indicator=COMPACTED).delete()
    MonthlyFigure.objects.create(
        level="meta", basis="", indicator=COMPACTED, month=datetime.date(1970, 1, 1), value=through, records=0
    )


def _area_delta_rows(deltas: dict[tuple, list]) -> list[tuple]:
    """``{(basis, indicator, month, area): [value, records]}`` as rows for ``_add_rows`` (dim '')."""
    return [
        ("area", b, c, m, None, a, False, "", _as_decimal(v), n) for (b, c, m, a), (v, n) in deltas.items()
    ]


def _apply_area_deltas(deltas: dict[tuple, list]) -> None:
    """Add ``{(basis, indicator, month, area): [value, records]}`` to the area rows (dim '')."""
    _add_rows(_area_delta_rows(deltas))


def _refresh_dims(names: list[str], touched: set[tuple[datetime.date, int]], areas: "Areas") -> None:
    """Recompute the breakdowns of the ``touched`` (month, area) pairs from the records of their
    regions: a breakdown's dimension (industry, size band) is not kept per unit, so it is counted
    again for the areas and months a change reached."""
    by_area: dict[int, set] = defaultdict(set)
    for month, area in touched:
        by_area[area].add(month)
    members: dict[int, list[int]] = defaultdict(list)
    for region, area in areas.area.items():
        if area in by_area:
            members[area].append(region)
    region_cells = {(r, m) for area, months in by_area.items() for r in members[area] for m in months}
    _put_cells("dim", region_cells)
    codes = [f"@{n}" for n in names]
    with connection.cursor() as c:
        # The stored rows of the touched pairs go, whatever their dim.
        ids = []
        for area, months in by_area.items():
            ms = sorted(months)
            c.execute(
                f"SELECT id, month FROM {TABLE} WHERE level = 'area' AND region_id = %s "
                f"AND indicator IN ({_in(codes)}) AND month >= %s AND month <= %s",
                [area, *codes, ms[0], ms[-1]],
            )
            ids += [pk for pk, month in c.fetchall() if _as_date(month) in months]
    _delete_ids(ids)
    from django.db.models.expressions import RawSQL

    for name in names:
        code, group_by = BREAKDOWNS[name]
        indicator = REGISTRY[code]
        model = apps.get_model(indicator.model)
        region_column = model._meta.get_field(indicator.region_path).column
        first = min(m for m, _a in touched)
        last = max(m for m, _a in touched)
        period = Period(first, month_end(last.year, last.month), "")
        table = f"{model._meta.db_table} r"
        sql, params = _cell_join(
            model,
            indicator.date_field,
            False,
            (table, table),
            "",
            f"r.{region_column}",
            "c.kind = %s",
            ["dim"],
        )
        for basis in BASES:
            qs = indicator.queryset(period, basis).filter(pk__in=RawSQL(sql, params))
            qs = qs.annotate(
                _m=MonthOf(indicator.date_field), _d=size_band() if group_by == "band" else F(group_by)
            )
            rows = qs.values("_m", indicator.region_path, "_d").annotate(
                v=indicator.value(period, basis), n=Count("pk")
            )
            cells = []
            with _hash_joins(len(region_cells)):
                rows = list(rows.order_by())
            for row in rows:
                dim = "" if row["_d"] is None else str(row["_d"])
                cells.append(
                    (_as_date(row["_m"]), row[indicator.region_path], dim, _value(indicator, row), row["n"])
                )
            _insert(_dim_rows(basis, name, cells, areas))


def refresh_cells(kind: str, cells: set[tuple[int, datetime.date]], areas: "Areas") -> set[int]:
    """Recompute ``kind``'s indicators for the changed ``cells`` (unit, month) from the records, in
    the caller's transaction: the unit rows of those cells, the area totals by the difference, and
    the touched areas' breakdowns. Returns the areas touched and the (month, area) breakdowns
    recomputed."""
    codes = MODEL_CODES[kind]
    cells = {(u, m) for u, m in cells if u is not None}
    pairs: set[tuple[datetime.date, int]] = set()
    if not codes or not cells:
        return set(), pairs
    _put_cells(kind, cells)
    deltas: dict[tuple, list] = defaultdict(lambda: [ZERO, 0])
    touched: set[tuple[str, datetime.date, int]] = set()
    old = _old_unit_rows(kind, codes)
    for _pk, basis, code, month, region, partner, value, records in old:
        month = _as_date(month)
        touched.add((code, month, areas.of(region)))
        if not partner:
            d = deltas[(basis, code, month, areas.of(region))]
            d[0] -= _as_decimal(value)
            d[1] -= records
    _delete_ids([row[0] for row in old])
    with _hash_joins(len(cells)):
        fresh = {(code, basis): cells_values(code, basis, kind, cells) for code in codes for basis in BASES}
    for code in codes:
        for basis in BASES:
            new = fresh[(code, basis)]
            _insert([("unit", basis, code, m, u, r, p, "", v, n) for m, u, r, p, v, n in new])
            for month, _unit, region, partner, value, records in new:
                touched.add((code, month, areas.of(region)))
                if not partner:
                    d = deltas[(basis, code, month, areas.of(region))]
                    d[0] += value
                    d[1] += records
    _apply_area_deltas(deltas)
    names = [name for name, (code, _g) in BREAKDOWNS.items() if stored(code) in codes]
    if names:
        pairs = {
            (m, a)
            for code, m, a in touched
            if a is not None and code in {stored(BREAKDOWNS[n][0]) for n in names}
        }
        if pairs:
            _refresh_dims(names, pairs, areas)
    with connection.cursor() as c:
        c.execute(f"DELETE FROM {CELLS}")
    return {a for _c, _m, a in touched if a is not None}, pairs


def refresh(*, codes: Iterable[str], unit_ids: Iterable[int], months: Iterable[datetime.date]) -> set[int]:
    """Recompute the cells of ``unit_ids`` × ``months`` for ``codes`` (every indicator of their
    records' kinds), their area totals and breakdowns; returns the areas."""
    codes = {stored(c) for c in codes}
    cells = {(u, m.replace(day=1)) for u in unit_ids if u is not None for m in months}
    areas = Areas()
    touched: set[int] = set()
    for kind, kind_codes in MODEL_CODES.items():
        if codes & set(kind_codes):
            touched |= refresh_cells(kind, cells, areas)[0]
    return touched


# --------------------------------------------------------------------------------------------------
# New records: added by difference
# --------------------------------------------------------------------------------------------------

# The record tables whose new rows are added by difference, by mark kind.
NEW_TABLES = {"project": "projects_project", "lead": "leads_lead", "activity": "activities_activity"}
NEW = "zs_rollup_new"


def _watermarks() -> dict[str, int]:
    """The highest id of each table in ``NEW_TABLES`` when the table was last brought up to date: a
    record with a higher id was not counted yet, whatever happened to it since (its cells gain its
    current contribution, by difference); a record at or below it may have been (its cells are
    recomputed). Missing (a table built before watermarks existed): everything is recomputed."""
    rows = MonthlyFigure.objects.filter(level="meta", indicator__startswith="watermark:").values_list(
        "indicator", "value"
    )
    return {code.split(":", 1)[1]: int(value) for code, value in rows}


def _write_watermarks() -> None:
    """Record each table's highest id now: read after the cells were computed, so that every record
    they counted is at or below it (a record committed in between has its mark, and is recomputed)."""
    MonthlyFigure.objects.filter(level="meta", indicator__startswith="watermark:").delete()
    with connection.cursor() as c:
        for kind, table in NEW_TABLES.items():
            c.execute(f"SELECT MAX(id) FROM {table}")
            top = c.fetchone()[0] or 0
            MonthlyFigure.objects.create(
                level="meta",
                basis="",
                indicator=f"watermark:{kind}",
                month=datetime.date(1970, 1, 1),
                value=Decimal(top),
                records=0,
            )


def _put_new(kind: str, ids: set[int]) -> None:
    """The new records of ``kind`` into the temporary table (with their months, for activities)."""
    with connection.cursor() as c:
        c.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {NEW} (kind varchar(12) NOT NULL, id bigint NOT NULL, "
            "first date, last date)"
        )
        c.execute(f"CREATE INDEX IF NOT EXISTS {NEW}_key ON {NEW} (kind, first, last)")
        _load(c, NEW, "kind, id", [(kind, pk) for pk in sorted(ids)])
        if kind == "activity":
            c.execute(
                f"UPDATE {NEW} SET first = (SELECT started_on FROM activities_activity a WHERE a.id = {NEW}.id), "
                f"last = (SELECT COALESCE(ended_on, started_on) FROM activities_activity a "
                f"WHERE a.id = {NEW}.id) WHERE kind = 'activity'"
            )


def _new_records(kind: str, month: datetime.date | None = None):
    from django.db.models.expressions import RawSQL

    if month is None:
        return RawSQL(f"SELECT id FROM {NEW} WHERE kind = %s", [kind])
    return RawSQL(
        f"SELECT id FROM {NEW} WHERE kind = %s AND first <= %s AND last >= %s",
        [kind, month_end(month.year, month.month), month],
    )


def _new_months(kind: str) -> list[datetime.date]:
    with connection.cursor() as c:
        c.execute(f"SELECT MIN(first), MAX(last) FROM {NEW} WHERE kind = %s", [kind])
        first, last = c.fetchone()
    if not first:
        return []
    return _months(_as_date(first), _as_date(last))


def new_values_by_basis(code: str, kind: str) -> dict[str, list[tuple]]:
    """``(month, unit, region, partner, value, records)`` of each basis: what the new records of
    ``kind`` add to ``code``'s cells, through the engine's own definition, in one grouped statement per
    unit path (per month for an indicator split at the months' bounds) over the rows counting on
    either basis, as ``unit_cells_by_basis``."""
    indicator = REGISTRY[code]
    paths = [(indicator.unit_path, False)]
    if indicator.partner_path:
        paths.append((indicator.partner_path, True))
    region = indicator.region_path
    if indicator.overlaps:
        windows = [(Period(m, month_end(m.year, m.month), ""), m) for m in _new_months(kind)]
    else:
        windows = [(Period(datetime.date(1, 1, 1), datetime.date(9999, 12, 31), ""), None)]
    scan = EITHER_BASIS if indicator.basis_aware else BASES[0]
    out: dict[str, list[tuple]] = {basis: [] for basis in BASES}
    for period, fixed in windows:
        for path, partner in paths:
            qs = indicator.queryset(period, scan).filter(pk__in=_new_records(kind, fixed))
            group = [path, region]
            if fixed is None:
                qs = qs.annotate(_m=MonthOf(indicator.date_field))
                group = ["_m", *group]
            aggregates = _per_basis(indicator, period, BASES, indicator.basis_aware)
            for row in qs.values(*group).annotate(**aggregates).order_by():
                if row[path] is None:
                    continue
                month = fixed or _as_date(row["_m"])
                for basis, value, n in _basis_values(indicator, row, BASES):
                    out[basis].append((month, row[path], row[region], partner, value, n))
    return out


def new_dims(name: str, basis: str, kind: str) -> list[tuple]:
    """``(month, region, dim, value, records)``: what the new records add to breakdown ``name``."""
    code, group_by = BREAKDOWNS[name]
    indicator = REGISTRY[code]
    period = Period(datetime.date(1, 1, 1), datetime.date(9999, 12, 31), "")
    qs = indicator.queryset(period, basis).filter(pk__in=_new_records(kind))
    qs = qs.annotate(_m=MonthOf(indicator.date_field), _d=size_band() if group_by == "band" else F(group_by))
    rows = qs.values("_m", indicator.region_path, "_d").annotate(
        v=indicator.value(period, basis), n=Count("pk")
    )
    out = []
    for row in rows.order_by():
        dim = "" if row["_d"] is None else str(row["_d"])
        out.append((_as_date(row["_m"]), row[indicator.region_path], dim, _value(indicator, row), row["n"]))
    return out


def _unit_delta_rows(deltas: dict[tuple, list]) -> list[tuple]:
    """``{(basis, indicator, month, unit, region, partner): [value, records]}`` as unit rows."""
    return [
        ("unit", b, c, m, u, r, p, "", _as_decimal(v), n) for (b, c, m, u, r, p), (v, n) in deltas.items()
    ]


def _dim_delta_rows(deltas: dict[tuple, list]) -> list[tuple]:
    """``{(basis, '@name', month, area, dim): [value, records]}`` as area breakdown rows."""
    return [
        ("area", b, c, m, None, a, False, dim, _as_decimal(v), n)
        for (b, c, m, a, dim), (v, n) in deltas.items()
    ]


def add_new(
    kind: str, ids: set[int], areas: "Areas", *, recomputed: set, dims_recomputed: set
) -> tuple[set[tuple], set[int]]:
    """Add what the new records ``ids`` of ``kind`` contribute to their cells, by difference, except
    to cells (``recomputed``: unit, month) and breakdowns (``dims_recomputed``: month, area) counted
    afresh from the records this settle, which include them already. Returns the cells (unit,
    month) and the areas changed."""
    codes = MODEL_CODES[kind]
    if not ids or not codes:
        return set(), set()
    _put_new(kind, ids)
    with connection.cursor() as c:
        _cells_table(c)
    units: dict[tuple, list] = defaultdict(lambda: [ZERO, 0])
    totals: dict[tuple, list] = defaultdict(lambda: [ZERO, 0])
    changed, touched = set(), set()
    for code in codes:
        by_basis = new_values_by_basis(code, kind)
        for basis in BASES:
            for month, unit, region, partner, value, records in by_basis[basis]:
                if (unit, month) in recomputed:
                    continue
                changed.add((unit, month))
                touched.add(areas.of(region))
                d = units[(basis, code, month, unit, region, partner)]
                d[0] += value
                d[1] += records
                if not partner:
                    d = totals[(basis, code, month, areas.of(region))]
                    d[0] += value
                    d[1] += records
    dims: dict[tuple, list] = defaultdict(lambda: [ZERO, 0])
    for name, (code, _g) in BREAKDOWNS.items():
        if stored(code) not in codes:
            continue
        for basis in BASES:
            for month, region, dim, value, records in new_dims(name, basis, kind):
                area = areas.of(region)
                if (month, area) in dims_recomputed:
                    continue
                d = dims[(basis, f"@{name}", month, area, dim)]
                d[0] += value
                d[1] += records
    # The unit, area and breakdown rows in one pass of ``_add_rows`` (one stream of rows).
    _add_rows(_unit_delta_rows(units) + _area_delta_rows(totals) + _dim_delta_rows(dims))
    with connection.cursor() as c:
        c.execute(f"DELETE FROM {NEW}")
        c.execute(f"DELETE FROM {CELLS}")
    return changed, touched


def _state() -> tuple[int, bool, datetime.date | None]:
    """(marks pending up to READ_SETTLE + 1, a rebuild pending, latest closed month) in one query:
    every read asks."""
    with connection.cursor() as c:
        c.execute(
            f"SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM {MARK_TABLE} LIMIT {READ_SETTLE + 1}) m), "
            f"(SELECT 1 FROM {MARK_TABLE} WHERE kind = 'all' LIMIT 1), "
            f"(SELECT MAX(month) FROM {ClosedMonth._meta.db_table})"
        )
        pending, everything, last = c.fetchone()
    return int(pending or 0), bool(everything), (_as_date(last) if last else None)


# A read settles at most this many marks (a form's save, a raw-SQL fix: milliseconds); a larger
# backlog is the writer's to settle (``upkeep``), and until then reads count from the records.
READ_SETTLE = 200


def _ready() -> tuple[bool, datetime.date | None]:
    """(whether a read may use the table now, latest closed month), in one query when no marks are
    pending. A few marks (a form's save, a raw-SQL fix) are settled at once, in milliseconds; a read
    never settles a big backlog while holding the write lock: it counts from the records instead
    (``read`` returns None), until a writer's ``upkeep`` or ``zhaoshang rollup settle`` applies it."""
    pending, everything, last = _state()
    if not pending:
        return True, last
    if everything or pending > READ_SETTLE:
        return False, last
    return True, settle()


def upkeep() -> datetime.date | None:
    """The writer's part: settle every pending mark inside the writer's own transaction, before it
    commits, so that no read pays for the write. Import and the services call it last thing."""
    return settle()


def _cells_of_marks(marks, water: dict[str, int]) -> tuple[dict[str, set], dict[str, set]]:
    """The cells to recompute ``{kind: {(unit, month)}}`` of the marks, and the new records
    ``{kind: {id}}`` (above the watermark: added by difference)."""
    cells: dict[str, set] = defaultdict(set)
    new: dict[str, set] = defaultdict(set)
    projects, activities = set(), set()
    everything = None
    for _pk, kind, unit_id, ref_id, d1, d2, d3, _at in marks:
        if kind in water and ref_id is not None and ref_id > water[kind]:
            new[kind].add(ref_id)
            continue
        if kind == "unit":
            everything = everything or data_months()
            for k in MODEL_CODES:
                cells[k].update((unit_id, m) for m in everything)
            continue
        if kind == "activity" and d1:
            months = _months(d1, max(d1, d2 or d1))
            activities.add((ref_id, tuple(months)))
        else:
            months = [d.replace(day=1) for d in (d1, d2, d3) if d]
        cells[kind].update((unit_id, m) for m in months)
        if kind == "project":
            projects.add(ref_id)
    if projects:  # a project's unit, region, hold or deletion moves its funds records too
        from zhaoshang.projects.models import FundsRecord, Project

        units = dict(
            Project._default_manager.filter(pk__in=projects).values_list("pk", "introducing_unit_id")
        )
        old_units = defaultdict(set)
        for _pk, kind, unit_id, ref_id, *_rest in marks:
            if kind == "project" and ref_id in projects:
                old_units[ref_id].add(unit_id)
        for project_id, month in FundsRecord._default_manager.filter(project_id__in=projects).values_list(
            "project_id", "month"
        ):
            for unit in old_units[project_id] | {units.get(project_id)}:
                cells["funds"].add((unit, month.replace(day=1)))
    if activities:  # a joint activity's partner units count it too
        from zhaoshang.activities.models import Activity

        months_of = dict(activities)
        through = Activity.partner_units.through
        for activity_id, unit_id in through.objects.filter(activity_id__in=list(months_of)).values_list(
            "activity_id", "unit_id"
        ):
            cells["activity"].update((unit_id, m) for m in months_of[activity_id])
    return cells, new


def settle() -> datetime.date | None:
    """Apply the pending marks: recompute the cells the changed records touch, then drop the marks;
    a change to a closed month's records goes into the ledger (``metrics.closing``). Returns the
    latest closed month, which readers need too."""
    pending, _everything, last = _state()
    if not enabled() or not pending:  # the usual case: no write transaction
        return last
    with transaction.atomic():
        marks = list(
            RollupMark.objects.select_for_update().values_list(
                "pk", "kind", "unit_id", "ref_id", "d1", "d2", "d3", "created_at"
            )
        )
        if not marks:  # another reader settled them while this one waited
            return last
        ids = [m[0] for m in marks]
        for i in range(0, len(ids), 5000):
            RollupMark.objects.filter(pk__in=ids[i : i + 5000]).delete()
        last = closed_through()  # again, under the marks' lock
        made = max((m[7] for m in marks if m[7] is not None), default=None)
        if any(m[1] == "all" for m in marks):
            rebuild(made=made)
            return last
        areas = Areas()
        closed_units: set[int] = set()
        closed_areas: set[int] = set()
        closed_months: set[datetime.date] = set()

        def closing(cells, touched):
            if last is not None:
                hit = {(u, m) for u, m in cells if m <= last}
                if hit:
                    closed_months.update(m for _u, m in hit)
                    closed_units.update(u for u, _m in hit if u is not None)
                    closed_areas.update(touched)

        recompute, new = _cells_of_marks(marks, _watermarks())
        for kind, cells in recompute.items():
            touched, pairs = refresh_cells(kind, cells, areas)
            closing(cells, touched)
            if kind in new:
                closing(*add_new(kind, new.pop(kind), areas, recomputed=cells, dims_recomputed=pairs))
        for kind, ids in new.items():
            closing(*add_new(kind, ids, areas, recomputed=set(), dims_recomputed=set()))
        _write_watermarks()
        if closed_months:
            post_adjustments(
                months=sorted(closed_months), last=last, made=made, unit_ids=closed_units, areas=closed_areas
            )
    return last


# --------------------------------------------------------------------------------------------------
# The ledger of closed months (``metrics.closing`` explains it)
# --------------------------------------------------------------------------------------------------


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


def ledger_differences(
    months: list[datetime.date], *, unit_ids=None, areas=None
) -> dict[tuple, tuple[Decimal, int]]:
    """``{key: (value, records)}`` by which the live summary of closed ``months`` differs from what
    the ledger accounts for (base + the adjustments that came from each month): empty when exact.
    ``unit_ids``/``areas`` narrow it to the rows a refresh touched (None: every row)."""
    if not months:
        return {}
    scopes = []
    if unit_ids is None and areas is None:
        scopes.append(("t.level <> 'meta'", []))
    else:
        if unit_ids:
            scopes.append((f"t.level = 'unit' AND t.unit_id IN ({_in(unit_ids)})", list(unit_ids)))
        if areas:
            scopes.append((f"t.level = 'area' AND t.region_id IN ({_in(areas)})", list(areas)))
    # A ledger closed before a count was read from its amount's records still holds the count's
    # rows: nothing reads them, and they are no difference to post.
    if COUNTED_AS:
        counted = list(COUNTED_AS)
        scopes = [
            (f"{where} AND t.indicator NOT IN ({_in(counted)})", [*params, *counted])
            for where, params in scopes
        ]
    out: dict[tuple, tuple[Decimal, int]] = {}
    for where, params in scopes:
        m = _in(months)
        sql = (
            f"SELECT {KEY}, SUM(v), SUM(n) FROM ("
            f"SELECT {KEY}, t.value AS v, t.records AS n FROM {TABLE} t WHERE {where} AND t.month IN ({m}) "
            f"UNION ALL SELECT {KEY}, -t.value, -t.records FROM {LEDGER} t "
            f"WHERE t.layer = 'base' AND {where} AND t.month IN ({m}) "
            f"UNION ALL SELECT level, basis, indicator, origin, unit_id, region_id, partner, dim, "
            f"-t.value, -t.records FROM {LEDGER} t WHERE t.layer = 'adjust' AND {where} "
            f"AND t.origin IN ({m})) d GROUP BY {KEY}"
        )
        with connection.cursor() as c:
            c.execute(sql, [*params, *months, *params, *months, *params, *months])
            for *key, v, n in c.fetchall():
                value, records = _as_decimal(v), int(n or 0)
                if value or records:
                    key[3] = _as_date(key[3])
                    key[6] = bool(key[6])
                    out[tuple(key)] = (value, records)
    return out


def post_adjustments(*, months, last, made=None, unit_ids=None, areas=None) -> int:
    """Post the closed ``months``' differences into the open month the change was made in (the
    marks' time; never a closed month): SPEC §4, a correction counts from the month it is
    recognised in. Returns the rows posted."""
    made = timezone.localdate(made) if made is not None else timezone.localdate()
    posted = max(made.replace(day=1), next_month(last))
    now = timezone.now()
    rows = [
        ClosedFigure(
            layer="adjust",
            level=key[0],
            basis=key[1],
            indicator=key[2],
            month=posted,
            origin=key[3],
            unit_id=key[4],
            region_id=key[5],
            partner=key[6],
            dim=key[7],
            value=value,
            records=records,
            created_at=now,
        )
        for key, (value, records) in ledger_differences(months, unit_ids=unit_ids, areas=areas).items()
    ]
    ClosedFigure.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def closed_months() -> list[datetime.date]:
    return sorted(ClosedMonth.objects.values_list("month", flat=True))


def expected_rows() -> dict[tuple, Decimal]:
    """Every row the table should hold, computed from the records: ``{key: value}``."""
    months = data_months()
    out: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for rows in _all_rows(months) if months else ():
        for row in rows:
            if row[8] or row[9]:
                out[row[:8]] += _as_decimal(row[8])
    return dict(out)


def verify() -> list[str]:
    """Differences between the table (settled first) and the records; empty when they agree."""
    settle()
    actual: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for row in (
        MonthlyFigure.objects.exclude(level="meta")
        .values_list(
            "level", "basis", "indicator", "month", "unit_id", "region_id", "partner", "dim", "value"
        )
        .iterator(chunk_size=10000)
    ):
        actual[(*row[:3], _as_date(row[3]), *row[4:8])] += _as_decimal(row[8])
    expected = expected_rows()
    problems = []
    for key in sorted(set(actual) | set(expected), key=str):
        a, e = _as_decimal(actual.get(key, ZERO)), _as_decimal(expected.get(key, ZERO))
        if a != e:
            problems.append(f"{key}: 汇总表{a} ≠ 记录{e}")
    for key, (value, _n) in sorted(ledger_differences(closed_months()).items(), key=str):
        problems.append(f"{key}: 关账月份汇总与记录相差{value}，未记入调整")
    return problems


# --------------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------------


def _scope_sql(*, region=None, unit_ids=None, fine: bool = False) -> tuple[str, str, list]:
    """(join, where, params) selecting the rows that sum to a scope's figure. ``fine``: the unit rows
    (one per record region) even where area rows would do, for grouping below the areas."""
    join = "JOIN organisation_region g ON g.id = t.region_id"
    if unit_ids is not None:
        marks = ", ".join(["%s"] * len(unit_ids))
        return join, f"t.level = 'unit' AND t.unit_id IN ({marks})", list(unit_ids)
    if fine or (region is not None and region.level == "town"):
        # Below the areas: a region's record rows, joint activities once (not the partners' rows).
        where, params = "t.level = 'unit' AND t.partner = %s", [False]
    else:
        where, params = "t.level = 'area'", []
    if region is not None:
        where += " AND g.path LIKE %s"
        params.append(f"{region.path}%")
    return join, where, params


def _sources(last: datetime.date | None, period: Period) -> list[tuple[str, str, list]]:
    """(table, extra condition, its parameters) to sum for ``period``: the live summary, and once a
    month is closed, the live summary of the open months plus the ledger (the closed months' base
    rows and every adjustment posted into the period)."""
    if last is None:
        return [(TABLE, "", [])]
    live = (TABLE, " AND t.month > %s", [last]) if period.start <= last else (TABLE, "", [])
    return [live, (LEDGER, "", [])]


def _summed(sql: str, sources, params: list) -> list[tuple]:
    """Run ``sql`` (with ``{table}`` and ``{extra}`` to fill, ``{extra}`` after every other
    placeholder) over each source; rows of every source summed by key (the last two columns are the
    sums of values and of records)."""
    if len(sources) == 1:  # one source (no month closed yet): its rows are the sums already
        table, extra, extra_params = sources[0]
        with connection.cursor() as c:
            c.execute(sql.format(table=table, extra=extra), [*params, *extra_params])
            return [(*key, _as_decimal(v), n or 0) for *key, v, n in c.fetchall()]
    totals: dict[tuple, list] = {}
    with connection.cursor() as c:
        for table, extra, extra_params in sources:
            c.execute(sql.format(table=table, extra=extra), [*params, *extra_params])
            for *key, v, n in c.fetchall():
                total = totals.setdefault(tuple(key), [ZERO, 0])
                total[0] += _as_decimal(v)
                total[1] += int(n or 0)
    return [(*k, v, n) for k, (v, n) in totals.items()]


def read(
    *, codes: list[str], period: Period, basis: str, region=None, unit_ids=None, by: str = ""
) -> dict[tuple, Decimal] | None:
    """Sums over ``period`` for a scope (a region's subtree, some units, or everything), keyed by
    ``(code,)`` plus, with ``by`` = "month", "unit" or "region_path", that too. The caller checks
    ``covers``; None when the table is behind the records (a big backlog of marks: count the records).
    Summed over several units, a joint activity counts once per unit (``by="unit"``);
    with ``by="unit"`` and no units, every unit's row."""
    if unit_ids is not None and not unit_ids:
        return {}  # no units: nothing (and no "IN ()", which PostgreSQL refuses)
    ready, last = _ready()
    if not ready:
        return None
    fine = by == "region_path" and region is not None and region.level in ("county", "town")
    wanted = None
    if by == "unit" and unit_ids is not None and len(unit_ids) > 200:
        # Thousands of units (an assessment group of a province): one range scan of the covering
        # index and the units picked here, rather than thousands of index probes.
        wanted, unit_ids = set(unit_ids), None
    if by == "unit" and unit_ids is None:
        join, where, params = "", "t.level = 'unit'", []
    else:
        join, where, params = _scope_sql(region=region, unit_ids=unit_ids, fine=fine)
    key = {"": "", "month": ", t.month", "unit": ", t.unit_id", "region_path": ", g.path"}[by]
    if by == "region_path" and not join:
        join = "JOIN organisation_region g ON g.id = t.region_id"
    if "g." not in where and "g." not in key:
        join = ""  # no region condition: no join
    # A count stored as its amount's records (``COUNTED_AS``) is read from the amount's rows.
    asked: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for code in codes:
        asked[stored(code)].append((code, code in COUNTED_AS))
    rows_of = sorted(asked)
    marks = _in(rows_of)
    sql = (
        f"SELECT t.indicator{key}, SUM(t.value), SUM(t.records) FROM {{table}} t {join} WHERE {where} "
        f"AND t.indicator IN ({marks}) AND t.basis = %s AND t.month >= %s AND t.month <= %s{{extra}} "
        f"GROUP BY t.indicator{key}"
    )
    sources = _sources(last, period)
    rows = _summed(sql, sources, [*params, *rows_of, basis, period.start, period.end])
    # From one source each sum is already ``_as_decimal``'s; sums over several are normalised again.
    exact = _as_decimal if len(sources) > 1 else (lambda v: v)
    out = {}
    for row_code, *k, v, n in rows:
        if by == "month":
            k = [_as_date(k[0])]
        elif wanted is not None and k[0] not in wanted:
            continue
        for code, counted in asked[row_code]:
            out[(code, *k)] = Decimal(n) if counted else exact(v)
    return out


def read_breakdown(*, name: str, period: Period, basis: str, region=None) -> dict[str, Decimal] | None:
    """An area breakdown over ``period``: ``{dim: value}`` (dims: industry ids as text, band labels);
    None when the table is behind the records (as ``read``)."""
    ready, last = _ready()
    if not ready:
        return None
    params: list = [f"@{name}", basis, period.start, period.end]
    where = ""
    if region is not None:
        where = "AND g.path LIKE %s"
        params.append(f"{region.path}%")
    sql = (
        "SELECT t.dim, SUM(t.value), SUM(t.records) FROM {table} t JOIN organisation_region g ON g.id = t.region_id "
        "WHERE t.level = 'area' AND t.indicator = %s AND t.basis = %s AND t.month >= %s "
        f"AND t.month <= %s {where}{{extra}} GROUP BY t.dim"
    )
    rows = _summed(sql, _sources(last, period), params)
    return {dim: v for dim, v, _n in rows if v}


# --------------------------------------------------------------------------------------------------
# The triggers (migration metrics.0001)
# --------------------------------------------------------------------------------------------------

# table → (kind, unit, ref, d1, d2, d3), SQL expressions over the row R.
TRACKED = {
    "projects_project": (
        "project",
        "R.introducing_unit_id",
        "R.id",
        "R.signed_on",
        "R.commenced_on",
        "R.in_production_on",
    ),
    "projects_fundsrecord": (
        "funds",
        "(SELECT introducing_unit_id FROM projects_project WHERE id = R.project_id)",
        "R.project_id",
        "R.month",
        "NULL",
        "NULL",
    ),
    "leads_lead": ("lead", "R.unit_id", "R.id", "R.reported_on", "NULL", "NULL"),
    "activities_activity": ("activity", "R.unit_id", "R.id", "R.started_on", "R.ended_on", "NULL"),
    "activities_activity_partner_units": (
        "activity",
        "R.unit_id",
        "R.activity_id",
        "(SELECT started_on FROM activities_activity WHERE id = R.activity_id)",
        "(SELECT ended_on FROM activities_activity WHERE id = R.activity_id)",
        "NULL",
    ),
}
MARK_TABLE = RollupMark._meta.db_table


def _mark_insert(spec, row: str) -> str:
    kind, *exprs = spec
    values = ", ".join(e.replace("R.", f"{row}.") for e in exprs)
    return f"INSERT INTO {MARK_TABLE} (kind, unit_id, ref_id, d1, d2, d3) VALUES ('{kind}', {values})"


def trigger_sql(vendor: str) -> list[str]:
    """The statements that create the triggers on ``vendor`` (sqlite or postgresql). A unit's kind
    is watched with its region: the 不予认定 size rule gives 区直/市直 departments their own bound
    (``metrics.options``), so a unit becoming a department changes what its projects count."""
    out = []
    unit_mark = f"INSERT INTO {MARK_TABLE} (kind, unit_id) VALUES ('unit', NEW.id)"
    all_mark = f"INSERT INTO {MARK_TABLE} (kind) VALUES ('all')"
    if vendor == "sqlite":
        for table, spec in TRACKED.items():
            out.append(
                f"CREATE TRIGGER zs_rollup_{table}_i AFTER INSERT ON {table} BEGIN {_mark_insert(spec, 'NEW')}; END"
            )
            out.append(
                f"CREATE TRIGGER zs_rollup_{table}_u AFTER UPDATE ON {table} BEGIN "
                f"{_mark_insert(spec, 'OLD')}; {_mark_insert(spec, 'NEW')}; END"
            )
            out.append(
                f"CREATE TRIGGER zs_rollup_{table}_d AFTER DELETE ON {table} BEGIN {_mark_insert(spec, 'OLD')}; END"
            )
        out.append(
            "CREATE TRIGGER zs_rollup_unit_region AFTER UPDATE OF region_id, kind ON organisation_unit "
            f"WHEN OLD.region_id IS NOT NEW.region_id OR OLD.kind IS NOT NEW.kind BEGIN {unit_mark}; END"
        )
        out.append(
            "CREATE TRIGGER zs_rollup_region_tree AFTER UPDATE ON organisation_region "
            f"WHEN OLD.path IS NOT NEW.path OR OLD.level IS NOT NEW.level BEGIN {all_mark}; END"
        )
        return out
    for table, spec in TRACKED.items():
        out.append(
            f"CREATE OR REPLACE FUNCTION zs_rollup_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP <> 'INSERT' THEN {_mark_insert(spec, 'OLD')}; END IF; "
            f"IF TG_OP <> 'DELETE' THEN {_mark_insert(spec, 'NEW')}; END IF; "
            "RETURN NULL; END $$"
        )
        out.append(
            f"CREATE TRIGGER zs_rollup_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION zs_rollup_{table}()"
        )
    out.append(
        "CREATE OR REPLACE FUNCTION zs_rollup_unit_region() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {unit_mark}; RETURN NULL; END $$"
    )
    out.append(
        "CREATE TRIGGER zs_rollup_unit_region AFTER UPDATE ON organisation_unit FOR EACH ROW "
        "WHEN (OLD.region_id IS DISTINCT FROM NEW.region_id OR OLD.kind IS DISTINCT FROM NEW.kind) "
        "EXECUTE FUNCTION zs_rollup_unit_region()"
    )
    out.append(
        "CREATE OR REPLACE FUNCTION zs_rollup_region_tree() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {all_mark}; RETURN NULL; END $$"
    )
    out.append(
        "CREATE TRIGGER zs_rollup_region_tree AFTER UPDATE ON organisation_region FOR EACH ROW "
        "WHEN (OLD.path IS DISTINCT FROM NEW.path OR OLD.level IS DISTINCT FROM NEW.level) "
        "EXECUTE FUNCTION zs_rollup_region_tree()"
    )
    return out


def drop_trigger_sql(vendor: str) -> list[str]:
    names = [f"zs_rollup_{t}" for t in TRACKED] + ["zs_rollup_unit_region", "zs_rollup_region_tree"]
    if vendor == "sqlite":
        out = [f"DROP TRIGGER IF EXISTS zs_rollup_{t}_{op}" for t in TRACKED for op in "iud"]
        return [
            *out,
            "DROP TRIGGER IF EXISTS zs_rollup_unit_region",
            "DROP TRIGGER IF EXISTS zs_rollup_region_tree",
        ]
    return [f"DROP FUNCTION IF EXISTS {n}() CASCADE" for n in names]


def drop_triggers_before_rebuild(apps, schema_editor) -> None:
    """A migration step (RunPython) before one that makes SQLite rebuild a tracked table (a new or
    removed constraint): SQLite refuses to while the summary's triggers name the table. ``migrate``
    recreates them at its end (metrics' post_migrate ``ensure_triggers``) and has the next read
    rebuild the summary."""
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in drop_trigger_sql("sqlite"):
            cursor.execute(statement)


def _present_triggers(cursor, vendor: str) -> set[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'zs_rollup_%'")
    else:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'zs_rollup_%' AND NOT tgisinternal")
    return {row[0] for row in cursor.fetchall()}


def expected_triggers(vendor: str) -> set[str]:
    extra = {"zs_rollup_unit_region", "zs_rollup_region_tree"}
    if vendor == "sqlite":
        return {f"zs_rollup_{t}_{op}" for t in TRACKED for op in "iud"} | extra
    return {f"zs_rollup_{t}" for t in TRACKED} | extra


def ensure_triggers(using_connection=None) -> bool:
    """Recreate the triggers when any is missing, and have the next read rebuild the table (changes
    made while a trigger was missing were not marked). SQLite drops a table's triggers when a
    migration rebuilds the table, so this runs after every ``migrate``. Returns whether it acted."""
    conn = using_connection or connection
    vendor = conn.vendor
    if vendor not in ("sqlite", "postgresql"):
        return False
    with conn.cursor() as cursor:
        if MARK_TABLE not in conn.introspection.table_names(cursor):
            return False  # metrics not migrated yet
        if _present_triggers(cursor, vendor) >= expected_triggers(vendor):
            # Built by a release that summed other indicators (or before the signature existed):
            # rebuild at the next read, unless a rebuild is pending already.
            current = MonthlyFigure.objects.using(conn.alias).filter(level="meta", dim=signature())
            pending = RollupMark.objects.using(conn.alias).filter(kind="all")
            if not current.exists() and not pending.exists():
                RollupMark.objects.using(conn.alias).create(kind="all")
                return True
            return False
        for statement in [*drop_trigger_sql(vendor), *trigger_sql(vendor)]:
            cursor.execute(statement)
        cursor.execute(f"INSERT INTO {MARK_TABLE} (kind) VALUES ('all')")
    return True


def ensure_watermarks() -> bool:
    """Write the new-record watermarks of a table built before they existed (``migrate`` runs this
    after settling, when the table equals the records); returns whether it acted."""
    if not enabled() or _watermarks().keys() >= NEW_TABLES.keys():
        return False
    with transaction.atomic():
        if RollupMark.objects.exists():
            return False  # not settled: the next settle rebuilds what it must, then writes them
        _write_watermarks()
    return True
