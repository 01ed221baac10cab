from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.access import BUREAU_ONLY, Scope, register_scope
from zhaoshang.core.models import TimeStamped


class Campaign(TimeStamped):
    """专项行动 (e.g. seed 001's 百日会战): a named period with its own targets per unit."""

    name = models.CharField(_("名称"), max_length=80, unique=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("专项行动")
        verbose_name_plural = _("专项行动")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="campaign_dates_in_order",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.pk])


class Target(TimeStamped):
    """目标任务: a yearly (or campaign) value of one indicator for one unit, or for the whole region
    when ``unit`` is empty. ``indicator`` is the code the metrics registry knows it by."""

    year = models.PositiveIntegerField(_("年度"), db_index=True)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("专项行动"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
    )
    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="targets"
    )
    indicator = models.CharField(_("指标"), max_length=40)
    value = models.DecimalField(_("目标值"), max_digits=18, decimal_places=4)

    class Meta:
        verbose_name = _("目标任务")
        verbose_name_plural = _("目标任务")
        ordering = ["-year", "unit_id", "indicator"]
        constraints = [
            # One value per indicator and holder, per year or per campaign (partial unique indexes:
            # SQLite has no NULLS NOT DISTINCT).
            models.UniqueConstraint(
                fields=["year", "unit", "indicator"],
                condition=Q(campaign__isnull=True, unit__isnull=False),
                name="target_unique_unit_year",
                violation_error_message=_("该单位该年度该指标的目标已存在。"),
            ),
            models.UniqueConstraint(
                fields=["year", "region", "indicator"],
                condition=Q(campaign__isnull=True, unit__isnull=True),
                name="target_unique_region_year",
                violation_error_message=_("该区划该年度该指标的目标已存在。"),
            ),
            models.UniqueConstraint(
                fields=["campaign", "unit", "indicator"],
                condition=Q(campaign__isnull=False, unit__isnull=False),
                name="target_unique_unit_campaign",
                violation_error_message=_("该单位该专项行动该指标的目标已存在。"),
            ),
            models.UniqueConstraint(
                fields=["campaign", "region", "indicator"],
                condition=Q(campaign__isnull=False, unit__isnull=True),
                name="target_unique_region_campaign",
                violation_error_message=_("该区划该专项行动该指标的目标已存在。"),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="target_value_non_negative",
                violation_error_message=_("目标值不能为负数。"),
            ),
        ]

    def __str__(self) -> str:
        from zhaoshang.metrics.indicators import REGISTRY

        indicator = REGISTRY.get(self.indicator)
        return f"{self.year}年 {self.unit or self.region} {indicator.name if indicator else self.indicator}"

    def get_indicator_display(self) -> str:
        from zhaoshang.metrics.indicators import REGISTRY

        indicator = REGISTRY.get(self.indicator)
        return str(indicator.name) if indicator else self.indicator

    def get_absolute_url(self) -> str:
        return reverse("targets:detail", args=[self.pk])


register_scope(Campaign, Scope(unit=None, region=None, writers=BUREAU_ONLY))
register_scope(Target, Scope(unit="unit", region="region", writers=BUREAU_ONLY))
