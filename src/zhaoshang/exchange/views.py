"""Templates, imports and exports on the page (thin views: parse, check access, call a service).

An import is two steps on one page, each run by the background worker (core.jobs): the check (a dry
run; its report is the preview of what will be created and updated, and every problem) starts by
itself when the page loads, and the import starts when the user confirms. While either runs, the
page polls the progress every second (htmx) and the last poll brings the result.
"""

import tempfile

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from zhaoshang.exchange import cells, services
from zhaoshang.exchange.kinds import SHEETS, Sheet
from zhaoshang.exchange.models import ImportJob, ImportStatus
from zhaoshang.exchange.services import Report
from zhaoshang.organisation.choices import Role


def _sheet(kind: str) -> Sheet:
    sheet = SHEETS.get(kind)
    if sheet is None:
        raise Http404(_("没有这种数据类型。"))
    return sheet


def _xlsx_response(handle, filename: str) -> FileResponse:
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


class IndexView(LoginRequiredMixin, View):
    """What the user may download, import and export, and their recent imports."""

    def get(self, request):
        user = request.user
        kinds = [
            {"sheet": sheet, "may_import": sheet.may_import(user), "may_export": sheet.may_export(user)}
            for sheet in SHEETS.values()
        ]
        kinds = [k for k in kinds if k["may_import"] or k["may_export"]]
        jobs = ImportJob.objects.filter(user=user)[:20]
        return render(request, "exchange/index.html", {"kinds": kinds, "jobs": jobs, "breadcrumbs": True})


class TemplateDownloadView(LoginRequiredMixin, View):
    def get(self, request, kind):
        sheet = _sheet(kind)
        if not (sheet.may_import(request.user) or sheet.may_export(request.user)):
            raise PermissionDenied(_("您没有权限使用该模板。"))
        handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        services.template_file(kind=kind, user=request.user, out=handle)
        handle.seek(0)
        return _xlsx_response(handle, _("{label}导入模板.xlsx").format(label=sheet.label))


class ExportView(LoginRequiredMixin, View):
    """The list page's records (its filters from the same query string), as the template's columns."""

    def get(self, request, kind):
        sheet = _sheet(kind)
        if not sheet.may_export(request.user):
            raise PermissionDenied(_("您没有权限导出{label}。").format(label=sheet.label))
        try:
            month_from = cells.parse_month(request.GET.get("from"))
            month_to = cells.parse_month(request.GET.get("to"))
        except cells.CellError:  # a bad month in the address is ignored, like a bad filter value
            month_from = month_to = None
        queryset = services.export_queryset(
            kind=kind, user=request.user, params=request.GET, month_from=month_from, month_to=month_to
        )
        handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        services.export_file(kind=kind, user=request.user, out=handle, queryset=queryset)
        handle.seek(0)
        filename = f"{sheet.label}_{timezone.localdate():%Y%m%d}.xlsx"
        return _xlsx_response(handle, filename)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("文件"),
        help_text=gettext_lazy(".xlsx、.xls 或 .csv;表头与模板一致(表头上方可有标题行)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.xls,.csv"}),
    )
    as_reported = forms.BooleanField(
        label=gettext_lazy("作为上报数据导入(不直接认定)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("专项行动"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("(年度目标)"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, sheet: Sheet, user, **kwargs):
        super().__init__(*args, **kwargs)
        from zhaoshang.targets.models import Campaign

        self.fields["campaign"].queryset = Campaign.objects.order_by("-starts_on")
        if sheet.name != "targets":
            del self.fields["campaign"]
        if not (user.is_superuser or user.role == Role.BUREAU) or sheet.config or sheet.name == "targets":
            del self.fields["as_reported"]


class ImportView(LoginRequiredMixin, View):
    template_name = "exchange/import.html"

    def _check(self, request, kind) -> Sheet:
        sheet = _sheet(kind)
        if not sheet.may_import(request.user):
            raise PermissionDenied(_("您没有权限导入{label}。").format(label=sheet.label))
        return sheet

    def _render(self, request, sheet, form, status=200):
        user = request.user
        if user.is_superuser or user.role == Role.BUREAU:
            comes_in = _("导入的记录直接认定(勾选“作为上报数据导入”则为已上报)。")
        elif user.role == Role.UNIT_HEAD:
            comes_in = _("导入的记录为“已上报”,由招商局认定。只能导入本单位的数据。")
        elif user.role == Role.REPORTER:
            comes_in = _("导入的记录为“草稿”,由单位负责人上报。只能导入本单位的数据。")
        else:
            comes_in = ""
        context = {"sheet": sheet, "form": form, "comes_in": comes_in, "breadcrumbs": True}
        return render(request, self.template_name, context, status=status)

    def get(self, request, kind):
        sheet = self._check(request, kind)
        return self._render(request, sheet, UploadForm(sheet=sheet, user=request.user))

    def post(self, request, kind):
        sheet = self._check(request, kind)
        form = UploadForm(request.POST, request.FILES, sheet=sheet, user=request.user)
        if form.is_valid():
            try:
                job = services.import_job_create(
                    user=request.user,
                    kind=kind,
                    upload=form.cleaned_data["file"],
                    as_reported=form.cleaned_data.get("as_reported", False),
                    campaign=form.cleaned_data.get("campaign"),
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                return HttpResponseRedirect(job.get_absolute_url())
        return self._render(request, sheet, form, status=400)


def _job(request, pk) -> ImportJob:
    """The user's own import; anyone else's answers 404, like one that does not exist."""
    job = ImportJob.objects.filter(pk=pk, user=request.user).select_related("campaign").first()
    if job is None:
        raise Http404(_("记录不存在。"))
    return job


def _job_context(job: ImportJob) -> dict:
    report = Report.from_dict(job.report) if job.report else None
    running = job.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING)
    return {
        "job": job,
        "sheet": SHEETS.get(job.kind),
        "report": report,
        "problems_shown": report.problems[:500] if report else [],
        "running": running,
        "progress": services.import_job_progress(job) if running else None,
        "percent": 0,
        "breadcrumbs": True,
    }


class JobView(LoginRequiredMixin, View):
    def get(self, request, pk):
        job = _job(request, pk)
        return render(request, "exchange/job.html", _job_context(job))


class JobRunView(LoginRequiredMixin, View):
    """POST: start the check (a dry run) or, once checked, the import, in the background worker.
    htmx gets the job's fragment back (the progress while it runs, the report when it is done); a
    plain form post is redirected to the job page."""

    confirm = False

    def post(self, request, pk):
        job = _job(request, pk)
        services.import_job_start(job=job, confirm=self.confirm)
        job.refresh_from_db()
        if self.confirm and job.status == ImportStatus.IMPORTED:
            messages.success(request, Report.from_dict(job.report).summary())
        if request.htmx:
            return render(request, "exchange/_job_result.html", _job_context(job))
        return HttpResponseRedirect(job.get_absolute_url())


class JobProgressView(LoginRequiredMixin, View):
    """Polled every second while the worker checks or imports; once the job is no longer running it
    answers 286 (htmx: stop polling) with the job's result, which replaces the whole fragment."""

    def get(self, request, pk):
        # A poll must not write: on SQLite the import holds the write lock, and the session (saved on
        # every request) would wait for it — the progress would only show once the import is over.
        request.session.save = lambda *args, **kwargs: None
        job = _job(request, pk)
        progress = services.import_job_progress(job)
        done, total = progress.get("done", 0), progress.get("total", 0)
        percent = int(done * 100 / total) if total else 0
        if job.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING, ImportStatus.UPLOADED):
            context = {"job": job, "progress": progress, "percent": min(percent, 100)}
            return render(request, "exchange/_progress.html", context)
        response = render(request, "exchange/_job_result.html", _job_context(job), status=286)
        response["HX-Retarget"] = "#job-result"
        response["HX-Reswap"] = "outerHTML"
        return response
