"""Measuring indicators for a scope and a period, on a basis, with YoY, target and 序时进度.

Every figure in the product comes from here. The aggregates run in the database, one query per
indicator however many units are measured.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q

from zhaoshang.metrics.indicators import REGISTRY, Basis, Indicator
from zhaoshang.metrics.periods import Period, percent

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
    indicator = REGISTRY[code]
    qs = indicator.queryset(period, basis)
    if unit is not None:
        units = [unit]
    if units is not None and indicator.unit_path is None:
        return ZERO
    qs = _scoped(indicator, qs, units=units)
    qs = _scoped(indicator, qs, region=region)
    return _aggregate(indicator, qs, period, basis)


def measure_by_unit(
    code: str, *, period: Period, basis: str = Basis.RECOGNISED, unit_ids: list[int] | None = None
) -> dict[int, Decimal]:
    """The value for each unit, in one query (two where partner units share in joint activities)."""
    indicator = REGISTRY[code]
    if indicator.unit_path is None:
        return {}
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
        if self.completion is None:
            return None
        return percent(self.completion) - percent(self.time_progress)


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


def _scoped(indicator: Indicator, qs, *, region=None, units=None):
    if units is not None:
        ids = [u if isinstance(u, int) else u.pk for u in units]
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
    indicator = REGISTRY[code]
    qs = _scoped(indicator, indicator.queryset(period, basis), region=region, units=units)
    rows = qs.annotate(_group=group_by if not isinstance(group_by, str) else F(group_by)).values("_group")
    rows = rows.annotate(v=indicator.value(period, basis), n=Count("pk")).order_by()
    return {row["_group"]: _as_decimal(indicator, row["v"], row["n"]) for row in rows}
