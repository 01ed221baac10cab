"""The monthly summary (汇总) the engine reads for whole-month periods, and the marks that say which
of its cells the records have changed since (``zhaoshang.metrics.rollup`` explains both)."""

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class MonthlyFigure(models.Model):
    """One indicator, basis and calendar month for one credited unit (``level`` unit) or one summing
    area (``level`` area: a region at county level or above; a town's figures sum into its county).

    ``partner`` unit rows are a joint activity's partner units: they count for the unit, never again
    for a region (SPEC §3). ``dim`` rows break an area's figure down (by industry, by size band).
    Plain integer ids rather than foreign keys: the rows are derived data, rebuilt from the records,
    and must never block deleting a unit or a region.
    """

    level = models.CharField(max_length=4)
    basis = models.CharField(max_length=12)
    indicator = models.CharField(max_length=48)
    month = models.DateField()
    unit_id = models.BigIntegerField(null=True)
    region_id = models.BigIntegerField(null=True)
    partner = models.BooleanField(default=False)
    dim = models.CharField(max_length=60, default="", blank=True)
    value = models.DecimalField(max_digits=22, decimal_places=4)
    records = models.IntegerField()

    class Meta:
        verbose_name = _("月度汇总")
        verbose_name_plural = _("月度汇总")
        indexes = [
            # Region and whole-tree reads: an index range scan over the months of one indicator.
            models.Index(
                fields=[
                    "level",
                    "indicator",
                    "basis",
                    "month",
                    "region_id",
                    "partner",
                    "unit_id",
                    "dim",
                    "value",
                ],
                name="metrics_mf_read",
            ),
            # One unit's reads, and the refresh of a unit's cells.
            models.Index(fields=["unit_id", "indicator", "basis", "month"], name="metrics_mf_unit"),
            models.Index(fields=["region_id", "month"], name="metrics_mf_area"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.indicator} {self.basis} {self.month:%Y-%m} {self.level} {self.unit_id or self.region_id}"
        )


class RollupMark(models.Model):
    """A record changed: written by database triggers in the same transaction as the change (every
    path — forms, workflow, imports, raw SQL — fires them), consumed by ``rollup.settle``."""

    kind = models.CharField(max_length=12)  # project, funds, lead, activity, unit, all
    unit_id = models.BigIntegerField(null=True)
    ref_id = models.BigIntegerField(null=True)
    d1 = models.DateField(null=True)
    d2 = models.DateField(null=True)
    d3 = models.DateField(null=True)
    # When the record changed (a database default, so the triggers' inserts get it too): a change
    # to a closed month's records counts in the month it was made in (``metrics.closing``).
    created_at = models.DateTimeField(null=True, db_default=Now())

    class Meta:
        verbose_name = _("汇总待刷新标记")
        verbose_name_plural = _("汇总待刷新标记")

    def __str__(self) -> str:
        return f"{self.kind} {self.unit_id or ''}"


class ClosedMonth(models.Model):
    """A month the bureau has closed (SPEC §4): its figures and bulletins reproduce exactly as sent.

    Months close in order and reopen in reverse order, like an accounting period: the closed months
    are always every month up to the latest one (``metrics.closing.closed_through``), so that a
    year-to-date figure ending in a closed month is closed as a whole.
    """

    month = models.DateField(_("月份"), unique=True)
    closed_at = models.DateTimeField(_("关账时间"))
    closed_by = models.ForeignKey(
        "organisation.User",
        verbose_name=_("关账人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("已关账月份")
        verbose_name_plural = _("已关账月份")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class ClosedFigure(models.Model):
    """The monthly summary's ledger for closed months (``metrics.closing`` explains it).

    ``layer`` "base": a row of ``MonthlyFigure`` as it stood when ``month`` was closed. ``layer``
    "adjust": a later change to a closed month's records (``origin``), counted in the open month it
    was made in (``month``) — SPEC §4: "corrections count from the month they are recognised in".
    Same key columns as ``MonthlyFigure``, so the engine sums both with one query shape.
    """

    layer = models.CharField(max_length=6)
    level = models.CharField(max_length=4)
    basis = models.CharField(max_length=12)
    indicator = models.CharField(max_length=48)
    month = models.DateField()
    origin = models.DateField(null=True)
    unit_id = models.BigIntegerField(null=True)
    region_id = models.BigIntegerField(null=True)
    partner = models.BooleanField(default=False)
    dim = models.CharField(max_length=60, default="", blank=True)
    value = models.DecimalField(max_digits=22, decimal_places=4)
    records = models.IntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("关账月份汇总")
        verbose_name_plural = _("关账月份汇总")
        indexes = [
            models.Index(
                fields=["level", "indicator", "basis", "month", "region_id", "unit_id"],
                name="metrics_cf_read",
            ),
            models.Index(fields=["unit_id", "indicator", "basis", "month"], name="metrics_cf_unit"),
            models.Index(fields=["origin"], name="metrics_cf_origin"),
        ]

    def __str__(self) -> str:
        return f"{self.layer} {self.indicator} {self.basis} {self.month:%Y-%m}"
