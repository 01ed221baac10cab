import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import MoneyColumn, RecordTable, StatusColumn, YiColumn
from zhaoshang.projects.models import FundsRecord, PreReviewMeeting, Project


class ProjectTable(RecordTable):
    name = tables.Column(linkify=True)
    investor = tables.Column(verbose_name=_("投资方"))
    introducing_unit = tables.Column(verbose_name=_("引进单位"))
    total_investment_wan = YiColumn(verbose_name=_("总投资(亿元)"))
    review_status = StatusColumn()

    class Meta(RecordTable.Meta):
        model = Project
        fields = [
            "name",
            "investor",
            "introducing_unit",
            "industry",
            "total_investment_wan",
            "stage",
            "signed_on",
            "commenced_on",
            "review_status",
        ]
        order_by = ("-signed_on",)


class FundsRecordTable(RecordTable):
    project = tables.Column(linkify=lambda record: record.get_absolute_url())
    month = tables.DateColumn(format="Y年n月")
    amount_wan = MoneyColumn()
    outside_province_wan = MoneyColumn()
    foreign_usd_wan = MoneyColumn()
    foreign_cash_usd_wan = MoneyColumn()
    review_status = StatusColumn()

    class Meta(RecordTable.Meta):
        model = FundsRecord
        fields = [
            "project",
            "project__introducing_unit",
            "month",
            "amount_wan",
            "outside_province_wan",
            "foreign_usd_wan",
            "foreign_cash_usd_wan",
            "review_status",
        ]


class PreReviewMeetingTable(RecordTable):
    title = tables.Column(linkify=True)
    judged = tables.Column(verbose_name=_("研判项目"), attrs={"td": {"class": "num"}})
    passed = tables.Column(verbose_name=_("通过"), attrs={"td": {"class": "num"}})

    class Meta(RecordTable.Meta):
        model = PreReviewMeeting
        fields = ["title", "held_on", "departments", "judged", "passed"]
