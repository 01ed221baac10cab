"""Indicators the assessment needs that the metrics registry does not define (yet).

They are registered into ``metrics.indicators.REGISTRY`` with the registry's own ``register`` so that
the engine measures them like any other (one query per indicator) and the 口径 page lists them. A
code the registry already holds is left alone: when the metrics module defines it, its rule wins.
"""

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.assessment.choices import FindingKind
from zhaoshang.metrics.indicators import REGISTRY, Indicator, register
from zhaoshang.projects.choices import Stage


def _overdue_start(qs):
    # Signed, not withdrawn, and not commenced by the agreed date (never, or later).
    return (
        qs.filter(signed_on__isnull=False)
        .exclude(stage=Stage.WITHDRAWN)
        .filter(Q(commenced_on__isnull=True) | Q(commenced_on__gt=F("agreed_start_on")))
    )


def _due_start(qs):
    # Signed, not withdrawn: the projects whose agreed commencement date falls in the period.
    return qs.filter(signed_on__isnull=False).exclude(stage=Stage.WITHDRAWN)


def _overdue_tickets(qs):
    # Not closed (销号) by the deadline: still open, or closed on a later day.
    return qs.filter(Q(closed_at__isnull=True) | Q(closed_at__date__gt=F("deadline")))


EXTRA_INDICATORS = [
    Indicator(
        "due_start_projects",
        _("约定开工项目"),
        _("个"),
        model="projects.Project",
        date_field="agreed_start_on",
        unit_path="introducing_unit",
        region_path="region",
        refine=_due_start,
        definition=_(
            "约定开工日期在期间内的已签约项目,退库项目不计;终止的项目仍计入。履约率 = "
            "(约定开工项目 − 逾期未开工项目) ÷ 约定开工项目。"
        ),
    ),
    Indicator(
        "overdue_start_projects",
        _("逾期未开工项目"),
        _("个"),
        model="projects.Project",
        date_field="agreed_start_on",
        unit_path="introducing_unit",
        region_path="region",
        refine=_overdue_start,
        aliases=("未按期开工项目",),
        definition=_(
            "约定开工日期在期间内、到约定日期未开工(至今未开工或开工晚于约定日期)的已签约项目,"
            "退库项目不计;终止的项目仍计入(未履约)。"
        ),
    ),
    Indicator(
        "falsified_projects",
        _("弄虚作假项目"),
        _("个"),
        model="assessment.Finding",
        date_field="found_on",
        unit_path="unit",
        region_path="unit__region",
        basis_aware=False,
        refine=lambda qs: qs.filter(kind=FindingKind.FALSIFIED),
        definition=_("局核查认定的虚报、编造、重复报送项目,按认定日期计入期间。"),
    ),
    Indicator(
        "veto_findings",
        _("一票否决事项"),
        _("项"),
        model="assessment.Finding",
        date_field="found_on",
        unit_path="unit",
        region_path="unit__region",
        basis_aware=False,
        refine=lambda qs: qs.filter(kind=FindingKind.VETO),
        definition=_("局认定的其他一票否决事项,按认定日期计入期间。"),
    ),
    Indicator(
        "overdue_tickets",
        _("督办事项逾期未办结"),
        _("件"),
        model="supervision.SupervisionTicket",
        date_field="deadline",
        unit_path="owner_unit",
        region_path="owner_unit__region",
        basis_aware=False,
        alive_path=None,
        refine=_overdue_tickets,
        definition=_(
            "办结时限在期间内、到时限未销号(至今未销号或销号晚于时限)的督办单,计入责任单位;"
            "可在考核办法中设为按件扣分项。"
        ),
    ),
]


def register_extra_indicators() -> None:
    for indicator in EXTRA_INDICATORS:
        if indicator.code not in REGISTRY:
            register(indicator)
