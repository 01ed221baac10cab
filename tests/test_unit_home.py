"""A unit's home page (/ for 填报员 and 单位负责人): its yearly targets against 序时进度, its rank in its
assessment group, what it owes this week and this month, its records needing attention — its own
unit's only, and at a fixed number of queries.

The day is Wednesday 24 August 2022: 序时进度 is 7/12 = 58.3% (seven whole months), the week ends on
Sunday 28 August.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from factories import LeadFactory, ProjectFactory, TargetFactory
from zhaoshang.core.choices import ReviewStatus
from zhaoshang.dashboard.selectors_unit import unit_home_data
from zhaoshang.organisation.choices import Role
from zhaoshang.organisation.models import Unit
from zhaoshang.projects.models import ProjectProgress
from zhaoshang.supervision.models import SupervisionTicket
from zhaoshang.supervision.rules import run_rules

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2022, 8, 24)


def settled():
    """The metrics engine may keep a monthly summary whose pending marks are applied on the next
    read; apply them first so that only the page's own reads are counted."""
    try:
        from zhaoshang.metrics import rollup
    except ImportError:  # no summary: every figure is counted from the records
        return
    rollup.settle()


def signed(unit, amount, on, status=ReviewStatus.RECOGNISED, **kw):
    return ProjectFactory(
        introducing_unit=unit,
        total_investment_wan=Decimal(amount),
        stage="signed",
        signed_on=on,
        review_status=status,
        **kw,
    )


def ticket(unit, title, deadline, status="open"):
    kwargs = {"closed_at": timezone.now()} if status == "closed" else {}
    return SupervisionTicket.objects.create(
        title=title, owner_unit=unit, deadline=deadline, status=status, **kwargs
    )


@pytest.fixture
def world(units, region_tree, make_user):
    cd, ms, ch = units.chuandian, units.mashan, units.cenhe
    # 亿元以上 signed in 2022 (recognised): 川店镇 15亿 + 2亿 = 17亿 (2 projects), 马山镇 30亿, 岑河镇 17亿.
    signed(cd, 150000, D(2022, 3, 1), name="川店镇LED封装项目")
    signed(cd, 20000, D(2022, 6, 1))
    signed(cd, 5000, D(2022, 6, 2))  # under 1亿: not in the amount
    signed(cd, 50000, D(2021, 6, 1))  # last year
    signed(ms, 300000, D(2022, 5, 1))
    signed(ms, 400000, D(2022, 5, 2), status=ReviewStatus.SUBMITTED)  # not recognised
    signed(ch, 170000, D(2022, 4, 1))
    signed(units.task_force, 500000, D(2022, 4, 1))  # another assessment group
    # Commenced on 1 April, no funds since: owes funds in place (3 months, May to August).
    ProjectFactory(
        name="川店镇汽配厂房项目",
        introducing_unit=cd,
        stage="commenced",
        signed_on=D(2021, 12, 1),
        commenced_on=D(2022, 4, 1),
        review_status=ReviewStatus.RECOGNISED,
    )
    ProjectFactory(
        name="马山镇未报资金项目",
        introducing_unit=ms,
        stage="commenced",
        commenced_on=D(2022, 4, 1),
        review_status=ReviewStatus.RECOGNISED,
    )
    # A major project last updated on 10 August: 14 days without progress (weekly).
    major = ProjectFactory(name="川店镇重大项目", introducing_unit=cd, is_major=True, stage="signed")
    ProjectProgress.objects.create(project=major, reported_on=D(2022, 8, 10), text="土地挂牌")
    # Four leads this year before August, none in August (the monthly check runs from the 20th).
    for month in (1, 3, 5, 7):
        LeadFactory(unit=cd, reported_on=D(2022, month, 10), review_status=ReviewStatus.RECOGNISED)
    LeadFactory(unit=ms, reported_on=D(2022, 8, 2), review_status=ReviewStatus.RECOGNISED)
    # Returned records, with their reasons.
    returned_lead = LeadFactory(
        unit=cd,
        title="川店镇电子信息线索",
        review_status=ReviewStatus.RETURNED,
        return_reason="企业名称不完整",
    )
    returned_project = ProjectFactory(
        name="川店镇退回项目",
        introducing_unit=cd,
        review_status=ReviewStatus.RETURNED,
        return_reason="总投资与合同不符",
    )
    LeadFactory(
        unit=ms, title="马山镇退回线索", review_status=ReviewStatus.RETURNED, return_reason="马山原因"
    )
    # Tickets: due this week, due next week (answered), closed, another unit's.
    due = ticket(cd, "川店镇项目开工滞后", D(2022, 8, 26))
    answered = ticket(cd, "川店镇信息报送不及时", D(2022, 8, 30), status="responded")
    ticket(cd, "川店镇已销号事项", D(2022, 8, 1), status="closed")
    ticket(ms, "马山镇督办事项", D(2022, 8, 25))
    # Yearly targets of 川店镇 (2022), and some that are not its 2022 yearly targets.
    for code, value in (("signed_projects_100m", 4), ("signed_amount_100m_wan", 300000), ("leads", 6)):
        TargetFactory(unit=cd, year=2022, indicator=code, value=Decimal(value))
    TargetFactory(unit=cd, year=2021, indicator="trips", value=Decimal(10))
    TargetFactory(unit=ms, year=2022, indicator="visits", value=Decimal(10))
    reporter = make_user(Role.REPORTER, unit=cd, username="cd_reporter")
    return {
        "reporter": reporter,
        "returned_lead": returned_lead,
        "returned_project": returned_project,
        "due": due,
        "answered": answered,
    }


def test_targets_against_time_progress(world):
    home = unit_home_data(user=world["reporter"], basis="recognised", today=TODAY)
    assert home.unit.name == "川店镇"
    assert home.period.label == "2022年1至8月"
    assert home.time_progress == Decimal(7) / Decimal(12)
    lines = {line.figure.indicator.code: line for line in home.targets}
    # Only 川店镇's 2022 yearly targets, in the registry's order.
    assert list(lines) == ["signed_projects_100m", "signed_amount_100m_wan", "leads"]
    # 2 of 4 projects = 50%, 7/12 = 58.3%: 8.3 points behind.
    assert lines["signed_projects_100m"].figure.value == 2
    assert lines["signed_projects_100m"].completion == Decimal("0.5")
    assert lines["signed_projects_100m"].gap_text == "低于序时进度8.3个百分点"
    assert lines["signed_projects_100m"].behind
    # 17亿 of 30亿 = 56.667%, 7/12 = 58.333%: 1.667 → 1.7 points behind (rounded once, SPEC §3).
    assert lines["signed_amount_100m_wan"].value_text == "17亿元"
    assert lines["signed_amount_100m_wan"].target_text == "30亿元"
    assert lines["signed_amount_100m_wan"].gap_text == "低于序时进度1.7个百分点"
    # 4 of 6 leads = 66.667%, − 58.333% = 8.333 → 8.3 points ahead.
    assert lines["leads"].value_text == "4条"
    assert lines["leads"].gap_text == "超序时进度8.3个百分点"
    assert not lines["leads"].behind


def test_rank_in_assessment_group(world, units):
    rank = unit_home_data(user=world["reporter"], basis="recognised", today=TODAY).rank
    # 马山镇 30亿 first; 川店镇 and 岑河镇 17亿 share second (1, 2, 2); the task force is another group.
    assert (rank.rank, rank.size, str(rank.group)) == (2, 3, "任务单位")
    assert (rank.amount, rank.count) == (170000, 2)
    assert rank.behind_previous == 130000  # 30亿 − 17亿
    assert rank.link == (
        f"/projects/?introducing_unit={units.chuandian.pk}&signed_from=2022-01-01&signed_to=2022-08-31"
        "&size=1yi&review_status=recognised"
    )
    # On the reported basis 马山镇's submitted 40亿 counts too; 川店镇 is still second of three.
    reported = unit_home_data(user=world["reporter"], basis="reported", today=TODAY).rank
    assert (reported.rank, reported.behind_previous) == (2, 530000)


def test_the_first_has_no_one_ahead(world, units, make_user):
    head = make_user(Role.UNIT_HEAD, unit=units.mashan)
    rank = unit_home_data(user=head, basis="recognised", today=TODAY).rank
    assert (rank.rank, rank.behind_previous) == (1, None)


def test_what_the_unit_owes_this_week_and_this_month(world):
    home = unit_home_data(user=world["reporter"], basis="recognised", today=TODAY)
    assert home.week_end == D(2022, 8, 28)
    week = [item.text for item in home.this_week]
    assert week == [
        "重大项目“川店镇重大项目”(川店镇)最近一次推进情况为2022年8月10日,已14天未更新",
        f"答复督办单第{world['due'].pk}号:川店镇项目开工滞后(办结时限2022-08-26)",
    ]
    month = [item.text for item in home.this_month]
    assert "川店镇2022年8月至今未上报招商信息" in month
    assert "“川店镇汽配厂房项目”(川店镇)2022年4月1日开工,2022年5月以来没有到位资金" in month
    # Default requirements: 12 trips and 4 out-of-province trips a year, × 7/12 by July's end.
    assert "川店镇2022年1至7月外出招商0次,低于序时要求7次" in month
    assert "川店镇2022年1至7月出省招商0次,低于序时要求2.3次" in month
    assert len(month) == 4  # 川店镇 is a town, not a task force: no days-away requirement
    no_leads = next(item for item in home.this_month if "未上报招商信息" in item.text)
    assert no_leads.link == "/leads/add/"
    everything = " ".join(i.text for i in home.this_week + home.this_month + home.attention)
    assert "马山镇" not in everything


def test_rules_narrowed_to_a_unit(world, units):
    results = run_rules(today=TODAY, unit=units.chuandian)
    codes = {r.rule.code for r in results}
    assert "possible_duplicates" not in codes  # the bureau's pool, nothing a unit owes
    assert {f.owner_unit for r in results for f in r.findings} == {units.chuandian}
    # The same rules over the district find 马山镇's project too.
    district = run_rules(today=TODAY, region=units.chuandian.region, codes=["commenced_no_funds"])
    assert {f.owner_unit.name for f in district[0].findings} == {"川店镇", "马山镇"}


def test_records_needing_attention(world):
    home = unit_home_data(user=world["reporter"], basis="recognised", today=TODAY)
    returned = {(r.label, str(r.record), r.reason) for r in home.returned}
    assert returned == {
        ("招商项目", "川店镇退回项目", "总投资与合同不符"),
        ("招商信息", "川店镇电子信息线索", "企业名称不完整"),
    }
    # Open tickets addressed to the unit (awaiting its answer or the verification), nearest first.
    assert [t.pk for t in home.tickets] == [world["due"].pk, world["answered"].pk]
    attention = [item.text for item in home.attention]
    assert "“川店镇LED封装项目”(川店镇)2022年3月1日签约,已176天未开工" in attention


def test_page_shows_the_unit_home_and_keeps_the_cockpit(world, units, region_tree, make_user, client_as):
    page = client_as(world["reporter"]).get("/").content.decode()
    # The page uses today's date; the figures above are for a fixed day, so check the parts only.
    assert 'id="unit-home"' in page and "川店镇工作台" in page
    assert "年度目标任务完成情况" in page and "组内排名" in page
    assert "总投资与合同不符" in page and "企业名称不完整" in page
    assert f"/tickets/{world['due'].pk}/" in page and "马山镇督办事项" not in page
    assert 'class="zs-card p-3 h-100 zs-kpi"' in page  # the cockpit's figures are still there
    bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)
    assert 'id="unit-home"' not in client_as(bureau).get("/").content.decode()


def test_page_on_a_fixed_day(world, client_as, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    page = client_as(world["reporter"]).get("/?from=2022-01&to=2022-07").content.decode()
    assert "2022年1至8月 · 序时进度 58.3%" in page
    # 2 of 4 = 50% and 4 of 6 = 66.667% against 7/12 = 58.333%: 8.3 behind, 8.3 ahead.
    assert "低于序时进度8.3个百分点" in page and "超序时进度8.3个百分点" in page
    assert "第2名" in page and "任务单位共3个单位" in page and "距前一名还差13亿元" in page
    assert "签约亿元以上项目2个,签约额17亿元" in page
    assert "本周(截至8月28日)" in page


def test_unit_without_group_or_targets(units, region_tree, make_user):
    loner = Unit.objects.create(name="区商务局", kind="department", region=region_tree.jingzhou, order=9)
    home = unit_home_data(user=make_user(Role.REPORTER, unit=loner), basis="recognised", today=TODAY)
    assert home.rank is None and home.targets == [] and home.returned == [] and home.tickets == []


def test_query_count_does_not_grow(world, units, region_tree):
    reporter = world["reporter"]

    def count():
        settled()
        with CaptureQueriesContext(connection) as ctx:
            unit_home_data(user=reporter, basis="recognised", today=TODAY)
        return len(ctx.captured_queries)

    few = count()
    # More units in the group, and many more records of every kind for the unit and for others.
    for i in range(30):
        unit = Unit.objects.create(
            name=f"新增乡镇{i}",
            kind="town",
            region=region_tree.jingzhou,
            assessment_group=units.chuandian.assessment_group,
            order=50 + i,
        )
        signed(unit, 10000 + i, D(2022, 6, 1))
        signed(units.chuandian, 10000 + i, D(2022, 7, 1))
        LeadFactory(unit=units.chuandian, review_status=ReviewStatus.RETURNED, return_reason=f"原因{i}")
        ProjectFactory(introducing_unit=units.chuandian, review_status=ReviewStatus.RETURNED)
        ticket(units.chuandian, f"督办事项{i}", D(2022, 8, 25))
        ProjectFactory(
            introducing_unit=units.chuandian,
            stage="commenced",
            commenced_on=D(2022, 3, 1),
            review_status=ReviewStatus.RECOGNISED,
        )
    assert count() == few


def test_page_query_count_does_not_grow(world, units, region_tree, client_as, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    client = client_as(world["reporter"])
    client.get("/")  # the session and the first-request caches

    def count():
        settled()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(20):
        unit = Unit.objects.create(
            name=f"新增乡镇{i}",
            kind="town",
            region=region_tree.jingzhou,
            assessment_group=units.chuandian.assessment_group,
            order=50 + i,
        )
        signed(unit, 10000 + i, D(2022, 6, 1))
        LeadFactory(unit=units.chuandian, review_status=ReviewStatus.RETURNED, return_reason=f"原因{i}")
        ticket(units.chuandian, f"督办事项{i}", D(2022, 8, 25))
    assert count() == few
