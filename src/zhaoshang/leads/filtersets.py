import django_filters
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.filtersets import (
    DateFromFilter,
    DateToFilter,
    SearchFilterSet,
    review_status_filter,
    yes_no_filter,
)
from zhaoshang.leads.choices import LeadStatus
from zhaoshang.leads.models import Lead
from zhaoshang.organisation.models import Industry, Unit


class LeadFilterSet(SearchFilterSet):
    search_fields = ("title", "enterprise__name", "enterprise__credit_code", "note")
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), label=_("上报单位"), empty_label=_("全部")
    )
    reported_from = DateFromFilter("reported_on", _("上报日期从"))
    reported_to = DateToFilter("reported_on", _("上报日期至"))
    industry = django_filters.ModelChoiceFilter(
        queryset=Industry.objects.all(), label=_("所属产业"), empty_label=_("全部")
    )
    is_valuable = yes_no_filter(_("有价值"))
    status = django_filters.ChoiceFilter(
        choices=LeadStatus.choices, label=_("跟进状态"), empty_label=_("全部")
    )
    review_status = review_status_filter()

    class Meta:
        model = Lead
        fields = []
