"""Periods (SPEC §3): a month, a quarter, a half-year, year-to-date, any month range, a campaign.

A period is a closed range of dates. YoY compares with the same dates one year earlier.
"""

import calendar
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from zhaoshang.metrics.numbers import round_half_up

QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


def next_month(day: datetime.date) -> datetime.date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _shift_year(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → 28 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    label: str
    campaign_id: int | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(_("结束日期不能早于开始日期。"))

    @property
    def year(self) -> int:
        return self.end.year

    def previous_year(self) -> "Period":
        """The same period of the previous year (同比)."""
        start, end = _shift_year(self.start, -1), _shift_year(self.end, -1)
        if self.end == month_end(self.end.year, self.end.month):
            end = month_end(end.year, end.month)
        return Period(start, end, self._relabel(-1))

    def _relabel(self, years: int) -> str:
        return re.sub(r"(\d{4})年", lambda m: f"{int(m.group(1)) + years}年", self.label)

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def time_progress(self, *, by_days: bool = False, as_of: datetime.date | None = None) -> Decimal:
        """序时进度 (SPEC §3), as a fraction.

        For a campaign: days elapsed ÷ days in the campaign. Otherwise months elapsed ÷ 12 at the
        period's end (July: 7/12 = 58.3%), or days elapsed ÷ days in the year where the deployment
        chooses so. A period ending mid-month counts only whole months unless ``by_days``.
        """
        if self.campaign_id is not None:
            return self.campaign_progress(as_of or self.end)
        end = min(self.end, as_of) if as_of else self.end
        if by_days:
            year_days = 366 if calendar.isleap(end.year) else 365
            return Decimal(end.timetuple().tm_yday) / Decimal(year_days)
        months = end.month if end == month_end(end.year, end.month) else end.month - 1
        return Decimal(months) / Decimal(12)

    def campaign_progress(self, today: datetime.date) -> Decimal:
        """For a campaign: days elapsed up to ``today`` ÷ days in the campaign."""
        if today >= self.end:
            return Decimal(1)
        if today < self.start:
            return Decimal(0)
        return Decimal((today - self.start).days + 1) / Decimal(self.days)


def month(year: int, month_: int) -> Period:
    return Period(datetime.date(year, month_, 1), month_end(year, month_), f"{year}年{month_}月")


def quarter(year: int, q: int) -> Period:
    first = 3 * (q - 1) + 1
    return Period(
        datetime.date(year, first, 1), month_end(year, first + 2), f"{year}年第{QUARTER_NAMES[q]}季度"
    )


def half(year: int, h: int) -> Period:
    first, last = (1, 6) if h == 1 else (7, 12)
    label = f"{year}年上半年" if h == 1 else f"{year}年下半年"
    return Period(datetime.date(year, first, 1), month_end(year, last), label)


def year(year_: int) -> Period:
    return Period(datetime.date(year_, 1, 1), datetime.date(year_, 12, 31), f"{year_}年")


def month_range(start_year: int, start_month: int, end_year: int, end_month: int) -> Period:
    """Any month range; "1至7月" when it starts in January of the same year."""
    if (start_year, start_month) == (end_year, end_month):
        return month(start_year, start_month)
    if start_year == end_year:
        label = f"{start_year}年{start_month}至{end_month}月"
    else:
        label = f"{start_year}年{start_month}月至{end_year}年{end_month}月"
    return Period(datetime.date(start_year, start_month, 1), month_end(end_year, end_month), label)


def year_to_date(year_: int, month_: int) -> Period:
    return month_range(year_, 1, year_, month_)


def campaign(obj) -> Period:
    return Period(obj.starts_on, obj.ends_on, f"“{obj.name}”期间", campaign_id=obj.pk)


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(text: str) -> tuple[int, int]:
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(_("月份格式应为 YYYY-MM,例如 2022-07。"))
    return int(match.group(1)), int(match.group(2))


def parse(text: str) -> Period:
    """YYYY-MM, YYYY-Qn, YYYY-H1/H2 or YYYY (the ``assess --period`` forms)."""
    text = text.strip().upper()
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        return quarter(int(m.group(1)), int(m.group(2)))
    if m := re.fullmatch(r"(\d{4})-H([12])", text):
        return half(int(m.group(1)), int(m.group(2)))
    if m := re.fullmatch(r"(\d{4})", text):
        return year(int(m.group(1)))
    y, mo = parse_month(text)
    return month(y, mo)


def from_to(start: str | None, end: str | None, today: datetime.date) -> Period:
    """``--from YYYY-MM --to YYYY-MM``; a missing end is the last full month, a missing start January."""
    if end:
        ey, em = parse_month(end)
    else:
        last = today.replace(day=1) - datetime.timedelta(days=1)
        ey, em = last.year, last.month
    sy, sm = parse_month(start) if start else (ey, 1)
    if (sy, sm) > (ey, em):
        raise ValueError(_("起始月份不能晚于结束月份。"))
    return month_range(sy, sm, ey, em)


def gap_points(completion: Decimal | None, time_progress: Decimal, places: int = 1) -> Decimal | None:
    """超序时进度X个百分点 (SPEC §3): completion − time progress in percentage points, from the exact
    values and rounded once (5 of 9 in July: 55.556% − 58.333% = −2.8, not 55.6 − 58.3 = −2.7)."""
    if completion is None:
        return None
    return percent(completion - time_progress, places)


def percent(fraction: Decimal | None, places: int = 1) -> Decimal | None:
    """A fraction as a percentage, half-up to ``places`` decimals."""
    if fraction is None:
        return None
    return round_half_up(fraction * 100, places)
