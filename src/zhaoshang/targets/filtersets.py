import django_filters
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.filtersets import SearchFilterSet
from zhaoshang.organisation.models import Unit
from zhaoshang.targets.models import Campaign, Target


class TargetFilterSet(SearchFilterSet):
    search_fields = ("indicator", "unit__name")
    year = django_filters.NumberFilter(label=_("年度"))
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), label=_("单位"), empty_label=_("全部")
    )
    campaign = django_filters.ModelChoiceFilter(
        queryset=Campaign.objects.all(), label=_("专项行动"), empty_label=_("全部")
    )

    class Meta:
        model = Target
        fields = []


class CampaignFilterSet(SearchFilterSet):
    search_fields = ("name", "description")

    class Meta:
        model = Campaign
        fields = []
