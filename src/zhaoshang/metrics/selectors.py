"""Reads built on the engine: the units × indicators table (target, completion, 序时进度, YoY)."""

from dataclasses import dataclass, field
from decimal import Decimal

from zhaoshang.metrics.engine import ZERO, measure_by_unit, yoy_growth
from zhaoshang.metrics.indicators import REGISTRY, Indicator
from zhaoshang.metrics.periods import Period

DEFAULT_TABLE_CODES = [
    "signed_projects_100m",
    "signed_amount_100m_wan",
    "commenced_projects",
    "funds_wan",
    "leads",
    "valuable_leads",
    "trips",
    "visits",
    "inspections",
]


@dataclass
class Cell:
    indicator: Indicator
    value: Decimal
    previous: Decimal
    target: Decimal | None

    @property
    def growth(self) -> Decimal | None:
        return yoy_growth(self.value, self.previous)

    @property
    def completion(self) -> Decimal | None:
        return self.value / self.target if self.target else None


@dataclass
class Row:
    unit: object
    cells: list[Cell] = field(default_factory=list)


def indicator_table(
    *, units, codes: list[str], period: Period, basis: str
) -> tuple[list[Indicator], list[Row]]:
    """One query per indicator for the period, one for the year before, one for all targets —
    whatever the number of units."""
    from zhaoshang.targets.models import Target

    units = list(units)
    ids = [u.pk for u in units]
    indicators = [REGISTRY[c] for c in codes]
    now = {c: measure_by_unit(c, period=period, basis=basis, unit_ids=ids) for c in codes}
    then = {c: measure_by_unit(c, period=period.previous_year(), basis=basis, unit_ids=ids) for c in codes}
    targets: dict[tuple[int, str], Decimal] = {}
    target_rows = Target.objects.filter(unit_id__in=ids, indicator__in=codes)
    if period.campaign_id is not None:
        target_rows = target_rows.filter(campaign_id=period.campaign_id)
    else:
        target_rows = target_rows.filter(campaign__isnull=True, year=period.year)
    for unit_id, code, value in target_rows.values_list("unit_id", "indicator", "value"):
        targets[(unit_id, code)] = value
    rows = []
    for unit in units:
        row = Row(unit)
        for indicator in indicators:
            c = indicator.code
            row.cells.append(
                Cell(
                    indicator,
                    now[c].get(unit.pk, ZERO),
                    then[c].get(unit.pk, ZERO),
                    targets.get((unit.pk, c)),
                )
            )
        rows.append(row)
    return indicators, rows
