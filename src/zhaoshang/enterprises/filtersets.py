import django_filters
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.filtersets import SearchFilterSet
from zhaoshang.enterprises.models import Enterprise, Tag


class EnterpriseFilterSet(SearchFilterSet):
    search_fields = ("name", "credit_code", "location", "stock_code")
    tags = django_filters.ModelChoiceFilter(
        queryset=Tag.objects.all(), label=_("企业标签"), empty_label=_("全部")
    )

    class Meta:
        model = Enterprise
        fields = []
