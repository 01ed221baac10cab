"""An import started from the page: the uploaded file, who uploaded it, and its report.

The page runs an import in two steps, each its own request: a check (a dry run, whose report is the
preview of what will be created and updated) and, once the user confirms, the import itself. Their
progress is kept in the cache, outside the import's transaction, for the page to poll.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("已上传")
    CHECKING = "checking", _("检查中")
    CHECKED = "checked", _("检查通过")
    FAILED = "failed", _("有问题")
    IMPORTING = "importing", _("导入中")
    IMPORTED = "imported", _("已导入")


def upload_path(instance: "ImportJob", filename: str) -> str:
    # Stored under a random name (the user's name is kept in ``filename``), outside the web root.
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ImportJob(models.Model):
    kind = models.CharField(_("数据类型"), max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("文件"), upload_to=upload_path, max_length=200)
    filename = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    as_reported = models.BooleanField(_("作为上报数据导入"), default=False)
    campaign = models.ForeignKey(
        "targets.Campaign",
        verbose_name=_("专项行动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    report = models.JSONField(_("检查结果"), null=True, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("exchange:job", args=[self.pk])

    @property
    def kind_label(self) -> str:
        from zhaoshang.exchange.kinds import SHEETS

        sheet = SHEETS.get(self.kind)
        return str(sheet.label) if sheet else self.kind

    @property
    def progress_key(self) -> str:
        return f"zhaoshang:exchange:progress:{self.pk}"
