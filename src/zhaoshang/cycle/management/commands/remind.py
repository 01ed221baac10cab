"""``zhaoshang remind [--date YYYY-MM-DD]``: the daily 催报 of the reporting cycle (SPEC §4).

On a month's deadline day and every day after it until the bureau closes the month, each unit that
has not confirmed the month gets one in-app notice (its reporters and heads) — at most one a day per
unit, so running it twice a day, or after the bureau pressed 催报, sends nothing more. Runs daily as
the scheduled job ``remind`` (zhaoshang.core.jobs.SCHEDULE, 08:30); without the worker, from cron::

    # /etc/cron.d/zhaoshang — every day at 08:30, as the application user
    30 8 * * *  zhaoshang  /opt/zhaoshang/.venv/bin/zhaoshang remind >> /var/log/zhaoshang/remind.log 2>&1
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit.context import Actor, reset_actor, set_actor
from zhaoshang.cycle.selectors import month_label
from zhaoshang.cycle.services import remind_due


class Command(BaseCommand):
    help = _("报送截止日当天及以后,向未确认月度数据报送的单位发送催报消息(每个单位每天至多一次)。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", metavar="YYYY-MM-DD", help=_("以该日期运行,默认今天"))

    def handle(self, *args, **options) -> None:
        today = timezone.localdate()
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"].strip())
            except ValueError as exc:
                raise CommandError(_("日期格式应为 YYYY-MM-DD。")) from exc
        token = set_actor(Actor(user_id=None, username="cli:remind", address=None))
        try:
            done = remind_due(today=today)
        finally:
            reset_actor(token)
        for item in done:
            self.stdout.write(
                _("{unit}:{months}(通知{n}人)").format(
                    unit=item.unit.name, months="、".join(month_label(m) for m in item.months), n=item.people
                )
            )
        self.stdout.write(
            _("已向{n}个单位发送催报。").format(n=len(done)) if done else _("今天没有需要催报的单位。")
        )
