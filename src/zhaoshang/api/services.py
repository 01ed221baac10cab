"""Token writes: create and revoke, each with its audit row in the same transaction."""

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.api.models import ApiToken
from zhaoshang.audit.models import AuditAction
from zhaoshang.audit.services import audit_record
from zhaoshang.organisation.choices import ADMIN_ROLES


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


_SELF = object()


def token_create(*, user, name: str, actor=_SELF) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and its key (shown once, never stored in clear).

    The three administrator roles get none: the API serves business data, which they may not read.
    ``actor`` is who creates it (the user themself by default; ``None``: whoever the audit context
    names, e.g. ``cli:<account>`` for the command)."""
    name = name.strip()
    if not name:
        raise ValidationError(_("请填写令牌用途。"))
    if user.role in ADMIN_ROLES and not user.is_superuser:
        raise PermissionDenied(_("系统管理员、安全管理员和审计员不能使用业务数据接口。"))
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name[:60], prefix=key[:8], digest=token_digest(key))
        audit_record(
            action=AuditAction.CREATE,
            obj=token,
            after={"user": user.username, "name": token.name, "prefix": token.prefix},
            user=user if actor is _SELF else actor,
            object_repr=str(token),
        )
    return token, key


def token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Revoke ``token`` (kept for the record, never usable again)."""
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            token.refresh_from_db()
            audit_record(
                action=AuditAction.DELETE,
                obj=token,
                before={"user": token.user.username, "name": token.name, "prefix": token.prefix},
                user=actor,
                object_repr=str(token),
            )
    return token
