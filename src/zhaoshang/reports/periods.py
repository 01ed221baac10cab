"""Which period a report covers, from ``--from/--to/--week/--campaign`` (SPEC §5) and the kind.

- summary (工作情况汇报), yearly (年度总结): ``--from``..``--to`` (by default January to the last
  full month);
- weekly (周报): ``--week YYYY-Www`` (ISO week, by default the last full week);
- bulletin (月通报): the month ``--to`` (by default the last full month), reported with its
  year-to-date figures;
- leaderboard (龙虎榜): ``--from``..``--to`` (by default the last full month alone);
- quarterly (季评比): the quarter containing ``--to`` (by default the last full quarter);
- campaign (专项行动总结): the campaign ``--campaign NAME``;
- assessment (考核结果): year to date at ``--to``; with ``--from`` a quarter, half-year or whole
  year when ``--from``..``--to`` is exactly one.
"""

import datetime
import re

from django.utils.translation import gettext as _

from zhaoshang.metrics import periods
from zhaoshang.metrics.periods import Period
from zhaoshang.reports.choices import ReportKind


def parse_week(text: str) -> Period:
    """``2022-W30`` → Monday 25 July 2022 .. Sunday 31 July 2022, labelled "2022年第30周"."""
    match = re.fullmatch(r"(\d{4})-?W(\d{1,2})", (text or "").strip().upper())
    if not match:
        raise ValueError(_("周次格式应为 YYYY-Www,例如 2022-W30。"))
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = datetime.date.fromisocalendar(year, week, 1)
    except ValueError as error:
        raise ValueError(_("{year}年没有第{week}周。").format(year=year, week=week)) from error
    return Period(monday, monday + datetime.timedelta(days=6), _("{y}年第{w}周").format(y=year, w=week))


def last_full_week(today: datetime.date) -> Period:
    last_sunday = today - datetime.timedelta(days=today.isoweekday())
    year, week, _day = last_sunday.isocalendar()
    return parse_week(f"{year}-W{week:02d}")


def _last_full_month(today: datetime.date) -> tuple[int, int]:
    last = today.replace(day=1) - datetime.timedelta(days=1)
    return last.year, last.month


def report_period(
    kind: str,
    *,
    start: str | None = None,
    end: str | None = None,
    week: str | None = None,
    campaign=None,
    today: datetime.date,
) -> Period:
    """The period of a report of ``kind``; ``ValueError`` with a message for the user."""
    if kind == ReportKind.CAMPAIGN:
        if campaign is None:
            raise ValueError(_("专项行动总结需要指定专项行动(--campaign 名称)。"))
        return periods.campaign(campaign)
    if kind == ReportKind.WEEKLY:
        return parse_week(week) if week else last_full_week(today)
    if kind == ReportKind.BULLETIN:
        year, month = periods.parse_month(end) if end else _last_full_month(today)
        return periods.year_to_date(year, month)
    if kind == ReportKind.LEADERBOARD:
        year, month = periods.parse_month(end) if end else _last_full_month(today)
        if not start:
            return periods.month(year, month)
        return periods.from_to(start, f"{year}-{month:02d}", today)
    if kind == ReportKind.QUARTERLY:
        if end:
            year, month = periods.parse_month(end)
        else:
            year, month = _last_full_month(today)
            if month % 3:  # the last full quarter
                month -= month % 3
                if month == 0:
                    year, month = year - 1, 12
        return periods.quarter(year, (month - 1) // 3 + 1)
    if kind == ReportKind.ASSESSMENT and start and end:
        sy, sm = periods.parse_month(start)
        ey, em = periods.parse_month(end)
        if sy == ey:
            if sm == 1 and em == 12:
                return periods.year(ey)
            if em == sm + 2 and sm in (1, 4, 7, 10):
                return periods.quarter(ey, (em - 1) // 3 + 1)
            if (sm, em) in ((1, 6), (7, 12)):
                return periods.half(ey, 1 if sm == 1 else 2)
        return periods.year_to_date(ey, em)
    if kind == ReportKind.ASSESSMENT:
        year, month = periods.parse_month(end) if end else _last_full_month(today)
        return periods.year_to_date(year, month)
    return periods.from_to(start, end, today)
