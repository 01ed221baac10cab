from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.core import access
from zhaoshang.core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from zhaoshang.enterprises import services
from zhaoshang.enterprises.filtersets import EnterpriseFilterSet
from zhaoshang.enterprises.forms import EnterpriseForm
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.enterprises.tables import EnterpriseTable
from zhaoshang.projects.models import Project


class EnterpriseMixin:
    model = Enterprise
    url_base = "enterprises"

    def base_queryset(self):
        return Enterprise.objects.prefetch_related("tags")


class EnterpriseListView(EnterpriseMixin, ObjectListView):
    filterset_class = EnterpriseFilterSet
    table_class = EnterpriseTable
    empty_hint = _("还没有企业客商。")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(project_count=Count("projects", filter=Q(projects__is_deleted=False)))
            # A GROUP BY query drops Meta.ordering; paging needs a stable order.
            .order_by("name", "pk")
        )


class EnterpriseDetailView(EnterpriseMixin, ObjectDetailView):
    template_name = "enterprises/enterprise_detail.html"
    detail_fields = ["name", "credit_code", "location", "tags", "stock_code", "note"]

    def extra_context(self, obj):
        # What the bureau did with the enterprise — only the records this user may see.
        projects = access.restrict(Project.objects.filter(investor=obj), self.request.user)
        return {"related_projects": projects.select_related("introducing_unit")}


class EnterpriseEditView(EnterpriseMixin, ObjectEditView):
    form_class = EnterpriseForm
    create_service = services.enterprise_create
    update_service = services.enterprise_update


class EnterpriseDeleteView(EnterpriseMixin, ObjectDeleteView):
    pass
