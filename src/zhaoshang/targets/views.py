from django.utils.translation import gettext_lazy as _

from zhaoshang.core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from zhaoshang.targets import services
from zhaoshang.targets.filtersets import CampaignFilterSet, TargetFilterSet
from zhaoshang.targets.forms import CampaignForm, TargetForm
from zhaoshang.targets.models import Campaign, Target
from zhaoshang.targets.tables import CampaignTable, TargetTable


class TargetMixin:
    model = Target
    url_base = "targets"

    def base_queryset(self):
        return Target.objects.select_related("unit", "region", "campaign")


class TargetListView(TargetMixin, ObjectListView):
    filterset_class = TargetFilterSet
    table_class = TargetTable
    empty_hint = _("还没有目标任务。招商局可用“导入Excel”按模板批量导入。")


class TargetDetailView(TargetMixin, ObjectDetailView):
    detail_fields = ["year", "campaign", "unit", "region", "indicator", "value"]


class TargetEditView(TargetMixin, ObjectEditView):
    form_class = TargetForm
    create_service = services.target_create
    update_service = services.target_update


class TargetDeleteView(TargetMixin, ObjectDeleteView):
    pass


class CampaignMixin:
    model = Campaign
    url_base = "campaigns"

    def base_queryset(self):
        return Campaign.objects.all()


class CampaignListView(CampaignMixin, ObjectListView):
    filterset_class = CampaignFilterSet
    table_class = CampaignTable
    empty_hint = _("还没有专项行动。招商局可用“新增专项行动”建立。")


class CampaignDetailView(CampaignMixin, ObjectDetailView):
    detail_fields = ["name", "starts_on", "ends_on", "description"]


class CampaignEditView(CampaignMixin, ObjectEditView):
    form_class = CampaignForm
    create_service = services.campaign_create
    update_service = services.campaign_update


class CampaignDeleteView(CampaignMixin, ObjectDeleteView):
    pass
