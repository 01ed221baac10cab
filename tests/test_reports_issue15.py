"""Issue 15: reports whose sentences are chosen by the data, both 口径 side by side, the funds split,
named lists and the multi-level ranking. Every expected figure is counted by hand from the records
each test builds (in the comment beside it).
"""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from factories import EnterpriseFactory, LeadFactory, ProjectFactory, TargetFactory
from zhaoshang.enterprises.models import Tag
from zhaoshang.metrics.formatting import gap_text, yoy_text
from zhaoshang.metrics.periods import year_to_date
from zhaoshang.reports.figures import ReportContext
from zhaoshang.reports.generators import generate
from zhaoshang.reports.periods import report_period
from zhaoshang.reports.services import default_issued_on

pytestmark = pytest.mark.django_db
D = datetime.date
OK = "recognised"
TODAY = D(2023, 3, 1)


def project(unit, amount, *, signed, tags=(), **kw):
    investor = EnterpriseFactory()
    for code in tags:
        investor.tags.add(Tag.objects.get_or_create(code=code)[0])
    kw.setdefault("stage", "commenced" if kw.get("commenced_on") else "signed")
    kw.setdefault("review_status", OK)
    return ProjectFactory(
        introducing_unit=unit, investor=investor, total_investment_wan=Decimal(amount), signed_on=signed, **kw
    )


def report(kind, region, *, today=TODAY, basis=OK, **period_args):
    period = report_period(kind, today=today, **period_args)
    markdown = generate(kind, ReportContext(region=region, period=period, basis=basis, today=today)).markdown
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)  # the text as read, links dropped


# --- 1. sentences chosen by the data ----------------------------------------------------------------


def test_zero_gap_and_zero_growth_are_written_as_level():
    assert gap_text(Decimal(0)) == "与序时进度持平"
    assert gap_text(Decimal("0.1")) == "超序时进度0.1个百分点"
    assert yoy_text(Decimal(0)) == "与上年同期持平"
    assert yoy_text(Decimal("0.00001")) == "与上年同期持平"  # rounds to 0.0%
    assert yoy_text(Decimal("0.004")) == "同比增长0.4%"


@pytest.fixture
def weak_district(units, region_tree):
    """1–7月 2022 in 荆州区, recognised: five 亿元以上 signings —
    25亿 and 22亿 (both 主导产业: the 20亿元以上 band is 100% leading), 12亿 (not leading: the
    10–20亿 band has none), 3亿 and 2亿 (not leading); one investor high-tech (1 of 5 = 20%, above
    the 10% floor), none listed. Leading 2 of 5 = 40% < 60%: 主导产业支撑力不强 is raised.
    2021 1–7月: five 亿元以上 signings too (同比持平). Leads: 7 in 1–7月 against a target of 12
    (7/12 = 序时进度 7/12: 与序时进度持平)."""
    u = units
    jz = region_tree.jingzhou
    project(u.chuandian, 250000, signed=D(2022, 3, 1), is_leading_industry=True, name="甲基地项目")
    project(u.mashan, 220000, signed=D(2022, 4, 1), is_leading_industry=True, name="乙基地项目")
    project(u.chuandian, 120000, signed=D(2022, 5, 1), name="丙物流项目", tags=["high_tech"])
    project(u.mashan, 30000, signed=D(2022, 6, 1), name="丁项目")
    project(u.chuandian, 20000, signed=D(2022, 7, 1), name="戊项目")
    for month in range(1, 6):
        project(u.mashan, 15000, signed=D(2021, month, 10))
    for day in range(1, 8):
        LeadFactory(unit=u.chuandian, reported_on=D(2022, day, 3), review_status=OK)
    TargetFactory(unit=None, region=jz, year=2022, indicator="leads", value=Decimal(12))
    TargetFactory(unit=None, region=jz, year=2022, indicator="signed_projects_100m", value=Decimal(10))
    return jz


def test_weakness_section_says_only_what_is_weak(weak_district):
    text = report("summary", weak_district, start="2022-01", end="2022-07")
    problems = text.split("存在的问题")[1].split("## ")[0]
    # The 20亿元以上 band is wholly leading: nothing weak to say about it.
    assert "20亿元以上项目2个" not in problems
    assert "占比100%" not in problems
    # The 10–20亿 band has no leading project: said so, not "0个，占比0%".
    assert "1至7月新签约10-20亿元（不含20亿元）项目1个，无主导产业项目" in problems
    # 2 of 5 = 40%.
    assert "新签约亿元以上项目5个，主导产业项目仅2个，占比40%" in problems
    # No listed investor at all; high-tech 1 of 5 = 20% is above the floor and not called weak.
    assert "无上市公司、头部企业投资项目" in problems
    assert "高新技术企业投资项目仅" not in problems
    assert "仅占比0%" not in text and "0个，占比0%" not in text
    # 结构 paragraph: none listed is "无…", not "0个，占比0%".
    assert "无上市公司、头部企业投资项目；高新技术企业投资项目1个，占比20%" in text
    # 5 this year, 5 last year.
    assert "签约亿元以上招商引资项目5个，与上年同期持平" in text
    # 7 leads of 12 = 58.33…% = 序时进度 7/12.
    assert "招商信息7条，完成全年任务的58.3%，与序时进度持平" in text
    assert "0个百分点" not in text


def test_closed_year_drops_time_progress(weak_district):
    """For the whole of 2022 序时进度 is 100%: the completion alone is written, the table has no gap
    column, and the indicators short of their target 'did not complete the year's task'."""
    text = report("yearly", weak_district, start="2022-01", end="2022-12")
    # 5 亿元以上 signings of 10 = 50%; 7 leads of 12 = 58.3%.
    assert "签约亿元以上项目5个，完成全年任务的50%；" in text
    assert "招商信息7条，完成全年任务的58.3%。" in text
    assert "序时进度" not in text.split("## 二、")[0]
    assert "签约亿元以上项目、招商信息未完成全年任务。" in text


def test_issued_on_defaults_to_the_periods_close(weak_district):
    period = year_to_date(2022, 7)
    assert default_issued_on(period, D(2026, 12, 3)) == D(2022, 7, 31)
    assert default_issued_on(period, D(2022, 7, 20)) == D(2022, 7, 20)
    out = io.StringIO()
    call_command(
        "report", "summary", "--from", "2022-01", "--to", "2022-07", "--region", "421003", stdout=out
    )
    assert out.getvalue().rstrip().endswith("2022年7月31日")


# --- 2. both 口径 side by side, the funds split --------------------------------------------------------


@pytest.fixture
def two_bases(units, region_tree):
    """1–7月 2022 in 荆州区: project A 2亿 (recognised, 3月), project B 1.5亿 (only submitted, 4月).
    Funds on A, 2022-03: 5000万 reported, 4000万 recognised, of which 省外 3000万, 市外 4500万;
    外资 100万美元, 现汇 60万美元 (recognised). Funds on B, 2022-04: 2000万, 省外 1000万 (submitted).
    Target 实际到位资金 1亿元 (10000万)."""
    from factories import FundsRecordFactory

    u = units
    a = project(u.chuandian, 20000, signed=D(2022, 3, 1), name="甲项目")
    b = project(u.mashan, 15000, signed=D(2022, 4, 1), name="乙项目", review_status="submitted")
    FundsRecordFactory(
        project=a,
        month=D(2022, 3, 1),
        amount_wan=Decimal(5000),
        recognised_amount_wan=Decimal(4000),
        outside_province_wan=Decimal(3000),
        outside_city_wan=Decimal(4500),
        foreign_usd_wan=Decimal(100),
        foreign_cash_usd_wan=Decimal(60),
        review_status=OK,
    )
    FundsRecordFactory(
        project=b,
        month=D(2022, 4, 1),
        amount_wan=Decimal(2000),
        outside_province_wan=Decimal(1000),
        review_status="submitted",
    )
    TargetFactory(
        unit=None, region=region_tree.jingzhou, year=2022, indicator="funds_wan", value=Decimal(10000)
    )
    return region_tree.jingzhou


def test_funds_split_and_both_bases(two_bases):
    text = report("summary", two_bases, start="2022-01", end="2022-07")
    # Recognised: 4000万 = 0.4亿元 of 1亿元 = 40%, 序时进度 58.3% → 18.3 points behind; 省外 3000万,
    # 市外 4500万 (A only: B's funds are not recognised); 外资 100万美元, 现汇 60万美元.
    assert (
        "1至7月实际到位资金（内资）0.4亿元，上年同期为0，完成全年任务的40%，低于序时进度18.3个百分点，"
        "其中省外资金0.3亿元，市外资金0.45亿元。实际利用外资100万美元，其中现汇进资60万美元。"
    ) in text
    rows = {
        line.split(" | ")[0].lstrip("| "): line.strip("| ").split(" | ")[1:]
        for line in text.split("主要指标上报与认定口径对照")[1].split("\n\n")[1].splitlines()[2:]
    }
    # reported | recognised | 核减 | 认定占上报
    assert rows["签约项目（个）"] == ["2", "1", "1", "50%"]  # A and B reported, A recognised
    assert rows["全部签约项目签约额（亿元）"] == ["3.5", "2", "1.5", "57.1%"]  # 2 / 3.5
    assert rows["实际到位资金（内资）（亿元）"] == ["0.7", "0.4", "0.3", "57.1%"]  # 5000+2000 vs 4000
    assert rows["其中：省外资金（亿元）"] == ["0.4", "0.3", "0.1", "75%"]  # 3000+1000 vs 3000
    assert rows["其中：市外资金（亿元）"] == ["0.45", "0.45", "0", "100%"]
    assert rows["实际利用外资（万美元）"] == ["100", "100", "0", "100%"]
    assert rows["其中：现汇进资（万美元）"] == ["60", "60", "0", "100%"]


# --- 3. several levels in one deployment ------------------------------------------------------------


@pytest.fixture
def city(units, region_tree):
    """1–7月 2022 in 荆州市: 荆州区 signs 25亿 (川店, 3月) and 2亿 (马山, 5月) — 2 亿元以上, 27亿元,
    target 4 → 50%; 沙市区 signs 12亿 and 0.5亿 (岑河, 4月, 6月) — 1 亿元以上, 12.5亿元, target 1 →
    100%. Ranked by completion: 沙市区 first, 荆州区 second; by amount (龙虎榜): 荆州区 first."""
    u = units
    project(u.chuandian, 250000, signed=D(2022, 3, 1))
    project(u.mashan, 20000, signed=D(2022, 5, 1))
    project(u.cenhe, 120000, signed=D(2022, 4, 1))
    project(u.cenhe, 5000, signed=D(2022, 6, 1))
    for region, value in ((region_tree.jingzhou, 4), (region_tree.shashi, 1)):
        TargetFactory(
            unit=None, region=region, year=2022, indicator="signed_projects_100m", value=Decimal(value)
        )
    return region_tree


def table_rows(text: str, caption: str) -> list[list[str]]:
    block = text.split(caption)[1].split("\n\n")[1]
    return [line.strip("| ").split(" | ") for line in block.splitlines()[2:]]


def test_city_ranks_its_counties_in_official_order(city):
    text = report("summary", city.city, start="2022-01", end="2022-07")
    assert "## 一、各县市区完成情况" in text
    assert (
        "1至7月，各县市区中，签约亿元以上项目完成全年任务比例沙市区位列第一，荆州区排名末位；沙市区已完成全年签约亿元以上项目任务。"
        in text
    )
    rows = table_rows(text, "1至7月各县市区主要指标完成情况（序时进度58.3%）")
    # Official order (区划代码 421002 before 421003); 1/1 = 100% (+41.7 on 58.3%), 2/4 = 50% (−8.3).
    assert [r[0] for r in rows] == ["沙市区", "荆州区"]
    assert rows[0][1:5] == ["1", "1", "100%", "41.7"] and rows[0][-1] == "1"
    assert rows[1][1:5] == ["2", "4", "50%", "-8.3"] and rows[1][-1] == "2"


def test_county_states_its_rank_in_the_city(city):
    text = report("summary", city.jingzhou, start="2022-01", end="2022-07")
    assert (
        "按1至7月签约亿元以上项目完成全年任务比例，荆州区在全市2个县市区中排名第二，在全市签约龙虎榜中排名第一。"
        in text
    )
    # A county has no level below it to rank.
    assert "各县市区完成情况" not in text


def test_city_leaderboard_is_by_county(city):
    text = report("leaderboard", city.city, start="2022-01", end="2022-07")
    rows = table_rows(text, "1至7月各县市区签约龙虎榜")
    # 荆州区 2 signed (2 亿元以上) 27亿元; 沙市区 2 signed (1 亿元以上) 12.5亿元.
    assert rows == [["1", "荆州区", "2", "2", "27"], ["2", "沙市区", "2", "1", "12.5"]]
    # The units follow as the first few across the city, each with its county.
    units = table_rows(text, "1至7月签约额前20位单位")
    assert [(r[1], r[2]) for r in units] == [("川店镇", "荆州区"), ("岑河镇", "沙市区"), ("马山镇", "荆州区")]


# --- 4. named lists, 开工率, 履约率, "7755" ---------------------------------------------------------------


@pytest.fixture
def landing(units, region_tree):
    """荆州区, recognised. 2021: I1 3亿 industrial (signed 3月, commenced 6月, in production 2022-05),
    I2 2亿 industrial (signed 8月, agreed start 2022-03-01, never commenced). 2022: I3 3亿 industrial
    (signed 2月, agreed start 5月1日, commenced 4月), N4 2亿 private not industrial (signed 5月),
    I5 1.5亿 industrial private (signed 9月, agreed start 2023-03), S6 0.5亿 industrial private
    (signed 3月: not 亿元以上)."""
    u = units
    c, m = u.chuandian, u.mashan
    project(
        c,
        30000,
        signed=D(2021, 3, 1),
        commenced_on=D(2021, 6, 1),
        in_production_on=D(2022, 5, 1),
        stage="in_production",
        is_industrial=True,
        name="一号工业项目",
    )
    project(
        m, 20000, signed=D(2021, 8, 1), agreed_start_on=D(2022, 3, 1), is_industrial=True, name="二号工业项目"
    )
    project(
        c,
        30000,
        signed=D(2022, 2, 1),
        agreed_start_on=D(2022, 5, 1),
        commenced_on=D(2022, 4, 1),
        is_industrial=True,
        name="三号工业项目",
    )
    project(m, 20000, signed=D(2022, 5, 1), is_private=True, name="四号商贸项目")
    project(
        c,
        15000,
        signed=D(2022, 9, 1),
        agreed_start_on=D(2023, 3, 1),
        is_industrial=True,
        is_private=True,
        name="五号工业项目",
    )
    project(m, 5000, signed=D(2022, 3, 1), is_industrial=True, is_private=True, name="六号小项目")
    return region_tree.jingzhou


def test_landing_named_lists_7755_and_performance(landing):
    text = report("yearly", landing, start="2022-01", end="2022-12")
    section = text.split("（四）项目落地情况")[1].split("## ")[0]
    # Since 2021: I1, I2, I3, N4, I5 = 5 亿元以上 (S6 is under 1亿). At 2022-12-31 commenced: I1 (in
    # production) and I3 = 2, of them in production 1 (I1); not commenced: I2, N4, I5 = 3, named by
    # investment (I2 and N4 2亿 each, I2 signed first; then I5 1.5亿).
    assert (
        "2021年以来，全区新引进投资亿元以上项目5个，截至2022年12月31日，已开工建设2个（其中已投产1个：一号工业项目），"
        "未开工建设3个（二号工业项目、四号商贸项目、五号工业项目）。"
    ) in section
    # 2022 signed: I3, N4, I5, S6 = 4; industrial I3, I5, S6 = 3 (75%); private N4, I5, S6 = 3 (75%).
    # 2021 亿元以上 industrial: I1, I2 → commenced by 2022-12-31: I1 → 50%; 2022: I3, I5 → I3 → 50%.
    assert (
        "按照“7755”结构性质效指标，全年签约项目4个，其中工业项目3个、占比75%，民营投资项目3个、占比75%；"
        "上年度签约亿元以上工业项目开工率50%（签约2个，已开工1个），"
        "当年签约亿元以上工业项目开工率50%（签约2个，已开工1个）。四项指标均达到目标。"
    ) in section
    # Agreed start in 2022: I2 (not commenced) and I3 (commenced before its date) → 1 of 2 = 50%.
    assert "全年约定开工的签约项目2个，按约定日期开工1个，履约率50%；逾期未开工1个。" in section


# --- 6. project mix -----------------------------------------------------------------------------------


@pytest.fixture
def mix(units, region_tree):
    """2022 signings in 荆州区: A 3亿 新建 工业 民营, investor 央企; B 1亿 续建 第一产业 民营, investor
    高新技术企业; C 增资 (新增 1000万) investor 世界500强, 总部经济 with 120万元 expected tax; D 0.5亿
    新建 民营 总部经济 without expected tax."""
    u = units
    project(
        u.chuandian,
        30000,
        signed=D(2022, 2, 1),
        is_industrial=True,
        is_private=True,
        tags=["central_soe"],
        name="甲工业项目",
    )
    project(
        u.mashan,
        10000,
        signed=D(2022, 3, 1),
        kind="continued",
        sector="primary",
        is_private=True,
        tags=["high_tech"],
        name="乙农业项目",
    )
    project(
        u.chuandian,
        8000,
        signed=D(2022, 4, 1),
        kind="capital_increase",
        added_investment_wan=Decimal(1000),
        tags=["global500"],
        is_headquarters=True,
        expected_tax_wan=Decimal(120),
        name="丙总部项目",
    )
    project(u.mashan, 5000, signed=D(2022, 5, 1), is_private=True, is_headquarters=True, name="丁总部项目")
    return region_tree.jingzhou


def test_project_mix(mix):
    text = report("yearly", mix, start="2022-01", end="2022-12")
    # 4 signed: 新建 A, D; 续建 B; 增资 C. 工业 A (1 of 4 = 25%), 农业 B (25%), 科技型 B (25%); 民营 A, B,
    # D (75%). 央企国企: A; 500强: C. 总部经济 C (8000万 total) and D (5000万): 120万元, D without.
    assert (
        "从项目结构看，全年签约项目4个，其中新建项目2个，续建项目1个，扩建、增资项目1个；"
        "工业项目1个，占比25%，农业项目1个，占比25%，科技型项目1个，占比25%；民营投资项目3个，占比75%。"
        "央企、国企投资项目1个（甲工业项目）；500强企业投资项目1个（丙总部项目）。"
        "签订总部经济项目2个（丙总部项目、丁总部项目），预计年引税额120万元（1个项目未填报预计引税额）。"
    ) in text


def test_central_urban_share_in_the_yearly_report(city, units):
    """Seed 004's 中心城区: 荆州区 flagged central. 2022 in 荆州市: the ``city`` signings (荆州区 25亿 and
    2亿, 沙市区 12亿 and 0.5亿) plus 川店镇 0.4亿 by a 国企 and 岑河镇 0.3亿 by a 央企: 6 signed, 3 in
    荆州区 (25亿, 2亿, 0.4亿) = 50%; 央企国企 2, 1 central = 50%; 10亿元以上 2 (25亿, 12亿), 1 central."""
    project(units.chuandian, 4000, signed=D(2022, 8, 1), tags=["soe"])
    project(units.cenhe, 3000, signed=D(2022, 9, 1), tags=["central_soe"])
    city.jingzhou.is_central_urban = True
    city.jingzhou.save()
    text = report("yearly", city.city, start="2022-01", end="2022-12")
    assert (
        "从项目布局看，落户中心城区的项目3个，占比50%；央企、国企投资项目2个，中心城区1个、占比50%；"
        "10亿元以上项目2个，其中落户中心城区1个。"
    ) in text
    # 沙市区 central as well: all 6 are, and both 10亿元以上 projects.
    city.shashi.is_central_urban = True
    city.shashi.save()
    text = report("yearly", city.city, start="2022-01", end="2022-12")
    assert "落户中心城区的项目6个，占比100%" in text and "2个10亿元以上项目全部落户中心城区" in text
    # A central district's own report does not count itself.
    assert "中心城区" not in report("yearly", city.jingzhou, start="2022-01", end="2022-12")


def test_no_central_urban_sentence_without_the_flag(city):
    assert "中心城区" not in report("yearly", city.city, start="2022-01", end="2022-12")


# --- 6. people and events -------------------------------------------------------------------------------


@pytest.fixture
def people(units, region_tree):
    """1–7月 2022 in 荆州区. A 驻点招商组 (驻深圳) signs 2 projects: 12亿 industrial and 0.5亿 (13.5亿元;
    1 亿元以上工业, 1 ≥10亿); in 2021 it signed one 3亿 industrial project, commenced 2022-05. Trips
    with leaders: 川店 3月 "张三（区委常委、常务副区长）、李四", 马山 4月 "李四"; one without. A 集中签约
    on 6月28日 in 荆州, 区委书记、区长 present, with the 12亿 project and a 马山 project signed there."""
    from factories import ActivityFactory
    from zhaoshang.organisation.choices import UnitKind
    from zhaoshang.organisation.models import Unit

    u = units
    office = Unit.objects.create(
        name="驻深圳招商组",
        kind=UnitKind.RESIDENT_OFFICE,
        region=region_tree.jingzhou,
        assessment_group=u.chuandian.assessment_group,
        order=9,
    )
    big = project(office, 120000, signed=D(2022, 6, 28), is_industrial=True, name="深圳电子项目")
    project(office, 5000, signed=D(2022, 7, 1), name="深圳小项目")
    project(
        office,
        30000,
        signed=D(2021, 9, 1),
        commenced_on=D(2022, 5, 1),
        is_industrial=True,
        name="上年驻点项目",
    )
    town = project(u.mashan, 20000, signed=D(2022, 6, 28), name="马山签约项目")
    ActivityFactory(
        unit=u.chuandian,
        started_on=D(2022, 3, 2),
        leaders="张三（区委常委、常务副区长）、李四",
        review_status=OK,
    )
    ActivityFactory(unit=u.mashan, started_on=D(2022, 4, 2), leaders="李四", review_status=OK)
    ActivityFactory(unit=u.mashan, started_on=D(2022, 4, 9), review_status=OK)
    signing = ActivityFactory(
        unit=u.chuandian,
        kind="signing",
        started_on=D(2022, 6, 28),
        destination="荆州",
        leaders="区委书记、区长",
        review_status=OK,
    )
    signing.signed_projects.add(big, town)
    return region_tree.jingzhou


def test_people_and_events(people):
    text = report("summary", people, start="2022-01", end="2022-07")
    # 2 of 3 trips had leaders; 李四 on both, 张三 on one (his title's 、 is not a separator).
    assert "1至7月，领导带队外出招商2次。" in text
    assert table_rows(text, "1至7月领导招商情况") == [
        ["李四", "0", "2", "0"],
        ["张三（区委常委、常务副区长）", "0", "1", "0"],
    ]
    assert (
        "1至7月，举办集中签约活动1场：6月28日在荆州举办集中签约活动（区委书记、区长出席），"
        "集中签约项目2个：深圳电子项目、马山签约项目。"
    ) in text or (
        "1至7月，举办集中签约活动1场：6月28日在荆州举办集中签约活动（区委书记、区长出席），"
        "集中签约项目2个：马山签约项目、深圳电子项目。"
    ) in text
    # The office: 2 signed, 12 + 0.5 = 12.5亿元, 1 亿元以上工业, 1 ≥ 10亿; 2021: 1 commenced, not in production.
    assert (
        "1至7月，1个驻点招商组引进项目2个，签约额12.5亿元（其中亿元以上工业项目1个，10亿元以上项目1个）。"
        "2021年驻点招商组引进的1个亿元以上工业项目，截至7月31日已开工1个。"
    ) in text
    assert "| 驻深圳招商组 | 2 | 12.5 | 1 | 0 | 0 |" in text


def test_leaders_leads_trips_and_negotiated_projects(people, units):
    """Seed 003's 四大家: on top of the ``people`` trips (李四 2, 张三 1), leads provided by 李四 (川店,
    3月) and 王五 (马山, 5月), one without a leader, one by 李四 in 2021 (outside); projects negotiated
    by 张三 (5亿, 6月1日) and 李四 (3亿, 2月10日), a withdrawn one by 李四 and one negotiated in 2021-12
    (both left out)."""
    rec = {"review_status": OK}
    LeadFactory(unit=units.chuandian, reported_on=D(2022, 3, 5), provided_by_leader="李四", **rec)
    LeadFactory(unit=units.mashan, reported_on=D(2022, 5, 6), provided_by_leader="王五（区政协主席）", **rec)
    LeadFactory(unit=units.mashan, reported_on=D(2022, 5, 7), **rec)
    LeadFactory(unit=units.mashan, reported_on=D(2021, 5, 7), provided_by_leader="李四", **rec)
    kw = {"signed": None, "stage": "negotiating"}
    project(
        units.chuandian,
        30000,
        negotiated_on=D(2022, 2, 10),
        negotiating_leader="李四",
        name="李四洽谈项目",
        **kw,
    )
    project(
        units.mashan,
        50000,
        negotiated_on=D(2022, 6, 1),
        negotiating_leader="张三（区委常委、常务副区长）",
        name="张三洽谈项目",
        **kw,
    )
    project(units.mashan, 80000, negotiated_on=D(2022, 6, 2), negotiating_leader="李四", name="退库项目",
            signed=None, stage="withdrawn", ended_on=D(2022, 7, 1), end_reason="投资方撤回")  # fmt: skip
    project(
        units.mashan, 80000, negotiated_on=D(2021, 12, 2), negotiating_leader="李四", name="上年洽谈", **kw
    )
    text = report("summary", people, start="2022-01", end="2022-07")
    # 2 leads in 1–7月 with a leader; 2 trips; 2 projects, by investment: 张三's 5亿 before 李四's 3亿.
    assert (
        "1至7月，领导提供招商信息2条，领导带队外出招商2次，领导直接洽谈项目2个（张三洽谈项目、李四洽谈项目）。"
    ) in text
    # By leader: 李四 1 lead + 2 trips + 1 project = 4; 张三 0 + 1 + 1 = 2; 王五 1 + 0 + 0 = 1.
    assert table_rows(text, "1至7月领导招商情况") == [
        ["李四", "1", "2", "1"],
        ["张三（区委常委、常务副区长）", "0", "1", "1"],
        ["王五（区政协主席）", "1", "0", "0"],
    ]


# --- 6. campaign report ---------------------------------------------------------------------------------


def test_campaign_big_projects_intentions_and_next_steps(units, region_tree):
    """“百日会战” 7月1日–9月30日 2022 in 荆州区: 川店 signs 25亿 (8月1日, commenced 9月1日) and 0.8亿
    (8月15日, not commenced); a 30亿 project (马山) has only an intention agreement (洽谈 7月10日). Lead
    targets: 川店 1, 马山 1; 川店 reports one lead, 马山 none."""
    from factories import CampaignFactory
    from zhaoshang.metrics import periods

    u = units
    jz = region_tree.jingzhou
    campaign = CampaignFactory(name="百日会战", starts_on=D(2022, 7, 1), ends_on=D(2022, 9, 30))
    project(u.chuandian, 250000, signed=D(2022, 8, 1), commenced_on=D(2022, 9, 1), name="智能终端基地项目")
    project(u.chuandian, 8000, signed=D(2022, 8, 15), name="冷链物流项目")
    project(
        u.mashan,
        300000,
        signed=None,
        stage="negotiating",
        negotiated_on=D(2022, 7, 10),
        is_intention_agreement=True,
        name="另类科技研发生产基地项目",
    )
    for unit in (u.chuandian, u.mashan):
        TargetFactory(unit=unit, region=jz, year=2022, campaign=campaign, indicator="leads", value=Decimal(1))
    LeadFactory(unit=u.chuandian, reported_on=D(2022, 8, 10), review_status=OK)
    ctx = ReportContext(region=jz, period=periods.campaign(campaign), today=D(2022, 10, 8), campaign=campaign)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", generate("campaign", ctx).markdown)
    assert "活动期间新签约10亿元以上重大项目1个：智能终端基地项目（25亿元）。" in text
    assert (
        "意向项目未取得实质性进展。总投资30亿元的另类科技研发生产基地项目，目前只签订了意向性协议，尚未正式签约。"
        in text
    )
    # Next steps: of the 2 signed, 冷链物流项目 not commenced by 9月30日; the intention; 马山镇 missed its lead.
    steps = text.split("下一步工作打算")[1]
    assert "活动期间签约的2个项目中，1个尚未开工（冷链物流项目）" in steps
    assert "紧盯另类科技研发生产基地项目" in steps
    assert "对马山镇等未完成活动目标任务的单位进行督办" in steps


def test_city_quarterly_rates_counties_first(city):
    """Second quarter 2022 (4–6月): 沙市区 signs 12亿 (4月) and 0.5亿 (6月), 荆州区 2亿 (5月); 1–6月:
    荆州区 25亿 (3月) + 2亿 = 2 of 4 = 50%, 沙市区 1 of 1 = 100% (序时进度 50%: +50 and 0)."""
    text = report("quarterly", city.city, start="2022-04", end="2022-06")
    rows = table_rows(text, "1至6月各县市区主要指标完成情况（序时进度50%）")
    assert [r[:5] for r in rows] == [["沙市区", "1", "1", "100%", "50"], ["荆州区", "2", "4", "50%", "0"]]
    # The quarter's 龙虎榜: 沙市区 12.5亿元 (2 signed, 1 亿元以上), 荆州区 2亿元 (1 signed, 1).
    assert table_rows(text, "第二季度各县市区签约龙虎榜") == [
        ["1", "沙市区", "2", "1", "12.5"],
        ["2", "荆州区", "1", "1", "2"],
    ]


@pytest.fixture
def city_units(city, units):
    """The ``city`` fixture with each town's annual target of 签约亿元以上项目: 川店镇 1 (signed 1 亿元以上
    in 3月 → 100%), 马山镇 2 (1 → 50%), 岑河镇 4 (1 → 25%)."""
    for unit, value in ((units.chuandian, 1), (units.mashan, 2), (units.cenhe, 4)):
        TargetFactory(
            unit=unit, region=unit.region, year=2022, indicator="signed_projects_100m", value=Decimal(value)
        )
    return city


def test_city_bulletin_lists_units_county_by_county(city_units, units, monkeypatch):
    from zhaoshang.reports import levels

    text = report("bulletin", city_units.city, end="2022-07")
    # 二: the towns ranked across the city by completion: 川店镇 100%, 马山镇 50%, 岑河镇 25%; each
    # named with its county.
    assert "1至7月，排名依次为：川店镇（荆州区）、马山镇（荆州区）、岑河镇（沙市区）。" in text
    rows = table_rows(text, "1至7月任务单位排名")
    assert [r[:3] for r in rows] == [
        ["1", "川店镇", "荆州区"],
        ["2", "马山镇", "荆州区"],
        ["3", "岑河镇", "沙市区"],
    ]
    assert [r[5] for r in rows] == ["100%", "50%", "25%"]
    # 三: the completion tables county by county in official order (沙市区 421002, then 荆州区 421003).
    part = text.split("三、各单位目标任务完成情况")[1]
    assert part.index("（一）沙市区") < part.index("（二）荆州区")
    assert [r[1] for r in table_rows(part, "1至7月沙市区任务单位主要指标完成情况")] == ["岑河镇"]
    assert [r[1] for r in table_rows(part, "1至7月荆州区任务单位主要指标完成情况")] == ["川店镇", "马山镇"]
    # 序时进度 7/12 = 58.3%: 马山镇 50% and 岑河镇 25% are behind, each under its own county.
    assert "沙市区任务单位中，签约亿元以上项目完成率低于序时进度的单位1个：岑河镇（25%）。" in part
    assert "荆州区任务单位中，签约亿元以上项目完成率低于序时进度的单位1个：马山镇（50%）。" in part
    # With a table of two, the third town is left to its county's table.
    monkeypatch.setattr(levels, "UNITS_SHOWN", 2)
    text = report("bulletin", city_units.city, end="2022-07")
    assert [r[1] for r in table_rows(text, "1至7月任务单位排名前2位")] == ["川店镇", "马山镇"]
    assert "其余1个单位的完成情况按所属地区列于“各单位目标任务完成情况”。" in text


def test_county_bulletin_keeps_one_list(city_units):
    text = report("bulletin", city_units.jingzhou, end="2022-07")
    rows = table_rows(text, "1至7月任务单位排名")
    # 荆州区 alone: 川店镇 100%, 马山镇 50%; no county column, no county sub-headings.
    assert [r[:3] for r in rows] == [["1", "川店镇", "1"], ["2", "马山镇", "1"]]
    assert "（一）荆州区" not in text


def test_city_quarterly_units_with_their_county(city_units):
    text = report("quarterly", city_units.city, start="2022-04", end="2022-06")
    # 1–6月: 川店镇 1 of 1 = 100%, 马山镇 1 of 2 = 50%, 岑河镇 1 of 4 = 25% (12亿 in 4月).
    rows = table_rows(text, "1至6月任务单位排名")
    assert [r[:3] for r in rows] == [
        ["1", "川店镇", "荆州区"],
        ["2", "马山镇", "荆州区"],
        ["3", "岑河镇", "沙市区"],
    ]
    # The quarter's top units (4–6月): 岑河镇 12.5亿元 (12亿 + 0.5亿), 马山镇 2亿元.
    tops = table_rows(text, "第二季度签约额前十位单位")
    assert [(r[1], r[2], r[-1]) for r in tops] == [("岑河镇", "沙市区", "12.5"), ("马山镇", "荆州区", "2")]
