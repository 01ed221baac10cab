from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    """The reports a bureau writes today by hand (SPEC §5 ``zhaoshang report KIND``)."""

    SUMMARY = "summary", _("工作情况汇报")
    WEEKLY = "weekly", _("周报")
    BULLETIN = "bulletin", _("月通报")
    LEADERBOARD = "leaderboard", _("龙虎榜")
    QUARTERLY = "quarterly", _("季评比")
    CAMPAIGN = "campaign", _("专项行动总结")
    YEARLY = "yearly", _("年度总结")
    ASSESSMENT = "assessment", _("考核结果")


class ExportFormat(models.TextChoices):
    MD = "md", _("Markdown 文本")
    DOCX = "docx", _("Word 文档")
    XLSX = "xlsx", _("Excel 表格")
    PDF = "pdf", _("PDF 文件")


CONTENT_TYPES = {
    ExportFormat.MD: "text/markdown; charset=utf-8",
    ExportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.PDF: "application/pdf",
}
