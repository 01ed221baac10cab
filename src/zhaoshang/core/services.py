"""Generic writes shared by every area's services: validate, save, audit — in one transaction.

Each area's ``services.py`` names its own ``<entity>_create`` / ``<entity>_update`` / ``<entity>_delete``
and delegates here for the common part, so that the audit row and the optimistic-lock check are
never forgotten.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit.models import AuditAction
from zhaoshang.audit.services import audit_record, snapshot
from zhaoshang.core import access, versions
from zhaoshang.core.choices import ReviewStatus
from zhaoshang.metrics import rollup


class StaleEdit(Exception):
    """Somebody else saved the record after this edit began (optimistic locking)."""

    def __init__(self, current: models.Model):
        super().__init__(_("该记录已被他人修改,请刷新后重新编辑。"))
        self.current = current


def record_create(
    *, user, instance: models.Model, m2m: Callable[[models.Model], None] | None = None, submit: bool = False
) -> models.Model:
    """Create ``instance`` (already validated by its form), set its reporter, audit it."""
    with transaction.atomic():
        if hasattr(instance, "created_by_id") and user is not None and user.pk:
            instance.created_by = user
        if submit and hasattr(instance, "review_status") and access.can(user, access.SUBMIT, type(instance)):
            instance.review_status = ReviewStatus.SUBMITTED
            instance.submitted_at = timezone.now()
        instance.full_clean()
        instance.save()
        if m2m:
            m2m(instance)
        audit_record(action=AuditAction.CREATE, obj=instance, after=snapshot(instance), user=user)
        rollup.upkeep()  # the monthly summary's cells, in this transaction (metrics.rollup)
    return instance


def record_update(
    *,
    user,
    instance: models.Model,
    read_version: int | None,
    m2m: Callable[[models.Model], None] | None = None,
) -> models.Model:
    """Save changes to ``instance``; refuse if the row's version moved since the form was read."""
    model = type(instance)
    with transaction.atomic():
        current = model._default_manager.select_for_update().get(pk=instance.pk)
        if read_version is not None and current.version != read_version:
            raise StaleEdit(current)
        before = snapshot(current)
        instance.full_clean()
        instance.version = current.version + 1
        instance.save()
        if m2m:
            m2m(instance)
        after = snapshot(instance)
        # The version always moves; a save that changed nothing else writes no audit row.
        if {k: v for k, v in before.items() if k != "version"} != {
            k: v for k, v in after.items() if k != "version"
        }:
            audit_record(action=AuditAction.UPDATE, obj=instance, before=before, after=after, user=user)
        rollup.upkeep()  # the monthly summary's cells, in this transaction (metrics.rollup)
    return instance


def record_delete(*, user, instance: models.Model) -> None:
    """Soft-delete where the model supports it (records may feed published figures), else delete."""
    with transaction.atomic():
        before = snapshot(instance)
        label = str(instance)
        versions.drop(type(instance), [instance.pk])  # a deleted record counts on neither basis
        if hasattr(instance, "is_deleted"):
            type(instance)._default_manager.filter(pk=instance.pk).update(
                is_deleted=True, version=F("version") + 1
            )
        else:
            pk = instance.pk
            instance.delete()
            instance.pk = pk  # Model.delete() clears the key; the audit row must still name the record
        audit_record(action=AuditAction.DELETE, obj=instance, before=before, user=user, object_repr=label)
        rollup.upkeep()  # the monthly summary's cells, in this transaction (metrics.rollup)


def validation_messages(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


def attachment_add(*, user, obj: models.Model, upload, title: str = ""):
    from django.contrib.contenttypes.models import ContentType

    from zhaoshang.core.models import Attachment

    with transaction.atomic():
        attachment = Attachment(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            title=title.strip()[:120] or upload.name[:120],
            uploaded_by=user,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        audit_record(
            action=AuditAction.CREATE,
            obj=attachment,
            after=snapshot(attachment),
            user=user,
            object_repr=f"{obj}:{attachment.title}",
        )
    return attachment
