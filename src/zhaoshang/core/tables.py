"""Table machinery shared by list pages."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.formatting import plain, wan_to_yi


class MoneyColumn(tables.Column):
    """万元 amounts, right-aligned, trailing zeros dropped."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return plain(value)


class YiColumn(MoneyColumn):
    def render(self, value):
        return wan_to_yi(value)


class StatusColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", _("审核状态"))
        super().__init__(*args, accessor="review_status", **kwargs)

    def render(self, value, record):
        badge = format_html(
            '<span class="badge badge-status-{}">{}</span>', value, record.get_review_status_display()
        )
        if getattr(record, "changing_recognised", False):
            # Its recognised version still counts on the 认定 basis (core.versions).
            badge += format_html(' <span class="badge text-bg-warning">{}</span>', _("变更待认定"))
        return badge


class RecordTable(tables.Table):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for bound in self.columns:
            if isinstance(bound.column, tables.DateColumn):
                bound.column.attrs = {**bound.column.attrs, "td": {"class": "text-nowrap"}}

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle mb-0"}
        empty_text = _("没有记录。")
        per_page = 25
