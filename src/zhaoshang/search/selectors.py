"""Search across entities: the records a user may see whose name, 统一社会信用代码 or investor matches.

Each kind matches exactly as its list page's ``q`` filter does (the list's own filterset and search
fields), so "查看全部" opens the list page showing the same records as the count here. Every
queryset goes through the one permission choke point, ``core.access.restrict`` (units through
``access.unit_choices_for``, the same rule for the unit master data): a unit's reporter finds only
their unit's records.

Cost: per kind one COUNT and, when something matched, one query for the first few rows (plus one
prefetch of the enterprises of the activities shown) — the same however many records match.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.activities.filtersets import ActivityFilterSet
from zhaoshang.activities.models import Activity
from zhaoshang.core import access
from zhaoshang.core.formatting import wan_to_yi
from zhaoshang.enterprises.filtersets import EnterpriseFilterSet
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.leads.filtersets import LeadFilterSet
from zhaoshang.leads.models import Lead
from zhaoshang.organisation.models import Unit
from zhaoshang.projects.filtersets import ProjectFilterSet
from zhaoshang.projects.models import Project

PER_KIND = 5  # records shown per kind; the rest are one click away on the list page
MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class Hit:
    """One record found: its title, the page it opens, a few facts to tell it from similar ones."""

    title: str
    url: str
    details: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()  # further (label, address) pairs


@dataclass(frozen=True)
class Kind:
    code: str  # also the URL namespace of the kind's pages ("projects" → /projects/)
    label: str
    model: type[models.Model]
    filterset: type | None
    related: tuple[str, ...]
    describe: Callable[[models.Model], Hit]
    prefetch: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    kind: Kind
    count: int
    hits: list[Hit]
    more_url: str  # the list page filtered by the query; "" where the kind has no list page

    @property
    def more(self) -> int:
        return self.count - len(self.hits)


def _describe_project(project: Project) -> Hit:
    investor = project.investor
    return Hit(
        project.name,
        project.get_absolute_url(),
        (
            _("引进单位:{unit}").format(unit=project.introducing_unit),
            _("投资方:{name}").format(name=investor.name)
            + (f"({investor.credit_code})" if investor.credit_code else ""),
            _("总投资{amount}亿元").format(amount=wan_to_yi(project.total_investment_wan)),
            project.get_stage_display(),
            project.get_review_status_display(),
        ),
    )


def _describe_enterprise(enterprise: Enterprise) -> Hit:
    return Hit(
        enterprise.name,
        enterprise.get_absolute_url(),
        tuple(
            text
            for text in (
                enterprise.credit_code or _("无统一社会信用代码"),
                enterprise.location,
            )
            if text
        ),
    )


def _describe_lead(lead: Lead) -> Hit:
    details = [
        _("上报单位:{unit}").format(unit=lead.unit),
        _("上报日期:{date}").format(date=f"{lead.reported_on:%Y-%m-%d}"),
    ]
    if lead.enterprise_id:
        details.append(_("企业:{name}").format(name=lead.enterprise.name))
    details.append(lead.get_review_status_display())
    return Hit(lead.title, lead.get_absolute_url(), tuple(details))


def _describe_activity(activity: Activity) -> Hit:
    details = [_("单位:{unit}").format(unit=activity.unit)]
    names = "、".join(e.name for e in activity.enterprises.all())
    if names:
        details.append(_("企业:{names}").format(names=names))
    details.append(activity.get_review_status_display())
    return Hit(str(activity), activity.get_absolute_url(), tuple(details))


def _describe_unit(unit: Unit) -> Hit:
    details = [unit.get_kind_display(), str(unit.region)]
    if unit.assessment_group_id:
        details.append(_("考核组别:{group}").format(group=unit.assessment_group))
    links = (
        (_("招商项目"), f"{reverse('projects:list')}?{urlencode({'introducing_unit': unit.pk})}"),
        (_("招商信息"), f"{reverse('leads:list')}?{urlencode({'unit': unit.pk})}"),
        (_("招商活动"), f"{reverse('activities:list')}?{urlencode({'unit': unit.pk})}"),
    )
    # A unit has no page of its own: its name opens the projects it introduced.
    return Hit(unit.name, links[0][1], tuple(details), links)


KINDS = (
    Kind(
        "projects",
        gettext_lazy("招商项目"),
        Project,
        ProjectFilterSet,
        ("introducing_unit", "investor"),
        _describe_project,
    ),
    Kind("enterprises", gettext_lazy("企业客商"), Enterprise, EnterpriseFilterSet, (), _describe_enterprise),
    Kind("leads", gettext_lazy("招商信息"), Lead, LeadFilterSet, ("unit", "enterprise"), _describe_lead),
    Kind(
        "activities",
        gettext_lazy("招商活动"),
        Activity,
        ActivityFilterSet,
        ("unit",),
        _describe_activity,
        prefetch=("enterprises",),
    ),
)
UNITS = Kind("units", gettext_lazy("任务单位"), Unit, None, ("region", "assessment_group"), _describe_unit)


def may_search(user) -> bool:
    """Whoever may see business records (not the three administrator roles, 等保 2.0)."""
    return access.can(user, access.VIEW, Project)


def _matching(kind: Kind, *, user, query: str) -> models.QuerySet:
    if kind is UNITS:
        units = access.unit_choices_for(user, Unit.objects.filter(is_active=True))
        return units.filter(Q(name__icontains=query) | Q(short_name__icontains=query))
    visible = access.restrict(kind.model._default_manager.all(), user, access.VIEW)
    return kind.filterset(data={"q": query}, queryset=visible).qs


def search(*, user, query: str, per_kind: int = PER_KIND) -> list[Group]:
    """For each kind (项目, 企业, 信息, 活动, 单位): how many visible records match ``query`` and the
    first ``per_kind`` of them. Empty for an empty query or a user who may see no records."""
    query = query.strip()
    if not query or not may_search(user):
        return []
    groups = []
    for kind in (*KINDS, UNITS):
        matched = _matching(kind, user=user, query=query)
        count = matched.count()
        hits: list[Hit] = []
        if count:
            rows = matched.select_related(*kind.related)
            if kind.prefetch:
                rows = rows.prefetch_related(*kind.prefetch)
            hits = [kind.describe(obj) for obj in rows[:per_kind]]
        more_url = (
            f"{reverse(f'{kind.code}:list')}?{urlencode({'q': query})}" if kind.filterset is not None else ""
        )
        groups.append(Group(kind, count, hits, more_url))
    return groups
