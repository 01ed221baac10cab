import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from zhaoshang.activities.models import Activity
from zhaoshang.core.tables import RecordTable, StatusColumn


class ActivityTable(RecordTable):
    kind = tables.Column(linkify=True)
    days = tables.Column(verbose_name=_("天数"), orderable=False, attrs={"td": {"class": "num"}})
    out_of_province = tables.BooleanColumn(yesno="是,否")
    review_status = StatusColumn()

    class Meta(RecordTable.Meta):
        model = Activity
        fields = [
            "kind",
            "unit",
            "started_on",
            "ended_on",
            "days",
            "destination",
            "out_of_province",
            "enterprise_count",
            "leaders",
            "review_status",
        ]
