"""``zhaoshang import KIND FILE [--dry-run] [--campaign NAME] [--as-reported]`` (SPEC §5).

All rows or none: on any bad row nothing is written, each problem goes to stderr on its own line as
``第58行 〈引进单位〉: 未找到单位“某某”`` (``表头: …`` for the header) and the exit status is 1.
The command line acts for the bureau: rows come in recognised (已认定) unless ``--as-reported``
(then 已上报). Warnings (possible duplicates, extreme values) go to stderr prefixed 提示 and do not
change the exit status.
"""

import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from zhaoshang.exchange.cli import ProgressLine, acting, find_user
from zhaoshang.exchange.kinds import SHEETS
from zhaoshang.exchange.services import import_file


class Command(BaseCommand):
    help = _("从Excel(.xlsx/.xls)或CSV文件导入数据;全部行通过检查才导入,否则逐条列出问题并以状态1退出。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", metavar="KIND", choices=list(SHEETS), help=", ".join(SHEETS))
        parser.add_argument("file", metavar="FILE", help=_(".xlsx、.xls 或 .csv 文件"))
        parser.add_argument("--dry-run", action="store_true", help=_("只检查,不写入"))
        parser.add_argument("--campaign", metavar="NAME", help=_("导入专项行动的目标(targets)"))
        parser.add_argument(
            "--as-reported", action="store_true", help=_("作为上报数据导入(已上报),而不是直接认定")
        )
        parser.add_argument("--user", metavar="USERNAME", help=_("以该账号的身份导入(默认代表招商局)"))
        parser.add_argument("--progress", action="store_true", help=_("非交互终端也输出进度行"))

    def handle(self, *args, kind: str, file: str, **options) -> None:
        user = find_user(options.get("user"))
        progress = ProgressLine(self.stderr, force=options["progress"])
        if options["verbosity"] == 0:
            progress.enabled = False
        with acting(user):
            report = import_file(
                user=user,
                kind=kind,
                path=file,
                dry_run=options["dry_run"],
                campaign=options.get("campaign"),
                as_reported=options["as_reported"],
                progress=progress,
            )
        progress.close()
        for problem in report.problems:
            self.stderr.write(str(problem), style_func=lambda text: text)
        for warning in report.warnings:
            self.stderr.write(_("提示: {warning}").format(warning=warning), style_func=lambda text: text)
        if report.problems:
            sys.exit(1)
        self.stdout.write(report.summary())
        if options["verbosity"] >= 2:
            for outcome in report.outcomes:
                action = {"created": _("新增"), "updated": _("更新")}[outcome["action"]]
                changes = "、".join(outcome["changes"])
                self.stdout.write(
                    _("第{row}行 {action} {label}").format(
                        row=outcome["row"], action=action, label=outcome["label"]
                    )
                    + (f"({changes})" if changes else "")
                )
