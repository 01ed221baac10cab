from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.access import BUREAU_ONLY, Scope, register_scope
from zhaoshang.core.models import Reported
from zhaoshang.leads.choices import FeedbackKind, LeadStatus


class Lead(Reported):
    """招商信息: a piece of investment information reported by a unit on a date.

    The bureau judges it valuable (有价值) or not; ``is_valuable`` stays empty until judged.
    """

    title = models.CharField(_("信息名称"), max_length=200)
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("上报单位"), on_delete=models.PROTECT, related_name="leads"
    )
    reported_on = models.DateField(_("上报日期"), db_index=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
    )
    industry = models.ForeignKey(
        "organisation.Industry",
        verbose_name=_("所属产业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    intended_investment_wan = models.DecimalField(
        _("拟投资额(万元)"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    is_valuable = models.BooleanField(_("是否有价值"), null=True, blank=True)
    # Seed 003: "市“四大家”领导提供信息愈50条" — the leader who brought the information, if any.
    provided_by_leader = models.CharField(
        _("提供信息的领导"), max_length=40, blank=True, help_text=_("由领导提供的信息填写领导姓名及职务")
    )
    status = models.CharField(
        _("跟进状态"), max_length=12, choices=LeadStatus.choices, default=LeadStatus.COLLECTED
    )
    assigned_unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("推送至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_leads",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("转化项目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_leads",
    )
    note = models.TextField(_("备注"), blank=True)
    # 提请领导协调: set when the bureau or the assigned unit asks a leader to step in.
    escalated_at = models.DateTimeField(_("提请领导协调时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("招商信息")
        verbose_name_plural = _("招商信息")
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(intended_investment_wan__isnull=True) | Q(intended_investment_wan__gte=0),
                name="lead_investment_non_negative",
                violation_error_message=_("拟投资额不能为负数。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("leads:detail", args=[self.pk])


class LeadAssignment(models.Model):
    """分派: the bureau hands a lead to a unit or task force (推送), with instructions and a deadline
    for its first feedback. A lead pushed again gets a new assignment; the latest is current."""

    lead = models.ForeignKey(
        Lead, verbose_name=_("招商信息"), on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("承接单位"),
        on_delete=models.PROTECT,
        related_name="lead_assignments",
    )
    instructions = models.TextField(_("分派要求"), blank=True)
    deadline = models.DateField(_("反馈时限"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分派人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("分派时间"), auto_now_add=True)
    is_current = models.BooleanField(_("当前分派"), default=True)

    class Meta:
        verbose_name = _("信息分派")
        verbose_name_plural = _("信息分派")
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lead"],
                condition=Q(is_current=True),
                name="lead_one_current_assignment",
                violation_error_message=_("一条信息同时只能分派给一个单位。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lead} → {self.unit}"


class LeadFeedback(models.Model):
    """反馈: what the assigned unit (or the bureau) reports on a pushed lead — follow-up, the request
    to a leader, the conversion or the closure — one dated line of the lead's closed loop."""

    lead = models.ForeignKey(
        Lead, verbose_name=_("招商信息"), on_delete=models.CASCADE, related_name="feedback"
    )
    assignment = models.ForeignKey(
        LeadAssignment,
        verbose_name=_("对应分派"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    kind = models.CharField(
        _("类型"), max_length=12, choices=FeedbackKind.choices, default=FeedbackKind.FOLLOW_UP
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("反馈单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反馈人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信息反馈")
        verbose_name_plural = _("信息反馈")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.lead}:{self.text[:30]}"


register_scope(Lead, Scope(unit="unit", region="unit__region", also_viewed_by=("assigned_unit",)))
register_scope(
    LeadAssignment,
    Scope(unit="lead__unit", region="lead__unit__region", also_viewed_by=("unit",), writers=BUREAU_ONLY),
)
register_scope(
    LeadFeedback,
    Scope(unit="lead__unit", region="lead__unit__region", also_viewed_by=("unit", "lead__assigned_unit")),
)
