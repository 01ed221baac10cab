"""Reads of the reporting cycle (SPEC §4): each month's state and deadline, who confirmed and when,
who is late. Through ``core.access``: a unit's users see their own unit only, the bureau and leaders
the units of their region.

Late (逾期): not confirmed by the end of the deadline day — a unit that confirms afterwards stays late
for that month, with the day it confirmed.
"""

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.core import access
from zhaoshang.cycle.calendar import Calendar, UnknownYear
from zhaoshang.cycle.choices import MonthState
from zhaoshang.cycle.models import MonthlyReport, Reminder
from zhaoshang.metrics.closing import closed_through
from zhaoshang.metrics.models import ClosedMonth
from zhaoshang.metrics.periods import next_month
from zhaoshang.organisation.choices import UnitKind
from zhaoshang.organisation.models import Unit

MONTHS_PER_PAGE = 12
MIN_MONTHS_LISTED = 12  # the list always reaches a year back, whatever has happened since


def month_label(month: datetime.date) -> str:
    return _("{y}年{m}月").format(y=month.year, m=month.month)


def parse_month(text: str) -> datetime.date:
    """``YYYY-MM`` → the month's first day; ValueError otherwise."""
    return datetime.datetime.strptime(text, "%Y-%m").date()


def previous_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def month_is_over(month: datetime.date, today: datetime.date) -> bool:
    return next_month(month) <= today


def deadline_end(deadline: datetime.date) -> datetime.datetime:
    """The first instant after the deadline day, local time: a confirmation before it is on time."""
    return timezone.make_aware(
        datetime.datetime.combine(deadline + datetime.timedelta(days=1), datetime.time())
    )


@dataclass(frozen=True)
class State:
    """A month's state in the cycle, with its deadline (None when the calendar lacks the year)."""

    month: datetime.date
    deadline: datetime.date | None
    state: str
    problem: str = ""  # why the deadline is unknown

    @property
    def label(self) -> str:
        return str(MonthState(self.state).label)

    @property
    def code(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def month_label(self) -> str:
        return month_label(self.month)

    @property
    def deadline_passed(self) -> bool:
        return self.state in (MonthState.DUE, MonthState.CLOSED) and self.deadline is not None

    @property
    def title(self) -> str:
        if self.deadline is None:
            return self.problem
        return _("{m}数据报送截止日期：{d}").format(
            m=self.month_label,
            d=_("{y}年{m}月{d}日").format(y=self.deadline.year, m=self.deadline.month, d=self.deadline.day),
        )


def month_state(
    month: datetime.date,
    *,
    today: datetime.date,
    calendar: Calendar | None = None,
    last_closed: datetime.date | bool | None = False,
) -> State:
    """未到期 up to and including the deadline day, 已逾期待关账 after it, 已关账 once the bureau has
    closed the month (``metrics.closing``); 未知 when the deadline's year is not in the calendar.
    ``last_closed`` (``closed_through()``) may be passed in by a caller showing many months."""
    month = month.replace(day=1)
    if last_closed is False:
        last_closed = closed_through()
    calendar = calendar or Calendar()
    try:
        deadline, problem = calendar.deadline(month), ""
    except UnknownYear as error:
        deadline, problem = None, error.page_message
    if last_closed is not None and month <= last_closed:
        state = MonthState.CLOSED
    elif deadline is None:
        state = MonthState.UNKNOWN
    elif today <= deadline:
        state = MonthState.OPEN
    else:
        state = MonthState.DUE
    return State(month=month, deadline=deadline, state=state, problem=problem)


def reporting_units(user) -> QuerySet:
    """The units that owe a monthly confirmation and that ``user`` may see: active task units (the
    bureau itself reports nothing), in the official order (``Unit.order``)."""
    units = Unit.objects.filter(is_active=True).exclude(kind=UnitKind.BUREAU).select_related("region")
    return access.unit_choices_for(user, units).order_by("order", "name")


def visible_reports(user) -> QuerySet:
    return access.restrict(MonthlyReport.objects.select_related("submitted_by"), user)


# --- the months list -----------------------------------------------------------------------------


@dataclass
class MonthRow:
    state: State
    total: int
    confirmed: int
    on_time: int

    @property
    def late(self) -> int | None:
        """Units not confirmed by the deadline, once it has passed (confirmed late included)."""
        return self.total - self.on_time if self.state.deadline_passed else None


def _first_month(today: datetime.date) -> datetime.date:
    first = today.replace(day=1)
    for _i in range(MIN_MONTHS_LISTED - 1):
        first = previous_month(first)
    earliest = [
        MonthlyReport.objects.aggregate(m=Min("month"))["m"],
        ClosedMonth.objects.aggregate(m=Min("month"))["m"],
    ]
    return min([first, *[m for m in earliest if m]])


def month_rows(*, user, today: datetime.date, page: int | str | None = 1):
    """The months of the cycle, latest first (the current month included), ``MONTHS_PER_PAGE`` a page:
    each with its state, deadline and how many of the user's units confirmed, on time or not. A fixed
    number of queries a page whatever the number of units."""
    months, m = [], today.replace(day=1)
    first = _first_month(today)
    while m >= first:
        months.append(m)
        m = previous_month(m)
    paged = Paginator(months, MONTHS_PER_PAGE).get_page(page)
    calendar, last = Calendar(), closed_through()
    states = [month_state(m, today=today, calendar=calendar, last_closed=last) for m in paged.object_list]
    unit_ids = reporting_units(user).values("pk")
    total = reporting_units(user).count()
    counts = {}
    for i, state in enumerate(states):
        counts[f"c{i}"] = Count("pk", filter=Q(month=state.month))
        on_time = Q(month=state.month)
        if state.deadline is not None:
            on_time &= Q(submitted_at__lt=deadline_end(state.deadline))
        counts[f"t{i}"] = Count("pk", filter=on_time)
    got = visible_reports(user).filter(unit_id__in=unit_ids).aggregate(**counts) if counts else {}
    rows = [
        MonthRow(state=s, total=total, confirmed=got.get(f"c{i}", 0), on_time=got.get(f"t{i}", 0))
        for i, s in enumerate(states)
    ]
    return paged, rows


# --- one month -----------------------------------------------------------------------------------


@dataclass
class UnitLine:
    unit: Unit
    report: MonthlyReport | None
    late: bool  # not confirmed by the deadline, once it has passed (confirmed late included)
    reminded_on: datetime.date | None = None

    @property
    def confirmed(self) -> bool:
        return self.report is not None


@dataclass
class MonthDetail:
    state: State
    lines: list[UnitLine] = field(default_factory=list)

    @property
    def confirmed(self) -> int:
        return sum(1 for line in self.lines if line.confirmed)

    @property
    def late(self) -> list[UnitLine]:
        return [line for line in self.lines if line.late]

    @property
    def unconfirmed(self) -> list[UnitLine]:
        return [line for line in self.lines if not line.confirmed]


def _lines(units, month: datetime.date, state: State, reports: dict) -> list[UnitLine]:
    lines = []
    for unit in units:
        report = reports.get(unit.pk)
        late = state.deadline_passed and (report is None or report.is_late_for(state.deadline))
        lines.append(UnitLine(unit=unit, report=report, late=late))
    return lines


def month_detail(*, user, month: datetime.date, today: datetime.date) -> MonthDetail:
    """Every unit of the user's scope for ``month``, in official order: confirmed when and by whom,
    late or not, last reminded on. Four queries whatever the number of units."""
    state = month_state(month, today=today)
    units = list(reporting_units(user))
    reports = {r.unit_id: r for r in visible_reports(user).filter(month=state.month)}
    lines = _lines(units, state.month, state, reports)
    reminded = dict(
        Reminder.objects.filter(month=state.month, unit_id__in=[u.pk for u in units])
        .values("unit_id")
        .annotate(last=Max("sent_on"))
        .values_list("unit_id", "last")
    )
    for line in lines:
        line.reminded_on = reminded.get(line.unit.pk)
    return MonthDetail(state=state, lines=lines)


def late_units(
    month: datetime.date, units: list[Unit], *, today: datetime.date
) -> list[tuple[Unit, datetime.datetime | None]]:
    """The ``units`` (in the order given) not confirmed by ``month``'s deadline, each with when it
    confirmed after all (None: not yet). Empty while the deadline has not passed, or is unknown —
    nobody is late before the deadline."""
    state = month_state(month, today=today)
    if not state.deadline_passed:
        return []
    reports = {
        r.unit_id: r
        for r in MonthlyReport.objects.filter(month=state.month, unit_id__in=[u.pk for u in units])
    }
    return [
        (line.unit, line.report.submitted_at if line.report else None)
        for line in _lines(units, state.month, state, reports)
        if line.late
    ]


# --- a unit's own page ---------------------------------------------------------------------------


@dataclass
class UnitOwes:
    """The confirmation a unit owes on its home page: last month's, due on its deadline."""

    unit_id: int
    state: State
    report: MonthlyReport | None
    may_confirm: bool

    @property
    def late(self) -> bool:
        return self.state.deadline_passed and (
            self.report is None or self.report.is_late_for(self.state.deadline)
        )


def unit_owes(*, user, today: datetime.date) -> UnitOwes | None:
    """Last month's 数据报送确认 for the user's unit (the month whose deadline falls in this one)."""
    if not user.unit_id:
        return None
    month = previous_month(today.replace(day=1))
    state = month_state(month, today=today)
    report = visible_reports(user).filter(unit_id=user.unit_id, month=month).first()
    return UnitOwes(
        unit_id=user.unit_id,
        state=state,
        report=report,
        may_confirm=report is None and access.can(user, access.SUBMIT, MonthlyReport),
    )
