"""Writes to the organisation area: accounts, the deployment's home region and its first-run setup
(STYLE: services own the writes and their audit rows)."""

import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit.models import AuditAction
from zhaoshang.audit.services import audit_record, snapshot
from zhaoshang.organisation.choices import ADMIN_ROLES, REGION_ROLES, UNIT_ROLES, RegionLevel, Role, UnitKind
from zhaoshang.organisation.models import Deployment, Division, Region, Unit, User
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


# --- where the deployment is -----------------------------------------------------------------------


def regions_from_catalogue(*, code: str, with_below: bool = False, user=None) -> Region:
    """The deployment's ``Region`` for catalogue division ``code``, created with its ancestors (and,
    with ``with_below``, every division under it) where they are not in the tree yet. Regions already
    there are kept as they are. Raises ``ValidationError`` for a code the catalogue does not hold."""
    from zhaoshang.organisation.selectors import division_chain, divisions_below

    chain = division_chain(code)
    if not chain:
        raise ValidationError(_("全国行政区划中没有代码“{code}”。").format(code=code))
    wanted = chain + (divisions_below(code) if with_below else [])
    with transaction.atomic():
        existing = {r.code: r for r in Region.objects.filter(code__in=[d.code for d in wanted])}
        for division in wanted:
            if division.code in existing:
                continue
            region = Region(
                code=division.code,
                name=division.name,
                level=division.level,
                parent=existing.get(division.parent_code),
            )
            region.save()
            audit_record(action=AuditAction.CREATE, obj=region, after=snapshot(region), user=user)
            existing[region.code] = region
    return existing[code]


def home_region_set(*, region: Region, user=None) -> Deployment:
    """Store the deployment's home region (本地区划), audited."""
    with transaction.atomic():
        deployment, _created = Deployment.objects.select_for_update().get_or_create(pk=1)
        before = snapshot(deployment)
        deployment.home_region = region
        deployment.save(update_fields=["home_region"])
        audit_record(
            action=AuditAction.UPDATE, obj=deployment, before=before, after=snapshot(deployment), user=user
        )
    return deployment


# The accounts ``setup`` creates, in the order their passwords are read from standard input.
SETUP_ACCOUNTS = (
    ("bureau", Role.BUREAU),
    ("sysadmin", Role.SYSADMIN),
    ("secadmin", Role.SECADMIN),
    ("auditor", Role.AUDITOR),
)
_PASSWORD_ALPHABETS = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "@#%+=!")


def generated_password() -> str:
    """A random password that passes the 等保 rules (12 characters, all four character classes)."""
    rng = secrets.SystemRandom()
    chars = [secrets.choice(a) for a in _PASSWORD_ALPHABETS for _i in range(3)]
    rng.shuffle(chars)
    return "".join(chars)


@dataclass
class SetupResult:
    home: Region
    bureau_unit: Unit
    accounts: list[User]
    schemes: list
    regions_created: int


def deployment_setup(
    *,
    region_code: str,
    bureau_name: str,
    passwords: dict[str, str],
    year: int,
    user=None,
) -> SetupResult:
    """Prepare a blank deployment (SPEC §5 ``zhaoshang setup``), all in one transaction:

    - the home region from the national catalogue, its ancestors, and for a city or a province every
      division below it (so that a city can rank its counties);
    - the bureau unit (单位类型 招商局) in the home region;
    - the first bureau account and the three administrator accounts (三员: sysadmin, secadmin,
      auditor), each forced to change its password at first login;
    - the default assessment groups (任务单位, 产业招商专班) and the year's default schemes.

    ``passwords`` maps each username of ``SETUP_ACCOUNTS`` to its password. Refused once the
    deployment has a bureau account. Raises ``ValidationError``.
    """
    from zhaoshang.assessment.defaults import create_default_schemes, default_groups
    from zhaoshang.organisation.selectors import is_set_up

    bureau_name = " ".join((bureau_name or "").split())
    region_code = (region_code or "").strip()
    errors: dict[str, list[str]] = {}
    if is_set_up() or Deployment.objects.filter(pk=1, set_up_at__isnull=False).exists():
        raise ValidationError(_("本部署已完成初始化(已有招商局账号),不能再次运行初始化。"))
    if not Division.objects.filter(code=region_code).exists():
        errors.setdefault("region", []).append(
            _("全国行政区划中没有代码“{code}”,请填写6位区划代码(如 421003)。").format(code=region_code)
        )
    if not bureau_name:
        errors.setdefault("bureau", []).append(_("请填写招商局名称。"))
    elif Unit.objects.filter(name=bureau_name).exists():
        errors.setdefault("bureau", []).append(_("单位“{name}”已存在。").format(name=bureau_name))
    for username, _role in SETUP_ACCOUNTS:
        if not passwords.get(username):
            errors.setdefault(username, []).append(
                _("请设置账号 {username} 的密码。").format(username=username)
            )
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        before_count = Region.objects.count()
        division = Division.objects.get(code=region_code)
        home = regions_from_catalogue(
            code=region_code, with_below=division.level != RegionLevel.COUNTY, user=user
        )
        deployment = home_region_set(region=home, user=user)
        Deployment.objects.filter(pk=deployment.pk).update(set_up_at=timezone.now())
        default_groups()
        bureau_unit = Unit(name=bureau_name, short_name=_("招商局"), kind=UnitKind.BUREAU, region=home)
        bureau_unit.full_clean()
        bureau_unit.save()
        audit_record(action=AuditAction.CREATE, obj=bureau_unit, after=snapshot(bureau_unit), user=user)
        accounts = [
            user_create(
                username=username,
                role=role,
                password=passwords[username],
                unit=bureau_unit if role == Role.BUREAU else None,
                region=home if role == Role.BUREAU else None,
                must_change_password=True,
            )
            for username, role in SETUP_ACCOUNTS
        ]
        schemes = create_default_schemes(year=year, region=home, user=user, with_default_groups=True)
        regions_created = Region.objects.count() - before_count
    return SetupResult(
        home=home,
        bureau_unit=bureau_unit,
        accounts=accounts,
        schemes=schemes,
        regions_created=regions_created,
    )
