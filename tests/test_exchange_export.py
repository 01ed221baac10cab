"""``zhaoshang export`` and the export and template pages (SPEC §5): the template's columns, so that
an export re-imports unchanged; the list's filters and the user's scope; phone numbers masked."""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from factories import (
    ActivityFactory,
    CampaignFactory,
    EnterpriseFactory,
    FundsRecordFactory,
    LeadFactory,
    ProjectFactory,
    TargetFactory,
)
from test_exchange_support import industries, read_xlsx, tags  # noqa: F401
from zhaoshang.activities.models import Activity
from zhaoshang.audit.models import AuditEntry
from zhaoshang.enterprises.models import Contact
from zhaoshang.exchange.services import import_file
from zhaoshang.leads.models import Lead
from zhaoshang.organisation.choices import Role
from zhaoshang.projects.models import FundsRecord, Project
from zhaoshang.targets.models import Target

pytestmark = pytest.mark.django_db

# The headers SPEC §5 lists for each template ("*" marks a required column).
SPEC_HEADERS = {
    "regions": "区划代码* 区划名称* 上级区划代码",
    "units": "单位名称* 简称 单位类型* 考核组别 上级单位 所属区划 排序号",
    "enterprises": "企业名称* 统一社会信用代码 所在地 企业标签 联系人 联系电话",
    "projects": "项目名称* 投资方* 统一社会信用代码 引进单位* 所属产业 产业链 总投资(万元)* 新增投资(万元) 外资币种 "
    "外资金额 项目类别 项目阶段* 洽谈日期 签约日期 约定开工日期 开工日期 投产日期 终止或退库原因 用地方式 "
    "用地面积(亩) 主导产业 产业链项目 工业项目 制造业 战略性新兴产业 民营投资 总部经济 纳入市级调度 投资方类型 "
    "包保领导 首席服务官 备注",
    "funds": "项目名称* 引进单位* 月份* 到位资金(万元)* 其中省外资金(万元) 其中市外资金(万元) 外资到位(万美元) 现汇进资(万美元)",
    "leads": "信息名称* 上报单位* 上报日期* 企业名称 所属产业 拟投资额(万元) 是否有价值 跟进状态 备注",
    "activities": "活动类型* 单位* 开始日期* 结束日期 目的地 是否出省 企业名称 签约项目 参加领导 成果 备注",
    "targets": "年度* 单位* 指标* 目标值*",
}


@pytest.fixture
def world(units, industries, tags, region_tree, make_user):  # noqa: F811
    """A bit of everything, with the awkward values: four-decimal money, every kind of date, flags,
    tags, contacts with phones, many-to-many links, a region target and a campaign target."""
    investor = EnterpriseFactory(name="荆州甲汽车零部件有限公司", location="湖北省荆州市")
    investor.tags.add("listed", "global500")
    Contact.objects.create(enterprise=investor, name="张三", phone="13812345678")
    Contact.objects.create(enterprise=investor, name="李四", phone="13900001111")
    other = EnterpriseFactory(name="乙生物医药有限公司", credit_code="")
    signed = ProjectFactory(
        name="汽车零部件项目",
        investor=investor,
        introducing_unit=units.chuandian,
        industry=industries["auto"],
        chain=industries["chain"],
        total_investment_wan=Decimal("123456.7891"),
        added_investment_wan=Decimal("20000"),
        kind="expansion",
        stage="commenced",
        negotiated_on=datetime.date(2022, 1, 5),
        signed_on=datetime.date(2022, 3, 1),
        agreed_start_on=datetime.date(2022, 5, 1),
        commenced_on=datetime.date(2022, 6, 30),
        foreign_currency="港元",
        foreign_amount=Decimal("500"),
        foreign_usd_wan=Decimal("64.1"),
        land_mode="acquisition",
        land_area_mu=Decimal("120.5"),
        is_industrial=True,
        is_manufacturing=True,
        city_dispatch=True,
        leader_in_charge="王副区长",
        note="第一行\n第二行",
        lead_unit=units.task_force,
    )
    signed.helper_units.add(units.mashan)
    ProjectFactory(
        name="生物医药项目",
        investor=other,
        introducing_unit=units.mashan,
        total_investment_wan=Decimal("800"),
    )
    ProjectFactory(
        name="终止项目",
        investor=other,
        introducing_unit=units.cenhe,
        stage="terminated",
        end_reason="投资方资金链断裂",
        signed_on=datetime.date(2022, 2, 1),
    )
    FundsRecordFactory(project=signed, month=datetime.date(2022, 6, 1), amount_wan=Decimal("1000.5"),
                       outside_province_wan=Decimal("800"), foreign_usd_wan=Decimal("10"),
                       foreign_cash_usd_wan=Decimal("5"))  # fmt: skip
    FundsRecordFactory(project=signed, month=datetime.date(2022, 7, 1), amount_wan=Decimal("2000"))
    LeadFactory(title="某新能源电池项目信息", unit=units.chuandian, enterprise=investor, industry=industries["auto"],
                intended_investment_wan=Decimal("50000"), is_valuable=True, status="following", note="备注")  # fmt: skip
    LeadFactory(
        title="某医药信息", unit=units.mashan, reported_on=datetime.date(2022, 7, 20), is_valuable=False
    )
    LeadFactory(title="未研判信息", unit=units.mashan, reported_on=datetime.date(2022, 8, 2))
    trip = ActivityFactory(unit=units.chuandian, ended_on=datetime.date(2022, 3, 3), destination="深圳",
                           out_of_province=True, leaders="李区长", outcome="对接企业3家")  # fmt: skip
    trip.enterprises.add(investor, other)
    trip.partner_units.add(units.task_force)
    ceremony = ActivityFactory(kind="signing", unit=units.chuandian, started_on=datetime.date(2022, 3, 1),
                               destination="")  # fmt: skip
    ceremony.signed_projects.add(signed)
    ActivityFactory(kind="visit", unit=units.mashan, started_on=datetime.date(2022, 4, 1), destination="",
                    enterprise_count=2)  # fmt: skip
    ActivityFactory(kind="visit", unit=units.mashan, started_on=datetime.date(2022, 4, 1), destination="",
                    enterprise_count=1)  # fmt: skip
    campaign = CampaignFactory(name="百日会战")
    TargetFactory(unit=units.chuandian, indicator="signed_amount_wan", value=Decimal("50000"))
    TargetFactory(unit=units.chuandian, indicator="signed_projects", value=Decimal("8"), campaign=campaign)
    TargetFactory(unit=None, region=region_tree.jingzhou, indicator="leads", value=Decimal("200"))
    make_user(Role.REPORTER, unit=units.chuandian, username="zhangsan").__class__.objects.filter(
        username="zhangsan"
    ).update(phone="13700001234", last_name="张", first_name="三")
    make_user(Role.BUREAU, region=region_tree.jingzhou, username="bureau")


def export(kind, tmp_path, *args) -> list[list]:
    path = tmp_path / f"{kind}.xlsx"
    call_command("export", kind, "-o", str(path), *args, stdout=io.StringIO())
    return read_xlsx(path)


@pytest.mark.parametrize("kind", list(SPEC_HEADERS))
def test_template_has_the_spec_headers_and_an_explanation_sheet(kind, client_as, make_user, units):
    bureau = make_user(Role.BUREAU, region=units.chuandian.region)
    response = client_as(bureau).get(f"/exchange/template/{kind}/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames[1] == "填表说明"
    assert workbook["选项"].sheet_state == "hidden"
    headers = [c.value for c in workbook.worksheets[0][1]]
    for header in SPEC_HEADERS[kind].split():
        assert header in headers
    explained = {row[0] for row in workbook["填表说明"].iter_rows(values_only=True)}
    assert set(headers) <= explained
    if kind == "projects":
        stage = get_validation(workbook.worksheets[0], headers.index("项目阶段*"))
        options = [v for row in workbook["选项"].iter_rows(values_only=True) for v in row]
        assert stage is not None and "签约" in options and "退库" in options


def get_validation(sheet, index: int):
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(index + 1)
    for validation in sheet.data_validations.dataValidation:
        if any(str(r).startswith(f"{letter}2:") for r in validation.sqref.ranges):
            return validation
    return None


@pytest.mark.parametrize(
    "kind",
    ["regions", "units", "users", "enterprises", "projects", "funds", "leads", "activities", "targets"],
)
def test_reimporting_an_export_changes_nothing(kind, world, tmp_path):
    rows = export(kind, tmp_path)
    assert len(rows) > 1
    audit_rows = AuditEntry.objects.count()
    report = import_file(user=None, kind=kind, path=tmp_path / f"{kind}.xlsx")
    assert report.problems == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(rows) - 1)
    assert AuditEntry.objects.count() == audit_rows  # nothing written, not even an audit row


def test_export_import_round_trips_the_values(world, tmp_path):
    kinds = ["projects", "funds", "leads", "activities", "targets"]
    before = {kind: export(kind, tmp_path) for kind in kinds}
    # Start again from nothing but the units and enterprises, then import the exports back.
    FundsRecord.objects.all().delete()
    Activity.objects.all().delete()
    Lead.objects.all().delete()
    Target.objects.all().delete()
    Project.objects.all().delete()
    for kind in kinds:
        report = import_file(user=None, kind=kind, path=tmp_path / f"{kind}.xlsx")
        assert report.problems == [], kind
        assert report.created == len(before[kind]) - 1
    for kind in kinds:
        assert export(kind, tmp_path) == before[kind], kind
    project = Project.objects.get(name="汽车零部件项目")
    assert project.total_investment_wan == Decimal("123456.7891")
    assert project.commenced_on == datetime.date(2022, 6, 30)
    assert list(project.helper_units.values_list("name", flat=True)) == ["马山镇"]
    assert FundsRecord.objects.get(month=datetime.date(2022, 6, 1)).amount_wan == Decimal("1000.5")


def test_export_period_options(world, tmp_path):
    rows = export("leads", tmp_path, "--from", "2022-07", "--to", "2022-07")
    assert [r[0] for r in rows[1:]] == ["某医药信息"]
    rows = export("projects", tmp_path, "--from", "2022-03", "--to", "2022-12")
    assert [r[0] for r in rows[1:]] == ["汽车零部件项目"]  # 签约日期 in the period


def test_export_view_applies_scope_and_list_filters(world, client_as, make_user, units):
    reporter = make_user(Role.REPORTER, unit=units.chuandian)
    response = client_as(reporter).get("/exchange/export/leads/")
    rows = read_xlsx(io.BytesIO(b"".join(response.streaming_content)))
    assert rows[0][:3] == ["信息名称*", "上报单位*", "上报日期*"]
    assert [r[0] for r in rows[1:]] == ["某新能源电池项目信息"]  # only the reporter's unit

    from zhaoshang.organisation.models import User

    bureau = User.objects.get(username="bureau")
    response = client_as(bureau).get(f"/exchange/export/leads/?unit={units.mashan.pk}")
    rows = read_xlsx(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(r[0] for r in rows[1:]) == ["未研判信息", "某医药信息"]
    response = client_as(bureau).get("/exchange/export/projects/?stage=commenced")
    rows = read_xlsx(io.BytesIO(b"".join(response.streaming_content)))
    assert [r[0] for r in rows[1:]] == ["汽车零部件项目"]
    response = client_as(bureau).get("/exchange/export/projects/")
    rows = read_xlsx(io.BytesIO(b"".join(response.streaming_content)))
    assert "终止项目" not in [r[0] for r in rows[1:]]  # 岑河镇 is in 沙市区, outside the bureau's region
    assert AuditEntry.objects.filter(action="export", username="bureau").count() == 3


def test_phones_are_masked_for_roles_that_may_not_see_them(world, client_as, make_user, units, tmp_path):
    reporter = make_user(Role.REPORTER, unit=units.chuandian)
    response = client_as(reporter).get("/exchange/export/enterprises/")
    path = tmp_path / "masked.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    rows = read_xlsx(path)
    phone = rows[0].index("联系电话")
    assert "138****5678、139****1111" in [r[phone] for r in rows[1:]]
    # The masked cells come back unchanged.
    report = import_file(user=None, kind="enterprises", path=path)
    assert (report.problems, report.updated) == ([], 0)
    assert set(Contact.objects.values_list("phone", flat=True)) == {"13812345678", "13900001111"}
    rows = export("enterprises", tmp_path)  # the command line acts for the bureau: unmasked
    assert "13812345678、13900001111" in [r[phone] for r in rows[1:]]


def test_export_view_refuses_what_the_role_may_not_export(world, client_as, make_user, units):
    reporter = make_user(Role.REPORTER, unit=units.chuandian)
    assert client_as(reporter).get("/exchange/export/users/").status_code == 403
    assert client_as(reporter).get("/exchange/export/nothing/").status_code == 404
    sysadmin = make_user(Role.SYSADMIN)
    assert client_as(sysadmin).get("/exchange/export/projects/").status_code == 403
    assert client_as(sysadmin).get("/exchange/export/users/").status_code == 200


def test_project_rows_read_as_values_match_the_records(world):
    """The project export reads plain values (names across relations, tags and helper units a batch
    at a time): the same cells as reading each project as a record."""
    from zhaoshang.exchange.kinds import ExportContext, Sheet, sheet_for

    sheet = sheet_for("projects")
    ctx = ExportContext.for_user(None)
    queryset = sheet.export_queryset()

    def cells(rows):
        return [[None if value == "" else value for value in row] for row in rows]

    fast = cells(sheet.export_rows(queryset, ctx))
    slow = cells(Sheet.export_rows(sheet, queryset, ctx))
    assert len(fast) == 3
    assert fast == slow


def test_project_sheet_written_from_stored_values_is_the_records_sheet(world, tmp_path):
    """The project export writes its sheet from the values the database gives (a plain cursor, a
    row function made for the columns, read in a second thread): byte for byte the sheet written
    from each project read as a record."""
    import zipfile

    from zhaoshang.exchange import xlsx
    from zhaoshang.exchange.kinds import ExportContext, Sheet, sheet_for
    from zhaoshang.exchange.workbooks import write_workbook

    sheet = sheet_for("projects")
    ctx = ExportContext.for_user(None)
    queryset = sheet.export_queryset()
    fast_rows = sheet.export_rows(queryset, ctx)
    assert isinstance(fast_rows, xlsx.Rows)
    write_workbook(sheet=sheet, rows=fast_rows, out=tmp_path / "fast.xlsx", user=None)
    write_workbook(
        sheet=sheet, rows=Sheet.export_rows(sheet, queryset, ctx), out=tmp_path / "slow.xlsx", user=None
    )

    def data(name):
        xml = zipfile.ZipFile(tmp_path / name).read("xl/worksheets/sheet1.xml")
        return re.sub(rb"<oddFooter>.*?</oddFooter>", b"", xml)  # (the minute it was written)

    assert data("fast.xlsx").count(b"<row ") == 4
    assert data("fast.xlsx") == data("slow.xlsx")


def test_stored_decimals_read_as_the_orm_reads_them():
    """SQLite gives a decimal back as a float; the export keeps the float where its shortest form
    is the decimal, and rounds as the ORM does otherwise."""
    from decimal import Decimal

    from django.db import models

    from zhaoshang.exchange.kinds import _decimal_reader

    read = _decimal_reader(models.DecimalField(max_digits=14, decimal_places=2))
    assert read(1234.5) == 1234.5 and type(read(1234.5)) is float
    assert read(12.0) == 12 and type(read(12.0)) is int
    assert read(7) == 7 and read(None) is None
    assert read(0.1 + 0.2) == Decimal("0.30")  # 0.30000000000000004: more digits than stored
    assert read(1.005) == Decimal("1.00")  # three places in a field of two: the ORM's rounding
    assert read(Decimal("3.10")) == Decimal("3.10")  # PostgreSQL gives decimals


def test_the_workbook_writer_keeps_every_value(tmp_path):
    from python_calamine import CalamineWorkbook

    from zhaoshang.exchange import xlsx

    path = tmp_path / "w.xlsx"
    book = xlsx.Workbook(path, creator="招商 & 平台", description="张三 2022-07-03 09:00")
    data = book.sheet(
        "数据",
        widths={1: 30},
        freeze_header=True,
        print_header_right="招商平台",
        print_footer_center="张三 2022-07-03",
        validations=[xlsx.Validation("F2:F10", "'选项'!$A$2:$A$3", "是否", "填“是”或“否”")],
    )
    data.append([xlsx.Cell("名称*", xlsx.HEADER_REQUIRED), xlsx.Cell("说明", xlsx.HEADER)])
    written = data.extend(
        [
            [" 前后空格 ", "a<b>&c \"'", "=SUM(A1)", "控制\x01字符", "第一行\n第二行", "是"],
            [Decimal("123456.7891"), Decimal("12000"), Decimal("1234567890.123456789"), 1.5, 7, False],
            [datetime.date(2022, 7, 3), datetime.datetime(2022, 7, 3, 8, 30), True, None, "", "否"],
        ]
    )
    data.close()
    options = book.sheet("选项", hidden=True)
    options.append(["是否"])
    options.extend([["是"], ["否"]])
    options.close()
    book.close()
    assert written == 3

    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["数据", "选项"]
    assert workbook["选项"].sheet_state == "hidden"
    assert (workbook.properties.creator, workbook.properties.description) == (
        "招商 & 平台",
        "张三 2022-07-03 09:00",
    )
    sheet = workbook["数据"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows == [
        ["名称*", "说明", None, None, None, None],
        [" 前后空格 ", "a<b>&c \"'", "=SUM(A1)", "控制字符", "第一行\n第二行", "是"],
        [123456.7891, 12000, "1234567890.123456789", 1.5, 7, False],
        [datetime.datetime(2022, 7, 3), datetime.datetime(2022, 7, 3, 8, 30), True, None, None, "否"],
    ]
    assert sheet["A1"].font.b and sheet["A1"].font.color.rgb.endswith("B3261E")
    assert sheet["A4"].number_format == "yyyy-mm-dd"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 30
    assert sheet.oddFooter.center.text == "张三 2022-07-03"
    assert sheet.oddHeader.right.text == "招商平台"
    (validation,) = sheet.data_validations.dataValidation
    assert (str(validation.sqref), validation.formula1, validation.prompt) == (
        "F2:F10",
        "'选项'!$A$2:$A$3",
        "填“是”或“否”",
    )
    # The reader imports use: the same cells.
    first = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert first[1][:3] == [" 前后空格 ", "a<b>&c \"'", "=SUM(A1)"]
    assert first[3][0] == datetime.date(2022, 7, 3)


def test_funds_export_reads_projects_and_units_with_the_rows(world, tmp_path, django_assert_max_num_queries):
    """The funds sheet's own queryset (project and unit joined) is the one exported: ten more funds
    records must not cost more queries than two."""
    project = Project.objects.get(name="汽车零部件项目")
    few = export("funds", tmp_path)
    for month in range(1, 11):
        FundsRecordFactory(project=project, month=datetime.date(2023, month, 1), amount_wan=Decimal("1"))
    with django_assert_max_num_queries(25):
        many = export("funds", tmp_path)
    assert len(many) == len(few) + 10
    # Oldest month first (the sheet's order), whatever the model's default order.
    months = [r[2] for r in many[1:]]
    assert months == sorted(months)
