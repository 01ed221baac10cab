import django_tables2 as tables

from zhaoshang.assessment.models import Finding
from zhaoshang.core.tables import RecordTable


class FindingTable(RecordTable):
    unit = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(RecordTable.Meta):
        model = Finding
        fields = ["unit", "kind", "project", "found_on", "description"]
