from django import forms

from zhaoshang.core.forms import RecordForm
from zhaoshang.metrics.indicators import REGISTRY
from zhaoshang.targets.models import Campaign, Target


class TargetForm(RecordForm):
    unit_fields = ("unit",)
    indicator = forms.ChoiceField(label=Target._meta.get_field("indicator").verbose_name)

    class Meta:
        model = Target
        fields = ["year", "campaign", "unit", "region", "indicator", "value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(i.code, i.name) for i in REGISTRY.values()]
        self.fields["indicator"].widget.attrs["class"] = "form-select"
        self.fields["unit"].required = False


class CampaignForm(RecordForm):
    class Meta:
        model = Campaign
        fields = ["name", "starts_on", "ends_on", "description"]
