"""``zhaoshang setup --region CODE --bureau NAME [--password-stdin] [--year YYYY]`` (SPEC §5).

Prepares a blank deployment (no demo): the home region from the built-in national division tree,
the bureau unit, the first bureau account ``bureau`` and the three administrator accounts
``sysadmin``, ``secadmin``, ``auditor`` (三员), and the year's default assessment schemes.

Passwords: with ``--password-stdin`` four lines are read from standard input, one per account in
that order (bureau, sysadmin, secadmin, auditor); without it each account gets a random password,
printed once. Every account must change its password at first login. Runs once: refused when the
deployment already has a bureau account.
"""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.organisation.services import SETUP_ACCOUNTS, deployment_setup, generated_password


class Command(BaseCommand):
    help = _("初始化空白部署:本地区划、招商局、招商局账号和三员账号、本年度默认考核办法。")
    stealth_options = ("stdin",)

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--region", required=True, metavar="CODE", help=_("本地区划代码(GB/T 2260,如 421003)")
        )
        parser.add_argument("--bureau", required=True, metavar="NAME", help=_("招商局名称,如 荆州区招商局"))
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help=_(
                "从标准输入读取4行密码,依次为 bureau、sysadmin、secadmin、auditor;不用时随机生成并只显示一次"
            ),
        )
        parser.add_argument("--year", type=int, default=None, help=_("默认考核办法的年度,默认今年"))

    def handle(self, *args, region: str, bureau: str, password_stdin: bool, year: int | None, **options):
        stdin = options.get("stdin") or sys.stdin
        usernames = [username for username, _role in SETUP_ACCOUNTS]
        if password_stdin:
            lines = [stdin.readline().rstrip("\r\n") for _name in usernames]
            if not all(lines):
                raise CommandError(
                    _("请从标准输入提供4行密码,依次为:{names}。").format(names="、".join(usernames))
                )
            passwords, generated = dict(zip(usernames, lines, strict=True)), False
        else:
            passwords, generated = {name: generated_password() for name in usernames}, True
        try:
            result = deployment_setup(
                region_code=region,
                bureau_name=bureau,
                passwords=passwords,
                year=year or timezone.localdate().year,
            )
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from error
        home = result.home
        self.stdout.write(
            _("已初始化:本地区划 {code} {name}(新建区划{n}个),招商局“{bureau}”。").format(
                code=home.code, name=home.name, n=result.regions_created, bureau=result.bureau_unit.name
            )
        )
        for account in result.accounts:
            line = _("账号 {username}({role})").format(
                username=account.username, role=account.get_role_display()
            )
            if generated:
                line += _(" 初始密码:{password}").format(password=passwords[account.username])
            self.stdout.write(line)
        if generated:
            self.stdout.write(_("初始密码只显示这一次,请妥善转交;首次登录时须修改密码。"))
        self.stdout.write(
            _("已建立{n}个默认考核办法:{names}。").format(
                n=len(result.schemes), names="、".join(s.name for s in result.schemes)
            )
        )
        self.stdout.write(
            _("下一步:用 zhaoshang import 导入单位、项目等(单位表“所属区划”留空即为本地区划)。")
        )
