from django.utils.translation import gettext_lazy as _

from zhaoshang.core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from zhaoshang.leads import services
from zhaoshang.leads.filtersets import LeadFilterSet
from zhaoshang.leads.forms import LeadForm
from zhaoshang.leads.models import Lead
from zhaoshang.leads.tables import LeadTable


class LeadMixin:
    model = Lead
    url_base = "leads"

    def base_queryset(self):
        return Lead.objects.select_related("unit", "enterprise", "industry")


class LeadListView(LeadMixin, ObjectListView):
    filterset_class = LeadFilterSet
    table_class = LeadTable
    empty_hint = _("还没有招商信息。")


class LeadDetailView(LeadMixin, ObjectDetailView):
    detail_fields = [
        "title",
        "unit",
        "reported_on",
        "enterprise",
        "industry",
        "intended_investment_wan",
        "is_valuable",
        "status",
        "assigned_unit",
        "project",
        "note",
        "created_by",
    ]


class LeadEditView(LeadMixin, ObjectEditView):
    form_class = LeadForm
    create_service = services.lead_create
    update_service = services.lead_update


class LeadDeleteView(LeadMixin, ObjectDeleteView):
    pass
