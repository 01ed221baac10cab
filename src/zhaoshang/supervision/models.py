from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.access import ADD, CHANGE, RECOGNISE, Scope, register_scope
from zhaoshang.core.models import TimeStamped
from zhaoshang.organisation.choices import Role
from zhaoshang.supervision.choices import TicketStatus


class RuleSetting(models.Model):
    """A deployment's setting for one supervision rule: on or off, and its threshold (days, months,
    times …, as the rule says). A rule with no row runs with its default (``supervision.rules``)."""

    code = models.CharField(_("规则代码"), max_length=40, unique=True)
    enabled = models.BooleanField(_("启用"), default=True)
    threshold = models.DecimalField(_("阈值"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("督查规则设置")
        verbose_name_plural = _("督查规则设置")
        ordering = ["code"]

    def __str__(self) -> str:
        from zhaoshang.supervision.rules import RULES

        rule = RULES.get(self.code)
        return str(rule.name) if rule else self.code


class SupervisionTicket(TimeStamped):
    """督办单: a finding handed to the unit that owns it, with a deadline.

    The supervision office (督查) or the bureau opens it; the owner unit answers; the supervisor or
    the bureau verifies and closes it (核查销号) or sends it back. A ticket past its deadline and not
    closed is overdue: the daily run flags it (``escalated_at``) and tells the leaders. Leaders write
    instructions (批示) on it and nothing else.
    """

    title = models.CharField(_("督办事项"), max_length=200)
    description = models.TextField(_("具体情况"), blank=True)
    owner_unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="tickets"
    )
    deadline = models.DateField(_("办结时限"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.OPEN, db_index=True
    )
    # Where the ticket came from: a rule and the finding's stable key (one ticket per finding).
    source_rule = models.CharField(_("来源规则"), max_length=40, blank=True, db_index=True)
    source_key = models.CharField(_("来源问题"), max_length=120, blank=True, editable=False)
    subject_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    response = models.TextField(_("办理情况"), blank=True)
    responded_at = models.DateTimeField(_("反馈时间"), null=True, blank=True, editable=False)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反馈人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verification = models.CharField(_("核查意见"), max_length=500, blank=True, editable=False)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("销号人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    escalated_at = models.DateTimeField(_("逾期升级时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        ordering = ["status", "deadline", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~Q(source_key=""),
                name="ticket_one_per_finding",
                violation_error_message=_("该问题已开具督办单。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="ticket_closed_has_time",
                violation_error_message=_("销号的督办单必须有销号时间。"),
            ),
        ]

    def __str__(self) -> str:
        return _("督办单第{n}号:{title}").format(n=self.pk, title=self.title)

    def get_absolute_url(self) -> str:
        return reverse("tickets:detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status != TicketStatus.CLOSED and self.deadline < timezone.localdate()


class Instruction(models.Model):
    """批示: a leader's instruction on a ticket, a project or a lead. Leaders write these and nothing
    else (SPEC §1). It is read on its record's page, which does the access check."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    text = models.TextField(_("批示内容"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("批示领导"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("批示时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.author}:{self.text[:30]}"


class Notification(models.Model):
    """An in-app message to one user (SPEC §4: notifications go to the in-app inbox and to pluggable
    channels). Each user reads only their own."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    text = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text


# A unit sees only the tickets it owns (404 for another unit's); the supervision office and the
# bureau open, verify and close; the owner unit's answer is checked in the service.
register_scope(
    SupervisionTicket,
    Scope(
        unit="owner_unit",
        region="owner_unit__region",
        writers={
            ADD: (Role.SUPERVISOR, Role.BUREAU),
            CHANGE: (Role.SUPERVISOR, Role.BUREAU),
            RECOGNISE: (Role.SUPERVISOR, Role.BUREAU),
        },
        locks_when_recognised=False,
    ),
)
