import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import MoneyColumn, RecordTable
from zhaoshang.metrics.indicators import REGISTRY
from zhaoshang.targets.models import Campaign, Target


class TargetTable(RecordTable):
    indicator = tables.Column(linkify=True)
    value = MoneyColumn()
    unit = tables.Column(default=_("全区"))

    class Meta(RecordTable.Meta):
        model = Target
        fields = ["year", "campaign", "unit", "indicator", "value"]

    def render_indicator(self, value):
        indicator = REGISTRY.get(value)
        return indicator.name if indicator else value


class CampaignTable(RecordTable):
    name = tables.Column(linkify=True)

    class Meta(RecordTable.Meta):
        model = Campaign
        fields = ["name", "starts_on", "ends_on", "description"]
