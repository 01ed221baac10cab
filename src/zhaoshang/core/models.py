"""Shared model machinery: reported records with a review status, soft delete, optimistic locking."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.choices import ReviewStatus


class ActiveQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(is_deleted=False)


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Optimistic locking: an edit form carries the version it was read at; a save at another
    # version is refused rather than silently overwriting the other person's change.
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        abstract = True


class Reported(TimeStamped):
    """A record a unit reports and the bureau recognises (认定).

    Deleting is soft: the record may already feed a published figure.
    """

    review_status = models.CharField(
        _("审核状态"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("上报时间"), null=True, blank=True, editable=False)
    recognised_at = models.DateTimeField(_("认定时间"), null=True, blank=True, editable=False)
    recognised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认定人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_reason = models.CharField(_("退回原因"), max_length=500, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_deleted = models.BooleanField(_("已删除"), default=False, editable=False, db_index=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        abstract = True


class CurrentRecords(models.Manager.from_queryset(ActiveQuerySet)):
    """The records themselves, without the recognised versions kept beside them (see below)."""

    def get_queryset(self):
        return super().get_queryset().filter(recognised_version_of__isnull=True)


class KeepsRecognisedVersion(Reported):
    """A reported record whose recognised version keeps counting while a change to it is reviewed.

    SPEC §3: "A recognised record being changed keeps counting at its last recognised version until
    the change is recognised." When a recognised record goes back to the unit (退回修改) or an import
    changes it without recognising, a copy of its recognised row is kept in the same table, pointing
    at the record (``recognised_version_of``). Why a row in the same table rather than a few saved
    fields: the counting rules (metrics.indicators) select and group rows of one table, on any of
    their fields, so the copy is counted by exactly the same rules on the 认定 basis while the
    record itself counts, as changed, on the 上报 basis. The copy goes when the change is recognised
    or the record is deleted (``zhaoshang.core.versions``).

    ``objects`` (the default manager: pages, lists, imports, exports, the admin) never sees the
    copies; ``all_rows`` — what the counting rules and backups read — does.
    """

    recognised_version_of = models.ForeignKey(
        "self",
        verbose_name=_("认定版本所属记录"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="+",
        # Not a plain index: nearly every row is NULL, and SQLite's planner would walk such an index
        # for "IS NULL". The concrete models carry a partial index over the copies instead
        # (``version_index``).
        db_index=False,
    )

    objects = CurrentRecords()
    all_rows = ActiveQuerySet.as_manager()

    class Meta:
        abstract = True


def version_index(prefix: str) -> models.Index:
    """The index that finds a record's recognised version (copies only, a handful of rows)."""
    return models.Index(
        fields=["recognised_version_of"],
        name=f"{prefix}_recognised_version",
        condition=models.Q(recognised_version_of__isnull=False),
    )


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"attachments/{instance.content_type.model}/{instance.object_id}/{filename}"


class Attachment(models.Model):
    """A file on a project, activity or meeting (contract scans, photos, minutes).

    Stored under ``MEDIA_ROOT`` (outside the web root) and served through an access-checked view.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("文件"), upload_to=attachment_path)
    title = models.CharField(_("标题"), max_length=120, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.title or self.file.name


class ScheduledRun(models.Model):
    """A scheduled job enqueued on a day (core.jobs.SCHEDULE): at most once a day, whichever host's
    timer gets there first."""

    name = models.CharField(_("任务"), max_length=40)
    day = models.DateField(_("日期"))
    enqueued_at = models.DateTimeField(_("加入队列时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("定时任务记录")
        verbose_name_plural = _("定时任务记录")
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="core_scheduledrun_once_a_day")]

    def __str__(self) -> str:
        return f"{self.name} {self.day}"
