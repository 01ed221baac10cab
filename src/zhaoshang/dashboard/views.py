from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from zhaoshang.activities.models import Activity
from zhaoshang.core import access
from zhaoshang.core.choices import ReviewStatus
from zhaoshang.leads.models import Lead
from zhaoshang.organisation.choices import ADMIN_ROLES, Role
from zhaoshang.projects.models import FundsRecord, Project

WORKLIST_MODELS = [(Project, "projects"), (FundsRecord, "funds"), (Lead, "leads"), (Activity, "activities")]


@login_required
def home(request):
    """The start page: what needs this user's attention. (The leaders' cockpit comes with the metrics.)"""
    user = request.user
    rows = []
    if user.is_superuser or user.role not in ADMIN_ROLES:
        wanted = (
            (ReviewStatus.SUBMITTED,)
            if user.role == Role.BUREAU
            else (ReviewStatus.DRAFT, ReviewStatus.RETURNED)
        )
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
    return render(
        request, "dashboard/home.html", {"worklist": rows, "is_admin_role": user.role in ADMIN_ROLES}
    )
