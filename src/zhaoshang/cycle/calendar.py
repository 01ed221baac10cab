"""The official working-day calendar (法定节假日与调休) and each month's reporting deadline (SPEC §4:
"the 5th working day of the next month, on the official working-day calendar with 调休").

Where a day's answer comes from, first match wins:

1. a ``CalendarDay`` row for that day (the deployment's own data, editable in the admin and loaded
   by ``zhaoshang calendar add-year FILE``): it overrides the package for that day;
2. for a year that has ``CalendarDay`` rows but that the package does not know: the rows are that
   year's schedule as the State Council publishes it (the holidays and the 调休 working weekends),
   every other day is a working day from Monday to Friday;
3. the maintained package ``chinese-calendar``, which carries each year's State Council notice
   (国务院办公厅关于部分节假日安排的通知) from 2004 on;
4. otherwise the year is unknown: ``UnknownYear``, whose message names the year and how to add it.

Reads only. A ``Calendar`` object reads the rows of each year it needs once (one query per year), so
a page that shows many deadlines builds one and asks it for each month.
"""

import datetime

import chinese_calendar
from django.conf import settings
from django.utils.translation import gettext as _

from zhaoshang.metrics.periods import next_month

# How far to look for working days: the longest run of days off on the official calendar is 8
# (春节, 国庆), so this is far more than any real calendar needs; it only stops a broken one.
_SEARCH_DAYS = 120


class UnknownYear(ValueError):
    """Neither the deployment's calendar data nor the package knows the year; the message is Chinese
    and says how to add the year."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            _(
                "工作日历中没有{y}年的法定节假日安排：请按国务院办公厅公布的{y}年部分节假日安排，"
                "用 zhaoshang calendar add-year 文件 导入（列：日期、是否上班、说明），"
                "或在系统配置的“工作日历”中逐日添加。"
            ).format(y=year)
        )

    @property
    def page_message(self) -> str:
        """The same for a page: its readers (units, the bureau) do not run commands on the server."""
        return _(
            "工作日历中没有{y}年的法定节假日安排,截止日期暂无法确定:"
            "请系统管理员按国务院办公厅公布的{y}年部分节假日安排,在系统配置的“工作日历”中添加。"
        ).format(y=self.year)


def deadline_workday() -> int:
    """N of "the Nth working day of the next month" (setting ``ZHAOSHANG_DEADLINE_WORKDAY``)."""
    return int(settings.ZHAOSHANG.get("DEADLINE_WORKDAY", 5))


def month_end(month: datetime.date) -> datetime.date:
    return next_month(month) - datetime.timedelta(days=1)


class Calendar:
    """The calendar with the deployment's rows of each year read once (per instance, never shared
    between requests: a row added in the admin counts from the next page on)."""

    def __init__(self) -> None:
        self._years: dict[int, dict[datetime.date, bool]] = {}

    def _rows(self, year: int) -> dict[datetime.date, bool]:
        if year not in self._years:
            from zhaoshang.cycle.models import CalendarDay

            self._years[year] = dict(
                CalendarDay.objects.filter(day__year=year).values_list("day", "is_workday")
            )
        return self._years[year]

    def is_workday(self, day: datetime.date) -> bool:
        rows = self._rows(day.year)
        if day in rows:
            return rows[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if rows:  # the year's schedule is ours: the days it does not list follow the week
                return day.weekday() < 5
            raise UnknownYear(day.year) from None

    def nth_workday_after(self, day: datetime.date, n: int) -> datetime.date:
        """The ``n``-th working day strictly after ``day`` (n ≥ 1)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        current, found = day, 0
        for _i in range(_SEARCH_DAYS + n * 2):
            current += datetime.timedelta(days=1)
            if self.is_workday(current):
                found += 1
                if found == n:
                    return current
        raise UnknownYear(current.year)  # only a calendar with no working day at all gets here

    def deadline(self, month: datetime.date, n: int | None = None) -> datetime.date:
        """The reporting deadline of ``month``: the Nth working day of the next month."""
        return self.nth_workday_after(month_end(month), n or deadline_workday())


def is_workday(day: datetime.date) -> bool:
    return Calendar().is_workday(day)


def nth_workday_after(month_end: datetime.date, n: int) -> datetime.date:
    return Calendar().nth_workday_after(month_end, n)


def deadline(month: datetime.date) -> datetime.date:
    """The reporting deadline of ``month`` (any day of it): the Nth working day of the next month,
    N = ``ZHAOSHANG["DEADLINE_WORKDAY"]`` (default 5). Raises ``UnknownYear``."""
    return Calendar().deadline(month)
