import django_filters
from django.utils.translation import gettext_lazy as _

from zhaoshang.activities.choices import ActivityKind
from zhaoshang.activities.models import Activity
from zhaoshang.core.filtersets import (
    DateFromFilter,
    DateToFilter,
    SearchFilterSet,
    review_status_filter,
    yes_no_filter,
)
from zhaoshang.organisation.models import Unit


class ActivityFilterSet(SearchFilterSet):
    search_fields = (
        "destination",
        "leaders",
        "outcome",
        "note",
        "enterprises__name",
        "enterprises__credit_code",
    )
    kind = django_filters.ChoiceFilter(
        choices=ActivityKind.choices, label=_("活动类型"), empty_label=_("全部")
    )
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), label=_("单位"), empty_label=_("全部")
    )
    started_from = DateFromFilter("started_on", _("开始日期从"))
    started_to = DateToFilter("started_on", _("开始日期至"))
    out_of_province = yes_no_filter(_("出省"))
    review_status = review_status_filter()

    class Meta:
        model = Activity
        fields = []

    def search(self, queryset, name, value):
        return super().search(queryset, name, value).distinct()
