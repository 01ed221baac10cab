import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.filtersets import DateToFilter, SearchFilterSet, yes_no_filter
from zhaoshang.organisation.models import Unit
from zhaoshang.supervision.choices import TicketStatus
from zhaoshang.supervision.models import SupervisionTicket
from zhaoshang.supervision.rules import RULES


class TicketFilterSet(SearchFilterSet):
    search_fields = ("title", "description", "response")
    status = django_filters.ChoiceFilter(choices=TicketStatus.choices, label=_("状态"), empty_label=_("全部"))
    owner_unit = django_filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), label=_("责任单位"), empty_label=_("全部")
    )
    source_rule = django_filters.ChoiceFilter(
        choices=[(code, rule.label) for code, rule in RULES.items()],
        label=_("来源规则"),
        empty_label=_("全部"),
    )
    overdue = yes_no_filter(_("逾期"), method="filter_overdue")
    escalated = yes_no_filter(_("已升级"), field_name="escalated_at", lookup_expr="isnull", exclude=True)
    deadline_to = DateToFilter("deadline", _("办结时限至"))

    class Meta:
        model = SupervisionTicket
        fields = []

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = queryset.filter(deadline__lt=timezone.localdate()).exclude(status=TicketStatus.CLOSED)
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))
