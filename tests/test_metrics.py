"""The counting rules (SPEC §3), each checked against figures computed by hand."""

import datetime
from decimal import Decimal

import pytest

from factories import (
    ActivityFactory,
    FundsRecordFactory,
    LeadFactory,
    PreReviewMeetingFactory,
    ProjectFactory,
)
from zhaoshang.metrics import periods
from zhaoshang.metrics.engine import figure, measure, measure_by_unit, yoy_growth
from zhaoshang.metrics.formatting import amount_text, gap_text, pct, yoy_text
from zhaoshang.projects.models import PreReviewVerdict

pytestmark = pytest.mark.django_db
D = datetime.date
JAN_JUL_2022 = periods.year_to_date(2022, 7)


def signed(unit, amount, on, **kw):
    kw.setdefault("review_status", "recognised")
    return ProjectFactory(
        introducing_unit=unit,
        total_investment_wan=Decimal(amount),
        stage=kw.pop("stage", "signed"),
        signed_on=on,
        **kw,
    )


# --- wording and arithmetic of the seeds -----------------------------------------------------------


def test_seed_000_yoy_arithmetic():
    assert yoy_text(yoy_growth(Decimal(66), Decimal(47))) == "同比增长40.4%"  # 19/47 = 40.43%
    assert yoy_text(yoy_growth(Decimal(3457000), Decimal(1796000))) == "同比增长92.5%"  # 92.48%
    assert pct(Decimal(67) / Decimal(196)) == "34.2"
    assert pct(Decimal(35) / Decimal(66)) == "53"  # "占比53%": a trailing .0 dropped
    assert yoy_text(yoy_growth(Decimal(30), Decimal(31))) == "同比下降3.2%"
    assert yoy_text(yoy_growth(Decimal(5), Decimal(0))) == "上年同期为0"


def test_seed_001_campaign_completions():
    # 171/358, 57/720, 93/192 (the seed prints 48.3% — it is 48.4%), 12/55, 3/26.
    assert [
        pct(Decimal(a) / Decimal(b)) for a, b in [(171, 358), (57, 720), (93, 192), (12, 55), (3, 26)]
    ] == ["47.8", "7.9", "48.4", "21.8", "11.5"]


def test_amounts_in_yi_and_half_up():
    assert amount_text(Decimal(3457000), "万元") == "345.7亿元"
    assert amount_text(Decimal(1269300), "万元") == "126.93亿元"
    assert amount_text(Decimal(1250), "万元") == "0.13亿元"


def test_time_progress_and_gap():
    assert pct(JAN_JUL_2022.time_progress()) == "58.3"
    assert pct(periods.year_to_date(2022, 6).time_progress()) == "50"
    # completion 61.4% against 58.3% → 超序时进度3.1个百分点
    assert gap_text(Decimal("61.4") - Decimal("58.3")) == "超序时进度3.1个百分点"
    by_days = periods.Period(D(2022, 1, 1), D(2022, 7, 31), "x").time_progress(by_days=True)
    assert by_days == Decimal(212) / Decimal(365)


def test_period_labels_and_previous_year():
    assert JAN_JUL_2022.label == "2022年1至7月"
    previous = JAN_JUL_2022.previous_year()
    assert (previous.start, previous.end, previous.label) == (D(2021, 1, 1), D(2021, 7, 31), "2021年1至7月")
    assert periods.parse("2022-Q3").label == "2022年第三季度"
    assert periods.parse("2022-H1").end == D(2022, 6, 30)
    feb = periods.month(2024, 2).previous_year()
    assert feb.end == D(2023, 2, 28)


# --- projects ---------------------------------------------------------------------------------------


def test_signed_counts_and_bands(units):
    u = units.chuandian
    signed(u, 250000, D(2022, 2, 1))  # 20亿+
    signed(u, 200000, D(2022, 3, 1))  # 20亿+ (20亿以上 includes 20亿)
    signed(u, 199999, D(2022, 3, 2))  # 10–20
    signed(u, 50000, D(2022, 4, 1))  # 5–10
    signed(u, 10000, D(2022, 5, 1))  # 1–5 (亿元以上 includes 1亿)
    signed(u, 9999, D(2022, 5, 2))  # under 1亿
    signed(u, 80000, D(2022, 6, 1), stage="terminated", end_reason="投资方资金链断裂")  # still counted
    signed(u, 90000, D(2022, 6, 2), stage="withdrawn", end_reason="重复申报")  # never counted
    signed(u, 70000, D(2022, 8, 1))  # outside the period
    signed(u, 30000, D(2022, 7, 3), review_status="submitted")  # reported, not recognised
    ProjectFactory(introducing_unit=u, total_investment_wan=Decimal(40000), stage="negotiating")
    m = lambda code, **kw: measure(code, period=JAN_JUL_2022, **kw)  # noqa: E731
    assert m("signed_projects") == 7
    assert m("signed_projects_100m") == 6
    assert m("signed_amount_100m_wan") == 250000 + 200000 + 199999 + 50000 + 10000 + 80000
    assert m("signed_amount_wan") == 250000 + 200000 + 199999 + 50000 + 10000 + 9999 + 80000
    assert m("signed_projects_20b") == 2
    assert m("signed_projects_10_20b") == 1
    assert m("signed_projects_5_10b") == 2  # 50000 and the terminated 80000
    assert m("signed_projects_1_5b") == 1
    assert m("signed_projects_1b") == 3
    assert m("signed_projects", basis="reported") == 8


def test_expansion_counts_added_investment(units):
    signed(units.chuandian, 300000, D(2022, 3, 1), kind="expansion", added_investment_wan=Decimal(8000))
    assert measure("signed_amount_wan", period=JAN_JUL_2022) == 8000
    assert measure("signed_projects_100m", period=JAN_JUL_2022) == 0  # 8000万 added is not a 亿元 signing


def test_drafts_and_deleted_never_count(units):
    signed(units.chuandian, 20000, D(2022, 3, 1), review_status="draft")
    signed(units.chuandian, 20000, D(2022, 3, 1), review_status="returned")
    signed(units.chuandian, 20000, D(2022, 3, 1), is_deleted=True)
    assert measure("signed_projects", period=JAN_JUL_2022, basis="reported") == 0


def test_credit_goes_to_introducing_unit_and_region(units, region_tree):
    p = signed(units.chuandian, 20000, D(2022, 3, 1))
    p.helper_units.add(units.mashan)
    assert measure("signed_projects", period=JAN_JUL_2022, unit=units.chuandian) == 1
    assert measure("signed_projects", period=JAN_JUL_2022, unit=units.mashan) == 0
    assert measure("signed_projects", period=JAN_JUL_2022, region=region_tree.jingzhou) == 1
    assert measure("signed_projects", period=JAN_JUL_2022, region=region_tree.city) == 1
    assert measure("signed_projects", period=JAN_JUL_2022, region=region_tree.shashi) == 0


def test_commenced_and_production(units):
    ProjectFactory(
        introducing_unit=units.chuandian,
        stage="commenced",
        signed_on=D(2021, 11, 1),
        commenced_on=D(2022, 2, 1),
        total_investment_wan=Decimal(120000),
        review_status="recognised",
    )
    ProjectFactory(
        introducing_unit=units.chuandian,
        stage="in_production",
        signed_on=D(2022, 1, 1),
        commenced_on=D(2022, 3, 1),
        in_production_on=D(2022, 6, 1),
        total_investment_wan=Decimal(6930),
        review_status="recognised",
    )
    h1 = periods.year_to_date(2022, 6)
    assert measure("commenced_projects", period=h1) == 2
    assert measure("commenced_amount_wan", period=h1) == Decimal(126930)
    assert measure("commenced_projects_1b", period=h1) == 1
    assert measure("in_production_projects", period=h1) == 1


def test_yoy_figure_and_completion(units):
    for on in [D(2022, 1, 5), D(2022, 2, 5), D(2022, 7, 31)]:
        signed(units.chuandian, 10000, on)
    signed(units.chuandian, 10000, D(2021, 7, 31))
    signed(units.chuandian, 10000, D(2021, 8, 1))
    f = figure("signed_projects_100m", period=JAN_JUL_2022, unit=units.chuandian, target=Decimal(4))
    assert (f.value, f.previous) == (3, 1)
    assert yoy_text(f.growth) == "同比增长200%"
    assert pct(f.completion) == "75"
    assert gap_text(f.gap_points) == "超序时进度16.7个百分点"  # 75.0 − 58.3


# --- funds --------------------------------------------------------------------------------------------


def test_funds_both_bases(units):
    p = signed(units.chuandian, 50000, D(2022, 1, 1))
    FundsRecordFactory(
        project=p,
        month=D(2022, 2, 1),
        amount_wan=Decimal(1000),
        outside_province_wan=Decimal(600),
        review_status="recognised",
        recognised_amount_wan=Decimal(700),
    )
    FundsRecordFactory(project=p, month=D(2022, 3, 1), amount_wan=Decimal(500), review_status="recognised")
    FundsRecordFactory(project=p, month=D(2022, 4, 1), amount_wan=Decimal(300), review_status="submitted")
    FundsRecordFactory(project=p, month=D(2022, 5, 1), amount_wan=Decimal(900), review_status="draft")
    assert measure("funds_wan", period=JAN_JUL_2022) == 1200  # 700 recognised of 1000, + 500
    assert measure("funds_wan", period=JAN_JUL_2022, basis="reported") == 1800  # 1000 + 500 + 300
    assert measure("funds_outside_province_wan", period=JAN_JUL_2022) == 600


# --- leads and activities ---------------------------------------------------------------------------


def test_leads_and_valuable(units):
    for i in range(5):
        LeadFactory(
            unit=units.chuandian, reported_on=D(2022, 3, 1), is_valuable=i < 2, review_status="recognised"
        )
    LeadFactory(unit=units.chuandian, reported_on=D(2022, 3, 1), review_status="draft")
    assert measure("leads", period=JAN_JUL_2022) == 5
    assert measure("valuable_leads", period=JAN_JUL_2022) == 2
    assert measure_by_unit("leads", period=JAN_JUL_2022) == {units.chuandian.pk: 5}


def test_days_away_inclusive_and_split_at_bounds(units):
    a = {"unit": units.task_force, "kind": "trip", "review_status": "recognised"}
    ActivityFactory(started_on=D(2022, 3, 1), ended_on=D(2022, 3, 5), **a)  # 5 days
    ActivityFactory(started_on=D(2022, 3, 10), ended_on=None, **a)  # 1 day
    ActivityFactory(started_on=D(2022, 3, 30), ended_on=D(2022, 4, 2), **a)  # 2 in March, 2 in April
    ActivityFactory(started_on=D(2022, 2, 27), ended_on=D(2022, 3, 1), **a)  # 1 in March
    march = periods.month(2022, 3)
    assert measure("days_away", period=march) == 5 + 1 + 2 + 1
    assert measure("days_away", period=periods.month(2022, 4)) == 2
    assert measure("trips", period=march) == 3  # trips are counted in the month they start
    assert measure_by_unit("days_away", period=march) == {units.task_force.pk: 9}


def test_joint_activity_counts_once_per_unit_and_once_for_region(units, region_tree):
    visit = ActivityFactory(
        unit=units.chuandian,
        kind="visit",
        enterprise_count=3,
        started_on=D(2022, 5, 1),
        review_status="recognised",
    )
    visit.partner_units.add(units.mashan)
    by_unit = measure_by_unit("visits", period=JAN_JUL_2022)
    assert by_unit == {units.chuandian.pk: 3, units.mashan.pk: 3}
    assert measure("visits", period=JAN_JUL_2022, region=region_tree.jingzhou) == 3
    assert measure("visits", period=JAN_JUL_2022, units=[units.chuandian, units.mashan]) == 3
    assert measure("visits", period=JAN_JUL_2022, unit=units.mashan) == 3


def test_inspections_count_batches(units):
    ActivityFactory(
        unit=units.chuandian,
        kind="inspection",
        batches=2,
        started_on=D(2022, 5, 1),
        review_status="recognised",
    )
    ActivityFactory(
        unit=units.chuandian,
        kind="inspection",
        batches=1,
        started_on=D(2022, 6, 1),
        review_status="recognised",
    )
    assert measure("inspections", period=JAN_JUL_2022) == 3


def test_prereview_judged_and_passed(units, region_tree):
    meeting = PreReviewMeetingFactory(region=region_tree.jingzhou, held_on=D(2022, 3, 15))
    again = PreReviewMeetingFactory(region=region_tree.jingzhou, held_on=D(2022, 4, 15))
    p1, p2 = (
        ProjectFactory(introducing_unit=units.chuandian),
        ProjectFactory(introducing_unit=units.chuandian),
    )
    PreReviewVerdict.objects.create(meeting=meeting, project=p1, verdict="deferred")
    PreReviewVerdict.objects.create(meeting=again, project=p1, verdict="passed")
    PreReviewVerdict.objects.create(meeting=again, project=p2, verdict="failed")
    assert measure("prereview_meetings", period=JAN_JUL_2022) == 2
    assert measure("prereview_judged", period=JAN_JUL_2022) == 2
    assert measure("prereview_passed", period=JAN_JUL_2022) == 1


def test_definitions_page_lists_every_indicator(units, make_user, client_as):
    from zhaoshang.metrics.indicators import REGISTRY

    page = client_as(make_user("reporter", unit=units.chuandian)).get("/metrics/").content.decode()
    for indicator in REGISTRY.values():
        assert str(indicator.name) in page
        assert indicator.code in page


def test_indicator_table_page_fixed_queries_and_figures(
    units, region_tree, make_user, client_as, django_assert_max_num_queries
):
    from factories import TargetFactory
    from zhaoshang.metrics.selectors import DEFAULT_TABLE_CODES, indicator_table
    from zhaoshang.organisation.models import Unit

    signed(units.chuandian, 150000, D(2022, 3, 1))
    signed(units.chuandian, 20000, D(2022, 4, 1))
    signed(units.chuandian, 30000, D(2021, 4, 1))
    TargetFactory(unit=units.chuandian, year=2022, indicator="signed_projects_100m", value=Decimal(4))
    _indicators, rows = indicator_table(
        units=Unit.objects.order_by("order"),
        codes=DEFAULT_TABLE_CODES,
        period=JAN_JUL_2022,
        basis="recognised",
    )
    cell = rows[0].cells[0]
    assert rows[0].unit == units.chuandian
    assert (cell.value, cell.previous, cell.target) == (2, 1, 4)
    assert pct(cell.completion) == "50"
    amount = rows[0].cells[1]
    assert amount.value == 170000
    # A fixed number of queries, whatever the number of units: per indicator and year, one read (two
    # where partners share) and the monthly summary's pending-marks check; + targets.
    for i in range(20):
        Unit.objects.create(name=f"加测单位{i}", kind="town", region=region_tree.jingzhou, order=100 + i)
    with django_assert_max_num_queries(4 * len(DEFAULT_TABLE_CODES) + 2):
        indicator_table(
            units=list(Unit.objects.all()), codes=DEFAULT_TABLE_CODES, period=JAN_JUL_2022, basis="recognised"
        )
    bureau = make_user("bureau", region=region_tree.jingzhou)
    page = client_as(bureau).get("/metrics/table/?from=2022-01&to=2022-07").content.decode()
    assert "2022年1至7月" in page and "川店镇" in page and "岑河镇" not in page
    assert "17" in page  # 170000万元 = 17亿元
