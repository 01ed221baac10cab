"""Rankings by assessment group (考核组别) for reports.

Where the assessment app has a scheme (考核办法) for the group and year, its result is used: the
published result of the period when there is one (a bulletin already sent can be reproduced), else
the scheme computed afresh (read only, nothing is stored). Where there is no scheme, units are
ranked from the metrics instead — by completion of the annual target of 签约亿元以上项目, then by the
亿元以上 amount signed — and the report says so. Equal keys share a rank and the next rank is skipped
(1, 2, 2, 4; SPEC §3).
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from zhaoshang.metrics.engine import ZERO
from zhaoshang.metrics.periods import Period
from zhaoshang.metrics.selectors import indicator_table

logger = logging.getLogger(__name__)

FALLBACK_KEY = "signed_projects_100m"
FALLBACK_TIEBREAK = "signed_amount_100m_wan"


def competition_ranks(keys: list) -> list[int]:
    """Standard competition ranking (smaller key is better): 1, 2, 2, 4 (SPEC §3)."""
    try:
        from zhaoshang.assessment.scoring import competition_ranks as assessment_ranks

        return assessment_ranks(keys)
    except ImportError:  # pragma: no cover - the assessment app is part of the product
        order = sorted(range(len(keys)), key=lambda i: keys[i])
        ranks = [0] * len(keys)
        for position, index in enumerate(order):
            same = position and keys[index] == keys[order[position - 1]]
            ranks[index] = ranks[order[position - 1]] if same else position + 1
        return ranks


@dataclass
class RankLine:
    rank: int
    unit: object
    score: Decimal | None = None  # assessment score (None when ranked from the metrics)
    basic: Decimal = ZERO
    bonus: Decimal = ZERO
    deduction: Decimal = ZERO
    is_bottom: bool = False
    vetoed: bool = False
    veto_reasons: list[str] = field(default_factory=list)
    bottom_streak: int = 0
    # From the metrics (fallback ranking): value, target and completion of the key indicator.
    value: Decimal = ZERO
    target: Decimal | None = None
    amount: Decimal = ZERO

    @property
    def completion(self) -> Decimal | None:
        return self.value / self.target if self.target else None


@dataclass
class GroupRanking:
    group: object
    units: list
    lines: list[RankLine]
    source: str  # "published" | "computed" | "metrics"
    scheme_name: str = ""

    @property
    def by_assessment(self) -> bool:
        return self.source in ("published", "computed")

    @property
    def name(self) -> str:
        return str(self.group) if self.group is not None else _("未分组单位")

    def note(self, period_text: str) -> str:
        if self.source == "published":
            return _("注：排名取自已发布的《{scheme}》考核结果。").format(scheme=self.scheme_name)
        if self.source == "computed":
            return _("注：按《{scheme}》计算，考核结果尚未发布。").format(scheme=self.scheme_name)
        return _(
            "注：该组别尚未制定考核办法，按{p}签约亿元以上项目完成全年任务比例排序，比例相同的按亿元以上项目签约额排序。"
        ).format(p=period_text)


def assessment_code(period: Period, kind: str = "month") -> str | None:
    """The assessment period code for a report period, when the assessment can run on it: a
    year-to-date period (1 January → a month's end) is the monthly assessment of its last month;
    a quarter, a half or a whole year their own."""
    start, end = period.start, period.end
    if period.campaign_id is not None or start.year != end.year:
        return None
    if kind == "quarter" and start.month in (1, 4, 7, 10) and end.month == start.month + 2:
        return f"{end.year}-Q{(end.month - 1) // 3 + 1}"
    if start.month != 1 or start.day != 1:
        return None
    if kind == "year" and end.month == 12:
        return str(end.year)
    return f"{end.year}-{end.month:02d}"


def _scheme_for(group, year: int, region):
    try:
        from zhaoshang.assessment.models import Scheme
    except ImportError:  # pragma: no cover
        return None
    ancestors = [code for code in region.path.strip("/").split("/") if code]
    schemes = Scheme.objects.filter(year=year, assessment_group=group, region__code__in=ancestors)
    # The nearest region's scheme first.
    return max(schemes, key=lambda s: len(s.region.path), default=None)


def _from_assessment(ctx, group, units, code: str) -> GroupRanking | None:
    if group is None:
        return None
    try:
        from zhaoshang.assessment.choices import ItemKind, RunStatus
        from zhaoshang.assessment.models import Run
        from zhaoshang.assessment.periods import parse
        from zhaoshang.assessment.services import assessment_compute
    except ImportError:  # pragma: no cover
        return None
    period = parse(code)
    scheme = _scheme_for(group, period.year, ctx.region)
    if scheme is None or not scheme.runs_on(period.kind):
        return None
    by_id = {u.pk: u for u in units}

    def points(entries, kind):
        return sum((Decimal(e["points"]) for e in entries if e["kind"] == kind), ZERO)

    run = (
        Run.objects.filter(
            scheme=scheme, period_code=period.code, basis=ctx.basis, status=RunStatus.PUBLISHED
        )
        .select_related("scheme")
        .first()
    )
    lines: list[RankLine] = []
    if run is not None:
        for line in run.lines.order_by("position"):
            unit = by_id.get(line.unit_id)
            if unit is None:
                continue
            lines.append(
                RankLine(
                    rank=line.rank,
                    unit=unit,
                    score=line.score,
                    basic=points(line.explanation, ItemKind.BASIC),
                    bonus=points(line.explanation, ItemKind.BONUS),
                    deduction=-points(line.explanation, ItemKind.DEDUCTION),
                    is_bottom=line.is_bottom,
                    vetoed=line.vetoed,
                    veto_reasons=[e["name"] for e in line.explanation if e.get("veto")],
                    bottom_streak=line.bottom_streak,
                )
            )
        return GroupRanking(group, units, lines, "published", str(scheme.name))
    try:
        computed = assessment_compute(
            scheme=scheme, period=period, basis=ctx.basis, by_unit=ctx.units_measure
        )
    except Exception:  # a scheme being edited must not stop the report; fall back to the metrics
        logger.exception("assessment_compute failed for scheme %s", scheme.pk)
        return None
    for line in computed:
        unit = by_id.get(line.subject_id)
        if unit is None:
            continue
        lines.append(
            RankLine(
                rank=line.rank,
                unit=unit,
                score=line.score,
                basic=points(line.entries, ItemKind.BASIC),
                bonus=points(line.entries, ItemKind.BONUS),
                deduction=-points(line.entries, ItemKind.DEDUCTION),
                is_bottom=line.is_bottom,
                vetoed=line.vetoed,
                veto_reasons=list(line.veto_reasons),
                bottom_streak=line.bottom_streak,
            )
        )
    return GroupRanking(group, units, lines, "computed", str(scheme.name))


def _from_metrics(ctx, group, units, period: Period) -> GroupRanking:
    codes = [FALLBACK_KEY, FALLBACK_TIEBREAK]
    _indicators, rows = indicator_table(
        units=units, codes=codes, period=period, basis=ctx.basis, by_unit=ctx.unit_measure(units)
    )
    lines = []
    for row in rows:
        key, amount = row.cells
        lines.append(RankLine(rank=0, unit=row.unit, value=key.value, target=key.target, amount=amount.value))
    keys = [
        (-(line.completion if line.completion is not None else Decimal(-1)), -line.amount, -line.value)
        for line in lines
    ]
    for line, rank in zip(lines, competition_ranks(keys), strict=True):
        line.rank = rank
    lines.sort(key=lambda line: (line.rank, line.unit.order, line.unit.name))
    if len({line.rank for line in lines}) > 1:
        last = max(line.rank for line in lines)
        for line in lines:
            line.is_bottom = line.rank == last
    return GroupRanking(group, units, lines, "metrics")


def rank_groups(ctx, *, period: Period | None = None, code: str | None = None) -> list[GroupRanking]:
    """One ranking per assessment group of the region's units. ``code`` is the assessment period
    (``2022-07``, ``2022-Q2`` …) when the assessment may be used; the metrics ranking measures
    ``period`` (year to date by default)."""
    period = period or ctx.period
    out = []
    for group, units in ctx.groups:
        ranking = _from_assessment(ctx, group, units, code) if code else None
        out.append(ranking or _from_metrics(ctx, group, units, period))
    return out
