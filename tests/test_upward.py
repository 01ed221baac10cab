"""Upward reporting (issue 17): registration on the provincial/city platform, export in its layout,
import of its recognised figures, and the reconciliation per project and month."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from factories import FundsRecordFactory, ProjectFactory
from zhaoshang.audit.models import AuditEntry
from zhaoshang.metrics import periods
from zhaoshang.metrics.engine import measure
from zhaoshang.organisation.choices import Role
from zhaoshang.upward import selectors, services
from zhaoshang.upward.choices import Platform, PlatformStatus, Sheet
from zhaoshang.upward.models import ColumnMap, PlatformFunds, PlatformRecord

pytestmark = pytest.mark.django_db
D = Decimal
MARCH, APRIL = datetime.date(2022, 3, 1), datetime.date(2022, 4, 1)


@pytest.fixture
def bureau(region_tree, make_user):
    return make_user(Role.BUREAU, region=region_tree.jingzhou)


@pytest.fixture
def data(units, bureau):
    """项目甲 (P-001): March 1000 reported, recognised at 800; April 500 recognised.
    项目乙 (P-002): March 300 submitted, not yet recognised.
    项目丙 (P-003): March 200 recognised.
    项目丁 (not on the platform): March 100 recognised."""
    signed = {"stage": "signed", "signed_on": datetime.date(2022, 3, 5), "review_status": "recognised"}
    a = ProjectFactory(name="项目甲", introducing_unit=units.chuandian, **signed)
    b = ProjectFactory(name="项目乙", introducing_unit=units.mashan, **signed)
    c = ProjectFactory(name="项目丙", introducing_unit=units.chuandian, **signed)
    d = ProjectFactory(name="项目丁", introducing_unit=units.chuandian, **signed)
    FundsRecordFactory(
        project=a, month=MARCH, amount_wan=D(1000), recognised_amount_wan=D(800), review_status="recognised"
    )
    FundsRecordFactory(project=a, month=APRIL, amount_wan=D(500), review_status="recognised")
    FundsRecordFactory(project=b, month=MARCH, amount_wan=D(300), review_status="submitted")
    FundsRecordFactory(project=c, month=MARCH, amount_wan=D(200), review_status="recognised")
    FundsRecordFactory(project=d, month=MARCH, amount_wan=D(100), review_status="recognised")
    for project, code in ((a, "P-001"), (b, "P-002"), (c, "P-003")):
        services.platform_record_set(
            user=bureau,
            project=project,
            platform=Platform.PROVINCE,
            code=code,
            status=PlatformStatus.REGISTERED,
        )
    return a, b, c, d


def upper_file(
    tmp_path, rows, headers=("项目编号", "项目名称", "报送月份", "认定到位资金(万元)", "认定状态", "审核意见")
):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    path = tmp_path / "省平台认定.xlsx"
    book.save(path)
    return path


PROVINCE_ROWS = [
    ("P-001", "项目甲", "2022-03", 700, "已认定", "合同外资金不计"),
    ("P-001", "项目甲", "2022-04", 500, "已认定", None),
    ("P-002", "项目乙", "2022-03", 300, "已认定", None),
    ("P-003", "项目丙", "2022-03", 0, "不予认定", "非招商引资项目"),
]


def test_differing_upper_file_gives_the_reconciliation_list(tmp_path, data, bureau):
    a, _b, c, _d = data
    outcome = services.upward_import(
        user=bureau, platform=Platform.PROVINCE, path=upper_file(tmp_path, PROVINCE_ROWS)
    )
    assert outcome.ok, outcome.errors
    assert (outcome.created, outcome.updated) == (4, 0)

    result = selectors.reconciliation(
        user=bureau, platform=Platform.PROVINCE, period=periods.month_range(2022, 3, 2022, 4)
    )
    rows = {(r.project.name, r.month): r for r in result.rows}
    assert set(rows) == {
        ("项目甲", MARCH),
        ("项目甲", APRIL),
        ("项目乙", MARCH),
        ("项目丙", MARCH),
        ("项目丁", MARCH),
    }

    def line(name, month):
        r = rows[(name, month)]
        return (r.reported, r.recognised, r.upper, r.difference_reported, r.difference_recognised, r.reason)

    # 甲 March: upper 700 − reported 1000 = −300; 700 − recognised 800 = −100; the province's note.
    assert line("项目甲", MARCH) == (D(1000), D(800), D(700), D(-300), D(-100), "合同外资金不计")
    # 甲 April: 500 everywhere, no difference, no reason.
    assert line("项目甲", APRIL) == (D(500), D(500), D(500), D(0), D(0), "")
    # 乙 March: reported 300, not recognised here (0); upper 300 → 0 and +300.
    assert line("项目乙", MARCH) == (D(300), D(0), D(300), D(0), D(300), "本级尚未认定")
    # 丙 March: 200 here, refused there (0) → −200 both; the province's reason.
    assert line("项目丙", MARCH) == (D(200), D(200), D(0), D(-200), D(-200), "非招商引资项目")
    # 丁 March: 100 here, never registered there → no upper figure, −100 both.
    assert line("项目丁", MARCH) == (D(100), D(100), None, D(-100), D(-100), "项目未在上级平台登记")
    # Totals: reported 1000+500+300+200+100 = 2100; recognised 800+500+0+200+100 = 1600;
    # upper 700+500+300+0 = 1500; differences 1500−2100 = −600 and 1500−1600 = −100.
    assert (result.reported, result.recognised, result.upper) == (D(2100), D(1600), D(1500))
    assert (result.difference_reported, result.difference_recognised) == (D(-600), D(-100))
    assert len(result.differing) == 4

    # The refusal is recorded on the project's platform record, with its reason.
    record_c = PlatformRecord.objects.get(project=c, platform=Platform.PROVINCE)
    assert (record_c.status, record_c.refusal_reason) == (PlatformStatus.REFUSED, "非招商引资项目")
    assert PlatformRecord.objects.get(project=a).status == PlatformStatus.RECOGNISED
    assert AuditEntry.objects.filter(action="import", username=bureau.username).exists()

    # Reports can state either figure: ours (recognised) or the province's, for March.
    march = periods.month(2022, 3)
    assert measure("funds_wan", period=march) == D(1100)  # 800 + 200 + 100 (乙 not recognised)
    assert measure("funds_wan", period=march, basis="reported") == D(1600)  # 1000 + 300 + 200 + 100
    assert measure("province_funds_wan", period=march) == D(1000)  # 700 + 300 + 0


def test_reimport_updates_and_errors_write_nothing(tmp_path, data, bureau):
    services.upward_import(user=bureau, platform=Platform.PROVINCE, path=upper_file(tmp_path, PROVINCE_ROWS))
    bad = [
        ("P-001", "项目甲", "2022-03", 750, "已认定", None),
        ("P-999", "不存在", "2022-03", 10, "已认定", None),
        ("P-002", "项目乙", "2022-03", 100, "不予认定", None),
    ]
    outcome = services.upward_import(user=bureau, platform=Platform.PROVINCE, path=upper_file(tmp_path, bad))
    assert not outcome.ok
    assert any("第4行" in e and "不予认定须写明原因" in e for e in outcome.errors), outcome.errors
    assert PlatformFunds.objects.get(project__name="项目甲", month=MARCH).recognised_amount_wan == D(700)
    bad[1:] = []
    outcome = services.upward_import(user=bureau, platform=Platform.PROVINCE, path=upper_file(tmp_path, bad))
    assert outcome.ok and (outcome.created, outcome.updated) == (0, 1)
    assert PlatformFunds.objects.get(project__name="项目甲", month=MARCH).recognised_amount_wan == D(750)


def test_unknown_code_is_refused(tmp_path, data, bureau):
    outcome = services.upward_import(
        user=bureau,
        platform=Platform.PROVINCE,
        path=upper_file(tmp_path, [("P-999", "不存在", "2022-03", 10, "已认定", None)]),
    )
    assert outcome.errors == ["第2行:平台项目编号“P-999”在本系统中没有对应项目(或不在本账号的管辖范围内)"]
    assert not PlatformFunds.objects.exists()


def test_export_in_the_platform_layout(data, bureau):
    content = services.upward_export(user=bureau, platform=Platform.PROVINCE, period=periods.month(2022, 3))
    book = openpyxl.load_workbook(io.BytesIO(content))
    funds = [[c.value for c in row] for row in book["到位资金"].iter_rows()]
    assert funds[0] == ["项目编号", "项目名称", "报送月份", "本月实际到位资金(万元)", "其中省外资金(万元)"]
    # Recognised basis: 甲 at the recognised 800, 丙 200, 丁 100 (not registered: no code); 乙 not recognised.
    body = sorted((r[0] or "", r[1], r[2], D(str(r[3]))) for r in funds[1:])
    assert body == [
        ("", "项目丁", "2022-03", D(100)),
        ("P-001", "项目甲", "2022-03", D(800)),
        ("P-003", "项目丙", "2022-03", D(200)),
    ]
    projects = [[c.value for c in row] for row in book["项目"].iter_rows()]
    assert projects[0][:3] == ["项目编号", "项目名称", "投资主体"]
    assert len(projects) == 1 + 4  # the four projects signed in March 2022
    assert AuditEntry.objects.filter(action="export", username=bureau.username).exists()


def test_configured_column_map_changes_the_layout(data, bureau):
    ColumnMap.objects.create(
        platform=Platform.CITY,
        sheet=Sheet.FUNDS,
        columns=[["name", "名称"], ["month", "月"], ["amount_wan", "上报到位(万元)"]],
    )
    content = services.upward_export(
        user=bureau, platform=Platform.CITY, period=periods.month(2022, 3), basis="reported"
    )
    rows = [
        [c.value for c in row] for row in openpyxl.load_workbook(io.BytesIO(content))["到位资金"].iter_rows()
    ]
    assert rows[0] == ["名称", "月", "上报到位(万元)"]
    # Reported basis: 甲 1000, 乙 300, 丙 200, 丁 100.
    assert sorted((r[0], D(str(r[2]))) for r in rows[1:]) == [
        ("项目丁", D(100)),
        ("项目丙", D(200)),
        ("项目乙", D(300)),
        ("项目甲", D(1000)),
    ]


def test_pages(tmp_path, data, bureau, client_as, region_tree, make_user):
    client = client_as(bureau)
    with open(upper_file(tmp_path, PROVINCE_ROWS), "rb") as f:
        response = client.post("/upward/import/", {"platform": "province", "file": f})
    assert response.status_code == 302
    page = client.get("/upward/?platform=province&period=2022-03&differing=on").content.decode()
    assert "合同外资金不计" in page and "项目未在上级平台登记" in page
    assert "项目乙" in page  # differs on the recognised basis
    export = client.get("/upward/export/?platform=province&period=2022-03&basis=recognised")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    # Another county's bureau sees none of 荆州区's rows.
    other = client_as(make_user(Role.BUREAU, region=region_tree.shashi))
    assert "项目甲" not in other.get("/upward/?platform=province&period=2022-03").content.decode()
    a = data[0]
    assert other.get(f"/upward/projects/{a.pk}/province/").status_code == 404
    response = client.post(
        f"/upward/projects/{a.pk}/city/", {"code": "JZ-7", "status": "refused", "refusal_reason": ""}
    )
    assert response.status_code == 200 and "不予认定的项目必须填写原因" in response.content.decode()
    client.post(f"/upward/projects/{a.pk}/city/", {"code": "JZ-7", "status": "registered"})
    unit_head = client_as(make_user(Role.UNIT_HEAD, unit=a.introducing_unit))
    assert unit_head.get(f"/upward/projects/{a.pk}/city/").status_code == 403
    assert PlatformRecord.objects.get(project=a, platform="city").code == "JZ-7"


def test_reconciliation_and_platform_records_through_the_api(tmp_path, data, bureau, units, make_user):
    from django.test import Client

    from zhaoshang.api.services import token_create

    services.upward_import(user=bureau, platform=Platform.PROVINCE, path=upper_file(tmp_path, PROVINCE_ROWS))
    client = Client(HTTP_AUTHORIZATION=f"Token {token_create(user=bureau, name='市级系统')[1]}")
    rows = client.get("/api/reconciliation/?platform=province&period=2022-03").json()
    by_name = {r["project_name"]: r for r in rows}
    # 甲 March as in the page: 700 − 1000 = −300, 700 − 800 = −100.
    assert (by_name["项目甲"]["difference_reported"], by_name["项目甲"]["difference_recognised"]) == (
        "-300.0000",
        "-100.0000",
    )
    assert by_name["项目丁"]["upper"] is None and by_name["项目丁"]["platform_status"] == "not_registered"
    project = client.get(f"/api/projects/{data[2].pk}/").json()
    assert project["platform_records"][0]["status"] == "refused"
    # A unit account sees its own unit's rows only (项目乙 is 马山镇's).
    head = make_user(Role.UNIT_HEAD, unit=units.chuandian)
    own = Client(HTTP_AUTHORIZATION=f"Token {token_create(user=head, name='x')[1]}")
    names = {
        r["project_name"] for r in own.get("/api/reconciliation/?platform=province&period=2022-03").json()
    }
    assert names == {"项目甲", "项目丙", "项目丁"}


def test_registrations_page(data, bureau, client_as, region_tree, make_user, django_assert_max_num_queries):
    client = client_as(bureau)
    with django_assert_max_num_queries(12):
        page = client.get("/upward/registrations/?platform=province").content.decode()
    # 甲乙丙 registered as P-001..P-003, 丁 not.
    assert "P-001" in page and "P-003" in page and page.count("未登记") == 1
    assert "P-002" in client.get("/upward/registrations/?platform=province&q=乙").content.decode()
    assert "P-001" not in client.get("/upward/registrations/?platform=city").content.decode()
    other = client_as(make_user(Role.BUREAU, region=region_tree.shashi)).get("/upward/registrations/")
    assert "项目甲" not in other.content.decode()


def test_column_map_validation():
    from django.core.exceptions import ValidationError

    bad = ColumnMap(platform=Platform.PROVINCE, sheet=Sheet.FUNDS, columns=[["no_such_field", "X"]])
    with pytest.raises(ValidationError):
        bad.full_clean()
    ColumnMap(platform=Platform.PROVINCE, sheet=Sheet.FUNDS, columns=[["month", "月份"]]).full_clean()


def test_commands(tmp_path, data, bureau):
    from django.core.management import call_command

    out = tmp_path / "up.xlsx"
    call_command(
        "upward",
        "export",
        "--platform",
        "province",
        "--period",
        "2022-03",
        "--user",
        bureau.username,
        "-o",
        str(out),
    )
    assert openpyxl.load_workbook(out)["到位资金"].max_row == 1 + 3  # 甲, 丙, 丁 (recognised basis)
    call_command(
        "upward",
        "import",
        str(upper_file(tmp_path, PROVINCE_ROWS)),
        "--platform",
        "province",
        "--user",
        bureau.username,
    )
    assert PlatformFunds.objects.count() == 4
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command(
            "upward",
            "import",
            str(upper_file(tmp_path, [("P-999", "x", "2022-03", 1, "已认定", None)])),
            "--platform",
            "province",
            "--user",
            bureau.username,
        )


def test_reports_state_the_upper_figure_beside_ours(tmp_path, data, bureau, region_tree):
    from zhaoshang.reports.figures import ReportContext
    from zhaoshang.reports.generators import generate

    def summary():
        ctx = ReportContext(
            region=region_tree.jingzhou,
            period=periods.month_range(2022, 3, 2022, 4),
            basis="recognised",
            today=datetime.date(2022, 5, 10),
            campaign=None,
        )
        return generate("summary", ctx).markdown

    # Before any import, only our figure: recognised 800 + 500 + 200 + 100 = 1600万元 = 0.16亿元.
    before = summary()
    assert "0.16亿元" in before and "平台认定" not in before
    services.upward_import(user=bureau, platform=Platform.PROVINCE, path=upper_file(tmp_path, PROVINCE_ROWS))
    # The province recognised 700 + 500 + 300 + 0 = 1500万元 = 0.15亿元, stated in the funds sentence.
    line = next(line for line in summary().splitlines() if "平台认定" in line)
    assert "实际到位资金" in line and line.endswith("（省平台认定0.15亿元）。")
