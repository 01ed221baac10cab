import django_filters
from django.utils.translation import gettext_lazy as _

from zhaoshang.assessment.choices import FindingKind
from zhaoshang.assessment.models import Finding
from zhaoshang.core.filtersets import DateFromFilter, DateToFilter, SearchFilterSet
from zhaoshang.organisation.models import Unit


class FindingFilterSet(SearchFilterSet):
    search_fields = ("description", "project__name", "unit__name")
    unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), label=_("单位"), empty_label=_("全部")
    )
    kind = django_filters.ChoiceFilter(
        choices=FindingKind.choices, label=_("问题类型"), empty_label=_("全部")
    )
    found_from = DateFromFilter("found_on", _("认定日期从"))
    found_to = DateToFilter("found_on", _("认定日期至"))

    class Meta:
        model = Finding
        fields = []
