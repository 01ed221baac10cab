"""Reads of the supervision area: a user's notifications and the 批示 on a record."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from zhaoshang.supervision.models import Instruction, Notification


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(user) -> models.QuerySet:
    """A user's own notifications, newest first (nobody reads another's inbox)."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def instructions_for(obj: models.Model) -> models.QuerySet:
    """The 批示 on a record, newest first. Read on the record's page, which has checked access."""
    return Instruction.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("author")
