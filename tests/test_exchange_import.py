"""``zhaoshang import`` and the import service (SPEC §5): messy cells read right, all rows or none,
problems named by row and column, re-import is a no-op, the reporter's own unit only."""

import datetime
from decimal import Decimal

import pytest

from factories import EnterpriseFactory, ProjectFactory, valid_credit_code
from test_exchange_support import industries, problem_lines, run_import, tags, write_xlsx  # noqa: F401
from zhaoshang.activities.models import Activity
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.choices import ReviewStatus
from zhaoshang.enterprises.models import Contact, Enterprise
from zhaoshang.exchange.services import import_file
from zhaoshang.leads.models import Lead
from zhaoshang.organisation.choices import Role
from zhaoshang.projects.models import FundsRecord, Project
from zhaoshang.targets.models import Campaign, Target

pytestmark = pytest.mark.django_db

CODE_A = valid_credit_code(101)
CODE_B = valid_credit_code(102)


@pytest.fixture(params=["calamine", "openpyxl"])
def reader(request, monkeypatch):
    """Both readers: python-calamine when installed, openpyxl's read-only mode without it."""
    import importlib.util

    from zhaoshang.exchange import readers

    if request.param == "calamine" and importlib.util.find_spec("python_calamine") is None:
        pytest.skip("python-calamine is not installed")
    if request.param == "openpyxl":
        monkeypatch.setattr(readers, "_has", lambda module: False)
    return request.param


def test_messy_project_cells_import_to_exact_values(tmp_path, units, industries, tags, reader):  # noqa: F811
    path = write_xlsx(
        tmp_path / "projects.xlsx",
        title_rows=[["2022年1—7月招商项目台账"], ["填报单位:荆州区招商局", None, None, "单位:亿元"], []],
        rows=[
            ["序号", "项目名称*", " 投 资 方 ", "统一社会信用代码", "引进单位", "总投资（亿元）", "项目阶段",
             "签约日期", "所属产业", "工业项目", "用地面积（亩）", "投资方类型", "备注"],
            [1, "  汽车   零部件\u3000项目 ", "荆州甲有限公司", f" {CODE_A} ", "川店镇", 15, "签约",
             "2022年7月3日", "汽车零部件", "√", "１２０", "上市公司、世界500强", None],
            [2, "生物医药项目", "荆州乙有限公司", CODE_B, "汽车零部件专班", "1.2亿", "已签约", "2022/7/3",
             None, "×", None, None, None],
            [3, "物流项目", "荆州丙有限公司", None, " 马山镇 ", "8000万元", "签约", 44745, None, "Y", None, None,
             None],
            [4, "食品项目", "荆州丁有限公司", None, "岑河镇", "一千二百万", "签约", "2022.7.3", None, "N", None,
             None, "第一行\n第二行"],
            [5, "电子项目", "荆州戊有限公司", None, "川店镇", "0.5", "洽谈", datetime.datetime(2022, 7, 3), None,
             "是", None, None, None],
        ],
    )  # fmt: skip
    report = import_file(user=None, kind="projects", path=path)
    assert report.problems == []
    assert report.header_row == 4
    assert (report.created, report.updated, report.rows) == (5, 0, 5)

    first = Project.objects.get(name="汽车 零部件 项目")
    assert first.total_investment_wan == Decimal("150000")
    assert first.introducing_unit == units.chuandian
    assert first.region == units.chuandian.region
    assert first.signed_on == datetime.date(2022, 7, 3)
    assert first.stage == "signed"
    assert first.industry == industries["auto"]
    assert first.is_industrial is True
    assert first.land_area_mu == Decimal("120")
    assert first.investor.credit_code == CODE_A
    assert set(first.investor.tags.values_list("code", flat=True)) == {"listed", "global500"}
    assert first.review_status == ReviewStatus.RECOGNISED  # the command line acts for the bureau
    assert first.recognised_at is not None

    values = {
        p.name: (p.total_investment_wan, p.signed_on, p.is_industrial, p.introducing_unit.name)
        for p in Project.objects.select_related("introducing_unit")
    }
    july_3 = datetime.date(2022, 7, 3)
    assert values["生物医药项目"] == (Decimal("12000"), july_3, False, "汽车零部件产业招商专班")
    assert values["物流项目"] == (Decimal("8000"), july_3, True, "马山镇")
    assert values["食品项目"] == (Decimal("1200"), july_3, False, "岑河镇")
    assert values["电子项目"] == (Decimal("5000"), july_3, True, "川店镇")
    assert Project.objects.get(name="食品项目").note == "第一行\n第二行"


def test_messy_funds_cells(tmp_path, units):
    project = ProjectFactory(
        name="汽车零部件项目", introducing_unit=units.chuandian, total_investment_wan=50000
    )
    path = write_xlsx(
        tmp_path / "funds.xlsx",
        [
            [
                "项目名称",
                "引进单位",
                "月份",
                "到位资金(万元)",
                "其中省外资金(万元)",
                "外资到位(万美元)",
                "现汇进资",
            ],
            ["汽车零部件项目", "川店镇", "2022-07", "12,000", "１５", "100", "50万美元"],
            ["汽车零部件项目", "川店镇", "2022年6月", "一千二百", None, None, None],
            ["汽车零部件项目", "川店镇", 2022.05, "0.5亿", None, None, None],
            ["汽车零部件项目", "川店镇", datetime.datetime(2022, 4, 1), "8000万元", None, None, None],
        ],
    )
    report = import_file(user=None, kind="funds", path=path)
    assert report.problems == []
    funds = {f.month: f for f in FundsRecord.objects.filter(project=project)}
    july = funds[datetime.date(2022, 7, 1)]
    assert (july.amount_wan, july.outside_province_wan) == (Decimal("12000"), Decimal("15"))
    assert (july.foreign_usd_wan, july.foreign_cash_usd_wan) == (Decimal("100"), Decimal("50"))
    assert funds[datetime.date(2022, 6, 1)].amount_wan == Decimal("1200")
    assert funds[datetime.date(2022, 5, 1)].amount_wan == Decimal("5000")
    assert funds[datetime.date(2022, 4, 1)].amount_wan == Decimal("8000")


def _lead_rows(n: int, bad_at: int | None = None) -> list[list]:
    rows = [["信息名称*", "上报单位*", "上报日期*", "拟投资额(万元)", "是否有价值"]]
    for i in range(n):
        unit = "某某" if i == bad_at else "川店镇"
        rows.append([f"招商信息{i}", unit, "2022-03-01", 1000 + i, "是"])
    return rows


def test_hundred_rows_with_one_bad_row_write_nothing(tmp_path, units):
    path = write_xlsx(tmp_path / "leads.xlsx", _lead_rows(100, bad_at=56))
    audit_rows = AuditEntry.objects.count()
    report = import_file(user=None, kind="leads", path=path)
    assert [str(p) for p in report.problems] == ["第58行 〈上报单位〉: 未找到单位“某某”"]
    assert report.rows == 100
    assert not report.committed
    assert Lead.objects.count() == 0
    assert AuditEntry.objects.count() == audit_rows


def test_every_problem_listed_at_once(tmp_path, units):
    path = write_xlsx(
        tmp_path / "leads.xlsx",
        [
            ["信息名称", "上报单位", "上报日期", "拟投资额(万元)"],
            ["信息一", "川店镇", "2022-02-30", "12万x"],
            ["信息二", "某某", "2022-03-01", None],
            [None, "川店镇", "2022-03-01", None],
            ["信息一", "川店镇", "2022-03-01", None],
            [
                "信息名称",
                "上报单位",
                "上报日期",
                "拟投资额(万元)",
            ],  # the header again (printed pages): skipped
            ["信息一", "川店镇", "2022-03-01", None],
            ["合计", None, None, 12],  # a footer: skipped
        ],
    )
    status, _out, err = run_import("leads", str(path))
    assert status == 1
    assert problem_lines(err) == [
        "第2行 〈上报日期〉: 日期“2022-02-30”不存在",
        "第2行 〈拟投资额(万元)〉: 无法识别的金额“12万x”",
        "第3行 〈上报单位〉: 未找到单位“某某”",
        "第4行 〈信息名称〉: 必填",
        "第7行: 与第5行是同一条记录(信息名称、上报单位和上报日期相同)",
    ]
    assert Lead.objects.count() == 0


def test_header_problems(tmp_path, units):
    path = write_xlsx(tmp_path / "leads.xlsx", [["信息名称", "日期"], ["信息一", "2022-03-01"]])
    status, _out, err = run_import("leads", str(path))
    assert status == 1
    assert problem_lines(err) == ["表头: 未找到表头行,缺少必填列〈上报单位〉"]

    path = write_xlsx(
        tmp_path / "dup.xlsx",
        [["信息名称", "上报单位", "上报日期", "报送单位"], ["信息一", "川店镇", "2022-03-01", "x"]],
    )
    status, _out, err = run_import("leads", str(path))
    assert (status, problem_lines(err)) == (1, ["表头 〈报送单位〉: 列重复(第B列和第D列)"])


def test_command_success_output_and_dry_run(tmp_path, units):
    path = write_xlsx(tmp_path / "leads.xlsx", _lead_rows(3))
    status, out, err = run_import("leads", str(path), "--dry-run")
    assert (status, err) == (0, "")
    assert "检查通过" in out and "新增3条" in out
    assert Lead.objects.count() == 0

    status, out, err = run_import("leads", str(path), "--as-reported")
    assert (status, err) == (0, "")
    assert "已导入招商信息:新增3条,更新0条,未变0条" in out
    assert set(Lead.objects.values_list("review_status", flat=True)) == {ReviewStatus.SUBMITTED}
    assert set(Lead.objects.values_list("is_valuable", flat=True)) == {True}


def test_progress_line_on_request(tmp_path, units):
    path = write_xlsx(tmp_path / "leads.xlsx", _lead_rows(3))
    status, _out, err = run_import("leads", str(path), "--dry-run", "--progress")
    assert status == 0
    assert err.splitlines()[-1] == "进度 3/3 行(100%)"


def test_missing_file_and_unknown_campaign(tmp_path, units):
    status, _out, err = run_import("leads", str(tmp_path / "missing.xlsx"))
    assert status == 1 and err.startswith("文件: 文件不存在")
    status, _out, err = run_import("targets", str(tmp_path / "x.xlsx"), "--campaign", "没有的行动")
    assert (status, err.strip()) == (1, "参数: 未找到专项行动“没有的行动”")


def test_reimport_changes_nothing_and_updates_are_audited(tmp_path, units, tags):  # noqa: F811
    header = ["项目名称", "投资方", "统一社会信用代码", "引进单位", "总投资(万元)", "项目阶段", "签约日期",
              "投资方类型"]  # fmt: skip
    rows = [header] + [
        [f"项目{i}", f"投资方{i}有限公司", valid_credit_code(200 + i), "川店镇", 1000 * (i + 1), "签约", "2022-03-01",
         "上市公司"]
        for i in range(5)
    ]  # fmt: skip
    path = write_xlsx(tmp_path / "projects.xlsx", rows)
    assert import_file(user=None, kind="projects", path=path).created == 5

    before = (Project.objects.count(), Enterprise.objects.count(), AuditEntry.objects.count())
    versions = list(Project.objects.order_by("pk").values_list("version", flat=True))
    again = import_file(user=None, kind="projects", path=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert (Project.objects.count(), Enterprise.objects.count(), AuditEntry.objects.count()) == before
    assert list(Project.objects.order_by("pk").values_list("version", flat=True)) == versions

    rows[3][4] = "2.5亿"
    write_xlsx(path, rows)
    changed = import_file(user=None, kind="projects", path=path)
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 4)
    project = Project.objects.get(name="项目2")
    assert project.total_investment_wan == Decimal("25000")
    entry = AuditEntry.objects.filter(
        model="projects.project", object_id=str(project.pk), action="update"
    ).get()
    assert (entry.before["total_investment_wan"], entry.after["total_investment_wan"]) == ("3000", "25000")
    assert changed.outcomes == [
        {"row": 4, "action": "updated", "label": "项目2", "changes": ["总投资(万元)"]}
    ]


def test_reporter_may_import_only_their_own_unit(tmp_path, units, make_user):
    reporter = make_user(Role.REPORTER, unit=units.chuandian)
    path = write_xlsx(
        tmp_path / "leads.xlsx",
        [
            ["信息名称", "上报单位", "上报日期", "是否有价值"],
            ["本单位信息", "川店镇", "2022-03-01", "是"],
            ["别人的信息", "马山镇", "2022-03-01", None],
        ],
    )
    report = import_file(user=reporter, kind="leads", path=path)
    assert [str(p) for p in report.problems] == [
        "第3行 〈上报单位〉: 只能导入本单位(川店镇)的数据,不能导入“马山镇”的数据"
    ]
    assert Lead.objects.count() == 0

    write_xlsx(
        path,
        [["信息名称", "上报单位", "上报日期", "是否有价值"], ["本单位信息", "川店镇", "2022-03-01", "是"]],
    )
    report = import_file(user=reporter, kind="leads", path=path)
    lead = Lead.objects.get()
    assert (report.created, lead.review_status, lead.created_by) == (1, ReviewStatus.DRAFT, reporter)
    assert lead.is_valuable is None  # the bureau's judgement is not taken from a unit's file


def test_unit_head_rows_come_in_submitted_and_recognised_records_are_locked(tmp_path, units, make_user):
    head = make_user(Role.UNIT_HEAD, unit=units.chuandian)
    path = write_xlsx(tmp_path / "leads.xlsx", [["信息名称", "上报单位", "上报日期", "备注"],
                                                ["信息", "川店镇", "2022-03-01", "初稿"]])  # fmt: skip
    import_file(user=head, kind="leads", path=path)
    lead = Lead.objects.get()
    assert lead.review_status == ReviewStatus.SUBMITTED
    Lead.objects.update(review_status=ReviewStatus.RECOGNISED)
    assert import_file(user=head, kind="leads", path=path).unchanged == 1  # unchanged: fine
    write_xlsx(path, [["信息名称", "上报单位", "上报日期", "备注"], ["信息", "川店镇", "2022-03-01", "改了"]])
    report = import_file(user=head, kind="leads", path=path)
    assert [p.message for p in report.problems] == [
        "该记录已认定,不能再通过导入修改(如需修改请联系招商局退回)"
    ]


def test_possible_duplicates_and_extreme_values_are_warned(tmp_path, units):
    investor = EnterpriseFactory(name="荆州某某汽车零部件有限公司", credit_code=CODE_A)
    ProjectFactory(
        name="汽车零部件项目", investor=investor, introducing_unit=units.mashan, total_investment_wan=10000
    )
    path = write_xlsx(
        tmp_path / "projects.xlsx",
        [
            ["项目名称", "投资方", "统一社会信用代码", "引进单位", "总投资(万元)", "项目阶段"],
            ["年产10万套汽车零部件项目", "荆州某某汽车零部件有限公司", CODE_A, "川店镇", 10500, "洽谈"],
            ["超大项目", "荆州某某汽车零部件(集团)公司", None, "岑河镇", "120亿", "洽谈"],
        ],
    )
    status, out, err = run_import("projects", str(path))
    assert status == 0
    assert "新增2条" in out
    warnings = err.splitlines()
    assert warnings[0].startswith(
        "提示: 第2行 〈投资方〉: 可能与“汽车零部件项目”(马山镇,总投资10000万元)重复"
    )
    assert "第3行 〈总投资(万元)〉: 单个项目总投资在100亿元以上,请核实" in err


def test_enterprises_contacts_and_masked_phones(tmp_path, tags):  # noqa: F811
    header = ["企业名称", "统一社会信用代码", "企业标签", "联系人", "联系电话"]
    path = write_xlsx(
        tmp_path / "e.xlsx", [header, ["荆州甲有限公司", CODE_A, "上市公司、央企", "张三", 13812345678]]
    )
    assert import_file(user=None, kind="enterprises", path=path).created == 1
    enterprise = Enterprise.objects.get()
    assert list(enterprise.contacts.values_list("name", "phone")) == [("张三", "13812345678")]
    assert set(enterprise.tags.values_list("code", flat=True)) == {"listed", "central_soe"}

    # A masked phone (as a reporter's export shows it) means "unchanged"; a new name is a new contact.
    write_xlsx(
        path,
        [
            header,
            ["荆州甲有限公司(更名)", CODE_A, "上市公司、央企", "张三、李四", "138****5678、13900001111"],
        ],
    )
    report = import_file(user=None, kind="enterprises", path=path)
    assert (report.created, report.updated) == (0, 1)
    enterprise.refresh_from_db()
    assert enterprise.name == "荆州甲有限公司(更名)"  # found by its credit code
    assert list(Contact.objects.order_by("pk").values_list("name", "phone")) == [
        ("张三", "13812345678"),
        ("李四", "13900001111"),
    ]
    change = AuditEntry.objects.filter(model="enterprises.enterprise", action="update").get()
    assert change.after["联系人"] == [["张三", "138****5678"], ["李四", "139****1111"]]  # masked in the trail


def test_targets_long_and_wide_with_campaign(tmp_path, units, region_tree, settings):
    settings.ZHAOSHANG = {**settings.ZHAOSHANG, "HOME_REGION_CODE": "421003"}
    from django.core.management import call_command

    call_command("campaign", "add", "百日会战", "--from", "2022-04-01", "--to", "2022-07-09", stdout=None)
    campaign = Campaign.objects.get(name="百日会战")
    assert (campaign.starts_on, campaign.ends_on) == (datetime.date(2022, 4, 1), datetime.date(2022, 7, 9))

    long = write_xlsx(
        tmp_path / "long.xlsx",
        [
            ["年度", "单位", "指标", "目标值"],
            [2022, "川店镇", "签约额(万元)", "1.2亿"],
            [2022, "川店镇", "签约亿元以上项目", "３"],
            ["2022年", "全区", "招商信息", 200],
        ],
    )
    assert import_file(user=None, kind="targets", path=long).created == 3
    signed = Target.objects.get(indicator="signed_amount_wan")
    assert (signed.unit, signed.value, signed.campaign) == (units.chuandian, Decimal("12000"), None)
    region_target = Target.objects.get(indicator="leads")
    assert (region_target.unit, region_target.region, region_target.value) == (
        None,
        region_tree.jingzhou,
        200,
    )

    wide = write_xlsx(
        tmp_path / "wide.xlsx",
        [
            ["单位", "签约项目", "签约额(亿元)", "外出招商"],
            ["川店镇", 5, 2, 10],
            ["马山镇", 3, "8000万", None],
        ],
    )
    status, out, err = run_import("targets", str(wide), "--campaign", "百日会战")
    assert (status, err) == (0, ""), err
    assert "新增5条" in out
    in_campaign = {(t.unit.name, t.indicator): t.value for t in Target.objects.filter(campaign=campaign)}
    assert in_campaign == {
        ("川店镇", "signed_projects"): 5,
        ("川店镇", "signed_amount_wan"): Decimal("20000"),
        ("川店镇", "trips"): 10,
        ("马山镇", "signed_projects"): 3,
        ("马山镇", "signed_amount_wan"): Decimal("8000"),
    }
    assert set(Target.objects.filter(campaign=campaign).values_list("year", flat=True)) == {2022}
    assert run_import("targets", str(wide), "--campaign", "百日会战")[1].count("未变5条") == 1


def test_activities_with_enterprises_and_two_visits_a_day(tmp_path, units):
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [
            ["活动类型", "单位", "开始日期", "结束日期", "目的地", "是否出省", "企业名称"],
            ["外出招商", "川店镇", "2022-03-01", "2022-03-03", "深圳", "是", "甲公司、乙公司"],
            ["拜访企业", "川店镇", "2022-03-05", None, None, None, "丙公司"],
            ["拜访企业", "川店镇", "2022-03-05", None, None, None, "丁公司、戊公司"],
        ],
    )
    report = import_file(user=None, kind="activities", path=path)
    assert (report.problems, report.created) == ([], 3)
    trip = Activity.objects.get(kind="trip")
    assert (trip.days, trip.out_of_province, trip.enterprise_count) == (3, True, 2)
    assert sorted(trip.enterprises.values_list("name", flat=True)) == ["乙公司", "甲公司"]
    assert import_file(user=None, kind="activities", path=path).unchanged == 3


def test_csv_in_gbk(tmp_path, units):
    path = tmp_path / "leads.csv"
    path.write_bytes("信息名称,上报单位,上报日期\n信息一,川店镇,2022年3月1日\n".encode("gb18030"))
    report = import_file(user=None, kind="leads", path=path)
    assert report.problems == [] and report.created == 1
    assert Lead.objects.get().reported_on == datetime.date(2022, 3, 1)


def test_regions_central_urban_column(tmp_path):
    from zhaoshang.organisation.models import Region

    path = write_xlsx(
        tmp_path / "regions.xlsx",
        [
            ["区划代码", "区划名称", "上级区划代码", "中心城区"],
            ["421000", "荆州市", None, None],
            ["421002", "沙市区", "421000", "是"],
            ["421003", "荆州区", "421000", "否"],
        ],
    )
    assert import_file(user=None, kind="regions", path=path).created == 3
    flags = dict(Region.objects.values_list("name", "is_central_urban"))
    assert flags == {"荆州市": False, "沙市区": True, "荆州区": False}


def test_regions_units_and_users(tmp_path, settings):
    from zhaoshang.organisation.models import AssessmentGroup, Region, Unit, User

    regions = write_xlsx(
        tmp_path / "regions.xlsx",
        [
            ["区划代码", "区划名称", "上级区划代码"],
            ["420000", "湖北省", None],
            [421000, "荆州市", "420000"],
            ["421003", "荆州区", "421000"],
            ["421003101", "川店镇", "421003"],
        ],
    )
    assert import_file(user=None, kind="regions", path=regions).created == 4
    levels = dict(Region.objects.values_list("name", "level"))
    assert levels == {"湖北省": "province", "荆州市": "city", "荆州区": "county", "川店镇": "town"}
    assert Region.objects.get(code="421003101").path == "/420000/421000/421003/421003101/"

    units = write_xlsx(
        tmp_path / "units.xlsx",
        [
            ["单位名称", "简称", "单位类型", "考核组别", "上级单位", "所属区划", "排序号"],
            ["招商一团", None, "招商团", None, None, "荆州区", 9],
            ["荆州开发区", "开发区", "开发区", "任务单位", None, "421003", 1],
            ["川店镇", "川店", "乡镇", "任务单位", "招商一团", "荆州区", "２"],
        ],
    )
    report = import_file(user=None, kind="units", path=units)
    assert (report.problems, report.created) == ([], 3)
    assert [str(w) for w in report.warnings] == ["第3行 〈考核组别〉: 新建考核组别“任务单位”"]
    town = Unit.objects.get(name="川店镇")
    assert (town.kind, town.parent.name, town.order, town.assessment_group) == (
        "town",
        "招商一团",
        2,
        AssessmentGroup.objects.get(name="任务单位"),
    )
    assert Unit.objects.get(name="荆州开发区").kind == "park"

    users = write_xlsx(
        tmp_path / "users.xlsx",
        [
            ["用户名", "姓名", "角色", "所属单位", "管辖区划", "手机号码"],
            ["zhangsan", "张三丰", "填报员", "川店", None, "13812345678"],
            ["bureau1", "欧阳修", "bureau", None, "荆州区", None],
            ["wangwu", "王五", "填报员", None, None, None],
        ],
    )
    status, _out, err = run_import("users", str(users))
    assert (status, problem_lines(err)) == (1, ["第4行 〈所属单位〉: 填报员和单位负责人必须指定所属单位"])
    assert not User.objects.exists()
    write_xlsx(users, [["用户名", "姓名", "角色", "所属单位", "管辖区划", "手机号码"],
                       ["zhangsan", "张三丰", "填报员", "川店", None, "13812345678"],
                       ["bureau1", "欧阳修", "bureau", None, "荆州区", None]])  # fmt: skip
    status, _out, err = run_import("users", str(users))
    assert (status, err) == (0, ""), err
    reporter = User.objects.get(username="zhangsan")
    assert (reporter.role, reporter.unit, reporter.phone, reporter.last_name) == (
        "reporter",
        town,
        "13812345678",
        "张",
    )
    assert not reporter.has_usable_password()  # no password in a spreadsheet: set one before logging in
    bureau = User.objects.get(username="bureau1")
    assert (bureau.role, bureau.region.name, bureau.last_name, bureau.first_name) == (
        "bureau",
        "荆州区",
        "欧阳",
        "修",
    )
    assert "未变2条" in run_import("users", str(users))[1]


# A small .xls (the old binary format WPS still writes), made with xlwt: a title row, the header on
# row 3, a date cell and a typed date, amounts as text and as a number.
LEADS_XLS = (
    "eNrtWE1IVFEUPve9N85P/oymgQY2CE1qGqmLgrDp11k5aiZFmOk0g4Q6U4MEE1SWuTSEkExqIemijdmmHwyqXYtAqUVQSE7hKgiD"
    "ghbq65wz99loBg6UYLzvcc8959xzzz3v/r83OZE5PfQgLwbLsBdUWNDtkJKgE5jshuAELNd1Yo3chkk3sa5gt+FAplhgPO2VlcaQ"
    "xjsGCoxpL5ACfMTUCGfBFw4FXWuIAxxDi6AYKpEKuI2adMjlqLKYnma6kel9tnzKdB9replWou20OAETHl/xbjmLjysFXJYO5PcR"
    "13nHmjLIgZc0iy/3ibitBfZHzrS0r7OCfC0VhgEH1BsMBSMkZ8AIOACiiNKOjtJAYBqycbCH4bvuAvhmrOrnLlO/tnoBqP+xVG/9"
    "g96Gg7hcf0PRALpAb+ZF0oP78nWNSjTx3l/VEKsJN8/BXdiAmngS5bATyvHpbDIMZuvdvRoIYtOOzkaRdfhG/A311TWSnQluabWB"
    "+ODv9x/qvTNQCFbfwboiDF9Mto4F57v6QtGBL+dVEFMnbzZ5+7FWGezAJp75LGSypz7cLQ3aB881evvtiVHsAltrBcwEHXS68G7k"
    "XLIbpfEqTUUagAzmM3mtOrE75u59fV3tr/WcYk0Xn0Dxc2ordQvocIVqYOV0LrEwpZJirrGd6VX2upn5PKbZaIm5uzZHMlXdbHON"
    "S93YTgXjjWdbAl+IfM/nusf5PZ88RciPemMXskffeoagAM/NANanpxtKRIkYvEV44jFyIfe0Kaa5v+1vNsUp302Xh3EGzNOKRmQy"
    "JQuF326phcIW1Cdxyei/uKSgpC5KKkqa9KWu4EtlXxZpr7IvGqNLCkkKvoN7XJFl5MsqfWkr+NLYl0360tiXfVGiuBzSs8a+lIt4"
    "K1Gy4CEFj3v8LzjAhAkTJkyYMGHCxGpB90K6UKnyXmyRt26r/K8zj2nB/E3y3+IIhPHpxI/KwxDCPALRpObPJrAIw5dYZR3jfyHh"
    "GLYegTbwcxxtSc9f/GoSie+z6orOv7eEkm1/IZk4/3H7PwFRrAbU"
)


def test_xls_files(tmp_path, units):
    import base64
    import importlib.util
    import zlib

    if not any(importlib.util.find_spec(m) for m in ("python_calamine", "xlrd")):
        pytest.skip("reading .xls needs python-calamine (or xlrd)")
    path = tmp_path / "leads.xls"
    path.write_bytes(zlib.decompress(base64.b64decode(LEADS_XLS)))
    report = import_file(user=None, kind="leads", path=path)
    assert (report.problems, report.header_row, report.created) == ([], 3, 2)
    values = dict(Lead.objects.values_list("title", "intended_investment_wan"))
    assert values == {"某新能源项目": Decimal("12000"), "某医药项目": Decimal("8000")}
    assert set(Lead.objects.values_list("reported_on", flat=True)) == {datetime.date(2022, 7, 3)}


# --- bulk writing: the same promises, rows written in batches --------------------------------------


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of two rows read ahead and three records per bulk insert: every path of a big file."""
    from zhaoshang.exchange import services

    monkeypatch.setattr(services, "BATCH_ROWS", 2)
    monkeypatch.setattr(services, "FLUSH_ROWS", 3)


PROJECT_HEADER = [
    "项目名称",
    "投资方",
    "统一社会信用代码",
    "引进单位",
    "总投资(万元)",
    "项目阶段",
    "协助单位",
]


def _project_rows(n: int) -> list[list]:
    return [PROJECT_HEADER] + [
        [f"项目{i}", f"投资方{i}有限公司", valid_credit_code(300 + i), "川店镇", 1000 + i, "洽谈", None]
        for i in range(n)
    ]


@pytest.mark.parametrize("batches", ["default", "small"])
def test_a_row_the_database_refuses_in_a_bulk_insert_is_named(tmp_path, units, request, batches):
    if batches == "small":
        request.getfixturevalue("small_batches")
    rows = _project_rows(8)
    rows[3][4] = "-5"  # Excel row 4: the database's check (总投资不能为负数) refuses it
    rows[6][5] = "不知道"  # Excel row 7: a cell that cannot be read, found before row 4's insert
    path = write_xlsx(tmp_path / "projects.xlsx", rows)
    audit_rows = AuditEntry.objects.count()
    report = import_file(user=None, kind="projects", path=path)
    assert [(p.row, p.column) for p in report.problems] == [(4, "总投资(万元)"), (7, "项目阶段")]
    assert report.problems[0].message == "总投资不能为负数"
    assert not report.committed
    assert (Project.objects.count(), Enterprise.objects.count()) == (0, 0)
    assert AuditEntry.objects.count() == audit_rows


def test_bulk_import_audits_every_record_on_a_valid_chain(tmp_path, units, small_batches):
    from zhaoshang.audit.services import audit_verify

    rows = _project_rows(7)
    rows[2][6] = "马山镇、岑河镇"
    path = write_xlsx(tmp_path / "projects.xlsx", rows)
    report = import_file(user=None, kind="projects", path=path)
    assert (report.problems, report.created) == ([], 7)
    assert audit_verify() is None
    created = AuditEntry.objects.filter(model="projects.project", action="create")
    assert sorted(int(e.object_id) for e in created) == sorted(Project.objects.values_list("pk", flat=True))
    assert AuditEntry.objects.filter(model="enterprises.enterprise", action="create").count() == 7
    assert AuditEntry.objects.filter(action="import").count() == 1
    second = Project.objects.get(name="项目1")
    assert sorted(second.helper_units.values_list("name", flat=True)) == ["岑河镇", "马山镇"]
    entry = created.get(object_id=str(second.pk))
    assert entry.after["id"] == second.pk
    assert entry.after["helper_units"] == sorted([units.mashan.pk, units.cenhe.pk])
    assert entry.after["total_investment_wan"] == "1001"
    # Re-import: nothing written, not even an audit row.
    before = AuditEntry.objects.count()
    again = import_file(user=None, kind="projects", path=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)
    assert AuditEntry.objects.count() == before


def test_a_failed_row_leaves_nothing_behind_for_the_rows_after_it(tmp_path, units):
    code = valid_credit_code(401)
    path = write_xlsx(
        tmp_path / "projects.xlsx",
        [
            ["项目名称", "投资方", "统一社会信用代码", "引进单位", "总投资(万元)", "项目阶段", "落地区划"],
            # The new investor is created, then the row fails: its savepoint takes the investor away
            # again, so the next row creates it without tripping over the credit code.
            ["项目一", "新投资方有限公司", code, "川店镇", 100, "洽谈", "没有的区"],
            ["项目二", "新投资方有限公司", code, "川店镇", 100, "洽谈", None],
        ],
    )
    report = import_file(user=None, kind="projects", path=path, dry_run=True)
    assert [str(p) for p in report.problems] == ["第2行 〈落地区划〉: 未找到区划“没有的区”"]
    assert Enterprise.objects.count() == 0


def test_duplicate_warnings_do_not_depend_on_the_batches(tmp_path, units, monkeypatch):
    from zhaoshang.exchange import services

    investor = EnterpriseFactory(name="荆州某某汽车零部件有限公司", credit_code=CODE_A)
    ProjectFactory(
        name="汽车零部件项目", investor=investor, introducing_unit=units.mashan, total_investment_wan=10000
    )
    path = write_xlsx(
        tmp_path / "projects.xlsx",
        [
            ["项目名称", "投资方", "统一社会信用代码", "引进单位", "总投资(万元)", "项目阶段"],
            ["一期", "荆州某某汽车零部件有限公司", CODE_A, "川店镇", 10500, "洽谈"],
            ["无关项目", "另一家有限公司", None, "川店镇", 300, "洽谈"],
            ["二期", "荆州某某汽车零部件(集团)公司", None, "岑河镇", 10200, "洽谈"],
            ["三期", "荆州某某汽车零部件有限公司", CODE_A, "马山镇", 9900, "洽谈"],
        ],
    )
    warnings = []
    for batch, flush in ((500, 1000), (1, 1), (2, 3)):
        monkeypatch.setattr(services, "BATCH_ROWS", batch)
        monkeypatch.setattr(services, "FLUSH_ROWS", flush)
        report = import_file(user=None, kind="projects", path=path, dry_run=True)
        assert report.problems == []
        warnings.append([str(w) for w in report.warnings])
    assert warnings[0] == warnings[1] == warnings[2]
    lines = warnings[0]
    assert [line[:3] for line in lines] == ["第2行", "第4行", "第4行", "第5行", "第5行"]
    assert "可能与“汽车零部件项目”(马山镇,总投资10000万元)重复" in lines[0]
    assert "可能与“一期”(川店镇,总投资10500万元)重复" in lines[2]


def test_progress_is_reported_while_rows_are_applied(tmp_path, units, small_batches, monkeypatch):
    from zhaoshang.exchange import services

    ticks = iter(range(0, 1000, 1))  # every check of the clock is a second later
    monkeypatch.setattr(services.time, "monotonic", lambda: next(ticks))
    seen = []
    path = write_xlsx(tmp_path / "leads.xlsx", _lead_rows(5))
    report = import_file(user=None, kind="leads", path=path, progress=lambda done, total: seen.append(done))
    assert report.created == 5
    assert seen[-1] == 5 and len(seen) > 2


def test_new_projects_go_in_one_multi_row_insert_with_their_flags(units, django_assert_num_queries):
    """``insert_many``'s own insert for projects, whose counting-option flags have a database default
    beside their Python one: 40 new projects in one ``INSERT … RETURNING`` (``bulk_create`` would take
    three on SQLite, 999 parameters a statement for about 70 columns), each flag as set."""
    from zhaoshang.exchange.base import insert_many

    investor = EnterpriseFactory()
    objs = [
        ProjectFactory.build(investor=investor, introducing_unit=units.chuandian, is_real_estate=n % 2 == 0)
        for n in range(40)
    ]
    with django_assert_num_queries(1):
        insert_many(Project, objs)
    stored = dict(Project.objects.filter(pk__in=[o.pk for o in objs]).values_list("pk", "is_real_estate"))
    # Even positions (0, 2, …, 38) are real estate: 20 of 40.
    assert sum(stored.values()) == 20
    assert [stored[o.pk] for o in objs[:3]] == [True, False, True]
    local = Project.objects.filter(pk__in=[o.pk for o in objs], is_local_investor=True)
    assert not local.exists()  # left at its default, False


def test_remembered_field_checks_give_the_errors_full_clean_gives():
    """An import checks a field's value once per file (``_clean_fields``' memo): 1.5 and 1.500 are
    equal but not the same value for a field of two decimal places, and the second still fails."""
    from django.core.exceptions import ValidationError

    from zhaoshang.exchange.base import _clean_fields, _field_checks

    checks = _field_checks(Project)
    others = {f.name for f in Project._meta.fields} - {"land_area_mu", "name"}
    memo: dict = {}
    first = Project(land_area_mu=Decimal("1.5"), name="甲")
    _clean_fields(first, checks, set(others), memo)  # passes, remembered
    assert first.land_area_mu == Decimal("1.5")
    again = Project(land_area_mu=Decimal("1.5"), name="乙")
    _clean_fields(again, checks, set(others), memo)  # from the memo
    for value, name in ((Decimal("1.500"), "丙"), (Decimal("1.5"), "x" * 201)):
        bad = Project(land_area_mu=value, name=name)
        with pytest.raises(ValidationError) as ours:
            _clean_fields(bad, checks, set(others), memo)
        with pytest.raises(ValidationError) as django:
            Project(land_area_mu=value, name=name).clean_fields(exclude=others)
        assert ours.value.message_dict == django.value.message_dict
    assert {k: len(v) for k, v in memo.items()} == {"land_area_mu": 1, "name": 3}  # failures not kept
