"""What each role may do in the Django admin (configuration), kept apart from business data.

Only the system administrator configures regions, units, industries and accounts in the admin;
business records are never edited there (they go through the services, with their audit rows).
"""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext as _

from zhaoshang.organisation.choices import Role

CONFIG_MODELS = {
    "organisation": ["region", "unit", "industry", "assessmentgroup", "user"],
    "enterprises": ["tag"],
}


def config_group() -> Group:
    """The group holding the configuration permissions of the system administrator."""
    group, _created = Group.objects.get_or_create(name=_("系统配置"))
    wanted = Permission.objects.filter(
        content_type__app_label__in=CONFIG_MODELS,
        content_type__model__in=[m for models in CONFIG_MODELS.values() for m in models],
        codename__regex=r"^(add|change|view)_",
    )
    group.permissions.set(wanted)
    return group


def apply_role_privileges(user) -> None:
    """Staff access to the admin for the system administrator only; no one else gets it by role."""
    is_sysadmin = user.role == Role.SYSADMIN
    if user.is_staff != is_sysadmin and not user.is_superuser:
        user.is_staff = is_sysadmin
        user.save(update_fields=["is_staff"])
    if is_sysadmin:
        user.groups.add(config_group())
    else:
        user.groups.remove(*user.groups.filter(name=_("系统配置")))
