"""Identity controls (等保 2.0 level 3): lockout, password age and history, second factor, dormancy.

Each change of state writes its audit row in the same transaction.
"""

import datetime

import pyotp
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit.models import AuditAction
from zhaoshang.audit.services import audit_record
from zhaoshang.organisation.choices import ADMIN_ROLES
from zhaoshang.security.models import AccountSecurity, PasswordHistory
from zhaoshang.security.validators import HISTORY_DEPTH

MAX_FAILURES = 5
LOCKOUT = datetime.timedelta(minutes=30)
PASSWORD_MAX_AGE = datetime.timedelta(days=90)
DORMANT_AFTER = datetime.timedelta(days=90)


def policy_enforced() -> bool:
    """Production always enforces the first-login change and the second factor; outside production
    the demo accounts may skip them (SPEC §5) unless ZHAOSHANG_ENFORCE_ACCOUNT_POLICY=1."""
    return bool(settings.ZHAOSHANG.get("ENFORCE_ACCOUNT_POLICY"))


def security_of(user) -> AccountSecurity:
    state, _created = AccountSecurity.objects.get_or_create(
        user=user, defaults={"password_changed_at": timezone.now(), "must_change_password": True}
    )
    return state


def is_locked(user, now=None) -> datetime.datetime | None:
    state = security_of(user)
    now = now or timezone.now()
    return state.locked_until if state.locked_until and state.locked_until > now else None


def login_failed(*, user=None, username: str = "") -> bool:
    """Count a failed login against the account; the fifth in a row locks it for 30 minutes.
    Returns whether the account is now locked."""
    if user is None:
        audit_record(action=AuditAction.LOGIN_FAILED, result="unknown_user", object_repr=username[:150])
        return False
    with transaction.atomic():
        state = security_of(user)
        AccountSecurity.objects.filter(pk=state.pk).update(failed_logins=F("failed_logins") + 1)
        state.refresh_from_db()
        locked = state.failed_logins >= MAX_FAILURES
        if locked:
            state.locked_until = timezone.now() + LOCKOUT
            state.failed_logins = 0
            state.save(update_fields=["locked_until", "failed_logins"])
        audit_record(
            action=AuditAction.LOGIN_FAILED,
            obj=user,
            user=user,
            result="locked" if locked else "failure",
            object_repr=user.get_username(),
        )
    return locked


def login_refused_locked(user) -> None:
    audit_record(
        action=AuditAction.LOGIN_FAILED, obj=user, user=user, result="locked", object_repr=user.get_username()
    )


def login_succeeded(user) -> None:
    with transaction.atomic():
        state = security_of(user)
        if state.failed_logins or state.locked_until:
            state.failed_logins = 0
            state.locked_until = None
            state.save(update_fields=["failed_logins", "locked_until"])
        audit_record(action=AuditAction.LOGIN, obj=user, user=user, object_repr=user.get_username())


def logged_out(user) -> None:
    audit_record(action=AuditAction.LOGOUT, obj=user, user=user, object_repr=user.get_username())


def dormant(user, now=None) -> bool:
    """An account unused for 90 days is disabled (等保 2.0: 及时删除或停用多余的、过期的账户)."""
    now = now or timezone.now()
    last = user.last_login or user.date_joined
    return last is not None and now - last > DORMANT_AFTER


def disable_dormant(user) -> None:
    with transaction.atomic():
        type(user).objects.filter(pk=user.pk).update(is_active=False)
        audit_record(
            action=AuditAction.UPDATE,
            obj=user,
            before={"is_active": True},
            after={"is_active": False},
            result="dormant",
            object_repr=user.get_username(),
        )


def password_changed(user, *, forced_next: bool = False, initial: bool = False) -> None:
    """Record a new password: its hash joins the history (last 5 kept), its age restarts. The first
    password of a new account is covered by the account's own creation row in the audit trail."""
    with transaction.atomic():
        state = security_of(user)
        state.password_changed_at = timezone.now()
        state.must_change_password = forced_next
        state.save(update_fields=["password_changed_at", "must_change_password"])
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[HISTORY_DEPTH:]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
        if initial:
            return
        audit_record(
            action=AuditAction.UPDATE,
            obj=user,
            user=user,
            after={"password": "已修改"},
            result="password_changed",
            object_repr=user.get_username(),
        )


def password_change_due(user, now=None) -> bool:
    state = security_of(user)
    now = now or timezone.now()
    if state.must_change_password:
        return True
    return state.password_changed_at is None or now - state.password_changed_at > PASSWORD_MAX_AGE


def second_factor_required(user) -> bool:
    """Administrators must use a second factor (TOTP); everybody else may."""
    return user.role in ADMIN_ROLES or user.is_superuser or security_of(user).totp_confirmed


def totp_provisioning(user) -> tuple[str, str]:
    state = security_of(user)
    if not state.totp_secret:
        state.totp_secret = pyotp.random_base32()
        state.save(update_fields=["totp_secret"])
    uri = pyotp.TOTP(state.totp_secret).provisioning_uri(
        name=user.get_username(), issuer_name=settings.ZHAOSHANG["DEPLOYMENT_NAME"]
    )
    return state.totp_secret, uri


def totp_verify(user, code: str) -> bool:
    state = security_of(user)
    if not state.totp_secret or not code.strip().isdigit():
        return False
    ok = pyotp.TOTP(state.totp_secret).verify(code.strip(), valid_window=1)
    if ok and not state.totp_confirmed:
        state.totp_confirmed = True
        state.save(update_fields=["totp_confirmed"])
        audit_record(
            action=AuditAction.UPDATE,
            obj=user,
            user=user,
            after={"totp": "已绑定"},
            object_repr=user.get_username(),
        )
    if not ok:
        audit_record(
            action=AuditAction.LOGIN_FAILED,
            obj=user,
            user=user,
            result="totp_failure",
            object_repr=user.get_username(),
        )
    return ok


def lock_message(until: datetime.datetime) -> str:
    return _("连续{n}次登录失败,账号已锁定,请于{t}后再试。").format(
        n=MAX_FAILURES, t=f"{timezone.localtime(until):%H:%M}"
    )
