"""Issue 13: figures that disagreed with SPEC §3 (口径). Every expected figure is counted by hand in
the comment beside it.

The district of ``conftest``: 川店镇 and 马山镇 (任务单位), 汽车零部件产业招商专班, all in 荆州区;
岑河镇 in 沙市区. Reports are of 2022, written on 3 August 2022, on the recognised basis.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from factories import ActivityFactory, CampaignFactory, LeadFactory, ProjectFactory, TargetFactory
from test_exchange_support import problem_lines, run_import, write_xlsx
from test_forms import errors, project_post
from test_reports import plain, project, report
from zhaoshang.metrics import periods, rollup
from zhaoshang.metrics.engine import figure, measure, measure_by_unit
from zhaoshang.organisation.choices import Role
from zhaoshang.projects.models import Project
from zhaoshang.reports.figures import ReportContext
from zhaoshang.reports.generators import generate
from zhaoshang.reports.text import days

pytestmark = pytest.mark.django_db
D = datetime.date
OK = "recognised"
JAN_JUL = periods.year_to_date(2022, 7)


# --- commenced expansions count their 新增投资 ------------------------------------------------------


@pytest.fixture
def commenced(units):
    # An expansion of 30亿 total, 5亿 of it new, and a new project of 10亿, both commenced in 2022.
    project(
        units.chuandian,
        300000,
        name="扩建项目",
        kind="expansion",
        added_investment_wan=Decimal(50000),
        signed=D(2022, 3, 1),
        commenced=D(2022, 4, 10),
    )
    project(units.mashan, 100000, name="新建项目", signed=D(2022, 3, 5), commenced=D(2022, 5, 1))


def test_commenced_amount_and_1b_count_an_expansions_added_investment(commenced, units, region_tree):
    # 5亿 (the expansion's 新增投资) + 10亿 = 15亿 = 150 000万元; ≥ 10亿: only the new project.
    # Whole months read the monthly summary; 1 April – 15 May counts the records: both agree.
    part = periods.Period(D(2022, 4, 1), D(2022, 5, 15), "4月1日至5月15日")
    for period in (JAN_JUL, part):
        assert measure("commenced_amount_wan", period=period) == Decimal(150000)
        assert measure("commenced_projects_1b", period=period) == 1
        assert measure("commenced_projects", period=period) == 2
    by_unit = measure_by_unit("commenced_amount_wan", period=JAN_JUL)
    assert by_unit[units.chuandian.pk] == Decimal(50000)  # 5亿, not the 30亿 total
    assert measure_by_unit("commenced_projects_1b", period=JAN_JUL).get(units.chuandian.pk, 0) == 0
    # The yearly report does not lag commencements by a month: 1–12月, 15亿元, one ≥ 10亿.
    text = plain(report("yearly", region_tree, start="2022-01", end="2022-12").markdown)
    assert "计划总投资15亿元" in text
    assert "其中10亿元以上重大项目1个" in text


def test_summary_signature_moves_with_the_definitions(monkeypatch, db):
    from zhaoshang.metrics.indicators import DEFINITIONS

    # A definition changed (this issue): the stored summary must be rebuilt although the codes did not.
    rollup.rebuild()
    assert rollup.ensure_triggers() is False  # built by this release: nothing to do
    before = rollup.signature()
    monkeypatch.setattr(rollup, "DEFINITIONS", DEFINITIONS + 1)
    assert rollup.signature() != before
    assert rollup.ensure_triggers() is True  # the stored signature is an older release's: rebuild


# --- rounding is half-up ------------------------------------------------------------------------------


def test_task_force_average_days_round_half_up(units, region_tree):
    # One trip of one day in January–April: 1 day ÷ 4 months = 0.25 a month → 0.3 (half-even gave 0.2).
    ActivityFactory(unit=units.task_force, started_on=D(2022, 2, 1), ended_on=D(2022, 2, 1), review_status=OK)
    text = plain(report("summary", region_tree, start="2022-01", end="2022-04").markdown)
    assert "（汽车零部件专班0.3天）" in text
    assert days(Decimal("0.25")) == "0.3" and days(Decimal("0.35")) == "0.4"


# --- 超序时进度 from exact values, rounded once ---------------------------------------------------------


def test_gap_to_time_progress_is_rounded_once(units, region_tree):
    # 5 of 9 亿元以上 projects by July: 5/9 = 55.556%, 序时进度 7/12 = 58.333%;
    # 55.556 − 58.333 = −2.778 → 2.8 behind (rounding each first gave 55.6 − 58.3 = −2.7).
    for day in range(1, 6):
        project(units.chuandian, 10000, signed=D(2022, 3, day))
    TargetFactory(
        unit=None, region=region_tree.jingzhou, year=2022, indicator="signed_projects_100m", value=9
    )
    assert figure("signed_projects_100m", period=JAN_JUL, target=Decimal(9)).gap_points == Decimal("-2.8")
    text = plain(report("summary", region_tree, start="2022-01", end="2022-07").markdown)
    assert "签约亿元以上项目5个，完成全年任务的55.6%，低于序时进度2.8个百分点" in text
    assert "签约亿元以上项目（个）\t9\t5\t55.6%\t-2.8" in text  # the targets table


# --- 开工率 as SPEC §3 defines it -----------------------------------------------------------------------


@pytest.fixture
def rate_projects(units):
    # 亿元以上 industrial projects signed in 2022: A (2亿, commenced 10 June), B (3亿), C (1.5亿);
    # D (5亿, commenced) is not industrial; E (2亿 industrial, commenced) was signed in 2021;
    # F (0.8亿 industrial, commenced) is under 1亿.
    project(units.chuandian, 20000, signed=D(2022, 2, 1), commenced=D(2022, 6, 10), is_industrial=True)
    project(units.chuandian, 30000, signed=D(2022, 3, 1), is_industrial=True)
    project(units.mashan, 15000, signed=D(2022, 4, 1), is_industrial=True)
    project(units.mashan, 50000, signed=D(2022, 3, 1), commenced=D(2022, 5, 1))
    project(units.mashan, 20000, signed=D(2021, 11, 1), commenced=D(2022, 3, 1), is_industrial=True)
    project(units.mashan, 8000, signed=D(2022, 2, 1), commenced=D(2022, 3, 1), is_industrial=True)


def test_commencement_rate_counts_industrial_projects_signed_in_the_year(rate_projects, region_tree):
    from zhaoshang.metrics.engine import commencement_rate

    # A, B, C: 3 signed; A commenced by 31 July: 1 of 3 = 33.3%. By 31 May none (A on 10 June).
    rate = commencement_rate(as_of=D(2022, 7, 31), region=region_tree.jingzhou)
    assert (rate.part, rate.whole) == (1, 3)
    assert commencement_rate(as_of=D(2022, 5, 31)).part == 0
    # The old sentence counted all 亿元以上 projects (A, B, C, D: 2 of 4 = 50%, not below the floor).
    text = plain(report("summary", region_tree, start="2022-01", end="2022-07").markdown)
    assert "项目落地慢。2022年签约的3个亿元以上工业项目中，截至7月31日已开工1个，开工率33.3%。" in text


# --- the campaign conclusion is drawn from the targets ----------------------------------------------------


def campaign_text(region_tree, units, *, region_leads=None, unit_leads=()):
    campaign = CampaignFactory(name="百日会战", starts_on=D(2022, 7, 1), ends_on=D(2022, 9, 30))
    jz = region_tree.jingzhou
    if region_leads is not None:
        TargetFactory(unit=None, region=jz, campaign=campaign, indicator="leads", value=region_leads)
    for unit, value in unit_leads:
        TargetFactory(unit=unit, region=jz, campaign=campaign, indicator="leads", value=value)
    ctx = ReportContext(region=jz, period=periods.campaign(campaign), today=D(2022, 10, 8), campaign=campaign)
    return plain(generate("campaign", ctx).markdown)


@pytest.fixture
def one_lead(units):
    LeadFactory(unit=units.chuandian, reported_on=D(2022, 8, 10), review_status=OK)


def test_campaign_without_targets_claims_no_completion(one_lead, units, region_tree):
    text = campaign_text(region_tree, units)
    assert "均已完成" not in text
    assert "“百日会战”活动未下达目标任务" in text


def test_campaign_names_the_units_that_missed_their_targets(one_lead, units, region_tree):
    # The region: 1 lead of 1 (met). 川店镇 1 of 1 (met), 马山镇 0 of 1 (missed).
    text = campaign_text(
        region_tree, units, region_leads=1, unit_leads=[(units.chuandian, 1), (units.mashan, 1)]
    )
    assert "均已完成" not in text
    assert "部分单位未完成目标任务。招商信息任务，2个有任务的单位中1个未完成（马山镇）。" in text


def test_campaign_all_targets_met(one_lead, units, region_tree):
    # The region 1 of 1, 川店镇 1 of 1: every target met.
    text = campaign_text(region_tree, units, region_leads=1, unit_leads=[(units.chuandian, 1)])
    assert "“百日会战”活动期间各项目标任务均已完成。" in text
    assert "未完成" not in text


# --- one name, one amount ---------------------------------------------------------------------------------


def test_each_amount_says_what_it_sums(units, region_tree):
    # Signed 1–7月: 25亿 (亿元以上) and 0.5亿: 亿元以上 1 project, 25亿元; all projects 25.5亿元.
    # Targets: 2 亿元以上 projects, 51亿元 signed in all: 1/2 = 50%, 25.5/51 = 50%; 50 − 58.333 → −8.3.
    project(units.chuandian, 250000, signed=D(2022, 3, 10))
    project(units.mashan, 5000, signed=D(2022, 4, 1))
    jz = region_tree.jingzhou
    TargetFactory(unit=None, region=jz, year=2022, indicator="signed_projects_100m", value=2)
    TargetFactory(unit=None, region=jz, year=2022, indicator="signed_amount_wan", value=510000)
    text = plain(report("summary", region_tree, start="2022-01", end="2022-07").markdown)
    assert "签约亿元以上招商引资项目1个，上年同期为0，签约额25亿元，上年同期为0。" in text
    assert (
        "签约亿元以上项目1个，完成全年任务的50%，低于序时进度8.3个百分点；"
        "全部签约项目签约额25.5亿元，完成全年任务的50%，低于序时进度8.3个百分点"
    ) in text
    assert "；签约额25.5亿元" not in text
    bulletin = plain(report("bulletin", region_tree, end="2022-07").markdown)
    assert "全部签约项目签约额（亿元）" in bulletin  # the units' table, beside 签约亿元以上项目（个）
    leaderboard = plain(report("leaderboard", region_tree, start="2022-01", end="2022-07").markdown)
    assert "其中亿元以上（个）\t全部签约项目签约额（亿元）" in leaderboard


# --- an intention agreement (意向协议) is never a signing -------------------------------------------------


def test_intention_agreement_cannot_carry_a_signing_date(units):
    intention = ProjectFactory.build(
        introducing_unit=units.chuandian, is_intention_agreement=True, signed_on=D(2022, 3, 1)
    )
    with pytest.raises(ValidationError) as error:
        intention.full_clean(exclude=["investor", "introducing_unit", "region"])
    assert "意向协议不算签约" in str(error.value.message_dict["signed_on"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(introducing_unit=units.chuandian, is_intention_agreement=True, signed_on=D(2022, 3, 1))
    # Without a date it is recorded, at 洽谈, and never counted as signed.
    ProjectFactory(
        introducing_unit=units.chuandian,
        is_intention_agreement=True,
        review_status=OK,
        total_investment_wan=1,
    )
    assert measure("signed_projects", period=JAN_JUL) == 0


def test_project_form_refuses_a_signing_date_on_an_intention_agreement(
    units, make_user, client_as, region_tree
):
    bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)
    response = client_as(bureau).post(
        "/projects/add/", project_post(units.chuandian, stage="negotiating", is_intention_agreement="on")
    )
    assert response.status_code == 400
    assert any("意向协议不算签约" in e for e in errors(response))
    assert not Project.objects.exists()


HEADER = ["项目名称", "投资方", "引进单位", "总投资(万元)", "项目阶段", "签约日期"]


def test_import_refuses_an_intention_agreement_dated_as_a_signing(tmp_path, units):
    path = write_xlsx(
        tmp_path / "projects.xlsx",
        [
            [*HEADER, "意向协议", "备注"],
            ["甲项目", "甲公司", "川店镇", 30000, "意向签约", "2022-07-03", None, None],
            ["乙项目", "乙公司", "川店镇", 30000, "签约", "2022-07-03", "是", None],
            ["丙项目", "丙公司", "川店镇", 30000, "签约", "2022-07-03", None, "已签订意向协议"],
            ["丁项目", "丁公司", "川店镇", 30000, "签约", "2022-07-03", "否", "签订意向协议后正式签约"],
            ["戊项目", "戊公司", "川店镇", 30000, "签订意向协议", None, None, None],
        ],
    )
    status, _out, err = run_import("projects", str(path))
    assert status == 1
    lines = problem_lines(err)
    assert [line.split("〉")[0] for line in lines] == [
        "第2行 〈签约日期",
        "第3行 〈签约日期",
        "第4行 〈签约日期",
    ]
    assert "意向协议不算签约" in lines[0] and "意向协议不算签约" in lines[1]
    assert "备注写明为意向协议" in lines[2]
    assert not Project.objects.exists()  # all rows or none


def test_import_reads_an_intention_agreement_as_not_signed(tmp_path, units):
    path = write_xlsx(
        tmp_path / "projects.xlsx",
        [
            HEADER,
            ["戊项目", "戊公司", "川店镇", 30000, "签订意向协议", None],
            ["丁项目", "丁公司", "川店镇", 30000, "签约", "2022-07-03"],
        ],
    )
    status, _out, err = run_import("projects", str(path))
    assert status == 0, err
    intention = Project.objects.get(name="戊项目")
    assert (intention.is_intention_agreement, intention.stage, intention.signed_on) == (
        True,
        "negotiating",
        None,
    )
    # Only 丁项目 is signed: 1 project, 3亿元.
    assert measure("signed_projects", period=JAN_JUL) == 1
    assert measure("signed_amount_wan", period=JAN_JUL) == Decimal(30000)


def test_dashboard_charts_get_amounts_in_yi_rounded_half_up(units, region_tree, make_user):
    # 12 345万元 signed in March = 1.2345亿元 → 1.23; 10 125万元 in May = 1.0125亿元 → 1.01 (rounded
    # on the server, half-up on the exact decimal, no longer by the browser's toFixed). Industry pie:
    # both unclassified (其他), 12 345 + 10 125 = 22 470万元 = 2.247亿元 → 2.25.
    from zhaoshang.dashboard.selectors import dashboard_data

    project(units.chuandian, 12345, signed=D(2022, 3, 1))
    project(units.mashan, 10125, signed=D(2022, 5, 2))
    bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)
    result = dashboard_data(user=bureau, period=JAN_JUL, basis="recognised", today=D(2022, 8, 3))
    assert result["trend"]["signed_amount_100m_yi:now"] == [0, 0, 1.23, 0, 1.01, 0, 0]
    assert result["industries"] == [{"name": "其他", "value": 2.25}]
