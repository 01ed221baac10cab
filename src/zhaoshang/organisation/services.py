"""Writes to the organisation area: accounts (STYLE: services own the writes and their audit rows)."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.audit.models import AuditAction
from zhaoshang.audit.services import audit_record, snapshot
from zhaoshang.organisation.choices import ADMIN_ROLES, REGION_ROLES, UNIT_ROLES, Role
from zhaoshang.organisation.models import Region, Unit, User
from zhaoshang.organisation.roles import apply_role_privileges
from zhaoshang.security.services import password_changed

# Chinese compound surnames: "欧阳修" is 欧阳 + 修, not 欧 + 阳修.
_COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "令狐",
)
# Never written to the audit trail, not even hashed.
_SECRET_FIELDS = ("password",)


def split_chinese_name(full_name: str) -> tuple[str, str]:
    """(family name, given name) of a Chinese full name written family name first."""
    name = "".join(full_name.split())
    if not name:
        return "", ""
    family_len = 2 if name.startswith(_COMPOUND_SURNAMES) and len(name) > 2 else 1
    return name[:family_len], name[family_len:]


def user_create(
    *,
    username: str,
    role: str,
    password: str,
    unit: Unit | None = None,
    region: Region | None = None,
    full_name: str = "",
    must_change_password: bool = True,
) -> User:
    """Create an account after checking that its role, unit and region fit together (SPEC §1).

    - 填报员 / 单位负责人 belong to a task unit (they see that unit's records only);
    - 招商局统计员 / 领导 / 督查 see a region's subtree: the region given, else their unit's;
    - the three administrator roles (等保 2.0) see no business data: no unit.
    The password goes through Django's password validators. Raises ``ValidationError``.
    """
    username = (username or "").strip()
    errors: dict[str, list[str]] = {}

    if not username:
        errors.setdefault("username", []).append(_("请填写用户名。"))
    else:
        try:
            User.username_validator(username)
        except ValidationError:
            errors.setdefault("username", []).append(
                _("用户名只能包含字母、数字和 @/./+/-/_ 字符,不超过150个字符。")
            )
        if User.objects.filter(username__iexact=username).exists():
            errors.setdefault("username", []).append(
                _("用户名“{username}”已存在。").format(username=username)
            )

    if role not in Role.values:
        errors.setdefault("role", []).append(
            _("未知角色“{role}”,可选:{choices}。").format(role=role, choices="、".join(Role.values))
        )
    elif role in UNIT_ROLES and unit is None:
        errors.setdefault("unit", []).append(_("填报员和单位负责人必须指定所属单位。"))
    elif role in ADMIN_ROLES and unit is not None:
        errors.setdefault("unit", []).append(_("系统管理员、安全管理员和审计员不属于任务单位。"))
    elif role in REGION_ROLES and region is None:
        if unit is not None:
            region = unit.region
        else:
            errors.setdefault("region", []).append(_("招商局统计员、领导和督查必须指定管辖区划。"))

    family_name, given_name = split_chinese_name(full_name)
    user = User(
        username=username,
        role=role,
        unit=unit,
        region=region,
        last_name=family_name,
        first_name=given_name,
        is_active=True,
    )
    if password is None or password == "":
        errors.setdefault("password", []).append(_("请设置密码。"))
    else:
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            errors.setdefault("password", []).extend(str(m) for m in exc.messages)

    if errors:
        raise ValidationError(errors)

    user.set_password(password)
    with transaction.atomic():
        user.full_clean(exclude=["password"])
        user.save()
        after = {k: v for k, v in snapshot(user).items() if k not in _SECRET_FIELDS}
        audit_record(action=AuditAction.CREATE, obj=user, after=after)
        # The first password's hash starts the history; a new account changes it at first login.
        password_changed(user, forced_next=must_change_password, initial=True)
        apply_role_privileges(user)
    return user
