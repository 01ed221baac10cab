"""The working-day calendar is configuration: the system administrator adds a year the
``chinese-calendar`` package does not know yet, or corrects a day (``cycle.calendar``)."""

from django.contrib import admin

from zhaoshang.cycle.models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["day", "is_workday", "note"]
    list_filter = ["is_workday"]
    search_fields = ["note"]
    date_hierarchy = "day"
