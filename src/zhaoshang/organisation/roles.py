"""What each administrator role may do in the Django admin (等保 2.0 三员分立).

- 系统管理员 (sysadmin) configures regions, units, industries and accounts, but may not grant roles
  and never reads the audit log;
- 安全管理员 (secadmin) grants roles and enables or disables accounts, nothing else;
- 审计员 (auditor) only reads the audit log (its own page, not the admin).
Business records are never edited in the admin: they go through the services and their audit rows.
"""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext as _

from zhaoshang.organisation.choices import Role

CONFIG_MODELS = {
    "organisation": ["region", "unit", "industry", "assessmentgroup", "user"],
    "enterprises": ["tag"],
    "assessment": ["scheme", "schemeitem"],
    "cycle": ["calendarday"],
    "upward": ["columnmap"],
}
SECURITY_MODELS = {"organisation": ["user"], "security": ["accountsecurity"]}
# Fields of the user form each administrator may not change.
SYSADMIN_READONLY = ("role", "is_superuser", "is_staff", "groups", "user_permissions")
SECADMIN_EDITABLE = ("role", "is_active")


def _group(name: str, models: dict[str, list[str]], actions: str) -> Group:
    group, _created = Group.objects.get_or_create(name=name)
    wanted = Permission.objects.filter(
        content_type__app_label__in=models,
        content_type__model__in=[m for names in models.values() for m in names],
        codename__regex=rf"^({actions})_",
    )
    group.permissions.set(wanted)
    return group


def config_group() -> Group:
    return _group(_("系统配置"), CONFIG_MODELS, "add|change|view")


def security_group() -> Group:
    return _group(_("安全配置"), SECURITY_MODELS, "change|view")


def apply_role_privileges(user) -> None:
    """Admin access by role: the system and security administrators get their own group each."""
    wanted = {Role.SYSADMIN: config_group, Role.SECADMIN: security_group}.get(user.role)
    staff = wanted is not None
    if user.is_staff != staff and not user.is_superuser:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
    keep = wanted().pk if wanted else None
    user.groups.remove(*user.groups.filter(name__in=[_("系统配置"), _("安全配置")]).exclude(pk=keep))
    if wanted:
        user.groups.add(keep)


def readonly_user_fields(admin_user, all_fields: list[str]) -> tuple[str, ...]:
    if admin_user.is_superuser:
        return ()
    if admin_user.role == Role.SYSADMIN:
        return SYSADMIN_READONLY
    if admin_user.role == Role.SECADMIN:
        return tuple(f for f in all_fields if f not in SECADMIN_EDITABLE)
    return tuple(all_fields)
