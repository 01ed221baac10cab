import itertools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.access import ADD, BUREAU_ONLY, CHANGE, Scope, register_scope
from zhaoshang.core.models import KeepsRecognisedVersion, TimeStamped, version_index
from zhaoshang.organisation.choices import Role
from zhaoshang.projects.choices import (
    EVENT_RECOGNITION,
    ORDERED_DATE_FIELDS,
    ComplaintStatus,
    DuplicateStatus,
    LandMode,
    ProblemStatus,
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


INTENTION_NOT_SIGNED = _(
    "意向协议不算签约:只签订意向协议的项目不能填写签约日期;正式签约后取消“意向协议”再填写签约日期。"
)
# The stages a project reaches only by signing.
SIGNED_STAGES = (Stage.SIGNED, Stage.COMMENCED, Stage.IN_PRODUCTION, Stage.EFFECTIVE)


class Project(KeepsRecognisedVersion):
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
    # 按比例分成 (issue 13, 苏州's rule): where a deployment splits credit between the introducing
    # unit (引荐单位) and the unit where the project lands (落户地), the latter is recorded here.
    landing_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("落户单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="landed_projects",
        help_text=_("项目落户的乡镇街道或园区;口径选项启用按比例分成时,与引进单位分享该项目"),
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
    expected_tax_wan = models.DecimalField(
        _("预计年引税额(万元)"), null=True, blank=True, help_text=_("总部经济项目预计每年引入的税额"), **MONEY
    )
    city_dispatch = models.BooleanField(_("纳入市级调度"), default=False)
    is_major = models.BooleanField(_("重大项目"), default=False)
    # 不予认定 (issue 13): what a deployment's eligibility rules may exclude from the figures
    # (``metrics.options``); recorded by the unit, checked by the bureau when it recognises.
    is_local_investor = models.BooleanField(
        _("本地投资方"), default=False, db_default=False, help_text=_("投资方为本地区内企业或个人")
    )
    is_public_infrastructure = models.BooleanField(
        _("财政投资或PPP基础设施"),
        default=False,
        db_default=False,
        help_text=_("财政资金或PPP模式的基础设施项目"),
    )
    is_real_estate = models.BooleanField(_("房地产项目"), default=False, db_default=False)
    is_later_phase = models.BooleanField(
        _("已签约项目的后续期"),
        default=False,
        db_default=False,
        help_text=_("已签约合同的二期、三期等后续建设"),
    )
    is_local_relocation = models.BooleanField(
        _("本地企业搬迁"), default=False, db_default=False, help_text=_("本地区内企业迁址、搬迁改造")
    )

    stage = models.CharField(
        _("项目阶段"), max_length=16, choices=Stage.choices, default=Stage.NEGOTIATING, db_index=True
    )
    negotiated_on = models.DateField(_("洽谈日期"), null=True, blank=True)
    prereview_passed_on = models.DateField(_("预审通过日期"), null=True, blank=True)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True, db_index=True)
    # SPEC §3: "an intention agreement (意向协议) is not a signing" — such a project has no 签约日期
    # (a database constraint), so that no figure can ever count it as signed.
    is_intention_agreement = models.BooleanField(
        _("意向协议"),
        default=False,
        help_text=_("只签订了意向性协议、尚未正式签约;意向协议不算签约,不填签约日期"),
    )
    agreed_start_on = models.DateField(_("约定开工日期"), null=True, blank=True)
    commenced_on = models.DateField(_("开工日期"), null=True, blank=True, db_index=True)
    in_production_on = models.DateField(_("投产日期"), null=True, blank=True, db_index=True)
    effective_on = models.DateField(_("达效日期"), null=True, blank=True)
    ended_on = models.DateField(_("终止或退库日期"), null=True, blank=True)
    end_reason = models.CharField(_("终止或退库原因"), max_length=300, blank=True)

    # 一个项目、一个领导、一套班子、一套人马 (seed 001)
    leader_in_charge = models.CharField(_("包保领导"), max_length=40, blank=True)
    # Seed 003: "市“四大家”领导…直接洽谈项目82个" — the leader who negotiated the project in person.
    negotiating_leader = models.CharField(
        _("洽谈领导"), max_length=40, blank=True, help_text=_("直接参与洽谈的领导姓名及职务")
    )
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
    # 防水分: held in the possible-duplicate pool until the bureau resolves it. A held project counts
    # on neither basis (SPEC §3), which metrics.indicators applies to every project-based figure.
    duplicate_hold = models.BooleanField(_("疑似重复待核查"), default=False, editable=False, db_index=True)
    # 日期口径 (issue 13): the day the bureau first recognised the signing, the commencement. The
    # record's ``recognised_at`` moves with every later recognition (a corrected amount), so a
    # deployment counting by recognition date reads these, set once by the workflow and the import.
    signing_recognised_on = models.DateField(_("签约认定日期"), null=True, blank=True, editable=False)
    commencement_recognised_on = models.DateField(_("开工认定日期"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("招商项目")
        verbose_name_plural = _("招商项目")
        ordering = ["-signed_on", "-id"]
        # 逾期未开工 (overdue_start_projects) is counted by agreed start date over a period.
        indexes = [
            models.Index(fields=["agreed_start_on"], name="projects_agreed_start"),
            version_index("project"),
            # The cockpit's 签约未开工 list (signed, not commenced, oldest signing first, a few
            # rows): read in index order and stopped early, not sorted from every signed project.
            models.Index(fields=["stage", "commenced_on", "signed_on"], name="projects_stalled_signing"),
        ]
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
                condition=Q(is_intention_agreement=False) | Q(signed_on__isnull=True),
                name="project_intention_not_signed",
                violation_error_message=INTENTION_NOT_SIGNED,
            ),
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
        if self.stage in SIGNED_STAGES and not self.signed_on and not self.is_intention_agreement:
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
        if self.is_intention_agreement and self.signed_on:
            errors["signed_on"] = INTENTION_NOT_SIGNED
        elif self.is_intention_agreement and self.stage in SIGNED_STAGES:
            errors["stage"] = _("意向协议不算签约,项目阶段不能是“{stage}”。").format(
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

    EVENT_RECOGNITION = EVENT_RECOGNITION

    @classmethod
    def recognition_updates(cls, day) -> dict:
        """For ``QuerySet.update`` when records are recognised on ``day``: each event that has a date
        and no recognition day yet gets ``day``; one already recognised keeps its day."""
        return {
            field: Coalesce(
                F(field),
                Case(
                    When(**{f"{event}__isnull": False}, then=Value(day)),
                    default=Value(None),
                    output_field=models.DateField(),
                ),
            )
            for event, field in cls.EVENT_RECOGNITION.items()
        }

    def stamp_event_recognition(self, day) -> None:
        """The same on an instance about to be saved as recognised (the import)."""
        for event, field in self.EVENT_RECOGNITION.items():
            if getattr(self, event) and getattr(self, field) is None:
                setattr(self, field, day)

    @property
    def counted_investment_wan(self):
        """The amount a signing counts (SPEC §3): an expansion counts its added investment."""
        if self.kind in ("expansion", "capital_increase") and self.added_investment_wan is not None:
            return self.added_investment_wan
        return self.total_investment_wan


class FundsRecord(KeepsRecognisedVersion):
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
        indexes = [version_index("funds")]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month"],
                # A recognised version kept beside the record (core.models) is its copy, not a second record.
                condition=Q(recognised_version_of__isnull=True),
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


# --- major-project service (重大项目服务) --------------------------------------------------------------


class ProjectProgress(models.Model):
    """A dated progress update on a project (推进情况). A major project without one for 7 days raises
    a supervision finding (SPEC §4)."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="progress_updates"
    )
    reported_on = models.DateField(_("日期"), db_index=True)
    text = models.TextField(_("推进情况"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("项目推进情况")
        verbose_name_plural = _("项目推进情况")
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.project} {self.reported_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.project_id]) + "#tab-progress"


class CoordinationMeeting(TimeStamped):
    """协调会: a meeting, usually presided by the project's 包保领导, that decides how the problems of a
    project are solved; the problems it decided link back to it."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="coordination_meetings"
    )
    held_on = models.DateField(_("召开日期"), db_index=True)
    leader = models.CharField(_("主持领导"), max_length=40)
    attendees = models.CharField(_("参会单位"), max_length=300, blank=True)
    decisions = models.TextField(_("议定事项"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("协调会")
        verbose_name_plural = _("协调会")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return _("{date}协调会({project})").format(date=f"{self.held_on:%Y-%m-%d}", project=self.project)

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.project_id]) + "#tab-meetings"


class ProjectProblem(TimeStamped):
    """项目问题: a problem raised on a project, with the unit that owns it and a deadline; the owner
    unit records how it was solved."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="problems"
    )
    raised_on = models.DateField(_("提出日期"), db_index=True)
    description = models.TextField(_("问题描述"))
    owner_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="project_problems",
    )
    deadline = models.DateField(_("办结时限"))
    meeting = models.ForeignKey(
        CoordinationMeeting,
        verbose_name=_("议定协调会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="problems",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ProblemStatus.choices, default=ProblemStatus.OPEN, db_index=True
    )
    resolution = models.TextField(_("解决情况"), blank=True)
    resolved_on = models.DateField(_("解决日期"), null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("项目问题")
        verbose_name_plural = _("项目问题")
        ordering = ["status", "deadline", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=F("raised_on")),
                name="problem_deadline_after_raised",
                violation_error_message=_("办结时限不能早于提出日期。"),
            ),
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(resolution=""),
                name="problem_resolved_has_resolution",
                violation_error_message=_("已解决的问题必须填写解决情况。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project}:{self.description[:30]}"

    def get_absolute_url(self) -> str:
        return reverse("problems:detail", args=[self.pk])


class Complaint(TimeStamped):
    """客商投诉: an investor's complaint, with the unit that owns it and a deadline; the owner unit answers
    and the bureau closes it after checking back with the investor ("件件有着落、事事有回音")."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("投诉企业"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("涉及项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    received_on = models.DateField(_("受理日期"), db_index=True)
    content = models.TextField(_("投诉内容"))
    owner_unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="complaints"
    )
    deadline = models.DateField(_("办理时限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN, db_index=True
    )
    response = models.TextField(_("答复情况"), blank=True)
    responded_on = models.DateField(_("答复日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    closing_note = models.CharField(_("回访意见"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受理人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("客商投诉")
        verbose_name_plural = _("客商投诉")
        ordering = ["status", "deadline", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=F("received_on")),
                name="complaint_deadline_after_received",
                violation_error_message=_("办理时限不能早于受理日期。"),
            ),
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(response=""),
                name="complaint_answered_has_response",
                violation_error_message=_("答复或办结的投诉必须有答复情况。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise}:{self.content[:30]}"

    def get_absolute_url(self) -> str:
        return reverse("complaints:detail", args=[self.pk])


# --- 防水分: the possible-duplicate pool ------------------------------------------------------------


class DuplicateCandidate(models.Model):
    """Two projects that may be the same one reported twice (by two units, or again after an upgrade).

    While the pair is open both projects are held (``Project.duplicate_hold``) and count on neither
    basis. The bureau resolves it: the same project → one record is kept and the other withdrawn
    (退库, merged into the kept one); different projects → both released.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("新报项目"), on_delete=models.CASCADE, related_name="duplicate_candidates"
    )
    other = models.ForeignKey(
        Project,
        verbose_name=_("疑似重复于"),
        on_delete=models.CASCADE,
        related_name="duplicate_of_candidates",
    )
    reasons = models.JSONField(_("疑似依据"), default=list)
    status = models.CharField(
        _("核查结果"),
        max_length=10,
        choices=DuplicateStatus.choices,
        default=DuplicateStatus.OPEN,
        db_index=True,
    )
    kept = models.ForeignKey(
        Project,
        verbose_name=_("保留项目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("核查意见"), max_length=300, blank=True)
    found_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核查人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("疑似重复项目")
        verbose_name_plural = _("疑似重复项目")
        ordering = ["status", "-found_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "other"],
                name="duplicate_pair_once",
                violation_error_message=_("这两个项目已在疑似重复池中。"),
            ),
            models.CheckConstraint(
                condition=~Q(project=F("other")),
                name="duplicate_pair_distinct",
                violation_error_message=_("项目不能与自身重复。"),
            ),
        ]

    def __str__(self) -> str:
        return _("“{a}”与“{b}”").format(a=self.project, b=self.other)

    def get_absolute_url(self) -> str:
        return reverse("duplicates:detail", args=[self.pk])

    def reason_labels(self) -> list[str]:
        from zhaoshang.projects.selectors import DUPLICATE_REASON_LABELS

        return [str(DUPLICATE_REASON_LABELS.get(code, code)) for code in self.reasons]


register_scope(
    ProjectProgress,
    Scope(
        unit="project__introducing_unit",
        region="project__region",
        writers={ADD: (Role.REPORTER, Role.UNIT_HEAD, Role.BUREAU)},
    ),
)
register_scope(
    CoordinationMeeting,
    Scope(unit="project__introducing_unit", region="project__region", writers={ADD: (Role.BUREAU,)}),
)
# The owner unit of a problem or complaint sees it (and answers it) even when the project is not its own.
register_scope(
    ProjectProblem,
    Scope(
        unit="project__introducing_unit",
        region="project__region",
        also_viewed_by=("owner_unit",),
        writers={ADD: (Role.REPORTER, Role.UNIT_HEAD, Role.BUREAU), CHANGE: (Role.BUREAU,)},
    ),
)
register_scope(
    Complaint,
    Scope(
        unit="owner_unit",
        region="owner_unit__region",
        also_viewed_by=("project__introducing_unit",),
        writers={ADD: (Role.BUREAU,), CHANGE: (Role.BUREAU,)},
    ),
)
register_scope(
    DuplicateCandidate,
    Scope(
        unit="project__introducing_unit",
        region="project__region",
        also_viewed_by=("other__introducing_unit",),
        writers=BUREAU_ONLY,
    ),
)
