"""考核办法 and 考核结果 (SPEC §2): schemes configured as data, results frozen as snapshots.

A ``Scheme`` (考核办法) belongs to a year and an assessment group (考核组别) — or, with no group, it
ranks the child regions of its region (a city ranking its counties, seed 003). Its ``SchemeItem`` rows
say which indicator is scored, how, and with which weight; bonus and deduction items and the
one-vote veto (一票否决) are items too. A ``Run`` is the result for one period (月考核, 季评比, 半年,
年度) on one basis (口径); its ``ResultLine`` rows hold each unit's score, rank and the item-by-item
explanation as computed, so that a published run never changes when records are edited later.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.assessment.choices import (
    FindingKind,
    ItemKind,
    PeriodKind,
    RunStatus,
    ScoringRule,
    VetoRule,
)
from zhaoshang.core.access import BUREAU_ONLY, Scope, register_scope
from zhaoshang.core.models import TimeStamped
from zhaoshang.metrics.indicators import REGISTRY, Basis

POINTS = {"max_digits": 8, "decimal_places": 2}


def indicator_choices() -> list[tuple[str, str]]:
    """Every indicator the metrics registry knows (the admin's drop-down)."""
    return [(code, str(indicator.name)) for code, indicator in REGISTRY.items()]


class Scheme(TimeStamped):
    """考核办法: for one year and one assessment group, which items are scored and how.

    With no assessment group the scheme ranks the child regions of ``region`` (a city ranks its
    counties); otherwise it ranks the active units of the group within ``region``'s subtree.
    """

    year = models.PositiveIntegerField(_("年度"), db_index=True)
    name = models.CharField(_("名称"), max_length=80)
    region = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("所属区划"),
        on_delete=models.PROTECT,
        related_name="assessment_schemes",
        help_text=_("制定考核办法的区划;区划排名时对其下级区划排名"),
    )
    assessment_group = models.ForeignKey(
        "organisation.AssessmentGroup",
        verbose_name=_("考核组别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="schemes",
        help_text=_("留空表示对下级区划排名(如市对各县市区)"),
    )
    monthly = models.BooleanField(_("月考核"), default=True)
    quarterly = models.BooleanField(_("季评比"), default=True)
    half_yearly = models.BooleanField(_("半年考核"), default=True)
    yearly = models.BooleanField(_("年度考核"), default=True)
    progress_by_days = models.BooleanField(
        _("序时进度按天计算"), default=False, help_text=_("默认按月:已过月数÷12")
    )
    bottom_count = models.PositiveSmallIntegerField(
        _("末位名次数"), default=1, help_text=_("排名最后几位标记为末位(如区直部门倒数第一、第二)")
    )
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("考核办法")
        verbose_name_plural = _("考核办法")
        ordering = ["-year", "assessment_group__order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "assessment_group"],
                condition=Q(assessment_group__isnull=False),
                name="scheme_unique_group_year",
                violation_error_message=_("该考核组别该年度已有考核办法。"),
            ),
            models.UniqueConstraint(
                fields=["year", "region"],
                condition=Q(assessment_group__isnull=True),
                name="scheme_unique_region_ranking_year",
                violation_error_message=_("该区划该年度已有区划排名考核办法。"),
            ),
            models.CheckConstraint(
                condition=Q(monthly=True) | Q(quarterly=True) | Q(half_yearly=True) | Q(yearly=True),
                name="scheme_has_a_period_kind",
                violation_error_message=_("请至少选择一种考核周期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"

    @property
    def ranks_regions(self) -> bool:
        return self.assessment_group_id is None

    def runs_on(self, kind: str) -> bool:
        return {
            PeriodKind.MONTH: self.monthly,
            PeriodKind.QUARTER: self.quarterly,
            PeriodKind.HALF: self.half_yearly,
            PeriodKind.YEAR: self.yearly,
        }[PeriodKind(kind)]


# What the bureau adjusts on a scheme's item, in the schemes page and in the admin alike.
SCHEME_ITEM_FIELDS = [
    "order",
    "kind",
    "indicator",
    "label",
    "rule",
    "weight",
    "cap",
    "step",
    "points_per_item",
    "veto",
]


class SchemeItem(models.Model):
    """One scored item of a scheme: an indicator (by its metrics code), a rule and its points."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("考核办法"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("排序号"), default=0)
    kind = models.CharField(_("类别"), max_length=10, choices=ItemKind.choices, default=ItemKind.BASIC)
    indicator = models.CharField(_("指标"), max_length=40, choices=indicator_choices)
    label = models.CharField(_("显示名称"), max_length=60, blank=True, help_text=_("留空则用指标名称"))
    rule = models.CharField(_("计分方法"), max_length=12, choices=ScoringRule.choices)
    weight = models.DecimalField(
        _("分值"), null=True, blank=True, help_text=_("满分;按个数计分时为上限(可空)"), **POINTS
    )
    cap = models.DecimalField(
        _("封顶系数"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("完成率÷序时进度的上限,如1.2"),
    )
    step = models.DecimalField(_("每降一名扣分"), null=True, blank=True, **POINTS)
    points_per_item = models.DecimalField(_("每个分值"), null=True, blank=True, **POINTS)
    veto = models.CharField(_("一票否决"), max_length=14, choices=VetoRule.choices, default=VetoRule.NONE)

    class Meta:
        verbose_name = _("考核项目")
        verbose_name_plural = _("考核项目")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(rule=ScoringRule.COMPLETION) | Q(weight__isnull=False),
                name="scheme_item_completion_has_weight",
                violation_error_message=_("完成率计分的项目必须填写分值。"),
            ),
            models.CheckConstraint(
                condition=~Q(rule=ScoringRule.EFFICACY) | Q(weight__isnull=False),
                name="scheme_item_efficacy_has_weight",
                violation_error_message=_("功效系数法计分的项目必须填写分值。"),
            ),
            models.CheckConstraint(
                condition=~Q(rule=ScoringRule.RANK_POINTS) | Q(weight__isnull=False, step__isnull=False),
                name="scheme_item_rank_has_weight_and_step",
                violation_error_message=_("按名次计分的项目必须填写分值和每降一名扣分。"),
            ),
            models.CheckConstraint(
                condition=~Q(rule=ScoringRule.PER_ITEM) | Q(points_per_item__isnull=False),
                name="scheme_item_per_item_has_points",
                violation_error_message=_("按个数计分的项目必须填写每个分值。"),
            ),
            models.CheckConstraint(
                condition=(Q(weight__isnull=True) | Q(weight__gte=0))
                & (Q(step__isnull=True) | Q(step__gte=0))
                & (Q(points_per_item__isnull=True) | Q(points_per_item__gte=0)),
                name="scheme_item_points_non_negative",
                violation_error_message=_("分值不能为负数(扣分项请选择类别“扣分项”)。"),
            ),
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | Q(cap__gte=1),
                name="scheme_item_cap_at_least_one",
                violation_error_message=_("封顶系数不能小于1。"),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.label:
            return self.label
        indicator = REGISTRY.get(self.indicator)
        return str(indicator.name) if indicator else self.indicator

    def clean(self) -> None:
        if self.indicator not in REGISTRY:
            raise ValidationError({"indicator": _("未知的指标“{code}”。").format(code=self.indicator)})


class Finding(TimeStamped):
    """核查问题: what the bureau found when checking a unit's reports — a falsified project (虚报、
    编造、重复报送) or another matter the scheme vetoes. Counted by the date the bureau found it
    (指标 ``falsified_projects`` / ``veto_findings``)."""

    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("单位"),
        on_delete=models.PROTECT,
        related_name="assessment_findings",
    )
    kind = models.CharField(_("问题类型"), max_length=10, choices=FindingKind.choices)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("涉及项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessment_findings",
    )
    found_on = models.DateField(_("认定日期"), db_index=True)
    description = models.TextField(_("情况说明"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_deleted = models.BooleanField(_("已删除"), default=False, editable=False, db_index=True)

    class Meta:
        verbose_name = _("核查问题")
        verbose_name_plural = _("核查问题")
        ordering = ["-found_on", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()}({self.found_on:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("assessment:findings:detail", args=[self.pk])

    def clean(self) -> None:
        if self.project_id and self.unit_id and self.project.introducing_unit_id != self.unit_id:
            raise ValidationError({"project": _("该项目不是该单位引进的项目。")})


class Run(models.Model):
    """考核结果: one scheme scored for one period on one basis. A draft may be recomputed (and gives
    the same numbers while the records stay the same); a published run is frozen for good."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("考核办法"), on_delete=models.PROTECT, related_name="runs"
    )
    period_code = models.CharField(
        _("考核期间"), max_length=10, help_text=_("如 2022-07、2022-Q2、2022-H1、2022")
    )
    period_kind = models.CharField(_("考核类别"), max_length=10, choices=PeriodKind.choices)
    period_label = models.CharField(_("期间名称"), max_length=40)
    window_label = models.CharField(_("累计期间"), max_length=40)
    starts_on = models.DateField(_("累计起始日期"))
    ends_on = models.DateField(_("截止日期"))
    period_starts_on = models.DateField(_("本期起始日期"))
    time_progress = models.DecimalField(_("序时进度"), max_digits=12, decimal_places=10)
    basis = models.CharField(_("口径"), max_length=12, choices=Basis.choices, default=Basis.RECOGNISED)
    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT)
    computed_at = models.DateTimeField(_("计算时间"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("计算人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["-ends_on", "-period_starts_on", "scheme__assessment_group__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "period_code", "basis"],
                name="run_unique_scheme_period_basis",
                violation_error_message=_("该考核办法该期间该口径已有考核结果。"),
            ),
            models.UniqueConstraint(
                fields=["scheme", "period_code"],
                condition=Q(status=RunStatus.PUBLISHED),
                name="run_one_published_per_scheme_period",
                violation_error_message=_("该考核办法该期间已有发布的考核结果。"),
            ),
            models.CheckConstraint(
                condition=Q(status=RunStatus.DRAFT) | Q(published_at__isnull=False),
                name="run_published_has_date",
                violation_error_message=_("已发布的考核结果必须有发布时间。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.name} {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == RunStatus.PUBLISHED


class ResultLine(models.Model):
    """One unit's (or region's) line of a run: score, rank, flags and the explanation, item by item,
    as computed — the frozen snapshot. ``explanation`` is a list of dicts (one per scheme item) with
    the value, target, completion, 序时进度 and points, decimals kept as exact strings."""

    run = models.ForeignKey(Run, verbose_name=_("考核结果"), on_delete=models.CASCADE, related_name="lines")
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessment_lines",
    )
    region = models.ForeignKey(
        "organisation.Region",
        verbose_name=_("区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessment_lines",
    )
    name = models.CharField(_("名称"), max_length=80)
    position = models.PositiveIntegerField(_("顺序"))
    score = models.DecimalField(_("得分"), **POINTS)
    rank = models.PositiveIntegerField(_("排名"))
    vetoed = models.BooleanField(_("一票否决"), default=False)
    is_bottom = models.BooleanField(_("末位"), default=False)
    bottom_streak = models.PositiveSmallIntegerField(_("连续末位期数"), default=0)
    signed_projects = models.PositiveIntegerField(_("本期签约项目"), default=0)
    signed_amount_wan = models.DecimalField(_("本期签约额(万元)"), max_digits=18, decimal_places=4, default=0)
    signing_rank = models.PositiveIntegerField(_("龙虎榜排名"))
    explanation = models.JSONField(_("得分说明"), default=list)

    class Meta:
        verbose_name = _("考核结果明细")
        verbose_name_plural = _("考核结果明细")
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "unit"],
                condition=Q(unit__isnull=False),
                name="result_line_unique_unit",
                violation_error_message=_("同一考核结果中每个单位只能有一行。"),
            ),
            models.UniqueConstraint(
                fields=["run", "region"],
                condition=Q(region__isnull=False),
                name="result_line_unique_region",
                violation_error_message=_("同一考核结果中每个区划只能有一行。"),
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=False, region__isnull=True)
                | Q(unit__isnull=True, region__isnull=False),
                name="result_line_unit_xor_region",
                violation_error_message=_("考核结果明细必须且只能对应一个单位或一个区划。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run} {self.name}"

    @property
    def consecutive_bottom(self) -> bool:
        """连续末位: at the bottom in this period and the one before (seed 001's 连续排名倒数第一)."""
        return self.bottom_streak >= 2


# Who sees what (SPEC §1): schemes and results of their region for the bureau, leaders and
# supervision; unit roles see the results of their own assessment group (published only: the
# selectors add that) and the findings about their own unit. Only the bureau writes.
register_scope(Scheme, Scope(unit=None, region="region", writers=BUREAU_ONLY))
register_scope(SchemeItem, Scope(unit=None, region="scheme__region", writers=BUREAU_ONLY))
register_scope(
    Run,
    Scope(
        unit="scheme__assessment_group__unit",
        region="scheme__region",
        writers=BUREAU_ONLY,
        unit_path_is_multi=True,
    ),
)
register_scope(
    ResultLine,
    Scope(
        unit="run__scheme__assessment_group__unit",
        region="run__scheme__region",
        writers=BUREAU_ONLY,
        unit_path_is_multi=True,
    ),
)
register_scope(Finding, Scope(unit="unit", region="unit__region", writers=BUREAU_ONLY))
