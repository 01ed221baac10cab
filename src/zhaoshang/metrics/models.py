"""The monthly summary (汇总) the engine reads for whole-month periods, and the marks that say which
of its cells the records have changed since (``zhaoshang.metrics.rollup`` explains both)."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
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
            # Region and whole-tree reads: an index range scan over the months of one indicator,
            # never the table (a count is read from its amount's ``records``: ``rollup.COUNTED_AS``).
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
                    "records",
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


class DateBasis(models.TextChoices):
    """Which date puts a signing or a commencement in a period (issue 13, 日期口径)."""

    EVENT = "event", _("按签约、开工日期计入(默认)")
    RECOGNISED = "recognised", _("按局认定日期计入")


# 不予认定 rules: (option, the project's flag it reads, the rule in words)
ELIGIBILITY_FLAGS = [
    ("exclude_local_investors", "is_local_investor", _("投资方为本地区内企业或个人的项目不予认定")),
    (
        "exclude_public_infrastructure",
        "is_public_infrastructure",
        _("财政投资或PPP模式的基础设施项目不予认定"),
    ),
    ("exclude_real_estate", "is_real_estate", _("房地产项目不予认定")),
    ("exclude_later_phases", "is_later_phase", _("已签约合同的后续期(二期、三期等)不予认定")),
    ("exclude_local_relocations", "is_local_relocation", _("本地区内企业搬迁的项目不予认定")),
]
DEFAULT_THRESHOLD_WAN = 10000  # 亿元以上 = total investment ≥ 10 000万元 (SPEC §3)
DEFAULT_BAND_EDGES = "1,5,10,20"  # 亿元: 1–5、5–10、10–20、20亿元以上 (SPEC §3, seed 000)


class CountingRules(models.Model):
    """口径选项: how this deployment counts in one year, where its own 考核办法 differ from SPEC §3.

    One row per year (a deployment is one database); a year without a row counts by SPEC §3, and so
    does a row left at its defaults. Every option that changes what an indicator counts enters the
    monthly summary's signature (``rollup.signature``), and saving a row has the summary rebuilt,
    so that summed and counted figures never disagree. Written by the bureau through
    ``metrics.services.counting_rules_save`` (audited)."""

    year = models.PositiveIntegerField(_("年度"), unique=True)
    threshold_wan = models.DecimalField(
        _("亿元以上门槛(万元)"),
        max_digits=18,
        decimal_places=4,
        default=DEFAULT_THRESHOLD_WAN,
        help_text=_("“亿元以上项目”的计入投资额下限,含本数;默认10000万元"),
    )
    foreign_threshold_usd_wan = models.DecimalField(
        _("外资项目门槛(万美元)"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("填写后,外资额达到该数(如1000万美元)的项目也计为亿元以上项目;留空不启用"),
    )
    band_edges = models.CharField(
        _("规模分档界限(亿元)"),
        max_length=60,
        default=DEFAULT_BAND_EDGES,
        help_text=_("由小到大,逗号分隔;默认“1,5,10,20”即1–5、5–10、10–20、20亿元以上"),
    )
    date_basis = models.CharField(
        _("日期口径"), max_length=12, choices=DateBasis.choices, default=DateBasis.EVENT
    )
    # 不予认定 (eligibility): rules a deployment switches on; excluded projects are listed with the
    # rule that excluded them (``/metrics/excluded/``), never silently dropped.
    exclude_local_investors = models.BooleanField(_("不计本地投资方项目"), default=False)
    exclude_public_infrastructure = models.BooleanField(_("不计财政投资或PPP基础设施项目"), default=False)
    exclude_real_estate = models.BooleanField(_("不计房地产项目"), default=False)
    exclude_later_phases = models.BooleanField(_("不计已签约项目的后续期"), default=False)
    exclude_local_relocations = models.BooleanField(_("不计本地企业搬迁项目"), default=False)
    min_project_wan = models.DecimalField(
        _("项目计入下限(万元)"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("计入投资额低于该数的项目不予认定(如10000);留空不启用"),
    )
    min_department_project_wan = models.DecimalField(
        _("区直(市直)部门项目计入下限(万元)"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("区直(市直)部门引进的项目适用的下限(如5000);留空则与上一项相同"),
    )
    landing_share = models.DecimalField(
        _("落户单位分成比例"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("如0.6:落户单位计入60%,引进单位计入40%(“按比例计入”的指标);留空则全部计入引进单位"),
    )
    first_introducer = models.BooleanField(
        _("一个项目、一个首报单位"),
        default=False,
        help_text=_("几个单位报送同一项目时,核查为同一项目后只保留最先报送的单位的记录"),
    )
    note = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("如本地考核办法的文号"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        verbose_name = _("口径选项")
        verbose_name_plural = _("口径选项")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(landing_share__isnull=True)
                | models.Q(landing_share__gte=0, landing_share__lte=1),
                name="counting_rules_share_within_one",
                violation_error_message=_("分成比例应在0到1之间。"),
            ),
            models.CheckConstraint(
                condition=models.Q(threshold_wan__gt=0)
                & (
                    models.Q(foreign_threshold_usd_wan__isnull=True)
                    | models.Q(foreign_threshold_usd_wan__gt=0)
                ),
                name="counting_rules_thresholds_positive",
                violation_error_message=_("门槛必须大于0。"),
            ),
        ]

    def __str__(self) -> str:
        return _("{year}年口径选项").format(year=self.year)

    def edges_wan(self) -> list[Decimal]:
        """The band edges in 万元, smallest first (``band_edges`` is in 亿元)."""
        return [Decimal(part) * 10000 for part in self.band_edges.split(",") if part.strip()]

    def clean(self) -> None:
        try:
            edges = [Decimal(p.strip()) for p in self.band_edges.replace("，", ",").split(",") if p.strip()]
        except InvalidOperation:
            raise ValidationError({"band_edges": _("分档界限应为以逗号分隔的数字(亿元)。")}) from None
        if not edges or any(e <= 0 for e in edges) or edges != sorted(set(edges)):
            raise ValidationError({"band_edges": _("分档界限应由小到大、互不相同且大于0。")})
        self.band_edges = ",".join(_text(e) for e in edges)

    def counting_key(self) -> str:
        """What the summary's cells depend on (hashed into its signature)."""
        return "|".join(
            [
                str(self.year),
                _text(self.threshold_wan),
                _text(self.foreign_threshold_usd_wan),
                self.band_edges,
                self.date_basis,
                *(str(getattr(self, flag)) for flag, _field, _label in ELIGIBILITY_FLAGS),
                _text(self.min_project_wan),
                _text(self.min_department_project_wan),
                _text(self.landing_share),
            ]
        )

    @property
    def excludes_anything(self) -> bool:
        return (
            any(getattr(self, flag) for flag, _field, _label in ELIGIBILITY_FLAGS)
            or self.min_project_wan is not None
            or self.min_department_project_wan is not None
        )


def _text(value: Decimal | None) -> str:
    return "" if value is None else format(Decimal(value).normalize(), "f")


# Counting options are the bureau's to set (SPEC §1: 招商局 sets targets, runs assessments); they
# belong to the whole deployment, not to a unit or a region.
def _register_scopes() -> None:
    from zhaoshang.core.access import BUREAU_ONLY, Scope, register_scope

    register_scope(CountingRules, Scope(unit=None, region=None, writers=BUREAU_ONLY))


_register_scopes()
