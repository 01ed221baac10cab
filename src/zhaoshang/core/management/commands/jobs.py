"""``zhaoshang jobs list|enqueue-due|run NAME``: the scheduled background jobs (core.jobs.SCHEDULE).

``enqueue-due`` runs every five minutes from deploy/systemd/zhaoshang-scheduler.timer (or cron:
``*/5 * * * * zhaoshang /opt/zhaoshang/venv/bin/zhaoshang jobs enqueue-due``); the worker
(``zhaoshang db_worker``) runs what it enqueues.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhaoshang.core.jobs import SCHEDULE, enqueue_due


class Command(BaseCommand):
    help = _("定时任务:列出、将到时的任务加入队列、立即运行某项任务")

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help=_("列出定时任务"))
        sub.add_parser("enqueue-due", help=_("将今天已到时间、尚未加入队列的任务加入队列"))
        run = sub.add_parser("run", help=_("立即将某项任务加入队列"))
        run.add_argument("name", choices=[job.name for job in SCHEDULE])

    def handle(self, *args, action: str, **options) -> None:
        if action == "list":
            for job in SCHEDULE:
                self.stdout.write(f"{job.name:<10} {job.at:%H:%M}  {job.label}")
        elif action == "enqueue-due":
            names = enqueue_due()
            self.stdout.write(
                _("已加入队列:{names}").format(names="、".join(names)) if names else _("没有到时的任务。")
            )
        else:
            job = next((j for j in SCHEDULE if j.name == options["name"]), None)
            if job is None:
                raise CommandError(options["name"])
            result = job.task.enqueue()
            self.stdout.write(_("已加入队列:{name}({id})").format(name=job.name, id=result.id))
