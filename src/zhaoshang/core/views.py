"""Generic views: each area's views are declarations (queryset, filterset, table, form, service).

Every view goes through ``core.access``: lists are ``restrict``-ed, objects come from
``get_restricted_or_404`` (another unit's record answers 404, the same as a missing one), and writes
go through the area's services, which audit in the same transaction.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView
from django_tables2 import CheckBoxColumn, SingleTableMixin

from zhaoshang.audit.models import AuditEntry
from zhaoshang.core import access, versions
from zhaoshang.core.formatting import plain
from zhaoshang.core.models import Attachment
from zhaoshang.core.services import StaleEdit, record_delete
from zhaoshang.core.workflow import TRANSITIONS, allowed_transitions, record_transition


class ModelViewMixin(LoginRequiredMixin):
    model: type[models.Model]
    url_base: str = ""  # URL namespace of the area, e.g. "projects"

    def base_queryset(self) -> models.QuerySet:
        return self.model._default_manager.all()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        user = self.request.user
        context.update(
            opts=self.model._meta,
            url_base=self.url_base,
            can_submit=access.can(user, access.SUBMIT, self.model),
            can_recognise=access.can(user, access.RECOGNISE, self.model),
            reviewable=hasattr(self.model, "review_status"),
            can_add=access.can(user, access.ADD, self.model),
            can_change=access.can(user, access.CHANGE, self.model),
            can_delete=access.can(user, access.DELETE, self.model),
        )
        return context


EXCHANGE_KINDS = ("projects", "funds", "leads", "activities", "enterprises")


class ObjectListView(ModelViewMixin, SingleTableMixin, FilterView):
    """A list page: search, filters (kept in the URL), sorting and paging."""

    template_name = "core/object_list.html"
    paginate_by = 25
    strict = False
    empty_hint = ""

    def get_queryset(self) -> models.QuerySet:
        queryset = access.restrict(self.base_queryset(), self.request.user, access.VIEW)
        if versions.keeps_versions(self.model):
            # "变更待认定" beside the status of a record whose change is under review.
            queryset = queryset.annotate(changing_recognised=versions.kept_exists(self.model))
        return queryset

    def get_table_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"request": self.request}
        user = self.request.user
        if hasattr(self.model, "review_status") and (
            access.can(user, access.SUBMIT, self.model) or access.can(user, access.RECOGNISE, self.model)
        ):
            # A selection column for bulk submission / recognition.
            kwargs["extra_columns"] = [
                (
                    "select",
                    CheckBoxColumn(
                        accessor="pk",
                        attrs={
                            "input": {"name": "pk", "form": "bulk-form"},
                            "th__input": {"data-select-all": "1"},
                        },
                    ),
                ),
            ]
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["empty_hint"] = self.empty_hint
        # Excel in and out (the exchange app) for the kinds it knows, with the list's own filters.
        context["exchange_kind"] = self.url_base if self.url_base in EXCHANGE_KINDS else ""
        if context["exchange_kind"]:
            from zhaoshang.exchange.kinds import SHEETS  # the exchange app builds on this module

            context["can_export"] = SHEETS[self.url_base].may_export(self.request.user)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["filter_query"] = query.urlencode()
        context["filters_active"] = any(v for k, v in self.request.GET.items() if k not in ("page", "sort"))
        return context


class ObjectDetailView(ModelViewMixin, View):
    """A record, its change history (from the audit trail) and its attachments."""

    template_name = "core/object_detail.html"
    detail_fields: list[str] = []

    def get_object(self, pk) -> models.Model:
        return access.get_restricted_or_404(self.base_queryset(), self.request.user, pk)

    def extra_context(self, obj) -> dict[str, Any]:
        return {}

    def get(self, request, pk):
        obj = self.get_object(pk)
        user = request.user
        may_change = access.restrict(
            self.model._default_manager.filter(pk=obj.pk), user, access.CHANGE
        ).exists()
        may_delete = access.restrict(
            self.model._default_manager.filter(pk=obj.pk), user, access.DELETE
        ).exists()
        history = AuditEntry.objects.filter(model=obj._meta.label_lower, object_id=str(obj.pk)).order_by(
            "-id"
        )
        attachments = Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).select_related("uploaded_by")
        context = {
            "object": obj,
            "transitions": allowed_transitions(user, obj),
            "opts": obj._meta,
            "url_base": self.url_base,
            "fields": detail_rows(obj, self.detail_fields),
            "history": [history_row(obj, entry) for entry in history[:200]],
            "attachments": attachments,
            "content_type_id": ContentType.objects.get_for_model(obj).pk,
            "may_change": may_change,
            "may_delete": may_delete,
            "recognised_changes": recognised_changes(obj, self.detail_fields),
            **self.extra_context(obj),
        }
        return render(request, self.template_name, context)


class ObjectEditView(ModelViewMixin, View):
    """Create or edit one record. The form carries the version it was read at; a save after someone
    else's is refused with a conflict page showing both versions (optimistic locking)."""

    form_class: type
    template_name = "core/object_form.html"
    create_service: Callable[..., models.Model]
    update_service: Callable[..., models.Model]

    def get_instance(self, pk):
        if pk is None:
            if not access.can(self.request.user, access.ADD, self.model):
                raise PermissionDenied(_("您没有权限新增该类记录。"))
            return None
        return access.get_restricted_or_404(self.base_queryset(), self.request.user, pk, access.CHANGE)

    def get_form(self, instance, data=None, files=None):
        return self.form_class(
            data=data,
            files=files,
            instance=instance,
            user=self.request.user,
            initial=self.initial_data() if instance is None else None,
        )

    def initial_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.request.GET.items() if k in self.form_class.base_fields}

    def render_form(self, form, instance, status=200):
        context = {
            "form": form,
            "object": instance,
            "opts": self.model._meta,
            "url_base": self.url_base,
            "can_submit": hasattr(self.model, "review_status")
            and access.can(self.request.user, access.SUBMIT, self.model),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk=None):
        instance = self.get_instance(pk)
        return self.render_form(self.get_form(instance), instance)

    def post(self, request, pk=None):
        instance = self.get_instance(pk)
        form = self.get_form(instance, data=request.POST, files=request.FILES)
        if form.is_valid():
            try:
                if instance is None:
                    saved = type(self).create_service(
                        user=request.user, form=form, submit="_submit" in request.POST
                    )
                    messages.success(request, _("已保存“{obj}”。").format(obj=saved))
                else:
                    saved = type(self).update_service(
                        user=request.user, form=form, read_version=form.read_version()
                    )
                    messages.success(request, _("已更新“{obj}”。").format(obj=saved))
                return HttpResponseRedirect(saved.get_absolute_url())
            except StaleEdit as conflict:
                return render(
                    request,
                    "core/conflict.html",
                    {
                        "object": conflict.current,
                        "opts": self.model._meta,
                        "url_base": self.url_base,
                        "rows": conflict_rows(conflict.current, form),
                    },
                    status=409,
                )
            except ValidationError as error:
                form.add_validation_error(error)
        return self.render_form(form, instance, status=400)


class TransitionView(ModelViewMixin, View):
    """Submit, recognise or return one record (from its page) or many (a bulk action on the list)."""

    def post(self, request, pk=None):
        transition = request.POST.get("transition", "")
        if transition not in TRANSITIONS or not hasattr(self.model, "review_status"):
            raise PermissionDenied(_("无效的操作。"))
        pks = [pk] if pk is not None else [int(v) for v in request.POST.getlist("pk") if v.isdigit()]
        if pk is not None:
            access.get_restricted_or_404(self.base_queryset(), request.user, pk)  # 404 for another unit's
        try:
            moved = record_transition(
                user=request.user,
                model=self.model,
                pks=pks,
                transition=transition,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as error:
            messages.error(request, "".join(error.messages))
            moved = None
        if moved is not None:
            label = {"submit": _("上报"), "recognise": _("认定"), "return": _("退回")}[transition]
            if moved:
                messages.success(request, _("已{action}{n}条记录。").format(action=label, n=moved))
            else:
                messages.warning(request, _("没有可{action}的记录(可能已被他人处理)。").format(action=label))
        back = request.POST.get("next") or ""
        if not back.startswith("/") or back.startswith("//"):
            back = reverse(f"{self.url_base}:list")
        return HttpResponseRedirect(back)


class ObjectDeleteView(ModelViewMixin, View):
    template_name = "core/object_confirm_delete.html"

    def get_object(self, pk):
        return access.get_restricted_or_404(self.base_queryset(), self.request.user, pk, access.DELETE)

    def get(self, request, pk):
        obj = self.get_object(pk)
        return render(
            request, self.template_name, {"object": obj, "opts": obj._meta, "url_base": self.url_base}
        )

    def post(self, request, pk):
        obj = self.get_object(pk)
        record_delete(user=request.user, instance=obj)
        messages.success(request, _("已删除“{obj}”。").format(obj=obj))
        return HttpResponseRedirect(reverse(f"{self.url_base}:list"))


# --- presentation helpers -------------------------------------------------------------------------


def display_value(obj: models.Model, field: models.Field) -> Any:
    if field.many_to_many:
        return "、".join(str(o) for o in getattr(obj, field.name).all()) or "—"
    # Choice fields, and fields whose model names their values itself (a target's indicator code).
    shown = getattr(obj, f"get_{field.name}_display", None)
    if shown is not None:
        return shown() or "—"
    value = getattr(obj, field.name)
    if isinstance(field, models.BooleanField):
        return {True: _("是"), False: _("否"), None: _("未判定")}[value]
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return value


def detail_rows(obj: models.Model, names: list[str]) -> list[tuple[str, Any]]:
    rows = []
    for name in names:
        field = obj._meta.get_field(name)
        rows.append((field.verbose_name, display_value(obj, field)))
    return rows


def recognised_changes(obj: models.Model, names: list[str]) -> list[tuple[str, Any, Any]] | None:
    """For a record whose change is under review: field by field, its recognised version (what the
    认定 basis still counts) and the record as changed — what the reviewer decides on. None when the
    record keeps no recognised version."""
    kept = versions.pending_version(obj)
    if kept is None:
        return None
    before, after = detail_rows(kept, names), detail_rows(obj, names)
    return [(label, old, new) for (label, old), (_same, new) in zip(before, after, strict=True) if old != new]


def _label(model_meta, name: str) -> str:
    try:
        return str(model_meta.get_field(name).verbose_name)
    except Exception:  # a field removed since the row was written
        return name


def history_row(obj: models.Model, entry: AuditEntry) -> dict[str, Any]:
    meta = obj._meta
    hidden = {"version", "id", "is_deleted"}
    changes = [(_label(meta, k), b, a) for k, b, a in entry.changed_fields() if k not in hidden]
    return {"entry": entry, "changes": changes}


def conflict_rows(current: models.Model, form) -> list[tuple[str, Any, Any]]:
    """Field by field: what the other person saved, and what this person tried to save."""
    rows = []
    for name, bound in form.fields.items():
        if name == "_version":
            continue
        try:
            field = current._meta.get_field(name)
        except Exception:
            continue
        theirs = display_value(current, field)
        mine = form.cleaned_data.get(name)
        if hasattr(mine, "all"):
            mine = "、".join(str(o) for o in mine)
        rows.append(
            (
                bound.label or field.verbose_name,
                theirs,
                "—" if mine in (None, "") else mine,
                str(theirs) != str(mine),
            )
        )
    return rows


def attachment_download(request, pk):
    """Attachments are stored outside the web root and served only to users who may see their record."""
    from django.http import FileResponse, Http404

    attachment = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    model = attachment.content_type.model_class()
    access.get_restricted_or_404(model._default_manager.all(), request.user, attachment.object_id)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.file.name.rsplit("/", 1)[-1]
    )


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


ALLOWED_ATTACHMENT_TYPES = {
    ".pdf": b"%PDF",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
    ".doc": b"\xd0\xcf\x11\xe0",
    ".xls": b"\xd0\xcf\x11\xe0",
}
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def attachment_upload(request, content_type_id, object_id):
    """Attach a file to a record the user may change. Type is checked by extension *and* leading
    bytes, size is capped, and the file is stored outside the web root."""
    from django.http import Http404
    from django.shortcuts import redirect

    from zhaoshang.core.services import attachment_add

    if request.method != "POST":
        raise Http404
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type else None
    if model is None:
        raise Http404
    try:
        access.scope_of(model)
    except LookupError as exc:
        raise Http404 from exc
    obj = access.get_restricted_or_404(model._default_manager.all(), request.user, object_id, access.CHANGE)
    upload = request.FILES.get("file")
    problem = check_upload(upload)
    if problem:
        messages.error(request, problem)
    else:
        attachment_add(user=request.user, obj=obj, upload=upload, title=request.POST.get("title", ""))
        messages.success(request, _("已上传附件“{name}”。").format(name=upload.name))
    return redirect(obj.get_absolute_url())


def check_upload(upload) -> str:
    if upload is None:
        return _("请选择要上传的文件。")
    suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    magic = ALLOWED_ATTACHMENT_TYPES.get(suffix)
    if magic is None:
        return _("不支持该文件类型,仅限 PDF、图片(JPG/PNG)、Word、Excel。")
    if upload.size > MAX_ATTACHMENT_BYTES:
        return _("文件过大,单个附件不超过20MB。")
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(magic):
        return _("文件内容与扩展名不符,已拒绝上传。")
    return ""


def csrf_failure(request, reason: str = ""):
    """A form sent from an expired page (or from elsewhere): say so in Chinese, not Django's page."""
    message = _("页面已过期或无法核实表单来源,请刷新页面后重新提交。")
    return render(request, "403.html", {"exception": message}, status=403)
