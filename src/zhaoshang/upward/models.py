"""Upward reporting (issue 17): a project's code and status on the provincial or city platform, the
figures the upper platform recognised, and the column layouts of its files.

Kept beside the project, not on it: the upper platform's view is a second opinion on our records,
one per platform, that the reconciliation compares with ours."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.access import BUREAU_ONLY, Scope, register_scope
from zhaoshang.core.models import TimeStamped
from zhaoshang.upward.choices import Platform, PlatformStatus, Sheet

MONEY = {"max_digits": 18, "decimal_places": 4}


class PlatformRecord(TimeStamped):
    """A project as an upper platform holds it: its code there and its status (登记、认定、不予认定)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="platform_records"
    )
    platform = models.CharField(_("上级平台"), max_length=10, choices=Platform.choices)
    code = models.CharField(_("平台项目编号"), max_length=40, blank=True)
    status = models.CharField(
        _("平台状态"), max_length=16, choices=PlatformStatus.choices, default=PlatformStatus.NOT_REGISTERED
    )
    refusal_reason = models.CharField(_("不予认定原因"), max_length=300, blank=True)
    recognised_investment_wan = models.DecimalField(_("平台认定投资额(万元)"), null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = _("上级平台登记")
        verbose_name_plural = _("上级平台登记")
        ordering = ["platform", "code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "platform"],
                name="platform_record_one_per_project",
                violation_error_message=_("该项目在该平台已有登记记录。"),
            ),
            models.UniqueConstraint(
                fields=["platform", "code"],
                condition=~Q(code=""),
                name="platform_code_unique",
                violation_error_message=_("该平台项目编号已被其他项目使用。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=PlatformStatus.REFUSED) | ~Q(refusal_reason=""),
                name="platform_refusal_has_reason",
                violation_error_message=_("不予认定的项目必须填写原因。"),
            ),
            models.CheckConstraint(
                condition=Q(status=PlatformStatus.NOT_REGISTERED) | ~Q(code=""),
                name="platform_registered_has_code",
                violation_error_message=_("已登记的项目必须填写平台项目编号。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.code or '—'} {self.project}"

    def clean(self) -> None:
        if self.status == PlatformStatus.REFUSED and not self.refusal_reason.strip():
            raise ValidationError({"refusal_reason": _("不予认定的项目必须填写原因。")})
        if self.status != PlatformStatus.NOT_REGISTERED and not self.code.strip():
            raise ValidationError({"code": _("已登记的项目必须填写平台项目编号。")})


class PlatformFunds(TimeStamped):
    """The funds in place an upper platform recognised for one project and month (imported back)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="platform_funds"
    )
    platform = models.CharField(_("上级平台"), max_length=10, choices=Platform.choices)
    month = models.DateField(_("月份"), help_text=_("该月1日"))
    recognised_amount_wan = models.DecimalField(_("上级认定到位资金(万元)"), **MONEY)
    note = models.CharField(_("上级说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("上级认定到位资金")
        verbose_name_plural = _("上级认定到位资金")
        ordering = ["-month", "project_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "platform", "month"],
                name="platform_funds_one_per_month",
                violation_error_message=_("该项目该月份在该平台已有认定数。"),
            ),
            models.CheckConstraint(
                condition=Q(recognised_amount_wan__gte=0),
                name="platform_funds_non_negative",
                violation_error_message=_("上级认定到位资金不能为负数。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y年%m月}"


class ColumnMap(models.Model):
    """The upper platform's layout of one sheet: which of our fields goes under which of its headers,
    in its order. Configurable (the platforms change their templates); ``upward.layouts`` holds the
    defaults used while none is configured."""

    platform = models.CharField(_("上级平台"), max_length=10, choices=Platform.choices)
    sheet = models.CharField(_("表"), max_length=12, choices=Sheet.choices)
    # [["our field key", "their header"], …] — keys from ``upward.layouts.FIELDS``.
    columns = models.JSONField(_("列对照"))

    class Meta:
        verbose_name = _("上级平台列对照")
        verbose_name_plural = _("上级平台列对照")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "sheet"],
                name="column_map_one_per_sheet",
                violation_error_message=_("该平台的该表已有列对照。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.get_sheet_display()}"

    def clean(self) -> None:
        from zhaoshang.upward.layouts import FIELDS

        known = FIELDS.get(self.sheet, {})
        if not isinstance(self.columns, list) or not self.columns:
            raise ValidationError({"columns": _("列对照应为[字段, 表头]的列表。")})
        for pair in self.columns:
            if not (isinstance(pair, list) and len(pair) == 2 and pair[0] in known and str(pair[1]).strip()):
                raise ValidationError({"columns": _("无法识别的列对照:{pair}。").format(pair=pair)})


register_scope(
    PlatformRecord, Scope(unit="project__introducing_unit", region="project__region", writers=BUREAU_ONLY)
)
register_scope(
    PlatformFunds, Scope(unit="project__introducing_unit", region="project__region", writers=BUREAU_ONLY)
)
