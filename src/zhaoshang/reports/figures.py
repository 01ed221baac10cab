"""The figures a report needs, all measured through the metrics engine (``measure``,
``measure_by_unit``, ``measure_grouped``), for one region's subtree, one period and one basis.

A few figures the registry has no indicator for are computed here as small functions on top of
``measure_grouped`` (grouping the indicator's own records by a flag, a tag, a duration …), so that
they follow the indicator's counting rule exactly. They are candidates to move into ``metrics``:

- ``flag_count``: projects of an indicator with a flag set (产业链项目、主导产业、制造业 …);
- ``tagged_count``: projects whose investor carries one of some tags (上市公司、头部企业 …);
- ``land_modes``: projects by 用地方式 (征地 / 租赁厂房);
- ``signing_cycles``: the signing cycle (洽谈日期 → 签约日期, SPEC §3) of the projects counted;
- ``commenced_by``: of the projects counted, those commenced (开工) by a date.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Exists, F, OuterRef

from zhaoshang.enterprises.models import Enterprise
from zhaoshang.metrics.engine import (
    ZERO,
    Figure,
    Rate,
    commenced_by,
    commencement_rate,
    measure,
    measure_by_unit,
    measure_grouped,
)
from zhaoshang.metrics.indicators import REGISTRY, Basis, effective
from zhaoshang.metrics.periods import Period
from zhaoshang.metrics.rollup import size_band
from zhaoshang.organisation.choices import UnitKind
from zhaoshang.organisation.models import Region, Unit
from zhaoshang.reports import links
from zhaoshang.targets.models import Target

_UNIT_MARK = "ZSUNITMARKZS"  # (plain letters: urlencode leaves them as they are)

# Up to this many units, a query of the records names them; beyond, it reads every unit's records
# for the period and keeps the values of these (``measure_units``).
FEW_UNITS = 200


def measure_units(code: str, *, period: Period, basis: str, unit_ids) -> dict[int, Decimal]:
    """``measure_by_unit`` of these units. Many units: every unit's value, kept for these. A long
    list of units makes SQLite read their records through the unit index (all their months);
    without it, the period's (a unit's value does not depend on the others measured)."""
    if len(unit_ids) <= FEW_UNITS:
        return measure_by_unit(code, period=period, basis=basis, unit_ids=list(unit_ids))
    known = set(unit_ids)
    found = measure_by_unit(code, period=period, basis=basis, unit_ids=None)
    return {pk: value for pk, value in found.items() if pk in known}


@dataclass
class ReportContext:
    """What every figure of one report is measured on: a region's subtree, a period, a basis."""

    region: Region
    period: Period
    basis: str = Basis.RECOGNISED
    today: datetime.date = field(default_factory=datetime.date.today)
    campaign: object | None = None

    # --- the units of the region -----------------------------------------------------------------

    @cached_property
    def units(self) -> list[Unit]:
        """Active task units in the region's subtree (the bureau itself carries no target), in the
        bulletins' official order within their assessment group."""
        return list(
            Unit.objects.filter(is_active=True, region__path__startswith=self.region.path)
            .exclude(kind=UnitKind.BUREAU)
            .select_related("assessment_group", "region")
            .order_by("assessment_group__order", "assessment_group__name", "order", "name")
        )

    @cached_property
    def unit_ids(self) -> list[int]:
        return [u.pk for u in self.units]

    @cached_property
    def groups(self) -> list[tuple[object, list[Unit]]]:
        """(assessment group or None, its units), groups in their order."""
        out: dict[object, list[Unit]] = {}
        for unit in self.units:
            out.setdefault(unit.assessment_group, []).append(unit)
        return list(out.items())

    # --- measuring -------------------------------------------------------------------------------

    def measure(self, code: str, period: Period | None = None) -> Decimal:
        return measure(code, period=period or self.period, basis=self.basis, region=self.region)

    def figure(self, code: str, period: Period | None = None, *, target_year: int | None = None) -> Figure:
        """Value, same period a year earlier, the region's annual target (of ``target_year``, by
        default the period's year) and 序时进度 at the period's end."""
        period = period or self.period
        value = self.measure(code, period)
        previous = self.measure(code, period.previous_year())
        target = self.region_targets(target_year or period.year).get(code)
        return Figure(REGISTRY[code], period, value, previous, target, period.time_progress())

    def by_unit(self, code: str, period: Period | None = None) -> dict[int, Decimal]:
        """Each of the region's units' value; measured once a report (per indicator and period), as
        a bulletin asks for the same values in many tables and paragraphs."""
        period = period or self.period
        measured = self.__dict__.setdefault("_by_unit", {})
        key = (code, period)
        if key not in measured:
            measured[key] = measure_units(code, period=period, basis=self.basis, unit_ids=self.unit_ids)
        return dict(measured[key])

    @cached_property
    def _unit_id_set(self) -> set[int]:
        return set(self.unit_ids)

    def units_measure(self, code: str, period: Period, unit_ids) -> dict[int, Decimal] | None:
        """``by_unit`` where ``unit_ids`` are all the region's units' (None otherwise)."""
        known = self._unit_id_set
        return self.by_unit(code, period) if all(pk in known for pk in unit_ids) else None

    def unit_measure(self, units):
        """``by_unit`` for ``indicator_table`` of some of the region's units (None for others)."""
        known = self._unit_id_set
        if all(u.pk in known for u in units):
            return self.by_unit
        return None

    def grouped(self, code: str, group_by, period: Period | None = None) -> dict:
        return measure_grouped(
            code, period=period or self.period, basis=self.basis, group_by=group_by, region=self.region
        )

    def records(self, code: str, period: Period | None = None):
        """The records indicator ``code`` counts (the engine's own selection, scoped to the region)."""
        period = period or self.period
        indicator = effective(code, period)
        qs = indicator.queryset(period, self.basis)
        return qs.filter(**{f"{indicator.region_path}__path__startswith": self.region.path})

    def url(self, code: str, period: Period | None = None, *, unit_id=None, extra=None) -> str | None:
        period = period or self.period
        if type(unit_id) is not int or extra is not None:
            return links.records_url(code, period=period, basis=self.basis, unit_id=unit_id, extra=extra)
        # A bulletin links each unit's figures (15 000 at province scale): the link of an indicator
        # and period is made once, with a mark where the unit goes (``records_url`` writes the
        # unit's id as it is, a number needing no quoting).
        made = self.__dict__.setdefault("_unit_urls", {})
        key = (code, period)
        if key not in made:
            made[key] = links.records_url(code, period=period, basis=self.basis, unit_id=_UNIT_MARK)
        url = made[key]
        return None if url is None else url.replace(f"={_UNIT_MARK}", f"={unit_id}", 1)

    # --- targets ---------------------------------------------------------------------------------

    def region_targets(self, year: int) -> dict[str, Decimal]:
        """The region's own annual targets (目标任务 with no unit), by indicator code."""
        cache = self.__dict__.setdefault("_region_targets", {})
        if year not in cache:
            rows = Target.objects.filter(
                year=year, campaign__isnull=True, unit__isnull=True, region=self.region
            ).values_list("indicator", "value")
            cache[year] = dict(rows)
        return cache[year]

    def unit_targets(self, codes: list[str], *, year: int | None = None, campaign=None) -> dict:
        """{(unit id, code): value} for the region's units: annual targets, or a campaign's."""
        rows = Target.objects.filter(unit_id__in=self.unit_ids, indicator__in=codes)
        if campaign is not None:
            rows = rows.filter(campaign=campaign)
        else:
            rows = rows.filter(campaign__isnull=True, year=year or self.period.year)
        return {(u, c): v for u, c, v in rows.values_list("unit_id", "indicator", "value")}

    def campaign_targets(self, campaign) -> dict[str, Decimal]:
        """A campaign's targets for the region: its own (no unit) where set, else the sum of its
        units' campaign targets."""
        rows = Target.objects.filter(campaign=campaign)
        own = dict(rows.filter(unit__isnull=True, region=self.region).values_list("indicator", "value"))
        summed: dict[str, Decimal] = {}
        for code, value in rows.filter(unit_id__in=self.unit_ids).values_list("indicator", "value"):
            summed[code] = summed.get(code, ZERO) + value
        return {**summed, **own}

    # --- figures the registry has no indicator for (see the module docstring) --------------------

    def flag_count(self, code: str, flag: str, period: Period | None = None) -> Decimal:
        """Of the records ``code`` counts, those with boolean field ``flag`` set."""
        return self.grouped(code, flag, period).get(True, ZERO)

    def tagged_count(self, code: str, tags: list[str], period: Period | None = None) -> Decimal:
        """Of the projects ``code`` counts, those whose investor carries one of ``tags``."""
        tagged = Enterprise.tags.through.objects.filter(
            enterprise_id=OuterRef("investor_id"), tag_id__in=tags
        )
        return self.grouped(code, Exists(tagged), period).get(True, ZERO)

    def land_modes(self, code: str, period: Period | None = None) -> dict[str, Decimal]:
        return self.grouped(code, "land_mode", period)

    def size_bands(self, code: str, period: Period | None = None) -> dict[str, Decimal]:
        """By size band of counted investment (seed 000: 20亿元以上, 10–20亿元, 5–10亿元, 1–5亿元)."""
        return self.grouped(code, size_band(), period)

    def signing_cycles(self, code: str, period: Period | None = None) -> list[tuple[int, Decimal]]:
        """[(days from first negotiation to signing, number of projects)] for the projects ``code``
        counts that have both dates (SPEC §3: the signing cycle runs from the first negotiation
        date to the signing date)."""
        rows = self.grouped(code, F("signed_on") - F("negotiated_on"), period)
        return sorted((delta.days, n) for delta, n in rows.items() if delta is not None)

    def commenced_by(self, code: str, day: datetime.date, period: Period | None = None) -> Decimal:
        """Of the projects ``code`` counts, those commenced (开工) on or before ``day``."""
        return commenced_by(code, period=period or self.period, day=day, basis=self.basis, region=self.region)

    def commencement_rate(self, as_of: datetime.date | None = None) -> Rate:
        """开工率 at ``as_of`` (the period's end by default), the engine's rule, for the region."""
        return commencement_rate(as_of=as_of or self.period.end, basis=self.basis, region=self.region)
