"""``zhaoshang calendar add-year FILE``: load a year of the official working-day calendar that the
``chinese-calendar`` package does not know yet (or correct one), from the State Council's notice
(国务院办公厅关于XXXX年部分节假日安排的通知). FILE is .csv, .xlsx or .xls with the columns
日期, 是否上班, 说明 — one row per holiday and per 调休 working day; every other day follows the
week. ``zhaoshang calendar show YEAR`` prints each month's reporting deadline of that year."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhaoshang.audit.context import Actor, reset_actor, set_actor
from zhaoshang.cycle.calendar import Calendar, UnknownYear, deadline_workday
from zhaoshang.cycle.services import CalendarFileError, calendar_add_year


class Command(BaseCommand):
    help = _("工作日历:add-year 文件 导入一年的法定节假日安排;show 年份 列出该年各月的报送截止日期")

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=("add-year", "show"))
        parser.add_argument("target", metavar="FILE|YEAR")

    def handle(self, *args, action: str, target: str, **options) -> None:
        if action == "show":
            self._show(target)
            return
        token = set_actor(Actor(user_id=None, username="cli:calendar", address=None))
        try:
            year, count = calendar_add_year(path=target)
        except CalendarFileError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(_("未导入任何日期。")) from exc
        finally:
            reset_actor(token)
        self.stdout.write(_("已导入{y}年工作日历{n}天。").format(y=year, n=count))

    def _show(self, text: str) -> None:
        try:
            year = int(text)
        except ValueError as exc:
            raise CommandError(_("年份应为四位数字,如 2027。")) from exc
        calendar, n = Calendar(), deadline_workday()
        for m in range(1, 13):
            try:
                day = calendar.deadline(datetime.date(year, m, 1))
            except UnknownYear as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                _("{y}年{m}月:报送截止日期 {d}(次月第{n}个工作日)").format(
                    y=year, m=m, d=f"{day:%Y-%m-%d}", n=n
                )
            )
