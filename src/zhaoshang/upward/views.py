"""Upward reporting pages: reconciliation with an upper platform, export in its layout, import of
its recognised figures, and a project's registration there. Thin: parse, check access, call."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhaoshang.core import access
from zhaoshang.projects.models import Project
from zhaoshang.upward import selectors, services
from zhaoshang.upward.choices import Platform
from zhaoshang.upward.forms import ImportForm, PeriodForm, RegistrationForm
from zhaoshang.upward.models import PlatformRecord


def _viewer(user) -> None:
    if not access.can(user, access.VIEW, PlatformRecord):
        raise PermissionDenied(_("您没有权限查看向上报送。"))


@login_required
def reconciliation(request):
    _viewer(request.user)
    form = PeriodForm(request.GET or None)
    result = None
    if form.is_valid():
        result = selectors.reconciliation(
            user=request.user, platform=form.cleaned_data["platform"], period=form.cleaned_data["period"]
        )
    rows = (
        (result.differing if form.is_valid() and form.cleaned_data["differing"] else result.rows)
        if result
        else []
    )
    return render(
        request,
        "upward/reconciliation.html",
        {
            "form": form,
            "result": result,
            "rows": rows,
            "import_form": ImportForm(),
            "may_write": access.can(request.user, access.CHANGE, PlatformRecord),
            "platform": Platform(form.cleaned_data["platform"]).label if form.is_valid() else "",
        },
    )


@login_required
def export(request):
    form = PeriodForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("请选择上级平台并填写期间。"))
        return redirect("upward:reconciliation")
    data = form.cleaned_data
    content = services.upward_export(
        user=request.user,
        platform=data["platform"],
        period=data["period"],
        basis=data["basis"] or "recognised",
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"upward-{data['platform']}-{data['period'].start:%Y%m}-{data['period'].end:%Y%m}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def import_recognised(request):
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择上级平台和文件。"))
        return redirect("upward:reconciliation")
    upload = form.cleaned_data["file"]
    suffix = Path(upload.name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as stored:
        for chunk in upload.chunks():
            stored.write(chunk)
        stored.flush()
        outcome = services.upward_import(
            user=request.user, platform=form.cleaned_data["platform"], path=stored.name, filename=upload.name
        )
    if outcome.ok:
        messages.success(
            request,
            _("已导入上级认定数:新增 {created} 条,更新 {updated} 条。").format(
                created=outcome.created, updated=outcome.updated
            ),
        )
    else:
        messages.error(request, _("文件有错误,未导入任何数据:") + ";".join(outcome.errors[:20]))
    return redirect("upward:reconciliation")


@login_required
def registrations(request):
    """The region's projects with their code and status on a platform (the bureau edits each)."""
    _viewer(request.user)
    platform = request.GET.get("platform") or Platform.PROVINCE
    if platform not in Platform.values:
        platform = Platform.PROVINCE
    page = Paginator(
        selectors.registrations(user=request.user, platform=platform, search=request.GET.get("q", "")), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "upward/registrations.html",
        {
            "page": page,
            "platform": platform,
            "platforms": Platform.choices,
            "may_write": access.can(request.user, access.CHANGE, PlatformRecord),
        },
    )


@login_required
def registration(request, pk, platform):
    project = access.get_restricted_or_404(Project.objects.all(), request.user, pk)
    if not access.can(request.user, access.CHANGE, PlatformRecord):
        raise PermissionDenied(_("只有招商局可以登记上级平台信息。"))
    if platform not in Platform.values:
        raise Http404(_("记录不存在。"))
    record = PlatformRecord.objects.filter(project=project, platform=platform).first()
    initial = (
        {"code": record.code, "status": record.status, "refusal_reason": record.refusal_reason}
        if record
        else {}
    )
    form = RegistrationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.platform_record_set(
                user=request.user, project=project, platform=platform, **form.cleaned_data
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("已保存上级平台登记信息。"))
            return redirect(f"{reverse('upward:registrations')}?platform={platform}")
    return render(
        request,
        "upward/registration.html",
        {"form": form, "project": project, "platform": Platform(platform).label},
    )
