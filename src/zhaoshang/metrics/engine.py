"""Measuring indicators for a scope and a period, on a basis, with YoY, target and 序时进度.

Every figure in the product comes from here. The aggregates run in the database, one query per
indicator however many units are measured. Whole-month periods of the summed indicators read the
monthly summary (``metrics.rollup``), which holds exactly what these functions count from the
records; anything else (a campaign's days, a week, several units at once) counts the records.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, Case, Count, F, Q, Value, When
from django.db.models.functions import TruncMonth

from zhaoshang.metrics import rollup
from zhaoshang.metrics.indicators import REGISTRY, Basis, Indicator, effective
from zhaoshang.metrics.periods import Period, gap_points

ZERO = Decimal(0)


def _as_decimal(indicator: Indicator, value, count) -> Decimal:
    if indicator.inclusive_days:
        if value is None:
            return ZERO
        return Decimal(value.days + (count or 0))
    if value is None:
        return ZERO
    return Decimal(value)


def _aggregate(indicator: Indicator, qs, period: Period, basis: str) -> Decimal:
    result = qs.aggregate(v=indicator.value(period, basis), n=Count("pk"))
    return _as_decimal(indicator, result["v"], result["n"])


def measure(
    code: str, *, period: Period, basis: str = Basis.RECOGNISED, region=None, unit=None, units=None
) -> Decimal:
    """The value of indicator ``code`` in ``period`` for one unit, a set of units, a region's subtree,
    or everything. A joint activity counts once for the region (and once per unit taking part)."""
    indicator = effective(code, period)
    if unit is not None:
        units = [unit]
    if units is not None and indicator.unit_path is None:
        return ZERO
    if units is not None and indicator.split_credit:
        ids = [_pk(u) for u in units]
        return sum(split_by_unit(indicator, period=period, basis=basis, unit_ids=ids).values(), ZERO)
    readable, ids = _summary_scope(region=region, units=units)
    if readable and rollup.covers(code, period):
        found = rollup.read(codes=[code], period=period, basis=basis, region=region, unit_ids=ids)
        if found is not None:
            return found.get((code,), ZERO)
    qs = indicator.queryset(period, basis)
    qs = _scoped(indicator, qs, units=units)
    qs = _scoped(indicator, qs, region=region)
    return _aggregate(indicator, qs, period, basis)


def measure_by_unit(
    code: str, *, period: Period, basis: str = Basis.RECOGNISED, unit_ids: list[int] | None = None
) -> dict[int, Decimal]:
    """The value for each unit, in one query (two where partner units share in joint activities)."""
    indicator = effective(code, period)
    if indicator.unit_path is None:
        return {}
    if indicator.split_credit:
        return split_by_unit(indicator, period=period, basis=basis, unit_ids=unit_ids)
    if rollup.covers(code, period):
        found = rollup.read(codes=[code], period=period, basis=basis, unit_ids=unit_ids, by="unit")
        if found is not None:
            return {unit_id: value for (_code, unit_id), value in found.items() if unit_id is not None}
    out: dict[int, Decimal] = {}
    paths = [indicator.unit_path] + ([indicator.partner_path] if indicator.partner_path else [])
    for path in paths:
        qs = indicator.queryset(period, basis)
        if unit_ids is not None:
            qs = qs.filter(**{f"{path}__in": unit_ids})
        rows = qs.values(path).annotate(v=indicator.value(period, basis), n=Count("pk")).order_by()
        for row in rows:
            key = row[path]
            if key is None:
                continue
            out[key] = out.get(key, ZERO) + _as_decimal(indicator, row["v"], row["n"])
    return out


def measure_many_by_unit(
    codes: list[str], *, period: Period, basis: str = Basis.RECOGNISED, unit_ids: list[int] | None = None
) -> dict[str, dict[int, Decimal]]:
    """``measure_by_unit`` for several indicators; those the monthly summary covers in one query
    (a ranking reads the amount and the number of every unit together)."""
    covered = [
        c
        for c in codes
        if rollup.covers(c, period)
        and effective(c, period).unit_path is not None
        and not effective(c, period).split_credit
    ]
    out: dict[str, dict[int, Decimal]] = {}
    if covered:
        found = rollup.read(codes=covered, period=period, basis=basis, unit_ids=unit_ids, by="unit")
        if found is not None:
            out = {c: {} for c in covered}
            for (code, unit_id), value in found.items():
                if unit_id is not None:
                    out[code][unit_id] = value
    for code in codes:
        if code not in out:
            out[code] = measure_by_unit(code, period=period, basis=basis, unit_ids=unit_ids)
    return out


def split_by_unit(
    indicator: Indicator, *, period: Period, basis: str, unit_ids: list[int] | None = None
) -> dict[int, Decimal]:
    """按比例计入: each project's credit (1 project, or its counted investment) shared between its
    introducing unit and its landing unit by the ``landing_share`` of its signing year's options; the
    introducing unit keeps all of it where no share is set, no landing unit is recorded or the two
    are the same. Exact decimals, summed here (one query)."""
    from django.db.models import Q

    from zhaoshang.metrics import options

    shares = {y: r.landing_share for y, r in options.rules_by_year().items() if r.landing_share is not None}
    qs = indicator.queryset(period, basis).annotate(_credit=options.counted_investment())
    if unit_ids is not None:
        qs = qs.filter(Q(introducing_unit_id__in=unit_ids) | Q(landing_unit_id__in=unit_ids))
    wanted = None if unit_ids is None else set(unit_ids)
    out: dict[int, Decimal] = {}

    def credit(unit_id, amount):
        if wanted is None or unit_id in wanted:
            out[unit_id] = out.get(unit_id, ZERO) + amount

    rows = qs.values_list("introducing_unit_id", "landing_unit_id", indicator.date_field, "_credit")
    for introducer, landing, day, counted in rows:
        whole = Decimal(1) if indicator.split_credit == "count" else Decimal(counted)
        share = shares.get(day.year) if landing is not None and landing != introducer else None
        if share is None:
            credit(introducer, whole)
        else:
            credit(landing, whole * share)
            credit(introducer, whole - whole * share)
    return out


def yoy_growth(now: Decimal, then: Decimal) -> Decimal | None:
    """(now − then) ÷ then; None when there is no base (shown as "上年同期为0")."""
    if then == 0:
        return None
    return (now - then) / then


@dataclass(frozen=True)
class Figure:
    """One indicator for one scope and period: the value, the same period a year earlier, the
    target, completion, 序时进度 and the gap in percentage points."""

    indicator: Indicator
    period: Period
    value: Decimal
    previous: Decimal
    target: Decimal | None
    time_progress: Decimal

    @property
    def growth(self) -> Decimal | None:
        return yoy_growth(self.value, self.previous)

    @property
    def completion(self) -> Decimal | None:
        if not self.target:
            return None
        return self.value / self.target

    @property
    def gap_points(self) -> Decimal | None:
        """超序时进度X个百分点: completion − time progress, in percentage points (one decimal)."""
        return gap_points(self.completion, self.time_progress)


def figure(
    code: str,
    *,
    period: Period,
    basis: str = Basis.RECOGNISED,
    region=None,
    unit=None,
    target: Decimal | None = None,
    as_of: datetime.date | None = None,
) -> Figure:
    value = measure(code, period=period, basis=basis, region=region, unit=unit)
    previous = measure(code, period=period.previous_year(), basis=basis, region=region, unit=unit)
    return Figure(REGISTRY[code], period, value, previous, target, period.time_progress(as_of=as_of))


def commenced_by(
    code: str, *, period: Period, day: datetime.date, basis: str = Basis.RECOGNISED, region=None, units=None
) -> Decimal:
    """Of the projects indicator ``code`` counts in ``period``, those commenced (开工) on or before ``day``."""
    started = Case(
        When(Q(commenced_on__isnull=False, commenced_on__lte=day), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    found = measure_grouped(code, period=period, basis=basis, group_by=started, region=region, units=units)
    return found.get(True, ZERO)


@dataclass(frozen=True)
class Rate:
    """A share of records: ``part`` of ``whole`` (``value`` None when there is no whole)."""

    part: Decimal
    whole: Decimal
    period: Period

    @property
    def value(self) -> Decimal | None:
        return self.part / self.whole if self.whole else None


COMMENCEMENT_RATE_BASE = "signed_industrial_100m"


def commencement_rate(
    *, as_of: datetime.date, basis: str = Basis.RECOGNISED, region=None, units=None
) -> Rate:
    """开工率 (SPEC §3, seeds 003/004): of the 亿元以上 industrial projects signed in year Y (from
    1 January to the report date ``as_of``), the share commenced (开工) by the report date."""
    window = Period(datetime.date(as_of.year, 1, 1), as_of, f"{as_of.year}年")
    scope = {"basis": basis, "region": region, "units": units}
    whole = measure(COMMENCEMENT_RATE_BASE, period=window, **scope)
    part = commenced_by(COMMENCEMENT_RATE_BASE, period=window, day=as_of, **scope) if whole else ZERO
    return Rate(part, whole, window)


def _pk(unit) -> int:
    return unit if isinstance(unit, int) else unit.pk


def _summary_scope(*, region=None, units=None) -> tuple[bool, list[int] | None]:
    """Whether the monthly summary holds this scope's figure — everything, a region's subtree, or
    exactly one unit (several units would count a joint activity once per unit) — and the unit ids."""
    if units is None:
        return True, None
    return len(units) == 1 and region is None, [_pk(u) for u in units]


def _scoped(indicator: Indicator, qs, *, region=None, units=None):
    if units is not None:
        ids = [_pk(u) for u in units]
        condition = Q(**{f"{indicator.unit_path}__in": ids})
        if indicator.partner_path:
            condition |= Q(**{f"{indicator.partner_path}__in": ids})
            return qs.filter(pk__in=qs.filter(condition).values("pk"))
        return qs.filter(condition)
    if region is not None:
        return qs.filter(**{f"{indicator.region_path}__path__startswith": region.path})
    return qs


def measure_grouped(
    code: str, *, period: Period, group_by, basis: str = Basis.RECOGNISED, region=None, units=None
) -> dict:
    """The value per group (a field path such as ``"industry__name"`` or an expression such as
    ``TruncMonth("signed_on")``), in one query: the breakdowns and monthly trends of the dashboard."""
    indicator = effective(code, period)
    if group_by == f"{indicator.region_path}__path" and units is None and rollup.covers(code, period):
        found = rollup.read(codes=[code], period=period, basis=basis, region=region, by="region_path")
        if found is not None:
            return {path: value for (_code, path), value in found.items()}
    qs = _scoped(indicator, indicator.queryset(period, basis), region=region, units=units)
    rows = qs.annotate(_group=group_by if not isinstance(group_by, str) else F(group_by)).values("_group")
    rows = rows.annotate(v=indicator.value(period, basis), n=Count("pk")).order_by()
    return {row["_group"]: _as_decimal(indicator, row["v"], row["n"]) for row in rows}


def measure_many(
    codes: list[str], *, period: Period, basis: str = Basis.RECOGNISED, region=None, units=None
) -> dict[str, Decimal]:
    """``measure`` for several indicators of one scope; those the monthly summary covers in one query."""
    readable, ids = _summary_scope(region=region, units=units)
    covered = [c for c in codes if readable and rollup.covers(c, period) and REGISTRY[c].unit_path]
    out: dict[str, Decimal] = {}
    if covered:
        found = rollup.read(codes=covered, period=period, basis=basis, region=region, unit_ids=ids)
        if found is not None:
            out = {c: found.get((c,), ZERO) for c in covered}
    for code in codes:
        if code not in out:
            out[code] = measure(code, period=period, basis=basis, region=region, units=units)
    return out


def measure_by_month(
    codes: list[str], *, period: Period, basis: str = Basis.RECOGNISED, region=None, units=None
) -> dict[str, dict[datetime.date, Decimal]]:
    """``{code: {first day of month: value}}``: the monthly trend, by each record's own date."""
    out: dict[str, dict[datetime.date, Decimal]] = {c: {} for c in codes}
    readable, ids = _summary_scope(region=region, units=units)
    covered = [c for c in codes if readable and rollup.covers(c, period) and not REGISTRY[c].overlaps]
    if covered:
        found = rollup.read(
            codes=covered, period=period, basis=basis, region=region, unit_ids=ids, by="month"
        )
        if found is None:  # the summary is behind the records: count them
            covered = []
        for (code, month), value in (found or {}).items():
            out[code][month] = value
    for code in codes:
        if code in covered:
            continue
        values = measure_grouped(
            code,
            period=period,
            basis=basis,
            group_by=TruncMonth(effective(code, period).date_field),
            region=region,
            units=units,
        )
        out[code] = {rollup._as_date(k): v for k, v in values.items() if k is not None}
    return out


def measure_breakdown(
    name: str, *, period: Period, basis: str = Basis.RECOGNISED, region=None, units=None
) -> dict[str, Decimal]:
    """A breakdown of ``rollup.BREAKDOWNS`` (``industry``: by industry id; ``band``: by size band
    label), from the summary's area rows where it covers the scope, else from the records."""
    code, group_by = rollup.BREAKDOWNS[name]
    if units is None and rollup.covers(code, period) and (region is None or region.level != "town"):
        found = rollup.read_breakdown(name=name, period=period, basis=basis, region=region)
        if found is not None:
            return found
    values = measure_grouped(
        code,
        period=period,
        basis=basis,
        group_by=rollup.size_band() if group_by == "band" else group_by,
        region=region,
        units=units,
    )
    return {("" if k is None else str(k)): v for k, v in values.items()}
