from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def no_superuser_in_production(app_configs=None, **kwargs):
    """In production no account may hold two of the separated administrator roles: a Django
    superuser holds all of them, so none may exist (SPEC §5, 等保 2.0 三员分立)."""
    if not settings.ZHAOSHANG.get("PRODUCTION"):
        return []
    from django.contrib.auth import get_user_model

    try:
        names = list(
            get_user_model().objects.filter(is_superuser=True).values_list("username", flat=True)[:5]
        )
    except DatabaseError:  # not migrated yet: nothing to check
        return []
    if not names:
        return []
    return [
        Error(
            "生产环境不允许存在超级用户(超级用户同时拥有系统、安全、审计三类管理权限):" + "、".join(names),
            hint="用 zhaoshang user add 为三类管理员分别建号,再停用或删除超级用户。",
            id="zhaoshang.E001",
        )
    ]
