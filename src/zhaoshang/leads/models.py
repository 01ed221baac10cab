from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.access import Scope, register_scope
from zhaoshang.core.models import Reported
from zhaoshang.leads.choices import LeadStatus


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


register_scope(Lead, Scope(unit="unit", region="unit__region", also_viewed_by=("assigned_unit",)))
