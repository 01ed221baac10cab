"""Writes of the reporting cycle (SPEC §4), each in ``transaction.atomic`` with its audit row: a
unit's 数据报送确认, 催报 (by the bureau's button or the daily ``zhaoshang remind``), and loading a
year of the official calendar. Closing and reopening a month are ``metrics.closing``'s."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit.models import AuditAction
from zhaoshang.audit.services import audit_record, snapshot
from zhaoshang.core import access
from zhaoshang.cycle.calendar import Calendar, next_month
from zhaoshang.cycle.choices import MonthState
from zhaoshang.cycle.models import CalendarDay, MonthlyReport, Reminder
from zhaoshang.cycle.selectors import State, month_label, month_state, previous_month
from zhaoshang.metrics.closing import closed_through
from zhaoshang.organisation.choices import UnitKind
from zhaoshang.organisation.models import Unit
from zhaoshang.supervision.services import notify, unit_users

# How many months back the daily reminder looks: older months left open are the bureau's to close,
# not something to remind units of every day (a deployment that never closed a month included).
REMIND_MONTHS_BACK = 3


def _date_text(day: datetime.date) -> str:
    return _("{m}月{d}日").format(m=day.month, d=day.day)


def report_confirm(*, user, unit: Unit, month: datetime.date, note: str = "") -> MonthlyReport:
    """本月数据报送确认: the unit's head declares the unit's records of ``month`` complete (a unit with
    nothing to report confirms all the same: 零报告). Refused before the month is over and a second
    time; a confirmation after the deadline is kept, and counts as late (``MonthlyReport.is_late``)."""
    month = month.replace(day=1)
    if not access.can(user, access.SUBMIT, MonthlyReport) or (
        not user.is_superuser and user.unit_id != unit.pk
    ):
        raise PermissionDenied(_("只有本单位的单位负责人可以确认本单位的月度数据报送。"))
    now = timezone.now()
    if next_month(month) > timezone.localdate(now):
        raise ValidationError(_("{m}尚未结束，月度数据须在月末之后确认报送。").format(m=month_label(month)))
    try:
        with transaction.atomic():
            report = MonthlyReport.objects.create(
                unit=unit, month=month, submitted_at=now, submitted_by=user, note=(note or "").strip()[:200]
            )
            audit_record(
                action=AuditAction.SUBMIT,
                obj=report,
                user=user,
                object_repr=str(report),
                after=snapshot(report),
            )
    except IntegrityError as exc:
        raise ValidationError(_("{unit}{m}数据已确认报送。").format(unit=unit, m=month_label(month))) from exc
    return report


def _remind_text(unit: Unit, states: list[State], today: datetime.date) -> str:
    parts = []
    for state in states:
        when = (
            _("已于{d}截止").format(d=_date_text(state.deadline))
            if state.deadline < today
            else _("今天（{d}）截止").format(d=_date_text(state.deadline))
        )
        parts.append(_("{m}（{when}）").format(m=month_label(state.month), when=when))
    return _(
        "催报：{unit}{months}数据尚未确认报送，请核对本单位当月填报的数据，由单位负责人尽快确认报送。"
    ).format(unit=unit.name, months="、".join(parts))


def _send(*, unit: Unit, states: list[State], today: datetime.date, user=None) -> int:
    """One in-app notice to the unit's reporters and heads covering ``states``; a Reminder row per
    month. Returns the number of people told."""
    link = reverse("cycle:month", args=[states[0].code])
    rows = notify(users=list(unit_users([unit.pk])), text=_remind_text(unit, states, today), link=link)
    Reminder.objects.bulk_create(
        [Reminder(unit=unit, month=s.month, sent_on=today, sent_by=user) for s in states]
    )
    return len(rows)


def remind(*, user, month: datetime.date, units: list[Unit], today: datetime.date) -> int:
    """The bureau's 催报 button: tell the given units (those of the month not confirmed) now. Returns
    the number of units reminded."""
    if not access.can(user, access.ADD, Reminder):
        raise PermissionDenied(_("只有招商局可以催报。"))
    state = month_state(month, today=today)
    if state.deadline is None:
        raise ValidationError(state.problem)
    if state.state == MonthState.CLOSED:
        raise ValidationError(_("{m}已关账，无需催报。").format(m=state.month_label))
    confirmed = set(
        MonthlyReport.objects.filter(month=state.month, unit_id__in=[u.pk for u in units]).values_list(
            "unit_id", flat=True
        )
    )
    wanted = [u for u in units if u.pk not in confirmed]
    if not wanted:
        raise ValidationError(_("{m}没有需要催报的单位。").format(m=state.month_label))
    with transaction.atomic():
        for unit in wanted:
            _send(unit=unit, states=[state], today=today, user=user)
        audit_record(
            action=AuditAction.CREATE,
            user=user,
            object_repr=_("催报{m}数据：{units}").format(
                m=state.month_label, units="、".join(u.name for u in wanted)
            ),
            after={"month": state.code, "units": [u.pk for u in wanted]},
        )
    return len(wanted)


@dataclass
class Reminded:
    unit: Unit
    months: list[datetime.date]
    people: int


def remind_due(*, today: datetime.date) -> list[Reminded]:
    """The daily 催报 (``zhaoshang remind``): on a month's deadline day and every day after it until
    the month is closed, each unit that has not confirmed it gets one notice — at most one a day per
    unit whatever the number of months it owes, and none on a day it was already reminded."""
    calendar, last = Calendar(), closed_through()
    month = previous_month(today.replace(day=1))
    floor = month
    for _i in range(REMIND_MONTHS_BACK - 1):
        floor = previous_month(floor)
    if last is not None:
        floor = max(floor, next_month(last))
    states = []
    while month >= floor:
        state = month_state(month, today=today, calendar=calendar, last_closed=last)
        if state.deadline is not None and state.deadline <= today and state.state != MonthState.CLOSED:
            states.append(state)
        month = previous_month(month)
    states.reverse()
    if not states:
        return []
    months = [s.month for s in states]
    units = list(Unit.objects.filter(is_active=True).exclude(kind=UnitKind.BUREAU).order_by("order", "name"))
    confirmed = set(MonthlyReport.objects.filter(month__in=months).values_list("unit_id", "month"))
    told_today = set(Reminder.objects.filter(sent_on=today).values_list("unit_id", flat=True))
    done = []
    with transaction.atomic():
        for unit in units:
            if unit.pk in told_today:
                continue
            owed = [s for s in states if (unit.pk, s.month) not in confirmed]
            if owed:
                people = _send(unit=unit, states=owed, today=today)
                done.append(Reminded(unit=unit, months=[s.month for s in owed], people=people))
        if done:
            audit_record(
                action=AuditAction.CREATE,
                object_repr=_("自动催报：{n}个单位").format(n=len(done)),
                after={
                    "date": today.isoformat(),
                    "units": [{"unit": r.unit.pk, "months": [f"{m:%Y-%m}" for m in r.months]} for r in done],
                },
            )
    return done


# --- the official calendar --------------------------------------------------------------------------

# The columns of the file, as SPEC §5 names import columns (a file format, not translated).
CALENDAR_HEADERS = ("日期", "是否上班", "说明")
_WORK_WORDS = {
    "上班": True,
    "班": True,
    "工作日": True,
    "放假": False,
    "休": False,
    "休息": False,
    "休假": False,
}


class CalendarFileError(ValueError):
    """The file cannot be loaded; ``problems`` lists each, one a line, as ``第N行 〈列〉: 原因``."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _read_calendar_rows(path, filename=None) -> list[tuple[datetime.date, bool, str]]:
    from zhaoshang.exchange.cells import CellError, parse_bool, parse_date, parse_text
    from zhaoshang.exchange.readers import UnreadableFile, open_table

    try:
        table = open_table(path, filename)
    except UnreadableFile as exc:
        raise CalendarFileError([str(exc)]) from exc
    rows, problems, header_seen = [], [], False
    for number, cells in table.rows:
        cells = [*cells, None, None, None][:3]
        if not header_seen:
            if parse_text(cells[0]) == CALENDAR_HEADERS[0]:
                header_seen = True
                continue
            problems.append(_("表头: 第一行应为“日期,是否上班,说明”"))
            break
        if all(c is None or parse_text(c) == "" for c in cells):
            continue
        try:
            day = parse_date(cells[0])
            if day is None:
                raise CellError(_("必填"))
        except CellError as exc:
            problems.append(_("第{n}行 〈{col}〉: {why}").format(n=number, col=CALENDAR_HEADERS[0], why=exc))
            continue
        text = parse_text(cells[1])
        try:
            work = _WORK_WORDS[text] if text in _WORK_WORDS else parse_bool(cells[1])
            if work is None:
                raise CellError(_("必填，填“是”（上班）或“否”（放假）"))
        except CellError as exc:
            problems.append(_("第{n}行 〈{col}〉: {why}").format(n=number, col=CALENDAR_HEADERS[1], why=exc))
            continue
        rows.append((day, work, parse_text(cells[2])[:60]))
    if not header_seen and not problems:
        problems.append(_("表头: 文件为空，第一行应为“日期,是否上班,说明”"))
    if problems:
        raise CalendarFileError(problems)
    return rows


def calendar_add_year(*, path, filename=None, user=None) -> tuple[int, int]:
    """Load one year of the official calendar from a CSV or Excel file (columns 日期, 是否上班, 说明:
    the year's holidays and 调休 working days as the State Council's notice lists them). The year's
    rows are replaced as a whole, so loading the same file again changes nothing; all or nothing.
    Returns (year, rows)."""
    rows = _read_calendar_rows(path, filename)
    years = sorted({day.year for day, _work, _note in rows})
    if len(years) != 1:
        raise CalendarFileError(
            [
                _("文件应只包含一个年份的日期，实际包含：{years}").format(
                    years="、".join(map(str, years)) or _("无")
                )
            ]
        )
    seen, problems = set(), []
    for day, _work, _note in rows:
        if day in seen:
            problems.append(_("日期{d}重复").format(d=f"{day:%Y-%m-%d}"))
        seen.add(day)
    if problems:
        raise CalendarFileError(problems)
    year = years[0]
    with transaction.atomic():
        existing = CalendarDay.objects.filter(day__year=year)
        before = {f"{d:%Y-%m-%d}": w for d, w in existing.values_list("day", "is_workday")}
        existing.delete()
        CalendarDay.objects.bulk_create([CalendarDay(day=d, is_workday=w, note=n) for d, w, n in rows])
        audit_record(
            action=AuditAction.IMPORT,
            user=user,
            object_repr=_("工作日历：{y}年").format(y=year),
            before=before or None,
            after={f"{d:%Y-%m-%d}": w for d, w, _n in rows},
        )
    return year, len(rows)
