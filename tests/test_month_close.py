"""Month close (SPEC §4): a closed month's figures and bulletin reproduce exactly as sent; a later
correction counts in the month it is made (recognised) in; reopening is audited.

The case, by hand. 川店镇 signs 项目甲 (1亿元 = 10000万元) on 2026-10-12 and 项目乙 (0.5亿元) on
2026-10-20, both recognised; 马山镇 signs nothing. October closes. Then, in the current month:
项目甲 is corrected to 1.5亿元 (15000万元) and recognised again, and 项目丙 (2亿元, signed
2026-10-25, 马山镇) is recognised for the first time.

- October as closed: 2 projects signed, 10000 + 5000 = 15000万元; 亿元以上 1 (项目甲), 10000万元.
- The current month: +5000 (the correction) + 20000 (项目丙) = 25000万元; 1 more project (丙), 1 more
  亿元以上 (丙; 甲 was already counted as 亿元以上 in October).
- The whole of 2026: 15000 + 25000 = 40000 = 15000 + 5000 + 20000, what the records say now.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from factories import ProjectFactory
from zhaoshang.audit.models import AuditEntry
from zhaoshang.metrics import closing, periods, rollup
from zhaoshang.metrics.engine import measure, measure_by_unit
from zhaoshang.metrics.models import ClosedMonth
from zhaoshang.projects.models import Project
from zhaoshang.reports.models import SentReport
from zhaoshang.reports.services import report_build

pytestmark = pytest.mark.django_db
D = datetime.date
OCTOBER = periods.month(2026, 10)


def this_month() -> periods.Period:
    today = timezone.localdate()
    return periods.month(today.year, today.month)


def whole_of(year: int) -> periods.Period:
    return periods.from_to(f"{year}-01", f"{year}-12", None)


def signed(unit, name, amount, on, status="recognised"):
    return ProjectFactory(
        name=name,
        introducing_unit=unit,
        total_investment_wan=Decimal(amount),
        stage="signed",
        signed_on=on,
        review_status=status,
        recognised_at=timezone.now() if status == "recognised" else None,
    )


@pytest.fixture
def october(units):
    return {
        "jia": signed(units.chuandian, "项目甲", 10000, D(2026, 10, 12)),
        "yi": signed(units.chuandian, "项目乙", 5000, D(2026, 10, 20)),
        "bing": signed(units.mashan, "项目丙", 20000, D(2026, 10, 25), status="submitted"),
    }


def bulletin_text(region, basis="recognised"):
    report, _period = report_build(kind="bulletin", region=region, basis=basis, end="2026-10")
    return report.markdown


def correct(october):
    """The corrections, as a bureau makes them after the close (any write path fires the triggers)."""
    Project.objects.filter(pk=october["jia"].pk).update(
        total_investment_wan=Decimal(15000), recognised_at=timezone.now()
    )
    Project.objects.filter(pk=october["bing"].pk).update(
        review_status="recognised", recognised_at=timezone.now()
    )


def test_closed_month_reproduces_and_the_correction_counts_now(october, units, region_tree):
    if timezone.localdate() < D(2026, 11, 1):
        pytest.skip("October 2026 is not over yet")
    city = region_tree.city
    before = bulletin_text(city)
    assert "1亿元" in before  # 签约亿元以上项目1个，签约额1亿元 (项目甲)
    closed = closing.month_close(user=None, month=D(2026, 10, 1))
    assert closed == [D(2026, 10, 1)]  # the earliest record month: nothing before it to close
    assert SentReport.objects.filter(period_end=D(2026, 10, 31)).count() == 2  # both bases, kept

    correct(october)

    assert bulletin_text(city) == before  # byte for byte
    assert measure("signed_amount_wan", period=OCTOBER, region=city) == Decimal(15000)
    assert measure("signed_projects", period=OCTOBER, region=city) == 2
    assert measure("signed_amount_100m_wan", period=OCTOBER, region=city) == Decimal(10000)
    now = this_month()
    assert measure("signed_amount_wan", period=now, region=city) == Decimal(25000)
    assert measure("signed_projects", period=now, region=city) == 1
    assert measure("signed_projects_100m", period=now, region=city) == 1
    # Per unit too: 川店镇's correction (+5000) and 马山镇's late recognition (+20000).
    by_unit = measure_by_unit("signed_amount_wan", period=now)
    assert by_unit[units.chuandian.pk] == Decimal(5000)
    assert by_unit[units.mashan.pk] == Decimal(20000)
    assert measure_by_unit("signed_amount_wan", period=OCTOBER)[units.chuandian.pk] == Decimal(15000)
    # The year still adds up to the records.
    year = whole_of(now.start.year)
    if now.start.year == 2026:
        assert measure("signed_amount_wan", period=year, region=city) == Decimal(40000)
    assert rollup.verify() == []

    # The reported basis was frozen too: 丙 was reported (submitted) before the close, so it is in
    # October's reported figure (10000 + 5000 + 20000) and only 甲's correction moves it now.
    assert measure("signed_amount_wan", period=OCTOBER, basis="reported", region=city) == Decimal(35000)
    assert measure("signed_amount_wan", period=now, basis="reported", region=city) == Decimal(5000)


def test_reopening_puts_the_corrections_back_and_is_audited(october, region_tree):
    if timezone.localdate() < D(2026, 11, 1):
        pytest.skip("October 2026 is not over yet")
    city = region_tree.city
    closing.month_close(user=None, month=D(2026, 10, 1))
    correct(october)
    assert measure("signed_amount_wan", period=this_month(), region=city) == Decimal(25000)

    with pytest.raises(ValidationError, match="原因"):
        closing.month_reopen(user=None, month=D(2026, 10, 1), reason="  ")
    closing.month_reopen(user=None, month=D(2026, 10, 1), reason="项目甲投资额更正，重新通报")

    assert not closing.is_closed(D(2026, 10, 1))
    # October counts the records as they are now: 15000 + 5000 + 20000.
    assert measure("signed_amount_wan", period=OCTOBER, region=city) == Decimal(40000)
    assert measure("signed_amount_wan", period=this_month(), region=city) == 0
    entry = AuditEntry.objects.filter(action="reopen").get()
    assert entry.after["reason"] == "项目甲投资额更正，重新通报"
    assert AuditEntry.objects.filter(action="close").count() == 1
    # The kept bulletins are superseded, and the bulletin now says 1.5亿元 + 2亿元 = 3.5亿元 亿元以上.
    assert not SentReport.objects.filter(superseded_at__isnull=True).exists()
    assert "3.5亿元" in bulletin_text(city)
    assert rollup.verify() == []


def test_close_in_order_reopen_in_reverse(october):
    if timezone.localdate() < D(2026, 12, 1):
        pytest.skip("November 2026 is not over yet")
    with pytest.raises(ValidationError, match="尚未结束"):
        closing.month_close(user=None, month=timezone.localdate())
    # Closing November closes October with it (months close in order).
    assert closing.month_close(user=None, month=D(2026, 11, 1)) == [D(2026, 10, 1), D(2026, 11, 1)]
    assert closing.closed_through() == D(2026, 11, 1)
    with pytest.raises(ValidationError, match="已关账"):
        closing.month_close(user=None, month=D(2026, 10, 1))
    with pytest.raises(ValidationError, match="最近关账"):
        closing.month_reopen(user=None, month=D(2026, 10, 1), reason="更正")
    closing.month_reopen(user=None, month=D(2026, 11, 1), reason="更正")
    assert list(ClosedMonth.objects.values_list("month", flat=True)) == [D(2026, 10, 1)]


def test_a_correction_made_before_a_later_close_lands_in_the_month_made(october, region_tree):
    """Marks carry their time: settled later, a change still counts in the month it was made."""
    if timezone.localdate() < D(2026, 12, 1):
        pytest.skip("November 2026 is not over yet")
    city = region_tree.city
    closing.month_close(user=None, month=D(2026, 10, 1))
    correct(october)
    # Pretend the correction was made on 15 November (its marks say when).
    from zhaoshang.metrics.models import RollupMark

    november_15 = timezone.make_aware(datetime.datetime(2026, 11, 15, 10, 0))
    RollupMark.objects.update(created_at=november_15)
    closing.month_close(user=None, month=D(2026, 11, 1))
    november = periods.month(2026, 11)
    assert measure("signed_amount_wan", period=november, region=city) == Decimal(25000)
    assert measure("signed_amount_wan", period=OCTOBER, region=city) == Decimal(15000)
    assert measure("signed_amount_wan", period=this_month(), region=city) == 0


def test_rebuild_keeps_closed_months(october, region_tree):
    if timezone.localdate() < D(2026, 11, 1):
        pytest.skip("October 2026 is not over yet")
    city = region_tree.city
    closing.month_close(user=None, month=D(2026, 10, 1))
    correct(october)
    rollup.rebuild()
    assert measure("signed_amount_wan", period=OCTOBER, region=city) == Decimal(15000)
    assert measure("signed_amount_wan", period=this_month(), region=city) == Decimal(25000)
    assert rollup.verify() == []


def test_month_command(october, capsys):
    if timezone.localdate() < D(2026, 11, 1):
        pytest.skip("October 2026 is not over yet")
    call_command("month", "close", "2026-10")
    assert "2026-10" in capsys.readouterr().out
    assert closing.is_closed(D(2026, 10, 15))
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="原因"):
        call_command("month", "reopen", "2026-10")
    call_command("month", "reopen", "2026-10", "--reason", "数据更正")
    assert not closing.is_closed(D(2026, 10, 1))
