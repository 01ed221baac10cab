"""``zhaoshang user add USERNAME --role ROLE [--unit NAME] [--region CODE] --password-stdin`` (SPEC §5).

The password is read from standard input so that it never shows in the process list or the shell
history: ``echo 'S3cret!pass' | zhaoshang user add zhangsan --role reporter --unit 川店镇 --password-stdin``.
"""

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from zhaoshang.organisation.choices import Role
from zhaoshang.organisation.models import Region, Unit
from zhaoshang.organisation.services import user_create


class Command(BaseCommand):
    help = _("账号管理。add:新建账号(密码从标准输入读取)。")
    # call_command("user", ..., stdin=io.StringIO("password\n")) passes the password in tests.
    stealth_options = ("stdin",)
    # Creating an account must work even while some other part of the project fails its checks.
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        add = actions.add_parser("add", help=_("新建账号"))
        add.add_argument("username", metavar="USERNAME", help=_("用户名"))
        add.add_argument(
            "--role",
            required=True,
            metavar="ROLE",
            help=_("角色:{roles}").format(roles=", ".join(Role.values)),
        )
        add.add_argument("--unit", metavar="NAME", help=_("所属单位(单位名称或简称)"))
        add.add_argument("--region", metavar="CODE", help=_("管辖区划(区划代码)"))
        add.add_argument("--name", dest="full_name", default="", metavar="姓名", help=_("姓名(姓在前)"))
        add.add_argument("--password-stdin", action="store_true", help=_("从标准输入读取密码(读取第一行)"))
        add.add_argument(
            "--no-password-change",
            dest="must_change_password",
            action="store_false",
            help=_("不要求首次登录时修改密码(仅限非生产环境的演示账号;生产环境始终要求)"),
        )

    def handle(self, *args, action: str, **options) -> None:
        self.stdin = options.get("stdin") or sys.stdin
        if action == "add":
            self.add(**options)

    def _read_password(self, from_stdin: bool) -> str:
        if from_stdin:
            line = self.stdin.readline()
            password = line.rstrip("\r\n")
            if not password:
                raise CommandError(_("未从标准输入读到密码。"))
            return password
        if self.stdin.isatty():
            first = getpass.getpass(_("密码:"))
            second = getpass.getpass(_("再次输入密码:"))
            if first != second:
                raise CommandError(_("两次输入的密码不一致。"))
            return first
        raise CommandError(_("请使用 --password-stdin 从标准输入提供密码。"))

    @staticmethod
    def _find_unit(name: str) -> Unit:
        name = " ".join(name.split())
        matches = list(Unit.objects.filter(Q(name=name) | Q(short_name=name))[:2])
        if not matches:
            raise CommandError(_("未找到单位“{name}”").format(name=name))
        if len(matches) > 1:
            raise CommandError(_("单位“{name}”对应多个单位,请填写完整的单位名称").format(name=name))
        return matches[0]

    @staticmethod
    def _find_region(code: str) -> Region:
        code = code.strip()
        region = Region.objects.filter(code=code).first()
        if region is None:
            region = Region.objects.filter(name=code).first() if not code.isdigit() else None
        if region is None:
            raise CommandError(_("未找到区划“{code}”").format(code=code))
        return region

    def add(
        self,
        *,
        username: str,
        role: str,
        unit: str | None,
        region: str | None,
        full_name: str,
        password_stdin: bool,
        must_change_password: bool,
        **options,
    ) -> None:
        if role not in Role.values:
            raise CommandError(
                _("未知角色“{role}”,可选:{choices}").format(role=role, choices=", ".join(Role.values))
            )
        unit_obj = self._find_unit(unit) if unit else None
        region_obj = self._find_region(region) if region else None
        password = self._read_password(password_stdin)
        try:
            user = user_create(
                username=username,
                role=role,
                password=password,
                unit=unit_obj,
                region=region_obj,
                full_name=full_name,
                must_change_password=must_change_password,
            )
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        scope = user.unit or user.region
        self.stdout.write(
            _("已创建账号 {username}(角色:{role}{scope})").format(
                username=user.username,
                role=user.get_role_display(),
                scope=_(",范围:{scope}").format(scope=scope) if scope else "",
            )
        )
