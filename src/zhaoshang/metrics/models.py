"""The monthly summary (汇总) the engine reads for whole-month periods, and the marks that say which
of its cells the records have changed since (``zhaoshang.metrics.rollup`` explains both)."""

from django.db import models
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

    class Meta:
        verbose_name = _("汇总待刷新标记")
        verbose_name_plural = _("汇总待刷新标记")

    def __str__(self) -> str:
        return f"{self.kind} {self.unit_id or ''}"
