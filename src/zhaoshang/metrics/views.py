import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.core.access import unit_choices_for
from zhaoshang.core.services import StaleEdit
from zhaoshang.metrics import periods
from zhaoshang.metrics.forms import CountingRulesForm
from zhaoshang.metrics.indicators import REGISTRY, Basis
from zhaoshang.metrics.models import CountingRules
from zhaoshang.metrics.selectors import (
    DEFAULT_TABLE_CODES,
    indicator_table,
    ineligible_projects,
    options_in_force,
)
from zhaoshang.metrics.services import counting_rules_save, may_set_counting_rules
from zhaoshang.organisation.models import AssessmentGroup, Unit


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


@login_required
def definitions(request):
    """The counting conventions (口径), as users read them: one home per rule, with the counting
    options of the year in force (issue 13)."""
    year = _year(request)
    return render(
        request,
        "metrics/definitions.html",
        {
            "indicators": list(REGISTRY.values()),
            "bases": Basis.choices,
            "year": year,
            "options": options_in_force(year),
            "may_set": may_set_counting_rules(request.user),
        },
    )


@login_required
def counting_rules_edit(request):
    """The bureau sets a year's counting options; saving rebuilds the monthly summary."""
    if not may_set_counting_rules(request.user):
        raise PermissionDenied(_("只有本地招商局可以调整口径选项。"))
    year = _year(request)
    rules = CountingRules.objects.filter(year=year).first() or CountingRules(year=year)
    if request.method == "POST":
        form = CountingRulesForm(request.POST, instance=rules)
        if form.is_valid():
            try:
                counting_rules_save(
                    user=request.user, rules=form.instance, read_version=form.cleaned_data.get("version")
                )
            except StaleEdit:
                messages.error(request, _("口径选项已被他人修改,您的修改未保存;以下为最新设置。"))
                return redirect(f"{reverse('metrics:options')}?year={year}")
            messages.success(request, _("已保存{year}年口径选项,统计数字按新口径重算。").format(year=year))
            return redirect(f"{reverse('metrics:definitions')}?year={year}")
    else:
        form = CountingRulesForm(instance=rules, initial={"version": rules.version if rules.pk else None})
    return render(request, "metrics/options_form.html", {"form": form, "year": year, "rules": rules})


@login_required
def excluded(request):
    """不予认定: the projects of a year that the eligibility rules leave out, with the rule for each."""
    year = _year(request)
    rows = ineligible_projects(user=request.user, year=year)
    return render(
        request,
        "metrics/excluded.html",
        {
            "year": year,
            "rows": Paginator(rows, 50).get_page(request.GET.get("page")),
            "total": len(rows),
            "options": options_in_force(year),
        },
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
