import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import MoneyColumn, RecordTable, StatusColumn, YiColumn
from zhaoshang.projects.models import (
    Complaint,
    DuplicateCandidate,
    FundsRecord,
    PreReviewMeeting,
    Project,
    ProjectProblem,
)


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


class ProjectProblemTable(RecordTable):
    description = tables.Column(linkify=True, verbose_name=_("问题描述"))
    project = tables.Column(verbose_name=_("项目"))
    owner_unit = tables.Column(verbose_name=_("责任单位"))

    class Meta(RecordTable.Meta):
        model = ProjectProblem
        fields = ["description", "project", "owner_unit", "raised_on", "deadline", "status", "resolved_on"]

    def render_description(self, value):
        return value[:40]


class ComplaintTable(RecordTable):
    content = tables.Column(linkify=True, verbose_name=_("投诉内容"))
    enterprise = tables.Column(verbose_name=_("投诉企业"))
    owner_unit = tables.Column(verbose_name=_("承办单位"))

    class Meta(RecordTable.Meta):
        model = Complaint
        fields = [
            "content",
            "enterprise",
            "project",
            "owner_unit",
            "received_on",
            "deadline",
            "status",
            "closed_on",
        ]

    def render_content(self, value):
        return value[:40]


class DuplicateCandidateTable(RecordTable):
    pair = tables.Column(
        empty_values=(),
        linkify=lambda record: record.get_absolute_url(),
        verbose_name=_("疑似重复"),
        orderable=False,
    )
    project__introducing_unit = tables.Column(verbose_name=_("新报单位"))
    other__introducing_unit = tables.Column(verbose_name=_("原报单位"))
    reasons = tables.Column(verbose_name=_("疑似依据"), orderable=False)

    class Meta(RecordTable.Meta):
        model = DuplicateCandidate
        fields = [
            "pair",
            "project__introducing_unit",
            "other__introducing_unit",
            "reasons",
            "status",
            "found_at",
        ]

    def render_pair(self, record):
        return str(record)

    def render_reasons(self, record):
        return "、".join(record.reason_labels())
