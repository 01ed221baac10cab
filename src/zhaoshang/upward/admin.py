"""The upper platforms' column layouts are configuration (系统配置 › 上级平台列对照)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from zhaoshang.upward.choices import Sheet
from zhaoshang.upward.layouts import FIELDS
from zhaoshang.upward.models import ColumnMap


@admin.register(ColumnMap)
class ColumnMapAdmin(admin.ModelAdmin):
    list_display = ["platform", "sheet"]
    list_filter = ["platform", "sheet"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        known = ";".join(
            f"{Sheet(sheet).label}: " + "、".join(f"{key}({label})" for key, label in fields.items())
            for sheet, fields in FIELDS.items()
        )
        form.base_fields["columns"].initial = []  # an empty list to fill in, not "null"
        form.base_fields["columns"].help_text = _(
            '按上级平台表格的列顺序填写 [["字段", "表头"], …];可用字段:{known}'
        ).format(known=known)
        return form
