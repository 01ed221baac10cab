"""The reports page (/reports/): pick a kind, period, basis and format, generate a draft, read it
with every figure linked to its records, edit it (the edited version is kept with who edited it),
download it as md, docx, xlsx or pdf.

Access (kept simple and safe): region roles (招商局, 领导, 督查) and superusers; anybody else 403.
Drafts are those of the user's region (``core.access.restrict``); only the bureau edits.
"""

from functools import wraps
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhaoshang.core import access
from zhaoshang.core.services import StaleEdit
from zhaoshang.organisation.choices import REGION_ROLES
from zhaoshang.organisation.selectors import home_region
from zhaoshang.reports.choices import CONTENT_TYPES, ExportFormat
from zhaoshang.reports.exports import filename
from zhaoshang.reports.forms import DraftEditForm, ReportForm
from zhaoshang.reports.models import ReportDraft
from zhaoshang.reports.render import htmlbody
from zhaoshang.reports.render.blocks import parse
from zhaoshang.reports.render.charts import render_png
from zhaoshang.reports.services import (
    meta_for,
    report_draft_create,
    report_draft_edit,
    report_draft_export,
)


def region_role_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_superuser or getattr(user, "role", None) in REGION_ROLES):
            raise PermissionDenied(_("报告仅供招商局、领导和督查查看。"))
        return view(request, *args, **kwargs)

    return wrapper


def _drafts(user):
    return access.restrict(
        ReportDraft.objects.select_related("region", "edited_by", "created_by", "campaign"), user
    )


def _draft(user, pk, action=access.VIEW) -> ReportDraft:
    return access.get_restricted_or_404(
        ReportDraft.objects.select_related("region", "edited_by"), user, pk, action
    )


@region_role_required
@require_http_methods(["GET", "POST"])
def index(request):
    user = request.user
    today = timezone.localdate()
    form = ReportForm(
        request.POST or None,
        show_region=user.is_superuser,
        initial={"end": f"{today.year}-{today.month:02d}", "start": f"{today.year}-01"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        region = user.scope_region if not user.is_superuser else (data.get("region") or home_region())
        if region is None:
            raise PermissionDenied(_("您的账号没有管辖区划,无法生成报告。"))
        try:
            draft = report_draft_create(
                user=user,
                kind=data["kind"],
                region=region,
                basis=data["basis"],
                start=data["start"] or None,
                end=data["end"] or None,
                week=data["week"] or None,
                campaign=data["campaign"],
                today=today,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            if "download" in request.POST:
                return redirect("reports:download", pk=draft.pk, fmt=data["fmt"])
            return redirect(draft)
    drafts = _drafts(user)[:30]
    return render(
        request,
        "reports/index.html",
        {"form": form, "drafts": drafts, "can_edit": access.can(user, access.CHANGE, ReportDraft)},
    )


@region_role_required
def detail(request, pk):
    draft = _draft(request.user, pk)
    blocks = parse(draft.markdown)

    def chart_src(name):
        if name not in draft.charts:
            return None
        return reverse("reports:chart", args=[draft.pk, name])

    body = htmlbody.render(blocks, links=True, chart_src=chart_src)
    return render(
        request,
        "reports/detail.html",
        {
            "draft": draft,
            "body": body,
            "meta": meta_for(draft),
            "formats": ExportFormat.choices,
            "breadcrumbs": True,
            "can_edit": access.restrict(
                ReportDraft.objects.filter(pk=draft.pk), request.user, access.CHANGE
            ).exists(),
        },
    )


@region_role_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    draft = _draft(request.user, pk, access.CHANGE)
    form = DraftEditForm(request.POST or None, instance=draft)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report_draft_edit(
                user=request.user,
                draft=draft,
                markdown=data["text"],
                read_version=data["read_version"],
                doc_number=data["doc_number"],
                classification=data["classification"],
                issuer=data["issuer"],
                issued_on=data["issued_on"],
            )
        except StaleEdit as stale:
            current = stale.current
            return render(
                request,
                "reports/conflict.html",
                {"draft": current, "theirs": current.markdown, "mine": data["text"]},
                status=409,
            )
        messages.success(request, _("已保存编辑稿(第{v}版)。").format(v=draft.version))
        return redirect(draft)
    return render(request, "reports/edit.html", {"draft": draft, "form": form, "breadcrumbs": True})


@region_role_required
def download(request, pk, fmt):
    if fmt not in ExportFormat.values:
        raise Http404(_("不支持的格式。"))
    draft = _draft(request.user, pk)
    content = report_draft_export(user=request.user, draft=draft, fmt=fmt)
    response = HttpResponse(content, content_type=CONTENT_TYPES[ExportFormat(fmt)])
    name = filename(draft.title, fmt)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@region_role_required
def chart(request, pk, name):
    draft = _draft(request.user, pk)
    spec = draft.charts.get(name)
    if spec is None:
        raise Http404(_("图表不存在。"))
    response = HttpResponse(render_png(spec, dpi=110), content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response
