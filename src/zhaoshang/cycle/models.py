"""The monthly reporting cycle (SPEC §4): the official working-day calendar's deployment rows, each
unit's confirmation that its month is reported (本月数据报送确认), and the reminders (催报) sent."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.access import ADD, SUBMIT, Scope, register_scope
from zhaoshang.organisation.choices import Role


class CalendarDay(models.Model):
    """One day of the official calendar as the deployment records it: a holiday on a weekday, a
    调休 working weekend, or any correction. A row overrides the ``chinese-calendar`` package for its
    day; for a year the package does not know yet, the year's rows are its schedule
    (``cycle.calendar``)."""

    day = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否上班"))
    note = models.CharField(_("说明"), max_length=60, blank=True, help_text=_("如“元旦”“春节调休上班”"))

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["day"]

    def __str__(self) -> str:
        kind = _("上班") if self.is_workday else _("放假")
        return f"{self.day:%Y-%m-%d} {kind} {self.note}".strip()


class MonthlyReport(models.Model):
    """本月数据报送确认: the unit's head declares the unit's records of ``month`` complete — a unit
    with nothing to report confirms all the same (零报告). Late or not is derived from
    ``submitted_at`` against the month's deadline, so a confirmation after it is recorded as late."""

    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="monthly_reports"
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    submitted_at = models.DateTimeField(_("确认时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("确认人"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("月度数据报送确认")
        verbose_name_plural = _("月度数据报送确认")
        ordering = ["-month", "unit__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month"],
                name="monthly_report_once",
                violation_error_message=_("该单位本月数据已确认报送。"),
            )
        ]

    def __str__(self) -> str:
        return _("{unit}{y}年{m}月数据报送确认").format(unit=self.unit, y=self.month.year, m=self.month.month)

    def is_late_for(self, deadline: datetime.date) -> bool:
        """Late = confirmed after the end of the deadline day (local time)."""
        return timezone.localdate(self.submitted_at) > deadline

    @property
    def is_late(self) -> bool | None:
        """Late against the month's deadline; None while the calendar lacks the deadline's year."""
        from zhaoshang.cycle.calendar import UnknownYear, deadline

        try:
            return self.is_late_for(deadline(self.month))
        except UnknownYear:
            return None


class Reminder(models.Model):
    """催报 sent to a unit for a month: by the bureau's button (``sent_by``) or by the daily
    ``zhaoshang remind`` (``sent_by`` empty), which sends at most one a day per unit and month."""

    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("月份"))
    sent_on = models.DateField(_("催报日期"), db_index=True)
    sent_at = models.DateTimeField(_("催报时间"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("催报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("催报记录")
        verbose_name_plural = _("催报记录")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["month", "sent_on"])]

    def __str__(self) -> str:
        return _("催报{unit}{y}年{m}月数据").format(unit=self.unit, y=self.month.year, m=self.month.month)


# A unit sees its own confirmations, the bureau and leaders those of their region; only the unit's
# head confirms (SPEC §1: the unit head reviews and submits; a reporter only drafts).
register_scope(
    MonthlyReport,
    Scope(
        unit="unit",
        region="unit__region",
        writers={ADD: (Role.UNIT_HEAD,), SUBMIT: (Role.UNIT_HEAD,)},
        locks_when_recognised=False,
    ),
)
register_scope(Reminder, Scope(unit="unit", region="unit__region", writers={ADD: (Role.BUREAU,)}))
