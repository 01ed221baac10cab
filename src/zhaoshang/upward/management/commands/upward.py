"""``zhaoshang upward export|import``: the upward-reporting files from the command line, acting as a
bureau account (its region decides which projects are in them)."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from zhaoshang.exchange.cli import acting, find_user
from zhaoshang.metrics import periods
from zhaoshang.metrics.indicators import Basis
from zhaoshang.upward import services
from zhaoshang.upward.choices import Platform


class Command(BaseCommand):
    help = "按上级平台格式导出项目和到位资金;导入上级平台认定数"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="op", required=True)
        export = sub.add_parser("export")
        export.add_argument("--platform", choices=Platform.values, required=True)
        export.add_argument("--period", required=True, help="YYYY-MM、YYYY-Qn、YYYY-H1/H2 或 YYYY")
        export.add_argument("--basis", choices=Basis.values, default=Basis.RECOGNISED)
        export.add_argument("--user", required=True, help="招商局账号")
        export.add_argument("-o", "--output", required=True)
        imp = sub.add_parser("import")
        imp.add_argument("file")
        imp.add_argument("--platform", choices=Platform.values, required=True)
        imp.add_argument("--user", required=True, help="招商局账号")

    def handle(self, *args, op, **options):
        user = find_user(options["user"])
        with acting(user):
            try:
                if op == "export":
                    try:
                        period = periods.parse(options["period"])
                    except ValueError as exc:
                        raise CommandError(str(exc)) from exc
                    content = services.upward_export(
                        user=user, platform=options["platform"], period=period, basis=options["basis"]
                    )
                    Path(options["output"]).write_bytes(content)
                    self.stdout.write(f"已导出 {options['output']}")
                    return
                outcome = services.upward_import(
                    user=user, platform=options["platform"], path=options["file"]
                )
            except PermissionDenied as exc:
                raise CommandError(str(exc)) from exc
        if not outcome.ok:
            for error in outcome.errors:
                self.stderr.write(error)
            raise CommandError("文件有错误,未导入任何数据")
        self.stdout.write(f"已导入:新增 {outcome.created} 条,更新 {outcome.updated} 条")
