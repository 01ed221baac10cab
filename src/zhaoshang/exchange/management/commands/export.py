"""``zhaoshang export KIND -o FILE.xlsx [--from YYYY-MM] [--to YYYY-MM]`` (SPEC §5).

The same columns as the import template, so that an export re-imports unchanged. ``--from``/``--to``
filter on the kind's date: projects 签约日期, funds 月份, leads 上报日期, activities 开始日期,
targets 年度. The command line acts for the bureau (all records, phone numbers unmasked) unless
``--user`` names an account, whose view and masking then apply.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhaoshang.exchange.cli import acting, find_user, parse_month_option
from zhaoshang.exchange.kinds import SHEETS
from zhaoshang.exchange.services import export_file


class Command(BaseCommand):
    help = _("导出数据为Excel文件(列与导入模板相同,可直接再导入)。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", metavar="KIND", choices=list(SHEETS), help=", ".join(SHEETS))
        parser.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help=_("输出文件"))
        parser.add_argument("--from", dest="month_from", metavar="YYYY-MM", help=_("起始月份"))
        parser.add_argument("--to", dest="month_to", metavar="YYYY-MM", help=_("截止月份"))
        parser.add_argument("--user", metavar="USERNAME", help=_("按该账号的权限导出"))

    def handle(self, *args, kind: str, output: str, **options) -> None:
        path = Path(output)
        if path.suffix.lower() != ".xlsx":
            raise CommandError(_("输出文件应为 .xlsx"))
        if path.parent and not path.parent.exists():
            raise CommandError(_("目录不存在:{path}").format(path=path.parent))
        month_from = parse_month_option(options.get("month_from"), "--from")
        month_to = parse_month_option(options.get("month_to"), "--to")
        user = find_user(options.get("user"))
        with acting(user):
            count = export_file(kind=kind, user=user, out=str(path), month_from=month_from, month_to=month_to)
        self.stdout.write(
            _("已导出{label}{n}条到 {path}").format(label=SHEETS[kind].label, n=count, path=path)
        )
