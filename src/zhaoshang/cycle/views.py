"""The reporting cycle's pages (/cycle/): the months with their state and who is late, one month's
units with 催报 and the close / reopen buttons (the bureau), and a unit head's 数据报送确认.

Who: the bureau and leaders see the units of their region, a unit's users their own unit; only the
bureau reminds, closes and reopens, only a unit head confirms (``cycle.services``)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhaoshang.core import access
from zhaoshang.cycle import selectors, services
from zhaoshang.cycle.calendar import deadline_workday
from zhaoshang.cycle.forms import ConfirmForm, ReopenForm
from zhaoshang.cycle.models import MonthlyReport, Reminder
from zhaoshang.metrics.closing import month_close, month_reopen
from zhaoshang.organisation.choices import Role

VIEWERS = (Role.BUREAU, Role.LEADER, Role.REPORTER, Role.UNIT_HEAD)


def cycle_viewer(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_superuser or request.user.role in VIEWERS):
            raise PermissionDenied(_("报送周期仅供招商局、领导和任务单位查看。"))
        return view(request, *args, **kwargs)

    return wrapper


def _month(text: str):
    try:
        return selectors.parse_month(text)
    except ValueError as exc:
        raise Http404(_("月份不存在。")) from exc


def _bureau(user) -> bool:
    return access.can(user, access.ADD, Reminder)


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@cycle_viewer
def index(request):
    today = timezone.localdate()
    page, rows = selectors.month_rows(user=request.user, today=today, page=request.GET.get("page"))
    return render(
        request, "cycle/index.html", {"page": page, "rows": rows, "today": today, "n": deadline_workday()}
    )


@cycle_viewer
def month(request, month):
    day = _month(month)
    today = timezone.localdate()
    detail = selectors.month_detail(user=request.user, month=day, today=today)
    return render(
        request,
        "cycle/month.html",
        {
            "detail": detail,
            "is_bureau": _bureau(request.user),
            "may_confirm": access.can(request.user, access.SUBMIT, MonthlyReport),
            "month_over": selectors.month_is_over(day, today),
            "confirm_form": ConfirmForm(),
            "reopen_form": ReopenForm(),
        },
    )


def _back(request, month: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("cycle:month", month=month)


@cycle_viewer
@require_POST
def confirm(request, month, unit):
    day = _month(month)
    # A unit not the user's own answers 404, as any record a user may not see.
    target = selectors.reporting_units(request.user).filter(pk=unit).first()
    if target is None:
        raise Http404(_("单位不存在。"))
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        report = services.report_confirm(
            user=request.user, unit=target, month=day, note=form.cleaned_data.get("note", "")
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("已确认{r}。").format(r=report))
    return _back(request, month)


@cycle_viewer
@require_POST
def remind(request, month):
    day = _month(month)
    units = selectors.reporting_units(request.user)
    if request.POST.get("unit"):
        units = units.filter(pk=request.POST["unit"])
    try:
        n = services.remind(user=request.user, month=day, units=list(units), today=timezone.localdate())
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("已向{n}个单位发送催报消息。").format(n=n))
    return redirect("cycle:month", month=month)


@cycle_viewer
@require_POST
def close(request, month):
    day = _month(month)
    if not _bureau(request.user):
        raise PermissionDenied(_("只有招商局可以关账。"))
    try:
        closed = month_close(user=request.user, month=day)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("已关账:{months}。").format(months="、".join(selectors.month_label(m) for m in closed))
        )
    return redirect("cycle:month", month=month)


@cycle_viewer
@require_POST
def reopen(request, month):
    day = _month(month)
    if not _bureau(request.user):
        raise PermissionDenied(_("只有招商局可以重新开账。"))
    form = ReopenForm(request.POST)
    form.is_valid()
    try:
        month_reopen(user=request.user, month=day, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("已重新开账:{m}。").format(m=selectors.month_label(day)))
    return redirect("cycle:month", month=month)
