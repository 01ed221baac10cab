from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from zhaoshang.activities.models import Activity
from zhaoshang.core import access
from zhaoshang.core.choices import ReviewStatus
from zhaoshang.dashboard.selectors import dashboard_data
from zhaoshang.dashboard.selectors_unit import unit_home_data
from zhaoshang.leads.models import Lead
from zhaoshang.metrics import periods
from zhaoshang.metrics.indicators import Basis
from zhaoshang.organisation.choices import ADMIN_ROLES, UNIT_ROLES, Role
from zhaoshang.projects.models import FundsRecord, Project

WORKLIST_MODELS = [(Project, "projects"), (FundsRecord, "funds"), (Lead, "leads"), (Activity, "activities")]


def worklist(user) -> list[dict]:
    """What needs this user's action: drafts and returned records for units, submissions for the bureau."""
    wanted = (
        (ReviewStatus.SUBMITTED,) if user.role == Role.BUREAU else (ReviewStatus.DRAFT, ReviewStatus.RETURNED)
    )
    rows = []
    for model, url_base in WORKLIST_MODELS:
        visible = access.restrict(model.objects.all(), user)
        for status in wanted:
            rows.append(
                {
                    "label": model._meta.verbose_name,
                    "status": ReviewStatus(status).label,
                    "count": visible.filter(review_status=status).count(),
                    "url": f"/{url_base}/?review_status={status}",
                }
            )
    return rows


@login_required
def home(request):
    """The cockpit (驾驶舱) for the user's scope, with the period and basis selectors, and the worklist;
    for a unit's users, their unit's home page above it."""
    user = request.user
    if user.role in ADMIN_ROLES and not user.is_superuser:
        return render(request, "dashboard/home.html", {"is_admin_role": True})
    today = timezone.localdate()
    try:
        period = periods.from_to(request.GET.get("from"), request.GET.get("to") or f"{today:%Y-%m}", today)
    except ValueError as error:
        messages.error(request, str(error))
        period = periods.year_to_date(today.year, today.month)
    basis = request.GET.get("basis") if request.GET.get("basis") in Basis.values else Basis.RECOGNISED
    context = {
        "period": period,
        "basis": basis,
        "bases": Basis.choices,
        "from": f"{period.start:%Y-%m}",
        "to": f"{period.end:%Y-%m}",
        "time_progress": period.time_progress(as_of=today),
        "worklist": worklist(user),
        "data": dashboard_data(user=user, period=period, basis=basis, today=today),
    }
    if user.role in UNIT_ROLES and user.unit_id and not user.is_superuser:
        # A unit's own page: targets, rank, what it owes and what needs attention, above its figures.
        context["unit_home"] = unit_home_data(user=user, basis=basis, today=today)
    return render(request, "dashboard/home.html", context)
