import itertools

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.access import BUREAU_ONLY, Scope, register_scope
from zhaoshang.core.models import Reported, TimeStamped
from zhaoshang.projects.choices import (
    ORDERED_DATE_FIELDS,
    LandMode,
    ProjectKind,
    Sector,
    Stage,
    Verdict,
)

MONEY = {"max_digits": 18, "decimal_places": 4}


def _dates_in_order(earlier: str, later: str, message: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{earlier}__isnull": True})
        | Q(**{f"{later}__isnull": True})
        | Q(**{f"{later}__gte": F(earlier)}),
        name=f"project_{earlier}_before_{later}",
        violation_error_message=message,
    )


def _non_negative(model: str, field: str, message: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
        name=f"{model}_{field}_non_negative",
        violation_error_message=message,
    )


class Project(Reported):
    """招商项目, the centre of the domain (SPEC §2).

    Money is in 万元 (RMB) or 万美元, exact to four decimals (one yuan). A project counts for its one
    introducing unit (引进单位); helpers are recorded but not credited (SPEC §3).
    """

    name = models.CharField(_("项目名称"), max_length=200, db_index=True)
    investor = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("投资方"), on_delete=models.PROTECT, related_name="projects"
    )
    introducing_unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("引进单位"), on_delete=models.PROTECT, related_name="projects"
    )
    helper_units = models.ManyToManyField(
        "organisation.Unit", verbose_name=_("协助单位"), blank=True, related_name="helped_projects"
    )
    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("落地区划"), on_delete=models.PROTECT, related_name="projects"
    )
    industry = models.ForeignKey(
        "organisation.Industry",
        verbose_name=_("所属产业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "leading"},
    )
    chain = models.ForeignKey(
        "organisation.Industry",
        verbose_name=_("产业链"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "chain"},
    )
    strategic_category = models.ForeignKey(
        "organisation.Industry",
        verbose_name=_("战略性新兴产业分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "strategic"},
    )
    sector = models.CharField(_("三次产业"), max_length=10, choices=Sector.choices, blank=True)

    total_investment_wan = models.DecimalField(_("总投资(万元)"), **MONEY)
    added_investment_wan = models.DecimalField(
        _("新增投资(万元)"), null=True, blank=True, help_text=_("扩建、增资项目只计新增投资"), **MONEY
    )
    foreign_currency = models.CharField(_("外资币种"), max_length=10, blank=True)
    foreign_amount = models.DecimalField(_("外资金额(原币万元)"), null=True, blank=True, **MONEY)
    foreign_usd_wan = models.DecimalField(_("外资(万美元)"), null=True, blank=True, **MONEY)
    kind = models.CharField(
        _("项目类别"), max_length=20, choices=ProjectKind.choices, default=ProjectKind.NEW
    )
    land_mode = models.CharField(_("用地方式"), max_length=12, choices=LandMode.choices, blank=True)
    land_area_mu = models.DecimalField(
        _("用地面积(亩)"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    is_leading_industry = models.BooleanField(_("主导产业"), default=False)
    is_chain = models.BooleanField(_("产业链项目"), default=False)
    is_industrial = models.BooleanField(_("工业项目"), default=False)
    is_manufacturing = models.BooleanField(_("制造业"), default=False)
    is_strategic_emerging = models.BooleanField(_("战略性新兴产业"), default=False)
    is_private = models.BooleanField(_("民营投资"), default=False)
    is_headquarters = models.BooleanField(_("总部经济"), default=False)
    city_dispatch = models.BooleanField(_("纳入市级调度"), default=False)
    is_major = models.BooleanField(_("重大项目"), default=False)

    stage = models.CharField(
        _("项目阶段"), max_length=16, choices=Stage.choices, default=Stage.NEGOTIATING, db_index=True
    )
    negotiated_on = models.DateField(_("洽谈日期"), null=True, blank=True)
    prereview_passed_on = models.DateField(_("预审通过日期"), null=True, blank=True)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True, db_index=True)
    agreed_start_on = models.DateField(_("约定开工日期"), null=True, blank=True)
    commenced_on = models.DateField(_("开工日期"), null=True, blank=True, db_index=True)
    in_production_on = models.DateField(_("投产日期"), null=True, blank=True, db_index=True)
    effective_on = models.DateField(_("达效日期"), null=True, blank=True)
    ended_on = models.DateField(_("终止或退库日期"), null=True, blank=True)
    end_reason = models.CharField(_("终止或退库原因"), max_length=300, blank=True)

    # 一个项目、一个领导、一套班子、一套人马 (seed 001)
    leader_in_charge = models.CharField(_("包保领导"), max_length=40, blank=True)
    lead_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("牵头单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    service_team = models.CharField(_("服务专班"), max_length=200, blank=True)
    chief_service_officer = models.CharField(_("首席服务官"), max_length=40, blank=True)
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("招商项目")
        verbose_name_plural = _("招商项目")
        ordering = ["-signed_on", "-id"]
        constraints = [
            _non_negative("project", "total_investment_wan", _("总投资不能为负数。")),
            _non_negative("project", "added_investment_wan", _("新增投资不能为负数。")),
            _non_negative("project", "foreign_amount", _("外资金额不能为负数。")),
            _non_negative("project", "foreign_usd_wan", _("外资(万美元)不能为负数。")),
            _non_negative("project", "land_area_mu", _("用地面积不能为负数。")),
            models.CheckConstraint(
                condition=Q(added_investment_wan__isnull=True)
                | Q(added_investment_wan__lte=F("total_investment_wan")),
                name="project_added_within_total",
                violation_error_message=_("新增投资不能大于总投资。"),
            ),
            _dates_in_order("negotiated_on", "signed_on", _("签约日期不能早于洽谈日期。")),
            _dates_in_order("signed_on", "commenced_on", _("开工日期不能早于签约日期。")),
            _dates_in_order("commenced_on", "in_production_on", _("投产日期不能早于开工日期。")),
            _dates_in_order("in_production_on", "effective_on", _("达效日期不能早于投产日期。")),
            models.CheckConstraint(
                condition=~Q(stage__in=["terminated", "withdrawn"]) | ~Q(end_reason=""),
                name="project_end_has_reason",
                violation_error_message=_("终止或退库的项目必须填写原因。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        filled = [(f, getattr(self, f)) for f in ORDERED_DATE_FIELDS if getattr(self, f)]
        for (earlier, d1), (later, d2) in itertools.pairwise(filled):
            if d2 < d1:
                errors[later] = _("{later}不能早于{earlier}。").format(
                    later=self._meta.get_field(later).verbose_name,
                    earlier=self._meta.get_field(earlier).verbose_name,
                )
        if (
            self.stage in (Stage.SIGNED, Stage.COMMENCED, Stage.IN_PRODUCTION, Stage.EFFECTIVE)
            and not self.signed_on
        ):
            errors["signed_on"] = _("项目阶段为“{stage}”时必须填写签约日期。").format(
                stage=self.get_stage_display()
            )
        if self.stage in (Stage.COMMENCED, Stage.IN_PRODUCTION, Stage.EFFECTIVE) and not self.commenced_on:
            errors["commenced_on"] = _("项目阶段为“{stage}”时必须填写开工日期。").format(
                stage=self.get_stage_display()
            )
        if self.stage in (Stage.IN_PRODUCTION, Stage.EFFECTIVE) and not self.in_production_on:
            errors["in_production_on"] = _("项目阶段为“{stage}”时必须填写投产日期。").format(
                stage=self.get_stage_display()
            )
        if self.stage in (Stage.TERMINATED, Stage.WITHDRAWN) and not self.end_reason:
            errors["end_reason"] = _("终止或退库的项目必须填写原因。")
        if self.kind in ("expansion", "capital_increase") and self.added_investment_wan is None:
            errors["added_investment_wan"] = _("扩建、增资项目请填写新增投资。")
        if (
            self.added_investment_wan is not None
            and self.total_investment_wan is not None
            and self.added_investment_wan > self.total_investment_wan
        ):
            errors["added_investment_wan"] = _("新增投资不能大于总投资。")
        if errors:
            raise ValidationError(errors)

    @property
    def counted_investment_wan(self):
        """The amount a signing counts (SPEC §3): an expansion counts its added investment."""
        if self.kind in ("expansion", "capital_increase") and self.added_investment_wan is not None:
            return self.added_investment_wan
        return self.total_investment_wan


class FundsRecord(Reported):
    """到位资金: one project's funds in place in one month, each recognised on its own."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="funds"
    )
    month = models.DateField(_("月份"), help_text=_("该月1日"), db_index=True)
    amount_wan = models.DecimalField(_("到位资金(万元)"), **MONEY)
    outside_province_wan = models.DecimalField(_("其中省外资金(万元)"), default=0, **MONEY)
    outside_city_wan = models.DecimalField(_("其中市外资金(万元)"), default=0, **MONEY)
    foreign_usd_wan = models.DecimalField(_("外资到位(万美元)"), default=0, **MONEY)
    foreign_cash_usd_wan = models.DecimalField(_("现汇进资(万美元)"), default=0, **MONEY)
    recognised_amount_wan = models.DecimalField(
        _("认定到位资金(万元)"), null=True, blank=True, help_text=_("局认定金额少于上报时填写"), **MONEY
    )

    class Meta:
        verbose_name = _("到位资金")
        verbose_name_plural = _("到位资金")
        ordering = ["-month", "project_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month"],
                name="funds_one_per_project_month",
                violation_error_message=_("该项目该月份已有到位资金记录。"),
            ),
            _non_negative("funds", "amount_wan", _("到位资金不能为负数。")),
            _non_negative("funds", "outside_province_wan", _("省外资金不能为负数。")),
            _non_negative("funds", "outside_city_wan", _("市外资金不能为负数。")),
            _non_negative("funds", "foreign_usd_wan", _("外资到位不能为负数。")),
            _non_negative("funds", "foreign_cash_usd_wan", _("现汇进资不能为负数。")),
            _non_negative("funds", "recognised_amount_wan", _("认定金额不能为负数。")),
            models.CheckConstraint(
                condition=Q(outside_province_wan__lte=F("amount_wan")),
                name="funds_outside_province_within_total",
                violation_error_message=_("其中省外资金不能大于到位资金。"),
            ),
            models.CheckConstraint(
                condition=Q(outside_city_wan__lte=F("amount_wan")),
                name="funds_outside_city_within_total",
                violation_error_message=_("其中市外资金不能大于到位资金。"),
            ),
            models.CheckConstraint(
                condition=Q(foreign_cash_usd_wan__lte=F("foreign_usd_wan")),
                name="funds_cash_within_foreign",
                violation_error_message=_("现汇进资不能大于外资到位。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y年%m月}"

    def get_absolute_url(self) -> str:
        return reverse("funds:detail", args=[self.pk])

    def clean(self) -> None:
        if self.month and self.month.day != 1:
            self.month = self.month.replace(day=1)


class PreReviewMeeting(TimeStamped):
    """预审会: the bureau and departments (发改、经信、环保 …) judge projects before signing."""

    title = models.CharField(_("会议名称"), max_length=120)
    held_on = models.DateField(_("召开日期"), db_index=True)
    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="prereviews"
    )
    departments = models.CharField(
        _("参会部门"), max_length=300, blank=True, help_text=_("用顿号分隔,如:发改、经信、环保、自然资源")
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    is_deleted = models.BooleanField(_("已删除"), default=False, editable=False)

    class Meta:
        verbose_name = _("预审会")
        verbose_name_plural = _("预审会")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("prereviews:detail", args=[self.pk])


class PreReviewVerdict(models.Model):
    meeting = models.ForeignKey(
        PreReviewMeeting, verbose_name=_("预审会"), on_delete=models.CASCADE, related_name="verdicts"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="prereview_verdicts"
    )
    verdict = models.CharField(_("结论"), max_length=10, choices=Verdict.choices)
    opinions = models.TextField(_("部门意见"), blank=True)

    class Meta:
        verbose_name = _("预审结论")
        verbose_name_plural = _("预审结论")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "project"],
                name="verdict_one_per_meeting_project",
                violation_error_message=_("同一次预审会对同一项目只能有一个结论。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_verdict_display()}"


register_scope(Project, Scope(unit="introducing_unit", region="region", also_viewed_by=("helper_units",)))
register_scope(FundsRecord, Scope(unit="project__introducing_unit", region="project__region"))
# Pre-review meetings are the bureau's: units do not see the verdicts on other units' projects.
register_scope(
    PreReviewMeeting,
    Scope(
        unit="verdicts__project__introducing_unit",
        region="region",
        writers=BUREAU_ONLY,
        unit_path_is_multi=True,
    ),
)
register_scope(
    PreReviewVerdict, Scope(unit="project__introducing_unit", region="meeting__region", writers=BUREAU_ONLY)
)
