import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import RecordTable
from zhaoshang.enterprises.models import Enterprise


class EnterpriseTable(RecordTable):
    name = tables.Column(linkify=True)
    tags = tables.ManyToManyColumn(verbose_name=_("企业标签"), separator="、")
    project_count = tables.Column(verbose_name=_("项目数"), attrs={"td": {"class": "num"}})

    class Meta(RecordTable.Meta):
        model = Enterprise
        fields = ["name", "credit_code", "location", "tags", "project_count"]
