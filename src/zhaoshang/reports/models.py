"""A generated report kept as an editable draft (SPEC §6 "Reports are 公文").

The generator writes Markdown (``generated_markdown``); the bureau may edit it in the browser
before exporting, and the edited text is kept beside the generated one with who edited it and when.
``version`` (from ``TimeStamped``) guards concurrent edits: a save at a stale version is refused.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.access import BUREAU_ONLY, Scope, register_scope
from zhaoshang.core.models import TimeStamped
from zhaoshang.metrics.indicators import Basis
from zhaoshang.reports.choices import ReportKind


class ReportDraft(TimeStamped):
    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="report_drafts"
    )
    kind = models.CharField(_("报告类型"), max_length=12, choices=ReportKind.choices)
    period_start = models.DateField(_("期间起始"))
    period_end = models.DateField(_("期间截止"))
    period_label = models.CharField(_("期间"), max_length=60)
    campaign = models.ForeignKey(
        "targets.Campaign",
        verbose_name=_("专项行动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_drafts",
    )
    basis = models.CharField(_("口径"), max_length=12, choices=Basis.choices, default=Basis.RECOGNISED)
    title = models.CharField(_("标题"), max_length=120)
    generated_markdown = models.TextField(_("生成稿"))
    charts = models.JSONField(_("图表数据"), default=dict, blank=True)
    generated_at = models.DateTimeField(_("生成时间"))
    edited_markdown = models.TextField(_("编辑稿"), blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编辑人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    edited_at = models.DateTimeField(_("编辑时间"), null=True, blank=True)
    # 公文 elements (SPEC §6): optional 文号, 密级, issuing unit and date.
    doc_number = models.CharField(_("文号"), max_length=60, blank=True)
    classification = models.CharField(_("密级"), max_length=20, blank=True, default="内部资料")
    issuer = models.CharField(_("发文单位"), max_length=80, blank=True)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("生成人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("报告草稿")
        verbose_name_plural = _("报告草稿")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="report_draft_period_in_order",
                violation_error_message=_("期间截止日期不能早于起始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    @property
    def markdown(self) -> str:
        """The text that is shown and exported: the edited version when there is one."""
        return self.edited_markdown or self.generated_markdown

    @property
    def is_edited(self) -> bool:
        return bool(self.edited_markdown)


# Drafts belong to a region: the bureau, leaders and supervision of that region see them; only the
# bureau edits. (The reports pages themselves admit region roles only.)
register_scope(ReportDraft, Scope(unit=None, region="region", writers=BUREAU_ONLY))


class SentReport(models.Model):
    """A report of a closed month kept exactly as it was first produced after the close (SPEC §4: "a
    bulletin already sent can be reproduced exactly later"). ``report_build`` returns it instead of
    generating anew while the month stays closed; reopening the month supersedes it."""

    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("报告类型"), max_length=12, choices=ReportKind.choices)
    basis = models.CharField(_("口径"), max_length=12, choices=Basis.choices)
    period_start = models.DateField(_("期间起始"))
    period_end = models.DateField(_("期间截止"))
    period_label = models.CharField(_("期间"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    markdown = models.TextField(_("正文"))
    charts = models.JSONField(_("图表数据"), default=dict, blank=True)
    kept_at = models.DateTimeField(_("留存时间"))
    superseded_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("已发报告留存")
        verbose_name_plural = _("已发报告留存")
        ordering = ["-kept_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "basis", "period_start", "period_end"],
                condition=Q(superseded_at__isnull=True),
                name="sent_report_one_current",
            ),
        ]

    def __str__(self) -> str:
        return self.title
