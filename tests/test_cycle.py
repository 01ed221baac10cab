"""The monthly reporting cycle (SPEC §4, issue 12): deadlines on the official calendar with 调休,
unit heads' 数据报送确认, late units, 催报, closing a month, the bulletin's late-units paragraph.

Every expected deadline below is counted by hand from the State Council's notices
(国务院办公厅关于2025年 / 2026年部分节假日安排的通知), not copied from the package:

2025: 元旦 1/1 off; 春节 1/28–2/4 off, 1/26(日)、2/8(六)上班; 清明 4/4–4/6 off; 劳动节 5/1–5/5 off,
4/27(日)上班; 端午 5/31–6/2 off; 国庆中秋 10/1–10/8 off, 9/28(日)、10/11(六)上班.
2026: 元旦 1/1–1/3 off, 1/4(日)上班; 春节 2/15–2/23 off, 2/14(六)、2/28(六)上班; 清明 4/4–4/6 off;
劳动节 5/1–5/5 off, 5/9(六)上班; 端午 6/19–6/21 off; 中秋 9/25–9/27 off; 国庆 10/1–10/7 off,
9/20(日)、10/10(六)上班.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from zhaoshang.cycle import calendar
from zhaoshang.cycle.calendar import UnknownYear
from zhaoshang.cycle.choices import MonthState
from zhaoshang.cycle.models import CalendarDay, MonthlyReport, Reminder
from zhaoshang.cycle.selectors import late_units, month_state
from zhaoshang.metrics.closing import is_closed, month_close
from zhaoshang.metrics.models import ClosedMonth
from zhaoshang.organisation.choices import Role
from zhaoshang.reports.figures import ReportContext
from zhaoshang.reports.generators import generate
from zhaoshang.reports.periods import report_period
from zhaoshang.supervision.models import Notification

D = datetime.date

# (month, deadline): the 5th working day of the next month.
DEADLINES = [
    # 2025-01 → Feb: 2/1(六)–2/4 春节 off; 2/5 三, 2/6, 2/7, 2/8(六,调休上班), 2/10 一 → 2/10
    (D(2025, 1, 1), D(2025, 2, 10)),
    # 2025-02 → Mar: 3/1 六; 3/3, 3/4, 3/5, 3/6, 3/7 → 3/7
    (D(2025, 2, 1), D(2025, 3, 7)),
    # 2025-03 → Apr: 4/1 二, 4/2, 4/3; 4/4–4/6 清明 off; 4/7, 4/8 → 4/8
    (D(2025, 3, 1), D(2025, 4, 8)),
    # 2025-04 → May: 5/1–5/5 off; 5/6 二, 5/7, 5/8, 5/9 五, (5/10–11 周末) 5/12 → 5/12
    (D(2025, 4, 1), D(2025, 5, 12)),
    # 2025-05 → Jun: 6/1 日, 6/2 端午 off; 6/3, 6/4, 6/5, 6/6, 6/9 → 6/9
    (D(2025, 5, 1), D(2025, 6, 9)),
    # 2025-06 → Jul: 7/1 二, 7/2, 7/3, 7/4, 7/7 → 7/7
    (D(2025, 6, 1), D(2025, 7, 7)),
    # 2025-07 → Aug: 8/1 五, 8/4, 8/5, 8/6, 8/7 → 8/7
    (D(2025, 7, 1), D(2025, 8, 7)),
    # 2025-08 → Sep: 9/1 一 … 9/5 五 → 9/5
    (D(2025, 8, 1), D(2025, 9, 5)),
    # 2025-09 → Oct: 10/1–10/8 off; 10/9 四, 10/10, 10/11(六,调休上班), 10/13, 10/14 → 10/14
    (D(2025, 9, 1), D(2025, 10, 14)),
    # 2025-10 → Nov: 11/1 六; 11/3 … 11/7 → 11/7
    (D(2025, 10, 1), D(2025, 11, 7)),
    # 2025-11 → Dec: 12/1 一 … 12/5 五 → 12/5
    (D(2025, 11, 1), D(2025, 12, 5)),
    # 2025-12 → Jan 2026: 1/1–1/3 元旦 off; 1/4(日,调休上班), 1/5, 1/6, 1/7, 1/8 → 1/8
    (D(2025, 12, 1), D(2026, 1, 8)),
    # 2026-01 → Feb: 2/1 日; 2/2 … 2/6 → 2/6 (春节 from 2/15, 2/14 上班 is later)
    (D(2026, 1, 1), D(2026, 2, 6)),
    # 2026-02 → Mar: 3/1 日; 3/2 … 3/6 → 3/6
    (D(2026, 2, 1), D(2026, 3, 6)),
    # 2026-03 → Apr: 4/1 三, 4/2, 4/3; 4/4–4/6 清明 off; 4/7, 4/8 → 4/8
    (D(2026, 3, 1), D(2026, 4, 8)),
    # 2026-04 → May: 5/1–5/5 off; 5/6 三, 5/7, 5/8, 5/9(六,调休上班), 5/11 → 5/11
    (D(2026, 4, 1), D(2026, 5, 11)),
    # 2026-05 → Jun: 6/1 一 … 6/5 五 → 6/5 (端午 6/19 later)
    (D(2026, 5, 1), D(2026, 6, 5)),
    # 2026-06 → Jul: 7/1 三, 7/2, 7/3, 7/6, 7/7 → 7/7
    (D(2026, 6, 1), D(2026, 7, 7)),
    # 2026-07 → Aug: 8/1 六; 8/3 … 8/7 → 8/7
    (D(2026, 7, 1), D(2026, 8, 7)),
    # 2026-08 → Sep: 9/1 二, 9/2, 9/3, 9/4, 9/7 → 9/7 (9/20 上班 is later)
    (D(2026, 8, 1), D(2026, 9, 7)),
    # 2026-09 → Oct: 10/1–10/7 off; 10/8 四, 10/9, 10/10(六,调休上班), 10/12, 10/13 → 10/13
    (D(2026, 9, 1), D(2026, 10, 13)),
    # 2026-10 → Nov: 11/1 日; 11/2 … 11/6 → 11/6
    (D(2026, 10, 1), D(2026, 11, 6)),
    # 2026-11 → Dec: 12/1 二, 12/2, 12/3, 12/4, 12/7 → 12/7
    (D(2026, 11, 1), D(2026, 12, 7)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("month", "expected"), DEADLINES, ids=[f"{m:%Y-%m}" for m, _d in DEADLINES])
def test_deadline_of_every_month_of_2025_and_2026(month, expected):
    assert calendar.deadline(month) == expected
    assert calendar.deadline(month.replace(day=17)) == expected  # any day of the month


@pytest.mark.django_db
def test_workdays_with_tiaoxiu():
    assert calendar.is_workday(D(2026, 10, 10))  # 周六, 国庆调休上班
    assert not calendar.is_workday(D(2026, 10, 7))  # 周三, 国庆
    assert not calendar.is_workday(D(2026, 10, 11))  # an ordinary Sunday
    assert calendar.nth_workday_after(D(2026, 9, 30), 1) == D(2026, 10, 8)


@pytest.mark.django_db
def test_deadline_setting(settings):
    settings.ZHAOSHANG = {**settings.ZHAOSHANG, "DEADLINE_WORKDAY": 3}
    # 2026-09 → 10/8, 10/9, 10/10(六,上班) → 10/10
    assert calendar.deadline(D(2026, 9, 1)) == D(2026, 10, 10)


def _year_2027(tmp_path):
    # The 2027 schedule as a deployment would type it from the State Council's notice; the package
    # (1.11.0) stops at 2026. Only 元旦 matters for January: 1/1(五)–1/3(日) off.
    path = tmp_path / "2027.csv"
    path.write_text(
        "日期,是否上班,说明\n2027-01-01,否,元旦\n2027/1/2,否,元旦\n2027年1月3日,放假,元旦\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.django_db
def test_december_2026_deadline_needs_2027_in_the_calendar(tmp_path):
    with pytest.raises(UnknownYear) as error:
        calendar.deadline(D(2026, 12, 1))
    assert "2027年" in str(error.value) and "calendar add-year" in str(error.value)
    # Pages degrade: the month's state is 未知, with the reason in its title.
    state = month_state(D(2026, 12, 1), today=D(2026, 12, 20))
    assert state.state == MonthState.UNKNOWN and state.deadline is None and "2027年" in state.title

    out = io.StringIO()
    call_command("calendar", "add-year", str(_year_2027(tmp_path)), stdout=out)
    assert "2027年" in out.getvalue() and CalendarDay.objects.count() == 3
    # Jan 2027: 1/1–1/3 off; 1/4 一, 1/5, 1/6, 1/7, 1/8 → 1/8
    assert calendar.deadline(D(2026, 12, 1)) == D(2027, 1, 8)
    assert not calendar.is_workday(D(2027, 1, 1)) and calendar.is_workday(D(2027, 1, 4))
    # Loading the same file again replaces the year: nothing doubles.
    call_command("calendar", "add-year", str(_year_2027(tmp_path)), stdout=io.StringIO())
    assert CalendarDay.objects.count() == 3


@pytest.mark.django_db
def test_calendar_file_problems_are_listed_and_nothing_loaded(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("日期,是否上班,说明\n2027-02-30,否,春节\n2027-02-10,也许,春节\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("calendar", "add-year", str(path), stdout=io.StringIO(), stderr=err)
    assert "第2行 〈日期〉" in err.getvalue() and "第3行 〈是否上班〉" in err.getvalue()
    assert not CalendarDay.objects.exists()


@pytest.mark.django_db
def test_calendar_rows_override_the_package():
    # A deployment marks 10/12/2026 off (a local correction): 2026-09's 5th working day moves
    # from 10/13 to 10/14 (10/8, 10/9, 10/10, 10/13, 10/14).
    CalendarDay.objects.create(day=D(2026, 10, 12), is_workday=False, note="测试")
    assert calendar.deadline(D(2026, 9, 1)) == D(2026, 10, 14)


# --- confirmation, lateness -----------------------------------------------------------------------


def at(day: datetime.date, hour=10, minute=0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def confirmed(unit, user, month, when):
    return MonthlyReport.objects.create(unit=unit, month=month, submitted_at=when, submitted_by=user)


SEP = D(2026, 9, 1)  # deadline 2026-10-13


def test_is_late_against_the_end_of_the_deadline_day(units, make_user):
    head = make_user(Role.UNIT_HEAD, unit=units.chuandian)
    on_time = confirmed(units.chuandian, head, SEP, at(D(2026, 10, 13), 23, 59))
    late = confirmed(units.mashan, head, SEP, at(D(2026, 10, 14), 0, 0))
    assert on_time.is_late is False and late.is_late is True


@pytest.fixture
def frozen(monkeypatch):
    """``frozen(day)``: today is ``day`` (10:00 local) for the services and the pages."""

    def freeze(day):
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day if not a else a[0].date())
        monkeypatch.setattr(timezone, "now", lambda: at(day))

    return freeze


def test_unit_head_confirms_own_unit_only(units, make_user, client_as, frozen):
    frozen(D(2026, 10, 9))
    head = make_user(Role.UNIT_HEAD, unit=units.chuandian)
    client = client_as(head)
    # Another unit's month: 404, as any record the user may not see.
    assert client.post(f"/cycle/2026-09/units/{units.mashan.pk}/confirm/").status_code == 404
    response = client.post(f"/cycle/2026-09/units/{units.chuandian.pk}/confirm/", {"note": "零报告"})
    assert response.status_code == 302
    report = MonthlyReport.objects.get()
    assert (report.unit, report.month, report.submitted_by, report.note) == (
        units.chuandian,
        SEP,
        head,
        "零报告",
    )
    assert report.is_late is False
    # A second confirmation is refused with a message; the first stays.
    page = client.post(f"/cycle/2026-09/units/{units.chuandian.pk}/confirm/", follow=True).content.decode()
    assert "数据已确认报送" in page and MonthlyReport.objects.count() == 1
    # The month in progress cannot be confirmed yet.
    page = client.post(f"/cycle/2026-10/units/{units.chuandian.pk}/confirm/", follow=True).content.decode()
    assert "尚未结束" in page and MonthlyReport.objects.count() == 1


def test_reporter_and_bureau_cannot_confirm(units, region_tree, make_user, client_as, frozen):
    frozen(D(2026, 10, 9))
    reporter = make_user(Role.REPORTER, unit=units.chuandian)
    assert client_as(reporter).post(f"/cycle/2026-09/units/{units.chuandian.pk}/confirm/").status_code == 403
    bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)
    assert client_as(bureau).post(f"/cycle/2026-09/units/{units.chuandian.pk}/confirm/").status_code == 403
    assert not MonthlyReport.objects.exists()


def test_confirmation_after_the_deadline_is_recorded_late(units, make_user, client_as, frozen):
    frozen(D(2026, 10, 14))
    head = make_user(Role.UNIT_HEAD, unit=units.mashan)
    client_as(head).post(f"/cycle/2026-09/units/{units.mashan.pk}/confirm/")
    assert MonthlyReport.objects.get().is_late is True


def test_unit_home_shows_what_is_owed(units, make_user, client_as, frozen):
    frozen(D(2026, 10, 9))
    head = make_user(Role.UNIT_HEAD, unit=units.chuandian)
    page = client_as(head).get("/").content.decode()
    assert "2026年9月数据报送确认" in page and "截止10月13日" in page
    assert f"/cycle/2026-09/units/{units.chuandian.pk}/confirm/" in page
    reporter = make_user(Role.REPORTER, unit=units.chuandian)
    page = client_as(reporter).get("/").content.decode()
    assert "2026年9月数据报送确认" in page and "/confirm/" not in page  # the head confirms


# --- the bureau's pages ---------------------------------------------------------------------------


@pytest.fixture
def september(units, make_user):
    """2026-09 (deadline 10/13): 川店镇 on time (10/9), 马山镇 late (10/14 9:30), 岑河镇 and the task
    force not at all."""
    head = make_user(Role.UNIT_HEAD, unit=units.chuandian)
    confirmed(units.chuandian, head, SEP, at(D(2026, 10, 9)))
    confirmed(units.mashan, make_user(Role.UNIT_HEAD, unit=units.mashan), SEP, at(D(2026, 10, 14), 9, 30))
    return units


def test_cycle_pages_list_the_late_units(september, region_tree, make_user, client_as, frozen):
    frozen(D(2026, 10, 20))
    units = september
    # 荆州区's bureau: 川店镇, 马山镇, the task force (岑河镇 is in 沙市区).
    client = client_as(make_user(Role.BUREAU, region=region_tree.jingzhou))
    page = client.get("/cycle/").content.decode()
    row = page.split('data-month="2026-09"')[1].split("</tr>")[0]
    assert "已逾期待关账" in row and "2026年10月13日" in row and "2/3" in row
    assert '<span class="text-danger">2</span>' in row  # 马山镇 (late) and the task force
    october = page.split('data-month="2026-10"')[1].split("</tr>")[0]
    assert "未到期" in october and "0/3" in october

    page = client.get("/cycle/2026-09/").content.decode()
    names = [u.name for u in (units.chuandian, units.mashan, units.task_force)]
    assert [page.index(n) for n in names] == sorted(page.index(n) for n in names)  # official order
    assert "岑河镇" not in page
    line = page.split(f'data-unit="{units.chuandian.pk}"')[1].split("</tr>")[0]
    assert "按时报送" in line and "催报" not in line
    assert "逾期报送" in page.split(f'data-unit="{units.mashan.pk}"')[1].split("</tr>")[0]
    line = page.split(f'data-unit="{units.task_force.pk}"')[1].split("</tr>")[0]
    assert "逾期未报" in line and "催报" in line

    # The city's view adds 岑河镇; the selector names the same units, in order, with their dates.
    late = late_units(
        SEP, [units.chuandian, units.mashan, units.cenhe, units.task_force], today=D(2026, 10, 20)
    )
    assert [(u.name, a) for u, a in late] == [
        ("马山镇", at(D(2026, 10, 14), 9, 30)),
        ("岑河镇", None),
        ("汽车零部件产业招商专班", None),
    ]
    # Nobody is late on the deadline day itself.
    assert late_units(SEP, [units.task_force], today=D(2026, 10, 13)) == []


def test_unit_sees_only_its_own_unit(september, make_user, client_as, frozen):
    frozen(D(2026, 10, 20))
    page = client_as(make_user(Role.REPORTER, unit=september.mashan)).get("/cycle/2026-09/").content.decode()
    assert (
        "马山镇" in page and "川店镇" not in page and "关账" not in page.split("<table")[0].split("</h1>")[1]
    )


def test_remind_button_notifies_the_units_staff(september, region_tree, make_user, client_as, frozen):
    frozen(D(2026, 10, 20))
    units = september
    staff = [
        make_user(Role.REPORTER, unit=units.task_force),
        make_user(Role.UNIT_HEAD, unit=units.task_force),
    ]
    other = make_user(Role.REPORTER, unit=units.chuandian)
    bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)
    client_as(bureau).post("/cycle/2026-09/remind/", {"unit": units.task_force.pk})
    notes = Notification.objects.filter(text__startswith="催报")
    assert sorted(n.user_id for n in notes) == sorted(u.pk for u in staff)
    assert "2026年9月（已于10月13日截止）" in notes[0].text
    assert not Notification.objects.filter(user=other).exists()
    # A leader reads the page but does not remind.
    leader = make_user(Role.LEADER, region=region_tree.jingzhou)
    assert client_as(leader).get("/cycle/2026-09/").status_code == 200
    assert client_as(leader).post("/cycle/2026-09/remind/").status_code == 403
    # A closed month is not reminded.
    month_close(user=None, month=SEP, today=D(2026, 10, 20))
    page = client_as(bureau).post("/cycle/2026-09/remind/", follow=True).content.decode()
    assert "已关账，无需催报" in page and notes.count() == 2


def test_remind_command_once_a_day_from_the_deadline(september, make_user, frozen):
    units = september
    # Months up to August are closed: only September is owed.
    month_close(user=None, month=D(2026, 8, 1), today=D(2026, 10, 1))
    force = make_user(Role.REPORTER, unit=units.task_force)
    cenhe = make_user(Role.UNIT_HEAD, unit=units.cenhe)
    mashan = make_user(Role.REPORTER, unit=units.mashan)  # confirmed (late): nothing more to send
    chuandian = make_user(Role.REPORTER, unit=units.chuandian)  # confirmed on time

    def run(day):
        out = io.StringIO()
        call_command("remind", "--date", day.isoformat(), stdout=out)
        return out.getvalue()

    Notification.objects.all().delete()
    MonthlyReport.objects.filter(unit=units.mashan).update(submitted_at=at(D(2026, 10, 12)))
    assert "没有需要催报" in run(D(2026, 10, 12))  # before the deadline day
    assert "已向2个单位发送催报" in run(D(2026, 10, 13))  # the deadline day: 岑河镇, the task force
    assert "没有需要催报" in run(D(2026, 10, 13))  # once a day
    assert "已向2个单位发送催报" in run(D(2026, 10, 14))
    counts = {u.pk: Notification.objects.filter(user=u).count() for u in (force, cenhe, mashan, chuandian)}
    assert counts == {force.pk: 2, cenhe.pk: 2, mashan.pk: 0, chuandian.pk: 0}
    assert Reminder.objects.filter(month=SEP).count() == 4
    # Once closed, the month is not reminded any more.
    month_close(user=None, month=SEP, today=D(2026, 10, 15))
    assert "没有需要催报" in run(D(2026, 10, 15))


def test_close_and_reopen_buttons(units, region_tree, make_user, client_as, frozen):
    frozen(D(2026, 10, 20))
    bureau = client_as(make_user(Role.BUREAU, region=region_tree.jingzhou))
    page = bureau.post("/cycle/2026-09/close/", follow=True).content.decode()
    assert ClosedMonth.objects.filter(month=SEP).exists() and is_closed(SEP)
    assert "已关账" in page
    page = bureau.post("/cycle/2026-09/reopen/", {"reason": ""}, follow=True).content.decode()
    assert "请填写重新开账的原因。" in page and is_closed(SEP)
    bureau.post("/cycle/2026-09/reopen/", {"reason": "马山镇更正到位资金"})
    assert not is_closed(SEP)
    # The month in progress cannot be closed: the refusal is shown, nothing closes.
    page = bureau.post("/cycle/2026-10/close/", follow=True).content.decode()
    assert "尚未结束" in page and not ClosedMonth.objects.filter(month=D(2026, 10, 1)).exists()
    leader = client_as(make_user(Role.LEADER, region=region_tree.jingzhou))
    assert leader.post("/cycle/2026-09/close/").status_code == 403


def test_month_state_badges(units, region_tree, make_user, client_as, frozen):
    frozen(D(2026, 10, 20))
    assert month_state(SEP, today=D(2026, 10, 13)).state == MonthState.OPEN
    assert month_state(SEP, today=D(2026, 10, 14)).state == MonthState.DUE
    month_close(user=None, month=SEP, today=D(2026, 10, 20))
    assert month_state(SEP, today=D(2026, 10, 14)).state == MonthState.CLOSED
    bureau = client_as(make_user(Role.BUREAU, region=region_tree.jingzhou))
    page = bureau.get("/?from=2026-01&to=2026-09").content.decode()
    assert 'data-state="closed"' in page and "2026年9月 · 已关账" in page
    page = bureau.get("/reports/").content.decode()
    assert "2026年10月 · 未到期" in page  # the form's default end month
    assert "2026年9月 · 已关账" in bureau.get("/assessments/").content.decode()


# --- the bulletin ---------------------------------------------------------------------------------


def bulletin(region_tree, today):
    period = report_period("bulletin", today=today, end="2026-09")
    ctx = ReportContext(region=region_tree.jingzhou, period=period, basis="recognised", today=today)
    return generate("bulletin", ctx).markdown


def test_bulletin_names_the_late_units(september, region_tree):
    text = bulletin(region_tree, D(2026, 10, 20))
    assert "9月数据未按时报送的单位2个：马山镇（10月14日报送）、汽车零部件产业招商专班（未报送）。" in text
    # Before the deadline has passed nobody is named.
    assert "未按时报送" not in bulletin(region_tree, D(2026, 10, 13))


def test_bulletin_says_nothing_when_all_were_on_time(units, region_tree, make_user):
    head = make_user(Role.UNIT_HEAD, unit=units.chuandian)
    for unit in (units.chuandian, units.mashan, units.task_force):
        confirmed(unit, head, SEP, at(D(2026, 10, 12)))
    assert "未按时报送" not in bulletin(region_tree, D(2026, 10, 20))
