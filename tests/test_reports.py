"""Generated reports (SPEC §5 ``zhaoshang report``, §6 "Reports are 公文"): each kind's sentences
and figures against hand counts on a small district, and each format re-opened (python-docx,
openpyxl, pypdf) to check the same sentences came out — with the Chinese text extractable.

The district (荆州区) of ``conftest``: 川店镇 and 马山镇 (任务单位), 汽车零部件产业招商专班; 岑河镇 is in
沙市区 and never counts. Hand counts, 1–7月 2022, recognised basis:

- signed 亿元以上: P1 25亿 (川店, leading, chain, manufacturing, acquired land, listed investor),
  P2 12亿 (马山, chain, leased), P3 6亿 (专班, leading, leased, high-tech investor), P4 2亿 (川店,
  leased) → 4 projects, 45亿元; 2021: 3亿 + 1.5亿 → 2 projects, 4.5亿元 (同比增长100%, 900%);
- not counted: P5 0.5亿 (under 1亿), P6 withdrawn, P7 in 沙市区, P8 only submitted (reported basis);
- commenced 1–6月: P1 (25亿); P2 commenced in July; 2021 1–6月: one of 3亿元;
- leads: 川店 3 (1 valuable), 马山 1 valuable (in week 2022-W30); the task force none;
- trips: 川店 6 (1 out of the province), 马山 2 (both out); the task force 2 trips of 10 days;
- one pre-review meeting judging 2 projects, passing 1.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from factories import (
    ActivityFactory,
    CampaignFactory,
    EnterpriseFactory,
    LeadFactory,
    PreReviewMeetingFactory,
    PreReviewVerdictFactory,
    ProjectFactory,
    TargetFactory,
)
from zhaoshang.enterprises.models import Tag
from zhaoshang.metrics import periods
from zhaoshang.reports.choices import ExportFormat, ReportKind
from zhaoshang.reports.document import Meta
from zhaoshang.reports.exports import export
from zhaoshang.reports.figures import ReportContext
from zhaoshang.reports.generators import generate
from zhaoshang.reports.periods import parse_week, report_period
from zhaoshang.reports.render.blocks import parse
from zhaoshang.reports.render.xlsx import cell_value
from zhaoshang.reports.sections import commencement_period
from zhaoshang.reports.text import md, period_in_sentence, scope_word

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2022, 8, 3)
OK = "recognised"


def project(unit, amount, *, signed=None, commenced=None, status=OK, tags=(), **kw):
    investor = EnterpriseFactory()
    for code in tags:
        investor.tags.add(Tag.objects.get_or_create(code=code)[0])
    stage = kw.pop("stage", "commenced" if commenced else "signed")
    return ProjectFactory(
        introducing_unit=unit,
        investor=investor,
        total_investment_wan=Decimal(amount),
        stage=stage,
        signed_on=signed,
        commenced_on=commenced,
        review_status=status,
        **kw,
    )


@pytest.fixture
def district(units, region_tree):
    u = units
    jz = region_tree.jingzhou
    p = {}
    p[1] = project(
        u.chuandian,
        250000,
        name="智能终端制造基地项目",
        signed=D(2022, 3, 10),
        commenced=D(2022, 5, 20),
        negotiated_on=D(2021, 12, 1),
        is_leading_industry=True,
        is_chain=True,
        is_manufacturing=True,
        land_mode="acquisition",
        tags=["listed"],
        leader_in_charge="王副区长",
    )
    p[2] = project(
        u.mashan,
        120000,
        name="新能源电池材料项目",
        signed=D(2022, 6, 15),
        commenced=D(2022, 7, 10),
        negotiated_on=D(2022, 5, 1),
        is_chain=True,
        land_mode="leased",
    )
    p[3] = project(
        u.task_force,
        60000,
        name="汽车线束生产项目",
        signed=D(2022, 7, 5),
        is_leading_industry=True,
        land_mode="leased",
        tags=["high_tech"],
    )
    p[4] = project(u.chuandian, 20000, name="农产品冷链物流项目", signed=D(2022, 2, 1), land_mode="leased")
    p[5] = project(u.mashan, 5000, name="小型加工项目", signed=D(2022, 4, 1))
    p[6] = project(
        u.chuandian, 30000, name="退库项目", signed=D(2022, 3, 1), stage="withdrawn", end_reason="投资方撤资"
    )
    p[7] = project(u.cenhe, 100000, name="沙市区项目", signed=D(2022, 3, 1))
    p[8] = project(u.mashan, 40000, name="待认定项目", signed=D(2022, 5, 1), status="submitted")
    project(u.chuandian, 30000, name="上年项目甲", signed=D(2021, 5, 1), commenced=D(2021, 6, 1))
    project(u.mashan, 15000, name="上年项目乙", signed=D(2021, 7, 20))

    for day, valuable in ((D(2022, 3, 1), True), (D(2022, 3, 2), False), (D(2022, 3, 3), False)):
        LeadFactory(unit=u.chuandian, reported_on=day, is_valuable=valuable, review_status=OK)
    LeadFactory(
        unit=u.mashan,
        title="某公司拟投资项目",
        reported_on=D(2022, 7, 26),
        is_valuable=True,
        review_status=OK,
    )

    for i in range(6):
        ActivityFactory(
            unit=u.chuandian, started_on=D(2022, 2, 1 + i), out_of_province=i == 0, review_status=OK
        )
    for i in range(2):
        ActivityFactory(unit=u.mashan, started_on=D(2022, 4, 1 + i), out_of_province=True, review_status=OK)
    for start in (D(2022, 3, 1), D(2022, 6, 1)):
        ActivityFactory(
            unit=u.task_force,
            started_on=start,
            ended_on=start + datetime.timedelta(days=9),
            out_of_province=True,
            review_status=OK,
        )
    ActivityFactory(
        unit=u.chuandian, kind="visit", enterprise_count=4, started_on=D(2022, 5, 5), review_status=OK
    )

    meeting = PreReviewMeetingFactory(region=jz, held_on=D(2022, 4, 15))
    PreReviewVerdictFactory(meeting=meeting, project=p[2], verdict="passed")
    PreReviewVerdictFactory(meeting=meeting, project=p[5], verdict="failed")

    TargetFactory(unit=None, region=jz, year=2022, indicator="signed_projects_100m", value=Decimal(8))
    TargetFactory(unit=None, region=jz, year=2023, indicator="signed_projects_100m", value=Decimal(10))
    for unit, value in ((u.chuandian, 3), (u.mashan, 3), (u.task_force, 2)):
        TargetFactory(unit=unit, region=jz, year=2022, indicator="signed_projects_100m", value=Decimal(value))
    return p


def report(kind, region_tree, *, basis="recognised", campaign=None, **period_args):
    period = report_period(kind, today=TODAY, campaign=campaign, **period_args)
    ctx = ReportContext(
        region=region_tree.jingzhou, period=period, basis=basis, today=TODAY, campaign=campaign
    )
    return generate(kind, ctx)


def plain(markdown: str) -> str:
    """The text as read (links dropped): what every export shows; table rows cell by cell."""
    lines = []
    for block in parse(markdown):
        if block.kind == "table":
            lines += [
                "\t".join("".join(s.text for s in cell) for cell in row)
                for row in [block.header, *block.rows]
            ]
        else:
            lines.append(block.text)
    return "\n".join(lines)


# --- wording ----------------------------------------------------------------------------------------


def test_wording_helpers(region_tree):
    assert scope_word(region_tree.jingzhou) == "全区"
    assert scope_word(region_tree.city) == "全市"
    assert period_in_sentence(periods.year_to_date(2022, 7)) == "1至7月"
    assert period_in_sentence(periods.month(2022, 7)) == "7月"
    assert md("A*B[1]|") == "A\\*B\\[1\\]\\|"
    week = parse_week("2022-W30")
    assert (week.start, week.end, week.label) == (D(2022, 7, 25), D(2022, 7, 31), "2022年第30周")
    with pytest.raises(ValueError):
        parse_week("2022-W60")


def test_commencements_lag_one_month_as_seed_000():
    assert commencement_period(periods.year_to_date(2022, 7)).label == "2022年1至6月"
    assert commencement_period(periods.month(2022, 7)).label == "2022年7月"
    assert commencement_period(periods.year_to_date(2022, 1)).label == "2022年1月"


def test_report_periods():
    assert report_period("bulletin", end="2022-07", today=TODAY).label == "2022年1至7月"
    assert report_period("leaderboard", end="2022-07", today=TODAY).label == "2022年7月"
    assert report_period("quarterly", end="2022-08", today=TODAY).label == "2022年第三季度"
    assert report_period("quarterly", today=TODAY).label == "2022年第二季度"
    assert report_period("assessment", start="2022-04", end="2022-06", today=TODAY).label == "2022年第二季度"
    assert report_period("summary", today=TODAY).label == "2022年1至7月"
    with pytest.raises(ValueError):
        report_period("campaign", today=TODAY)


# --- 工作情况汇报 ---------------------------------------------------------------------------------------


def test_summary_opening_paragraph(district, region_tree):
    text = plain(report("summary", region_tree, start="2022-01", end="2022-07").markdown)
    assert text.splitlines()[0] == "荆州区2022年1至7月招商引资工作情况汇报"
    # The basis is stated once, in the closing 注 line, not under the title.
    assert text.splitlines()[1].startswith("1至7月，全区")
    assert text.rstrip().splitlines()[-1] == "注：本文数据为认定口径。"
    assert (
        "1至7月，全区签约亿元以上招商引资项目4个，同比增长100%，签约额45亿元，同比增长900%。"
        "其中20亿元以上项目1个，10-20亿元（不含20亿元）项目1个，5-10亿元（不含10亿元）项目1个。"
        "1至6月新增开工入库招商引资项目1个，与上年同期持平，计划总投资25亿元，同比增长733.3%，"
        "其中10亿元以上重大项目1个。"
    ) in text


def test_summary_quality_activity_prereview(district, region_tree):
    text = plain(report("summary", region_tree, start="2022-01", end="2022-07").markdown)
    assert (
        "1至7月签约的4个亿元以上项目中，产业链项目2个，占比50%；主导产业项目2个，占比50%；"
        "制造业项目1个，占比25%；无战略性新兴产业项目；上市公司、头部企业投资项目1个，占比25%；"
        "高新技术企业投资项目1个，占比25%。"
    ) in text
    assert "从用地方式看，征地项目1个，占比25%；租赁厂房项目3个，占比75%。" in text
    # 6 + 2 + 2 trips; 川店 one day each (6), 马山 (2), the task force 2 × 10 days.
    assert "1至7月，全区共开展外出招商10次（其中出省招商5次），累计外出28天；拜访企业4家。" in text
    assert "1至7月共召开项目预审会1次，研判项目2个，通过项目预审1个。" in text
    assert "1至7月各单位共上报招商信息4条，其中有价值信息2条，占比50%。" in text


def test_summary_problems_are_driven_by_the_data(district, region_tree):
    text = plain(report("summary", region_tree, start="2022-01", end="2022-07").markdown)
    # Leading-industry share 50% < 60%: the bands below the floor named. The 20亿元以上 band (P1,
    # leading: 100%) is not weak and is not written under the weakness heading; the 10–20亿 band
    # (P2, not leading) has none.
    assert "20亿元以上项目1个" not in text.split("存在的问题")[1]
    assert "1至7月新签约10-20亿元（不含20亿元）项目1个，无主导产业项目" in text
    assert "新签约亿元以上项目4个，主导产业项目仅2个，占比50%" in text
    assert "征地项目仅1个，占比25%，租赁厂房类项目3个，占比75%" in text
    # 马山镇 went out twice (≤ 5); 川店镇 out of the province once (≤ 1).
    assert "全区有1个任务单位外出招商少于（含）5次，分别是：马山镇" in text
    assert "有1个任务单位出省招商少于（含）1次，分别是：川店镇" in text
    # The task force: 20 days in 7 months = 2.857… → 2.9 a month, below 20.
    assert "1个产业招商专班每月平均外出3天，均未达到每月20天的工作要求（汽车零部件专班2.9天）" in text
    assert "1至7月无上报新信息单位1个，分别是：汽车零部件产业招商专班。" in text
    # Of the 4 signed, P1 and P2 commenced by 31 July: 50% is not below the floor.
    assert "项目落地慢" not in text


def test_summary_rankings_fall_back_to_the_metrics(district, region_tree):
    text = plain(report("summary", region_tree, start="2022-01", end="2022-07").markdown)
    assert "（一）任务单位排位情况" in text
    assert "1至7月，排名依次为：川店镇、马山镇。" in text
    assert "注：该组别尚未制定考核办法" in text
    assert "（二）产业招商专班排位情况" in text
    # Targets: 4 of 8 = 50%, 序时进度 7/12 = 58.3%.
    assert "签约亿元以上项目4个，完成全年任务的50%，低于序时进度8.3个百分点" in text


def test_summary_uses_the_assessment_scheme_when_there_is_one(district, region_tree, units):
    from zhaoshang.assessment.defaults import create_default_schemes

    create_default_schemes(year=2022, region=region_tree.jingzhou)
    text = plain(report("summary", region_tree, start="2022-01", end="2022-07").markdown)
    assert "经考核认定，1至7月各考核组别排位情况如下。" in text
    assert "考核结果尚未发布" in text
    table = next(
        b for b in parse(report("assessment", region_tree, end="2022-07").markdown) if b.kind == "table"
    )
    assert [c[0].text for c in table.header][:3] == ["排名", "单位", "基本分"]


def test_reported_basis_counts_submitted_records(district, region_tree):
    text = plain(report("summary", region_tree, basis="reported", start="2022-01", end="2022-07").markdown)
    assert text.rstrip().splitlines()[-1] == "注：本文数据为上报口径。"
    assert "全区签约亿元以上招商引资项目5个，同比增长150%，签约额49亿元" in text


def test_figures_link_to_their_records(district, region_tree):
    markdown = report("summary", region_tree, start="2022-01", end="2022-07").markdown
    assert (
        "[4个](/projects/?signed_from=2022-01-01&signed_to=2022-07-31&size=1yi&review_status=recognised)"
        in markdown
    )
    assert "[1次](/prereviews/?held_from=2022-01-01&held_to=2022-07-31)" in markdown


# --- the other kinds ------------------------------------------------------------------------------


def test_weekly(district, region_tree):
    text = plain(report("weekly", region_tree, week="2022-W30").markdown)
    assert text.splitlines()[1] == "（2022年第30周；7月25日至7月31日）"
    assert text.rstrip().splitlines()[-1] == "注：本文数据为认定口径。"
    assert "本周（7月25日至7月31日），全区新上报招商信息1条，其中经研判有价值信息1条。" in text
    assert "某公司拟投资项目" in text
    # P1 (25亿) and P2 (12亿) are key projects; both commenced by 31 July.
    assert "截至7月31日，全区在推进的10亿元以上重点项目2个，其中开工2个" in text
    assert "沙市区项目" not in text and "退库项目" not in text


def test_bulletin(district, region_tree):
    text = plain(report("bulletin", region_tree, end="2022-07").markdown)
    assert text.splitlines()[0] == "关于2022年7月全区招商引资工作情况的通报"
    assert "7月当月，全区签约亿元以上项目1个，与上年同期持平" in text  # P3 vs 上年项目乙
    assert "1至7月累计，全区签约亿元以上项目4个，完成全年任务的50%，低于序时进度8.3个百分点" in text
    # Unit completion: 川店 2 of 3, 马山 1 of 3 (below 58.3%), the task force 1 of 2.
    assert "签约亿元以上项目完成率低于序时进度的单位1个：马山镇（33.3%）" in text
    assert "排名末位的单位：马山镇（末位）" in text
    # Nothing reported in July: 川店镇 (no lead, activity or signing in July).
    assert "7月无任何上报记录（招商信息、招商活动、签约项目均为0）的单位1个：川店镇。" in text


def test_bulletin_the_same_when_every_units_records_are_read(district, region_tree, monkeypatch):
    """Beyond ``FEW_UNITS`` units, each unit's value (and the silent units) is read from the records
    of every unit (the other district's too) and kept for the region's units: the same bulletin."""
    from zhaoshang.reports import figures

    expected = report("bulletin", region_tree, end="2022-07").markdown
    monkeypatch.setattr(figures, "FEW_UNITS", 0)
    markdown = report("bulletin", region_tree, end="2022-07").markdown
    assert markdown == expected
    assert "7月无任何上报记录（招商信息、招商活动、签约项目均为0）的单位1个：川店镇。" in plain(markdown)


def test_leaderboard(district, region_tree):
    markdown = report("leaderboard", region_tree, start="2022-01", end="2022-07").markdown
    text = plain(markdown)
    assert (
        "1至7月，全区签约项目5个，同比增长150%，签约额45.5亿元，同比增长911.1%，其中亿元以上项目4个。" in text
    )
    table = next(b for b in parse(markdown) if b.kind == "table")
    rows = [[cell[0].text if cell else "" for cell in row] for row in table.rows]
    assert rows == [["1", "川店镇", "2", "2", "27"], ["2", "马山镇", "2", "1", "12.5"]]


def test_quarterly(district, region_tree):
    text = plain(report("quarterly", region_tree, end="2022-06").markdown)
    assert text.splitlines()[0] == "关于2022年第二季度招商引资工作评比情况的通报"
    assert "第二季度，全区签约亿元以上项目1个，与上年同期持平；亿元以上项目签约额12亿元，同比增长300%" in text
    assert "1至6月累计，全区签约亿元以上项目3个，完成全年任务的37.5%，低于序时进度12.5个百分点" in text


def test_campaign_as_seed_001(district, region_tree, units):
    campaign = CampaignFactory(name="百日会战", starts_on=D(2022, 7, 1), ends_on=D(2022, 9, 30))
    jz = region_tree.jingzhou
    TargetFactory(unit=None, region=jz, year=2022, campaign=campaign, indicator="leads", value=Decimal(10))
    TargetFactory(unit=None, region=jz, year=2022, campaign=campaign, indicator="visits", value=Decimal(20))
    for unit in (units.chuandian, units.mashan):
        TargetFactory(unit=unit, region=jz, year=2022, campaign=campaign, indicator="leads", value=Decimal(1))
    LeadFactory(unit=units.chuandian, reported_on=D(2022, 8, 10), review_status=OK)
    ActivityFactory(
        unit=units.chuandian, kind="visit", enterprise_count=5, started_on=D(2022, 8, 1), review_status=OK
    )
    ctx = ReportContext(region=jz, period=periods.campaign(campaign), today=D(2022, 10, 8), campaign=campaign)
    text = plain(generate("campaign", ctx).markdown)
    assert text.splitlines()[0] == "荆州区“百日会战”活动总结"
    assert (
        "“百日会战”活动期间，全区共收集招商信息2条，占目标任务10条的20%，其中有价值信息1条；"
        "外出走访企业5家，占目标任务20家的25%；新签项目1个，签约合同资金6亿元，其中亿元以上项目1个；"
        "新开工项目1个。"
    ) in text
    assert "2项目标任务无一完成，完成比例最高的为25%（外出走访企业），最低的为20%（收集招商信息）" in text
    assert "其中招商信息收集任务，2个有任务的单位中2个完成任务" in text


def test_yearly_with_next_years_targets(district, region_tree):
    text = plain(report("yearly", region_tree, start="2022-01", end="2022-12").markdown)
    assert text.splitlines()[0] == "荆州区2022年招商引资工作总结"
    assert "2023年全区招商引资工作的主要预期目标为：签约亿元以上项目10个。" in text


def test_assessment_from_metrics_without_scheme(district, region_tree):
    text = plain(report("assessment", region_tree, end="2022-07").markdown)
    assert text.splitlines()[0] == "荆州区2022年1至7月招商引资考核结果"
    assert "2022年尚未制定考核办法" in text
    assert "1至7月，任务单位第一名：川店镇；马山镇（末位）。" in text


# --- formats --------------------------------------------------------------------------------------

META = Meta(
    title="荆州区2022年1至7月招商引资工作情况汇报",
    classification="内部资料",
    doc_number="荆区招办〔2022〕8号",
    issuer="荆州区招商引资工作领导小组办公室",
    issued_on=D(2022, 8, 3),
    watermark="周文静 2022-08-03 10:00",
)
OPENING = "1至7月，全区签约亿元以上招商引资项目4个，同比增长100%，签约额45亿元，同比增长900%。"


@pytest.fixture
def summary(district, region_tree):
    return report("summary", region_tree, start="2022-01", end="2022-07")


def test_markdown_export_reads_like_a_document(summary):
    text = export(text=summary.markdown, charts=summary.charts, meta=META, fmt="md").decode()
    lines = [line for line in text.splitlines() if line]
    assert lines[:3] == ["内部资料", "荆区招办〔2022〕8号", "# 荆州区2022年1至7月招商引资工作情况汇报"]
    assert OPENING in text
    assert "](/projects/" not in text  # links belong to the HTML view
    # No chart placeholder: the chart comes as its caption and its data (亿元以上 amounts by month,
    # 2022 against 2021: P4 2亿 in 2月, P1 25亿 in 3月, P2 12亿 in 6月, P3 6亿 in 7月; 2021: 3亿 in 5月,
    # 1.5亿 in 7月).
    assert "](chart:" not in text
    assert "图1　1至7月签约亿元以上项目签约额逐月对比（亿元）" in text
    assert "| 3月 | 25 | 0 |" in text and "| 7月 | 6 | 1.5 |" in text
    assert text.rstrip().endswith("荆州区招商引资工作领导小组办公室  \n2022年8月3日")


def test_docx_in_official_layout(summary):
    content = export(text=summary.markdown, charts=summary.charts, meta=META, fmt="docx")
    document = Document(io.BytesIO(content))
    section = document.sections[0]
    assert [
        round(x.mm)
        for x in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ] == [37, 35, 28, 26]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "内部资料"
    title = next(p for p in document.paragraphs if p.text == META.title)
    assert title.style.name == "公文标题"
    fonts = title.style.element.rPr.rFonts
    assert (
        fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "方正小标宋简体"
    )
    assert title.style.font.size.pt == 22
    body = next(p for p in document.paragraphs if p.text.startswith("1至7月，全区签约"))
    assert body.text.startswith(OPENING)
    assert body.style.name == "Normal"
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16
    assert (
        normal.element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        == "仿宋_GB2312"
    )
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "一、综合考核情况") in headings
    assert ("Heading 2", "（一）任务单位排位情况") in headings
    assert (
        document.styles["Heading 1"].element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        == "黑体"
    )
    assert (
        document.styles["Heading 2"].element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        == "楷体_GB2312"
    )
    assert texts[-2:] == ["荆州区招商引资工作领导小组办公室", "2022年8月3日"]
    assert "PAGE" in section.footer._element.xml and "PAGE" in section.even_page_footer._element.xml
    assert META.watermark in section.header._element.xml
    assert len(document.inline_shapes) == 3  # trend, industries, size bands
    ranking = document.tables[0]
    assert [c.text for c in ranking.rows[1].cells][:2] == ["1", "川店镇"]


def test_xlsx_one_sheet_per_table_numbers_as_numbers(summary):
    content = export(text=summary.markdown, charts=summary.charts, meta=META, fmt="xlsx")
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames[0] == "正文"
    assert any(str(row[0]).startswith(OPENING) for row in workbook["正文"].iter_rows(values_only=True))
    sheet = workbook["1至7月任务单位排名"]
    assert [c.value for c in sheet[2]][:3] == ["排名", "单位", "签约亿元以上项目（个）"]
    assert [c.value for c in sheet[3]][:5] == [1, "川店镇", 2, 3, pytest.approx(0.667)]
    assert sheet["E3"].number_format == "0.0%"
    industries = workbook["1至7月签约亿元以上项目分产业情况"]
    total = [c.value for c in industries[industries.max_row]]
    assert total[:2] == ["合计", 4] and float(total[3]) == 45


def test_pdf_text_extracts_as_chinese(summary):
    content = export(text=summary.markdown, charts=summary.charts, meta=META, fmt="pdf")
    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert META.title in text
    assert OPENING in text
    assert "— 1 —" in text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("NotoSerifCJK" in f.replace("-", "") or "Noto-Serif-CJK" in f for f in fonts), fonts
    # WeasyPrint shares one resource dictionary between pages: count distinct pictures.
    images = {image.data for page in reader.pages for image in page.images}
    assert len(images) == 3


def test_cell_values():
    assert cell_value("66") == (66, None)
    assert cell_value("345.7") == (Decimal("345.7"), None)
    assert cell_value("61.4%") == (Decimal("0.614"), "0.0%")
    assert cell_value("50%") == (Decimal("0.5"), "0%")
    assert cell_value("—") == (None, None)
    assert cell_value("川店镇") == ("川店镇", None)


@pytest.mark.parametrize("kind", ReportKind.values)
def test_every_kind_in_every_format(kind, district, region_tree, units, tmp_path):
    campaign = CampaignFactory(name="百日会战", starts_on=D(2022, 7, 1), ends_on=D(2022, 7, 31))
    TargetFactory(
        unit=None,
        region=region_tree.jingzhou,
        year=2022,
        campaign=campaign,
        indicator="leads",
        value=Decimal(4),
    )
    result = report(kind, region_tree, start="2022-01", end="2022-07", week="2022-W30", campaign=campaign)
    title = result.title
    meta = Meta(title=title, classification="内部资料", issuer="荆州区招商局", issued_on=TODAY)
    for fmt in ExportFormat.values:
        content = export(text=result.markdown, charts=result.charts, meta=meta, fmt=fmt)
        if fmt == "md":
            assert f"# {title}" in content.decode()
        elif fmt == "docx":
            # A long title is broken by hand into balanced lines (a line break inside the paragraph).
            assert title in [p.text.replace("\n", "") for p in Document(io.BytesIO(content)).paragraphs]
        elif fmt == "xlsx":
            assert title in [
                r[0] for r in load_workbook(io.BytesIO(content))["正文"].iter_rows(values_only=True)
            ]
        elif fmt == "pdf" and kind in ("weekly", "leaderboard", "campaign"):  # PDF is slow: three kinds
            assert title in PdfReader(io.BytesIO(content)).pages[0].extract_text().replace("\n", "")


def test_command_writes_files_and_markdown_to_stdout(district, region_tree, tmp_path, capsys):
    out = io.StringIO()
    call_command(
        "report", "summary", "--from", "2022-01", "--to", "2022-07", "--region", "421003", stdout=out
    )
    assert OPENING in out.getvalue()
    target = tmp_path / "bulletin.docx"
    call_command(
        "report", "bulletin", "--to", "2022-07", "--region", "421003", "-o", str(target), stderr=io.StringIO()
    )
    assert "关于2022年7月全区招商引资工作情况的通报" in [p.text for p in Document(str(target)).paragraphs]


def test_command_errors(district):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="-o"):
        call_command("report", "summary", "--format", "pdf", "--region", "421003")
    with pytest.raises(CommandError, match="未找到专项行动"):
        call_command("report", "campaign", "--campaign", "没有的行动", "--region", "421003")
    with pytest.raises(CommandError, match="YYYY-Www"):
        call_command("report", "weekly", "--week", "2022-30", "--region", "421003")
