"""考核办法 are configured as data in the Django admin: the scheme, its items (indicator, rule,
points, veto), in Chinese. Results are shown read-only: they are written by the services only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from zhaoshang.assessment.models import SCHEME_ITEM_FIELDS, Run, Scheme, SchemeItem


class SchemeItemInline(admin.TabularInline):
    model = SchemeItem
    extra = 1
    fields = SCHEME_ITEM_FIELDS


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "year",
        "assessment_group",
        "region",
        "monthly",
        "quarterly",
        "half_yearly",
        "yearly",
    ]
    list_filter = ["year", "assessment_group"]
    search_fields = ["name"]
    autocomplete_fields = ["region"]
    inlines = [SchemeItemInline]
    fieldsets = [
        (None, {"fields": ["year", "name", "region", "assessment_group", "note"]}),
        (
            _("考核周期"),
            {"fields": ["monthly", "quarterly", "half_yearly", "yearly", "progress_by_days", "bottom_count"]},
        ),
    ]


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ["scheme", "period_label", "basis", "status", "computed_at", "published_at"]
    list_filter = ["status", "period_kind", "basis"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
