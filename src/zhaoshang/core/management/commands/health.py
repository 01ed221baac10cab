"""``zhaoshang health [--skip CHECK …] [--json]``: database, worker, disk, audit chain, last backup
(core.health). Exits 0 when every check passes, 1 otherwise — for monitoring (Zabbix, Nagios,
deploy/systemd/zhaoshang-health.timer)."""

import json
import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from zhaoshang.core.health import CHECKS, run_checks


class Command(BaseCommand):
    help = _("检查数据库、后台任务进程、磁盘空间、审计日志哈希链和最近的备份;有异常时以1退出")

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--skip", action="append", default=[], choices=sorted(CHECKS), help=_("跳过某项检查,可重复")
        )
        parser.add_argument("--json", action="store_true", help=_("以 JSON 输出"))

    def handle(self, *args, skip: list[str], **options) -> None:
        results = run_checks(skip=set(skip))
        if options["json"]:
            data = [{"check": r.name, "ok": r.ok, "detail": r.detail} for r in results]
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        else:
            for r in results:
                mark = _("正常") if r.ok else _("异常")
                self.stdout.write(f"{mark}  {r.name:<9} {r.detail}")
        if not all(r.ok for r in results):
            sys.exit(1)
