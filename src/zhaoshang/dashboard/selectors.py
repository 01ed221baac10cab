"""What the cockpit (驾驶舱) shows, for the user's scope: their unit, or their region's subtree.

Every number comes from the metrics engine; the number of queries is fixed whatever the number of
units (pinned by a test).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from zhaoshang.core import access
from zhaoshang.metrics.engine import (
    ZERO,
    measure_breakdown,
    measure_by_month,
    measure_many,
    measure_many_by_unit,
    yoy_growth,
)
from zhaoshang.metrics.indicators import REGISTRY, YI, Basis
from zhaoshang.metrics.numbers import round_half_up
from zhaoshang.metrics.periods import Period
from zhaoshang.metrics.rollup import BAND_LABELS
from zhaoshang.organisation.choices import UNIT_ROLES
from zhaoshang.organisation.models import Industry, Unit
from zhaoshang.projects.models import Project
from zhaoshang.targets.models import Target

HEADLINE_CODES = [
    "signed_projects_100m",
    "signed_amount_100m_wan",
    "commenced_projects",
    "commenced_amount_wan",
    "funds_wan",
    "leads",
    "valuable_leads",
    "trips",
]
STALLED_AFTER_DAYS = 90  # SPEC §4: signed but not commenced for 90 days raises an alert


def _yi(amount_wan: Decimal) -> float:
    """万元 → 亿元 for a chart, half-up to two decimals as every figure is written (SPEC §3)."""
    return float(round_half_up(amount_wan / YI, 2))


@dataclass
class Headline:
    code: str
    name: str
    unit: str
    money: bool
    value: Decimal
    previous: Decimal
    target: Decimal | None
    link: str

    @property
    def growth(self):
        return yoy_growth(self.value, self.previous)

    @property
    def completion(self):
        return self.value / self.target if self.target else None


def user_scope(user) -> dict:
    """Keyword arguments for the engine: ``units=[…]`` for unit roles, ``region=…`` otherwise."""
    if user.is_superuser:
        return {}
    if user.role in UNIT_ROLES:
        return {"units": [user.unit_id]}
    return {"region": user.scope_region}


def _targets(user, year: int, codes: list[str]) -> dict[str, Decimal]:
    rows = Target.objects.filter(year=year, campaign__isnull=True, indicator__in=codes)
    if user.role in UNIT_ROLES and not user.is_superuser:
        rows = rows.filter(unit_id=user.unit_id)
    else:
        region = user.scope_region
        rows = rows.filter(unit__isnull=True)
        if region is not None:
            rows = rows.filter(region=region)
    return dict(rows.values_list("indicator", "value"))


def _link(code: str, period: Period, basis: str) -> str:
    """Where a headline figure drills down to: the list of the records it counts."""
    status = "&review_status=recognised" if basis == Basis.RECOGNISED else ""
    start, end = period.start.isoformat(), period.end.isoformat()
    if code.startswith("signed"):
        size = "&size=1yi" if code.endswith("100m") or code.endswith("100m_wan") else ""
        return f"/projects/?signed_from={start}&signed_to={end}{size}{status}"
    if code.startswith("commenced"):
        return f"/projects/?commenced_from={start}&commenced_to={end}{status}"
    if code.startswith("funds"):
        return f"/funds/?month_from={start}&month_to={end}{status}"
    if code == "valuable_leads":
        return f"/leads/?reported_from={start}&reported_to={end}&is_valuable=true{status}"
    if code == "leads":
        return f"/leads/?reported_from={start}&reported_to={end}{status}"
    return f"/activities/?kind=trip&started_from={start}&started_to={end}{status}"


def open_tickets(user, today: datetime.date) -> dict:
    """The supervision items (督办单) still open in the user's scope: how many, how many overdue, the
    most urgent few. Two queries."""
    from zhaoshang.supervision.choices import TicketStatus
    from zhaoshang.supervision.models import SupervisionTicket

    tickets = access.restrict(SupervisionTicket.objects.all(), user).exclude(status=TicketStatus.CLOSED)
    counts = tickets.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=today)))
    return {
        **counts,
        "first": list(tickets.select_related("owner_unit").order_by("deadline", "pk")[:5]),
    }


def dashboard_data(*, user, period: Period, basis: str, today: datetime.date) -> dict:
    scope = user_scope(user)
    previous = period.previous_year()
    targets = _targets(user, period.year, HEADLINE_CODES)
    codes = [*HEADLINE_CODES, "signed_projects", "in_production_projects"]
    now = measure_many(codes, period=period, basis=basis, **scope)
    then = measure_many(HEADLINE_CODES, period=previous, basis=basis, **scope)
    headlines = []
    for code in HEADLINE_CODES:
        indicator = REGISTRY[code]
        headlines.append(
            Headline(
                code,
                # Money is shown in 亿元 on the card: its name's "(万元)" would contradict it.
                str(indicator.name).replace("(万元)", "") if indicator.money else str(indicator.name),
                str(indicator.unit),
                indicator.money,
                now[code],
                then[code],
                targets.get(code),
                _link(code, period, basis),
            )
        )
    by = {h.code: h for h in headlines}

    # Signed 亿元以上 projects and amount by month, against the previous year.
    months = (
        list(range(period.start.month, period.end.month + 1)) if period.start.year == period.end.year else []
    )
    trend = {}
    trend_codes = ["signed_projects_100m", "signed_amount_100m_wan"]
    for label, p in (("now", period), ("then", previous)):
        values = measure_by_month(trend_codes, period=p, basis=basis, **scope)
        for code in trend_codes:
            per_month = {key.month: value for key, value in values[code].items()}
            if REGISTRY[code].money:  # sent in 亿元, rounded here half-up (SPEC §3), not by the browser
                trend[f"{code.removesuffix('_wan')}_yi:{label}"] = [
                    _yi(per_month.get(m, ZERO)) for m in months
                ]
            else:
                trend[f"{code}:{label}"] = [float(per_month.get(m, ZERO)) for m in months]

    by_industry = measure_breakdown("industry", period=period, basis=basis, **scope)
    industry_names = dict(
        Industry.objects.filter(pk__in=[int(k) for k in by_industry if k.isdigit()]).values_list("pk", "name")
    )
    industries: dict[str, Decimal] = {}
    for key, value in by_industry.items():
        name = industry_names.get(int(key)) if key.isdigit() else None
        industries[name or _("其他")] = industries.get(name or _("其他"), ZERO) + value
    bands = {
        str(BAND_LABELS.get(k, k)): v
        for k, v in measure_breakdown("band", period=period, basis=basis, **scope).items()
    }

    units = access.unit_choices_for(user, Unit.objects.filter(is_active=True))
    unit_names = dict(units.values_list("pk", "name"))
    by_unit = measure_many_by_unit(
        ["signed_amount_100m_wan", "signed_projects_100m"],
        period=period,
        basis=basis,
        unit_ids=list(unit_names),
    )
    amounts, counts = by_unit["signed_amount_100m_wan"], by_unit["signed_projects_100m"]
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
        (_("招商信息"), by["leads"].value),
        (_("签约项目"), now["signed_projects"]),
        (_("开工项目"), by["commenced_projects"].value),
        (_("投产项目"), now["in_production_projects"]),
    ]

    stalled = (
        access.restrict(Project.objects.all(), user)
        .filter(
            stage="signed",
            commenced_on__isnull=True,
            signed_on__lte=today - datetime.timedelta(days=STALLED_AFTER_DAYS),
        )
        .select_related("introducing_unit")
        .order_by("signed_on")[:8]
    )

    return {
        "headlines": headlines,
        "trend": {"months": [f"{m}月" for m in months], **trend},
        "industries": [
            {"name": name, "value": _yi(v)} for name, v in sorted(industries.items(), key=lambda kv: -kv[1])
        ],
        "bands": [{"name": name, "value": float(v)} for name, v in bands.items()],
        "ranking": ranking,
        "funnel": [{"name": str(name), "value": float(v)} for name, v in funnel],
        "stalled": list(stalled),
        "stalled_days": STALLED_AFTER_DAYS,
        "tickets": open_tickets(user, today),
    }
