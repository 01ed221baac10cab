import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from zhaoshang.core.access import unit_choices_for
from zhaoshang.metrics import periods
from zhaoshang.metrics.indicators import REGISTRY, Basis
from zhaoshang.metrics.selectors import DEFAULT_TABLE_CODES, indicator_table
from zhaoshang.organisation.models import AssessmentGroup, Unit


@login_required
def definitions(request):
    """The counting conventions (口径), as users read them: one home per rule."""
    return render(
        request, "metrics/definitions.html", {"indicators": list(REGISTRY.values()), "bases": Basis.choices}
    )


def period_from_request(request, today: datetime.date) -> periods.Period:
    """``?from=YYYY-MM&to=YYYY-MM``; by default this year up to the current month."""
    start, end = request.GET.get("from"), request.GET.get("to")
    if not end:
        end = f"{today.year}-{today.month:02d}"
    return periods.from_to(start, end, today)


@login_required
def table(request):
    """Units × indicators for a period: value, target, completion and YoY, every unit the user may see."""
    today = timezone.localdate()
    try:
        period = period_from_request(request, today)
    except ValueError as error:
        messages.error(request, str(error))
        period = periods.year_to_date(today.year, today.month)
    basis = request.GET.get("basis") or Basis.RECOGNISED
    if basis not in Basis.values:
        basis = Basis.RECOGNISED
    units = unit_choices_for(request.user, Unit.objects.filter(is_active=True)).select_related(
        "assessment_group"
    )
    group = request.GET.get("group")
    if group and group.isdigit():
        units = units.filter(assessment_group_id=int(group))
    indicators, rows = indicator_table(
        units=units.order_by("order", "name"), codes=DEFAULT_TABLE_CODES, period=period, basis=basis
    )
    return render(
        request,
        "metrics/table.html",
        {
            "period": period,
            "basis": basis,
            "bases": Basis.choices,
            "indicators": indicators,
            "rows": rows,
            "groups": AssessmentGroup.objects.all(),
            "group": group or "",
            "time_progress": period.time_progress(as_of=today),
            "from": f"{period.start:%Y-%m}",
            "to": f"{period.end:%Y-%m}",
        },
    )
