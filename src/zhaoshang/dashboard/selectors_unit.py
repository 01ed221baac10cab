"""What a unit's home page shows besides the cockpit (SPEC §1: 填报员 and 单位负责人 work for their own
unit): its yearly targets against 序时进度, its rank in its assessment group, what it still owes this
week and this month, and its records needing attention.

Reads only. Completion comes from the metrics engine (``figure`` / ``measure_by_unit``), what is
owed from the supervision rules (``supervision.rules.run_rules`` narrowed to the unit), the records
through ``core.access.restrict``. The number of queries is fixed whatever the number of units and
records (pinned by tests/test_unit_home.py).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from zhaoshang.activities.models import Activity
from zhaoshang.assessment.scoring import competition_ranks
from zhaoshang.core import access
from zhaoshang.core.choices import ReviewStatus
from zhaoshang.cycle.selectors import unit_owes
from zhaoshang.leads.models import Lead
from zhaoshang.metrics import periods
from zhaoshang.metrics.engine import ZERO, Figure, figure, measure_by_unit
from zhaoshang.metrics.formatting import amount_text, gap_text
from zhaoshang.metrics.indicators import REGISTRY, Basis
from zhaoshang.metrics.periods import Period
from zhaoshang.organisation.choices import UnitKind
from zhaoshang.organisation.models import Unit
from zhaoshang.projects.models import FundsRecord, Project
from zhaoshang.supervision.choices import TicketStatus
from zhaoshang.supervision.models import SupervisionTicket
from zhaoshang.supervision.rules import run_rules
from zhaoshang.targets.models import Target

# The rule that ranks a unit within its assessment group on its home page (SPEC §3's 龙虎榜 key).
RANK_CODE = "signed_amount_100m_wan"
RANK_COUNT_CODE = "signed_projects_100m"
# What a unit owes, by the cadence of the supervision rule that finds it. The rules themselves (what
# "not reported", "no progress" mean, their thresholds) live in ``supervision.rules``; this only
# sorts their findings for the page. Findings of the other rules are records needing attention.
WEEKLY_RULES = ("major_no_progress",)  # 重大项目推进情况每周更新(默认7天)
MONTHLY_RULES = (
    "unit_no_leads",
    "commenced_no_funds",
    "trips_below",
    "out_of_province_below",
    "task_force_days_away",
)
# Where a unit acts on a finding that names no record (e.g. "本月未上报招商信息": report one).
ACT_ON_RULE = {
    "unit_no_leads": "leads:add",
    "trips_below": "activities:add",
    "out_of_province_below": "activities:add",
    "task_force_days_away": "activities:add",
}
RETURNED_SHOWN = 10  # per kind; the list page (filtered on 已退回) has the rest


@dataclass
class TargetLine:
    """One yearly target of the unit with its completion, as the metrics engine measures it."""

    figure: Figure

    @property
    def name(self) -> str:
        return str(self.figure.indicator.name)

    @property
    def value_text(self) -> str:
        return amount_text(self.figure.value, str(self.figure.indicator.unit))

    @property
    def target_text(self) -> str:
        return amount_text(self.figure.target or ZERO, str(self.figure.indicator.unit))

    @property
    def completion(self) -> Decimal | None:
        return self.figure.completion

    @property
    def behind(self) -> bool:
        return self.figure.gap_points is not None and self.figure.gap_points < 0

    @property
    def gap_text(self) -> str:
        return gap_text(self.figure.gap_points)


@dataclass
class GroupRank:
    """The unit's place in its assessment group on the 亿元以上 amount signed (1, 2, 2, 4)."""

    group: object
    rank: int
    size: int
    amount: Decimal
    count: Decimal
    behind_previous: Decimal | None  # 万元 short of the next better amount; None when first
    link: str


@dataclass
class Owed:
    """Something the unit still has to do: a rule's finding or a ticket due."""

    text: str
    link: str = ""
    overdue: bool = False


@dataclass
class Returned:
    label: str
    record: object
    reason: str


@dataclass
class UnitHome:
    unit: Unit
    period: Period
    time_progress: Decimal
    week_end: datetime.date
    targets: list[TargetLine]
    rank: GroupRank | None
    this_week: list[Owed]
    this_month: list[Owed]
    attention: list[Owed]
    returned: list[Returned]
    tickets: list
    report: object = None  # cycle.selectors.UnitOwes: last month's 数据报送确认


def _group_rank(unit: Unit, *, period: Period, basis: str) -> GroupRank | None:
    """Rank among the active units of the unit's assessment group: one query for the units, one per
    indicator (``measure_by_unit``) whatever the size of the group."""
    if unit.assessment_group_id is None:
        return None
    ids = list(
        Unit.objects.filter(assessment_group_id=unit.assessment_group_id, is_active=True)
        .exclude(kind=UnitKind.BUREAU)
        .values_list("pk", flat=True)
    )
    if unit.pk not in ids:
        return None
    amounts = measure_by_unit(RANK_CODE, period=period, basis=basis, unit_ids=ids)
    counts = measure_by_unit(RANK_COUNT_CODE, period=period, basis=basis, unit_ids=ids)
    ranks = dict(zip(ids, competition_ranks([-amounts.get(pk, ZERO) for pk in ids]), strict=True))
    own = amounts.get(unit.pk, ZERO)
    better = [amounts.get(pk, ZERO) for pk in ids if amounts.get(pk, ZERO) > own]
    status = "&review_status=recognised" if basis == Basis.RECOGNISED else ""
    return GroupRank(
        group=unit.assessment_group,
        rank=ranks[unit.pk],
        size=len(ids),
        amount=own,
        count=counts.get(unit.pk, ZERO),
        behind_previous=min(better) - own if better else None,
        link=(
            f"/projects/?introducing_unit={unit.pk}&signed_from={period.start.isoformat()}"
            f"&signed_to={period.end.isoformat()}&size=1yi{status}"
        ),
    )


def _owed(finding) -> Owed:
    link = finding.link
    if not link and finding.rule in ACT_ON_RULE:
        link = reverse(ACT_ON_RULE[finding.rule])
    return Owed(str(finding.text), link)


def unit_home_data(*, user, basis: str, today: datetime.date) -> UnitHome:
    """A unit's own page (SPEC §1, 填报员/单位负责人): its yearly targets against 序时进度, its rank in
    its assessment group this year, what it still owes this week and this month, and its records
    needing attention (returned with the reason, 督办单 addressed to it).

    Completion comes from the metrics engine, what is owed from the supervision rules, the records
    through ``core.access.restrict``. A fixed number of queries (two per target the unit carries)
    whatever the number of units and records (pinned by a test)."""
    unit = Unit.objects.select_related("assessment_group", "region").get(pk=user.unit_id)
    period = periods.year_to_date(today.year, today.month)
    week_end = today + datetime.timedelta(days=6 - today.weekday())

    order = {code: i for i, code in enumerate(REGISTRY)}
    targets = sorted(
        access.restrict(Target.objects.filter(year=period.year, campaign__isnull=True), user)
        .filter(unit_id=unit.pk, indicator__in=list(REGISTRY))
        .values_list("indicator", "value"),
        key=lambda row: order[row[0]],
    )
    lines = [
        TargetLine(figure(code, period=period, basis=basis, unit=unit, target=value, as_of=today))
        for code, value in targets
    ]

    this_week, this_month, attention = [], [], []
    for result in run_rules(today=today, unit=unit):
        for finding in result.findings:
            code = result.rule.code
            bucket = this_week if code in WEEKLY_RULES else this_month if code in MONTHLY_RULES else attention
            bucket.append(_owed(finding))

    tickets = list(
        access.restrict(SupervisionTicket.objects.exclude(status=TicketStatus.CLOSED), user)
        .filter(owner_unit_id=unit.pk)
        .order_by("deadline", "pk")
    )
    for ticket in tickets:
        if ticket.status == TicketStatus.OPEN and ticket.deadline <= week_end:
            this_week.append(
                Owed(
                    _("答复{ticket}(办结时限{d})").format(ticket=ticket, d=f"{ticket.deadline:%Y-%m-%d}"),
                    ticket.get_absolute_url(),
                    overdue=ticket.deadline < today,
                )
            )

    # Returned records the unit is to correct and resubmit: those it may change (its own, not those it
    # only sees as a helper or partner unit).
    returned = []
    for model, related in ((Project, ()), (FundsRecord, ("project",)), (Lead, ()), (Activity, ())):
        rows = (
            access.restrict(model.objects.filter(review_status=ReviewStatus.RETURNED), user, access.CHANGE)
            .select_related(*related)
            .order_by("-updated_at", "-pk")[:RETURNED_SHOWN]
        )
        returned += [Returned(str(model._meta.verbose_name), row, row.return_reason) for row in rows]

    return UnitHome(
        unit=unit,
        period=period,
        time_progress=period.time_progress(as_of=today),
        week_end=week_end,
        targets=lines,
        rank=_group_rank(unit, period=period, basis=basis),
        this_week=this_week,
        this_month=this_month,
        attention=attention,
        returned=returned,
        tickets=tickets,
        report=unit_owes(user=user, today=today),
    )
