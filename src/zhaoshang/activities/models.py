from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.activities.choices import ActivityKind
from zhaoshang.core.access import Scope, register_scope
from zhaoshang.core.models import Reported


class Activity(Reported):
    """招商活动. ``unit`` reports it; ``partner_units`` took part too (a joint activity counts once
    for each unit taking part, SPEC §3).

    拜访企业 counts the enterprises visited (one visit can cover several: ``enterprise_count``);
    来访考察 counts batches (``batches``); 外出天数 counts calendar days, inclusive.
    """

    kind = models.CharField(_("活动类型"), max_length=12, choices=ActivityKind.choices, db_index=True)
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="activities"
    )
    partner_units = models.ManyToManyField(
        "organisation.Unit", verbose_name=_("联合参加单位"), blank=True, related_name="joint_activities"
    )
    started_on = models.DateField(_("开始日期"), db_index=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    destination = models.CharField(_("目的地"), max_length=100, blank=True)
    out_of_province = models.BooleanField(_("是否出省"), default=False)
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name=_("企业"), blank=True, related_name="activities"
    )
    enterprise_count = models.PositiveIntegerField(
        _("企业数(家)"), default=0, help_text=_("拜访企业按家数计;未填时按关联企业数")
    )
    batches = models.PositiveIntegerField(_("批次"), default=1)
    signed_projects = models.ManyToManyField(
        "projects.Project", verbose_name=_("签约项目"), blank=True, related_name="signing_ceremonies"
    )
    leaders = models.CharField(_("参加领导"), max_length=200, blank=True)
    outcome = models.TextField(_("成果"), blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("招商活动")
        verbose_name_plural = _("招商活动")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="activity_dates_in_order",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
            models.CheckConstraint(
                condition=Q(batches__gte=1),
                name="activity_batches_positive",
                violation_error_message=_("批次至少为1。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on:%Y-%m-%d} {self.destination}".strip()

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("结束日期不能早于开始日期。")})

    @property
    def days(self) -> int:
        """Calendar days away, inclusive (SPEC §3: 外出天数)."""
        end = self.ended_on or self.started_on
        return (end - self.started_on).days + 1


register_scope(Activity, Scope(unit="unit", region="unit__region", also_viewed_by=("partner_units",)))
