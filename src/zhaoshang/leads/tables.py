import django_tables2 as tables

from zhaoshang.core.tables import MoneyColumn, RecordTable, StatusColumn
from zhaoshang.leads.models import Lead


class LeadTable(RecordTable):
    title = tables.Column(linkify=True)
    intended_investment_wan = MoneyColumn()
    is_valuable = tables.BooleanColumn(yesno="是,否,未判定")
    review_status = StatusColumn()

    class Meta(RecordTable.Meta):
        model = Lead
        fields = [
            "title",
            "unit",
            "reported_on",
            "enterprise",
            "industry",
            "intended_investment_wan",
            "is_valuable",
            "status",
            "review_status",
        ]
