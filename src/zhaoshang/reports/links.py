"""Where a report's figure leads in the HTML view: the list of the records it counts (SPEC §6
"every figure links to, or can list, the records it counts").

The list pages' filters (``*/filtersets.py``) are coarser than some counting rules (no filter for
counted investment of expansions, for a region's subtree, or for partner units of joint activities),
so a link may list a few more records than the figure counts. On the reported basis (上报口径) the
lists cannot select "submitted or recognised" in one parameter, so the link omits the status filter.
This mirrors ``assessment.links.records_url`` and extends it to region-wide figures; the two should
become one helper in ``metrics``.
"""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from zhaoshang.core.choices import ReviewStatus
from zhaoshang.metrics.indicators import REGISTRY, Basis
from zhaoshang.metrics.periods import Period

# (model, date field) → (list url name, unit parameter, from parameter, to parameter)
_LISTS = {
    ("projects.Project", "signed_on"): ("projects:list", "introducing_unit", "signed_from", "signed_to"),
    ("projects.Project", "commenced_on"): (
        "projects:list",
        "introducing_unit",
        "commenced_from",
        "commenced_to",
    ),
    ("projects.Project", "in_production_on"): ("projects:list", "introducing_unit", None, None),
    ("projects.FundsRecord", "month"): ("funds:list", "project__introducing_unit", "month_from", "month_to"),
    ("leads.Lead", "reported_on"): ("leads:list", "unit", "reported_from", "reported_to"),
    ("activities.Activity", "started_on"): ("activities:list", "unit", "started_from", "started_to"),
    ("projects.PreReviewMeeting", "held_on"): ("prereviews:list", None, "held_from", "held_to"),
    ("projects.PreReviewVerdict", "meeting__held_on"): ("prereviews:list", None, "held_from", "held_to"),
}
# Size bands filter on total investment; only bands with no upper bound are safe to pass on (an
# expansion counts its added investment, which is never above its total).
_EXTRA = {
    "signed_projects_100m": {"size": "1yi"},
    "signed_amount_100m_wan": {"size": "1yi"},
    "signed_projects_20b": {"size": "20yi"},
    "signed_projects_10_20b": {"size": "10-20yi"},
    "signed_projects_5_10b": {"size": "5-10yi"},
    "signed_projects_1_5b": {"size": "1-5yi"},
    "valuable_leads": {"is_valuable": "true"},
    "trips": {"kind": "trip"},
    "out_of_province_trips": {"kind": "trip", "out_of_province": "true"},
    "days_away": {"kind": "trip"},
    "visits": {"kind": "visit"},
    "inspections": {"kind": "inspection"},
    "promotions": {"kind": "promotion"},
    "online_meetings": {"kind": "online"},
    "signing_ceremonies": {"kind": "signing"},
    "prereview_passed": {"verdict": "passed"},
}
_REVIEWED = {"projects.Project", "projects.FundsRecord", "leads.Lead", "activities.Activity"}


_BASES: dict[tuple, str | None] = {}


def _list_url(name: str) -> str | None:
    """``reverse(name)``, kept per URL configuration and script prefix: a bulletin links 15 000
    figures to a handful of list pages."""
    key = (name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    if key not in _BASES:
        try:
            _BASES[key] = reverse(name)
        except NoReverseMatch:
            _BASES[key] = None
    return _BASES[key]


def records_url(
    code: str,
    *,
    period: Period | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    basis: str = Basis.RECOGNISED,
    unit_id: int | None = None,
    extra: dict | None = None,
) -> str | None:
    """The list of the records indicator ``code`` counts in ``period`` (for one unit when given),
    or None when no list page can show them."""
    indicator = REGISTRY.get(code)
    if indicator is None:
        return None
    spec = _LISTS.get((indicator.model, indicator.date_field))
    if spec is None:
        return None
    name, unit_param, from_param, to_param = spec
    base = _list_url(name)
    if base is None:
        return None
    if period is not None:
        start, end = period.start, period.end
    query: dict[str, object] = {}
    if from_param and start and not indicator.overlaps:
        query[from_param] = start.isoformat()
    if to_param and end:
        query[to_param] = end.isoformat()
    if unit_id is not None:
        if unit_param is None:
            return None
        query[unit_param] = unit_id
    query.update(_EXTRA.get(code, {}))
    query.update(extra or {})
    if basis == Basis.RECOGNISED and indicator.model in _REVIEWED:
        query["review_status"] = ReviewStatus.RECOGNISED
    return f"{base}?{urlencode(query)}"


def project_url(project) -> str | None:
    """The page of ``project`` — of the record itself where the figures counted its recognised
    version (core.versions), which has no page of its own."""
    record_id = getattr(project, "recognised_version_of_id", None) or project.pk
    try:
        return reverse("projects:detail", args=[record_id])
    except NoReverseMatch:
        return None
