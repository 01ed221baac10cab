"""Assessment pages: the list of results (/assessments/), one result explained (/assessments/<id>/),
and the bureau's buttons to compute, recompute and publish. Thin: parse, check access, call a
service or a selector, render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhaoshang.assessment import selectors, services
from zhaoshang.assessment.choices import PeriodKind
from zhaoshang.assessment.filtersets import FindingFilterSet
from zhaoshang.assessment.forms import (
    FindingForm,
    RunForm,
    SchemeInitForm,
    SchemeItemFormSet,
    SchemeVersionForm,
)
from zhaoshang.assessment.models import Finding, Run, Scheme
from zhaoshang.assessment.tables import FindingTable
from zhaoshang.core import access
from zhaoshang.core.services import StaleEdit
from zhaoshang.core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView


@login_required
def run_list(request):
    runs = selectors.runs_visible(request.user).order_by(
        "-ends_on", "-period_starts_on", "period_code", "basis", "scheme__assessment_group__order", "pk"
    )
    page = Paginator(runs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "assessment/run_list.html",
        {
            "page": page,
            "form": RunForm(),
            # The month usually assessed next: its reporting-cycle state beside the form.
            "last_month": (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)),
            "can_run": access.can(request.user, access.ADD, Run),
            "can_findings": access.can(request.user, access.VIEW, Finding),
        },
    )


@login_required
@require_POST
def run_create(request):
    """计算: every scheme of the period's year that runs on its kind and that the user may run."""
    if not access.can(request.user, access.ADD, Run):
        raise PermissionDenied(_("只有招商局可以计算和发布考核结果。"))
    form = RunForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "".join(errors))
        return redirect("assessment:list")
    period, basis = form.cleaned_data["period"], form.cleaned_data["basis"]
    schemes = [
        s for s in selectors.schemes_runnable(request.user, year=period.year) if s.runs_on(period.kind)
    ]
    if not schemes:
        messages.error(
            request,
            _("{year}年没有适用于{kind}的考核办法。").format(
                year=period.year, kind=PeriodKind(period.kind).label
            ),
        )
        return redirect("assessment:list")
    done = []
    for scheme in schemes:
        try:
            done.append(services.assessment_run(user=request.user, scheme=scheme, period=period, basis=basis))
        except ValidationError as error:
            messages.warning(request, "".join(error.messages))
    if not done:
        return redirect("assessment:list")
    messages.success(
        request,
        _("已计算{period}考核结果{n}个(草稿,核对后发布)。").format(period=period.period.label, n=len(done)),
    )
    return redirect(done[0].get_absolute_url())


@login_required
def run_detail(request, pk):
    run = selectors.run_for(request.user, pk)
    lines = selectors.run_lines(run)
    may_change = access.restrict(Run.objects.filter(pk=run.pk), request.user, access.CHANGE).exists()
    return render(
        request,
        "assessment/run_detail.html",
        {
            "run": run,
            "lines": lines,
            "columns": [e.name for e in lines[0].entries] if lines else [],
            "leaderboard": [
                (view, selectors.signing_link(run, view.line)) for view in selectors.leaderboard(lines)
            ],
            "siblings": selectors.sibling_runs(run, request.user),
            "may_change": may_change and not run.is_published,
        },
    )


@login_required
@require_POST
def run_recompute(request, pk):
    run = selectors.run_for(request.user, pk, access.CHANGE)
    try:
        run = services.assessment_run(
            user=request.user, scheme=run.scheme, period=run.period_code, basis=run.basis
        )
        messages.success(request, _("已重新计算“{run}”。").format(run=run))
    except ValidationError as error:
        messages.error(request, "".join(error.messages))
    return redirect(run.get_absolute_url())


@login_required
@require_POST
def run_publish(request, pk):
    run = selectors.run_for(request.user, pk, access.CHANGE)
    try:
        run = services.assessment_publish(user=request.user, run=run)
        messages.success(request, _("已发布“{run}”,结果已冻结,此后数据修改不再影响该结果。").format(run=run))
    except ValidationError as error:
        messages.error(request, "".join(error.messages))
    return redirect(run.get_absolute_url())


# --- 核查问题 (findings): the bureau's record of falsified projects and other vetoed matters ---------


class FindingMixin:
    model = Finding
    url_base = "assessment:findings"

    def base_queryset(self):
        return Finding.objects.select_related("unit", "project", "created_by")


class FindingListView(FindingMixin, ObjectListView):
    filterset_class = FindingFilterSet
    table_class = FindingTable
    empty_hint = gettext_lazy("还没有核查问题。")


class FindingDetailView(FindingMixin, ObjectDetailView):
    detail_fields = ["unit", "kind", "project", "found_on", "description", "created_by"]


class FindingEditView(FindingMixin, ObjectEditView):
    form_class = FindingForm
    create_service = services.finding_create
    update_service = services.finding_update


class FindingDeleteView(FindingMixin, ObjectDeleteView):
    pass


# --- 考核办法 (schemes): the bureau adjusts weights and rules without the admin -----------------------


def _may_configure(user) -> None:
    if not access.can(user, access.CHANGE, Scheme):
        raise PermissionDenied(_("只有招商局可以调整考核办法。"))


@login_required
def scheme_list(request):
    """The year's schemes with their items; a year without any offers to create them."""
    _may_configure(request.user)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    schemes = selectors.schemes_configurable(request.user, year=year)
    return render(
        request,
        "assessment/scheme_list.html",
        {
            "year": year,
            "schemes": schemes,
            "years": selectors.scheme_years(request.user),
            "init_form": SchemeInitForm(initial={"year": year, "from_year": year - 1}),
        },
    )


@login_required
@require_POST
def scheme_init(request):
    _may_configure(request.user)
    form = SchemeInitForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "".join(errors))
        return redirect("assessment:schemes")
    year, from_year = form.cleaned_data["year"], form.cleaned_data["from_year"]
    try:
        schemes = services.scheme_year_init(year=year, from_year=from_year, user=request.user)
        messages.success(request, _("已建立{year}年考核办法{n}个。").format(year=year, n=len(schemes)))
    except ValidationError as error:
        messages.error(request, "".join(error.messages))
    return redirect(f"{reverse('assessment:schemes')}?year={year}")


@login_required
def scheme_edit(request, pk):
    """One scheme's items in a formset; a save after someone else's is refused (optimistic locking)."""
    scheme = access.get_restricted_or_404(
        Scheme.objects.select_related("assessment_group", "region"), request.user, pk, access.CHANGE
    )
    if request.method == "POST":
        version_form = SchemeVersionForm(request.POST)
        formset = SchemeItemFormSet(request.POST, instance=scheme)
        if version_form.is_valid() and formset.is_valid():
            try:
                services.scheme_items_update(
                    user=request.user,
                    scheme=scheme,
                    read_version=version_form.cleaned_data["version"],
                    formset=formset,
                )
            except StaleEdit:
                messages.error(
                    request, _("该考核办法已被他人修改,您的修改未保存;以下为最新版本,请重新调整。")
                )
                return redirect("assessment:scheme_edit", pk=scheme.pk)
            messages.success(request, _("已保存“{scheme}”。").format(scheme=scheme))
            return redirect(f"{reverse('assessment:schemes')}?year={scheme.year}")
    else:
        version_form = SchemeVersionForm(initial={"version": scheme.version})
        formset = SchemeItemFormSet(instance=scheme)
    return render(
        request,
        "assessment/scheme_form.html",
        {"scheme": scheme, "formset": formset, "version_form": version_form},
    )
