"""Notifications for events written by other areas.

A record returned by the bureau (退回, ``core.workflow``) tells its unit why. The one event every
return writes is its audit row, in the same transaction as the return, so the notification is
created — or rolled back — with it; this keeps the recognition workflow free of knowledge of the
inbox.
"""

from django.apps import apps
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from zhaoshang.audit.models import AuditAction, AuditEntry


@receiver(post_save, sender=AuditEntry, dispatch_uid="supervision_notify_returned")
def notify_returned(sender, instance: AuditEntry, created: bool, **kwargs) -> None:
    if not created or instance.action != AuditAction.RETURN or not instance.model:
        return
    from zhaoshang.core import access
    from zhaoshang.supervision.services import notify, unit_users

    try:
        model = apps.get_model(instance.model)
        unit_path = access.scope_of(model).unit
    except (LookupError, ValueError):
        return
    if unit_path is None:
        return
    has_author = any(f.name == "created_by" for f in model._meta.concrete_fields)
    columns = [unit_path, "created_by_id"] if has_author else [unit_path]
    row = model._default_manager.filter(pk=instance.object_id).values_list(*columns).first()
    if row is None:
        return
    unit_id, author_id = (row[0], row[1]) if has_author else (row[0], None)
    reason = (instance.after or {}).get("return_reason", "")
    recipients = list(unit_users([unit_id]))
    if author_id and all(u.pk != author_id for u in recipients):
        recipients += list(apps.get_model("organisation.User").objects.filter(pk=author_id))
    obj = model._default_manager.filter(pk=instance.object_id).first()
    notify(
        users=recipients,
        text=_("“{obj}”已被退回:{reason}").format(obj=instance.object_repr, reason=reason),
        link=obj.get_absolute_url() if obj is not None and hasattr(obj, "get_absolute_url") else "",
    )
