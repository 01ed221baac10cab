"""The auditor's page: search the audit trail. Only the auditor (and no other administrator) reads it."""

import django_filters
import django_tables2 as tables
from django.contrib.auth.decorators import login_required
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


class AuditTable(tables.Table):
    at = tables.DateTimeColumn(format="Y-m-d H:i:s")
    changes = tables.Column(verbose_name=_("变更字段"), empty_values=(), orderable=False)

    class Meta:
        model = AuditEntry
        fields = ["id", "at", "username", "address", "action", "model", "object_id", "object_repr", "result"]
        attrs = {"class": "table table-sm table-hover align-middle mb-0"}

    def render_changes(self, record):
        return "、".join(name for name, _before, _after in record.changed_fields()) or "—"


@login_required
def audit_log(request):
    if request.user.role != Role.AUDITOR and not request.user.is_superuser:
        raise Http404
    filterset = AuditFilterSet(request.GET, queryset=AuditEntry.objects.order_by("-id"))
    table = AuditTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "audit/audit_log.html", {"filter": filterset, "table": table})
