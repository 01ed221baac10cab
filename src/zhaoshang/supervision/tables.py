import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import RecordTable
from zhaoshang.supervision.models import SupervisionTicket
from zhaoshang.supervision.rules import RULES


class TicketTable(RecordTable):
    id = tables.Column(verbose_name=_("编号"))
    title = tables.Column(linkify=True)
    owner_unit = tables.Column(verbose_name=_("责任单位"))
    source_rule = tables.Column(verbose_name=_("来源"))
    status = tables.Column()

    class Meta(RecordTable.Meta):
        model = SupervisionTicket
        fields = ["id", "title", "owner_unit", "source_rule", "deadline", "status", "created_at"]
        order_by = ("status", "deadline")

    def render_source_rule(self, value):
        rule = RULES.get(value)
        return rule.label if rule else value

    def render_status(self, value, record):
        badge = format_html('<span class="badge text-bg-light">{}</span>', record.get_status_display())
        if record.is_overdue:
            badge += format_html(' <span class="badge text-bg-danger">{}</span>', _("逾期"))
        if record.escalated_at:
            badge += format_html(' <span class="badge text-bg-warning">{}</span>', _("已升级"))
        return badge
