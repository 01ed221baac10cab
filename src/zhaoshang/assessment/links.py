"""Every figure links to the records it counts (SPEC §6): the list page of the records an indicator
measures, filtered to the unit and the dates (e.g. ``/projects/?introducing_unit=3&signed_from=
2022-01-01&signed_to=2022-07-31``).

The lists' filters (``*/filtersets.py``) are coarser than some counting rules (a list cannot yet
filter by counted investment, overlap of trip days or a region's subtree), so a link may list a few
records more than the figure counts; it lists fewer only for joint activities, which the activity
list finds by their reporting unit and not by the partner units.
"""

import datetime
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from zhaoshang.core.choices import ReviewStatus
from zhaoshang.metrics.indicators import REGISTRY, Basis

# (model, date field) → (list url name, unit parameter, from parameter, to parameter)
_LISTS = {
    ("projects.Project", "signed_on"): ("projects:list", "introducing_unit", "signed_from", "signed_to"),
    ("projects.Project", "commenced_on"): (
        "projects:list",
        "introducing_unit",
        "commenced_from",
        "commenced_to",
    ),
    ("projects.Project", None): ("projects:list", "introducing_unit", None, None),
    ("projects.FundsRecord", "month"): ("funds:list", "project__introducing_unit", "month_from", "month_to"),
    ("leads.Lead", "reported_on"): ("leads:list", "unit", "reported_from", "reported_to"),
    ("activities.Activity", "started_on"): ("activities:list", "unit", "started_from", "started_to"),
    ("assessment.Finding", "found_on"): ("assessment:findings:list", "unit", "found_from", "found_to"),
}
# Size bands filter on total investment, never below the counted (added) investment, so only bands
# with no upper bound are safe to pass on.
_EXTRA = {
    "signed_projects_100m": {"size": "1yi"},
    "signed_amount_100m_wan": {"size": "1yi"},
    "signed_projects_20b": {"size": "20yi"},
    "valuable_leads": {"is_valuable": "true"},
    "trips": {"kind": "trip"},
    "out_of_province_trips": {"kind": "trip", "out_of_province": "true"},
    "days_away": {"kind": "trip"},
    "visits": {"kind": "visit"},
    "inspections": {"kind": "inspection"},
    "promotions": {"kind": "promotion"},
    "online_meetings": {"kind": "online"},
    "signing_ceremonies": {"kind": "signing"},
    "falsified_projects": {"kind": "falsified"},
    "veto_findings": {"kind": "veto"},
}
_REVIEWED_MODELS = {"projects.Project", "projects.FundsRecord", "leads.Lead", "activities.Activity"}


def records_url(
    code: str, *, unit_id: int | None, start: datetime.date, end: datetime.date, basis: str
) -> str | None:
    """The list of the records indicator ``code`` counts for a unit between two dates, or None when
    no list can show them."""
    indicator = REGISTRY.get(code)
    if indicator is None or unit_id is None:
        return None
    spec = _LISTS.get((indicator.model, indicator.date_field)) or _LISTS.get((indicator.model, None))
    if spec is None:
        return None
    name, unit_param, from_param, to_param = spec
    try:
        base = reverse(name)
    except NoReverseMatch:
        return None
    query = {unit_param: unit_id}
    if from_param:
        # Days away count trips overlapping the period: a trip may have started before it.
        if not indicator.overlaps:
            query[from_param] = start.isoformat()
        query[to_param] = end.isoformat()
    query.update(_EXTRA.get(code, {}))
    if basis == Basis.RECOGNISED and indicator.model in _REVIEWED_MODELS:
        query["review_status"] = ReviewStatus.RECOGNISED
    return f"{base}?{urlencode(query)}"
