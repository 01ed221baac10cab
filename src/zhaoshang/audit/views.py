"""The auditor's page: search the audit trail. Only the auditor (and no other administrator) reads it."""

import django_filters
import django_tables2 as tables
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig

from zhaoshang.audit.models import AuditAction, AuditEntry
from zhaoshang.core.filtersets import SearchFilterSet
from zhaoshang.organisation.choices import Role


class AuditFilterSet(SearchFilterSet):
    search_fields = ("object_repr", "username", "object_id", "address")
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=_("操作"), empty_label=_("全部"))
    model = django_filters.CharFilter(label=_("对象类型"), lookup_expr="icontains")
    at_from = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label=_("日期从"))
    at_to = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label=_("日期至"))

    class Meta:
        model = AuditEntry
        fields = []


# The codes services write into ``result`` (audit/services.py, security/services.py), as the auditor reads them.
RESULT_LABELS = {
    "success": _("成功"),
    "failure": _("失败"),
    "locked": _("失败,账号已锁定"),
    "dormant": _("账号90天未用,已停用"),
    "unknown_user": _("失败,无此用户"),
    "totp_failure": _("动态口令错误"),
    "password_changed": _("已修改密码"),
}


class AuditTable(tables.Table):
    at = tables.DateTimeColumn(format="Y-m-d H:i:s")
    changes = tables.Column(verbose_name=_("变更字段"), empty_values=(), orderable=False)

    class Meta:
        model = AuditEntry
        fields = ["id", "at", "username", "address", "action", "model", "object_id", "object_repr", "result"]
        attrs = {"class": "table table-sm table-hover align-middle mb-0"}

    def render_result(self, value):
        return RESULT_LABELS.get(value, value)

    def render_model(self, value):
        model = _model_of(value)
        return model._meta.verbose_name if model else value

    def render_changes(self, record):
        model = _model_of(record.model)
        return (
            "、".join(_field_label(model, name) for name, _before, _after in record.changed_fields()) or "—"
        )


def _model_of(label: str):
    """The model an entry's ``model`` ("projects.project") names, or None (a removed model, a login)."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


# What the services write into an entry besides a record's fields (an export's kind and rows, a
# month close's months …), as the auditor reads them.
DETAIL_LABELS = {
    "kind": _("数据类型"),
    "rows": _("行数"),
    "count": _("条数"),
    "items": _("考核项"),
    "ranking": _("排名结果"),
    "months": _("月份"),
    "month": _("月份"),
    "reason": _("原因"),
    "units": _("单位"),
    "platform": _("报送平台"),
    "period": _("期间"),
    "basis": _("口径"),
    "created": _("新建"),
    "updated": _("更新"),
    "format": _("格式"),
    "version": _("版本"),
    "edited": _("已编辑"),
    "before": _("截止时间"),
    "target": _("对象"),
    "text": _("内容"),
    "user": _("用户"),
    "name": _("名称"),
    "prefix": _("令牌前缀"),
    "password": _("密码"),
    "totp": _("动态口令"),
    "duplicate_hold": _("疑似重复暂停计数"),
    "escalated_at": _("升级时间"),
}


def _field_label(model, name: str) -> str:
    # The auditor reads the field's Chinese label; a name no model field has keeps its own.
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            pass
        else:
            if hasattr(field, "verbose_name"):  # not a reverse relation
                return str(field.verbose_name)
    return str(DETAIL_LABELS.get(name, name))


@login_required
def audit_log(request):
    if request.user.role != Role.AUDITOR and not request.user.is_superuser:
        raise Http404
    filterset = AuditFilterSet(request.GET, queryset=AuditEntry.objects.order_by("-id"))
    table = AuditTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "audit/audit_log.html", {"filter": filterset, "table": table})
