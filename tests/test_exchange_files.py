"""Files the way bureaus have them (issue 12): the same sheet saved by a real office program
(LibreOffice, see tests/fixtures/office/README.md) as .xlsx, as .xls (BIFF8, what WPS writes), as
CSV in GB18030 and in UTF-8 with a byte-order mark, and as UTF-16 tab-separated text, imports to
exactly the same records; merged title rows, a 合计 row and cells merged down the body are read the
way the sheet means them; a file in no known encoding is refused and nothing is written."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from test_exchange_import import reader  # noqa: F401
from test_exchange_support import problem_lines, run_import
from zhaoshang.exchange import readers
from zhaoshang.exchange.services import import_file
from zhaoshang.organisation.models import Unit
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db

OFFICE = Path(__file__).parent / "fixtures" / "office"

# Written by hand from tests/fixtures/office/source/projects.fods: (name, introducing unit, total
# investment in 万元, signed on, 工业项目, 制造业). 1.2亿 = 12000万元, 12,000 (a number shown with a
# thousands separator) = 12000, 2.5亿 = 25000; a blank 制造业 is 否.
JULY = datetime.date(2022, 7, 1)
EXPECTED_PROJECTS = [
    ("冷链物流园项目", "汽车零部件产业招商专班", Decimal("12000"), datetime.date(2022, 7, 12), False, False),
    ("新能源电池配套项目", "川店镇", Decimal("8000"), datetime.date(2022, 7, 3), True, False),
    ("汽车零部件产业园项目", "川店镇", Decimal("12000"), datetime.date(2022, 7, 3), True, True),
    ("生物医药研发中心项目", "马山镇", Decimal("5000"), None, False, False),
    ("电子信息产业园项目", "岑河镇", Decimal("25000"), datetime.date(2022, 7, 28), True, True),
]
# The 合计 row under the five projects is row 10 of every file.
FOOTER_NOTE = "第10行: 表尾行“合计”不是数据,已跳过"


def _projects() -> list[tuple]:
    rows = Project.objects.order_by("name").values_list(
        "name",
        "introducing_unit__name",
        "total_investment_wan",
        "signed_on",
        "is_industrial",
        "is_manufacturing",
    )
    return sorted(rows)


@pytest.mark.parametrize(
    "name",
    [
        "projects.xlsx",
        "projects.xls",
        "projects-gb18030.csv",
        "projects-utf8-bom.csv",
        "projects-utf16.csv",
        "projects-merged.xlsx",
        "projects-merged.xls",
    ],
)
def test_one_sheet_in_every_format_imports_the_same(name, units):
    report = import_file(user=None, kind="projects", path=OFFICE / name)
    assert report.problems == []
    # Two merged title rows and a blank row above the header.
    assert (report.header_row, report.created) == (4, 5)
    assert FOOTER_NOTE in [str(w) for w in report.warnings]
    assert _projects() == sorted(EXPECTED_PROJECTS)


@pytest.mark.parametrize("name", ["projects-merged.xlsx", "projects-merged.xls"])
def test_a_cell_merged_down_the_body_is_filled_into_each_row(name, units, reader):  # noqa: F811
    """引进单位 川店镇 is merged over rows 5–6: both projects are 川店镇's, with either reader
    (openpyxl, without calamine, finds the merges in the sheet's XML; it reads no .xls)."""
    if reader == "openpyxl" and name.endswith(".xls"):
        pytest.skip("openpyxl reads no .xls")
    rows = dict(readers.open_table(OFFICE / name).rows)
    assert (rows[5][3], rows[6][3]) == ("川店镇", "川店镇")
    assert rows[1][1] is None  # a title merged across one row stays in its first cell
    assert import_file(user=None, kind="projects", path=OFFICE / name).created == 5
    assert _projects() == sorted(EXPECTED_PROJECTS)


def test_xls_dates_are_dates_not_serials():
    rows = dict(readers.open_table(OFFICE / "projects.xls").rows)
    assert rows[5][6] == datetime.date(2022, 7, 3)  # a date cell
    assert rows[6][6] == "2022/7/3"  # typed as text: read by the date column's own rules


def test_units_sheet_with_a_merged_title_in_xls(region_tree):
    report = import_file(user=None, kind="units", path=OFFICE / "units.xls")
    assert (report.problems, report.header_row, report.created) == ([], 3, 4)
    got = sorted(
        Unit.objects.values_list("name", "short_name", "kind", "parent__name", "region__name", "order")
    )
    assert got == [
        ("八岭山镇", "", "town", "招商二团", "荆州区", 8),
        ("招商二团", "", "group", None, "荆州区", 7),
        ("纪南镇", "纪南", "town", None, "荆州区", 5),
        ("荆州开发区", "开发区", "park", None, "荆州区", 6),
    ]


def test_the_command_line_reads_the_same_files(units):
    status, out, err = run_import("projects", str(OFFICE / "projects-gb18030.csv"))
    assert status == 0, err
    assert "新增5条" in out
    assert err.splitlines() == [f"提示: {FOOTER_NOTE}"]
    assert _projects() == sorted(EXPECTED_PROJECTS)


# --- CSV encodings and separators ------------------------------------------------------------------

HEADER = "信息名称,上报单位,上报日期\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"\xef\xbb\xbf" + HEADER.encode(), "utf-8-sig"),
        (HEADER.encode("utf-8"), "utf-8"),
        (HEADER.encode("gb18030"), "gb18030"),
        ("信息一,川店镇,2022年3月1日\n".encode("gbk"), "gb18030"),  # GBK is read as its superset
        ("\ufeff信息名称\t上报单位\n".encode("utf-16-le"), "utf-16"),
        ("\ufeff信息名称\t上报单位\n".encode("utf-16-be"), "utf-16"),
        (b"plain,ascii\n", "utf-8"),
    ],
)
def test_csv_encoding_is_decided_on_the_whole_file(tmp_path, data, encoding):
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    assert readers.csv_encoding(path) == encoding


def test_utf8_with_gb18030_text_far_down_is_gb18030(tmp_path):
    """A sample of the first bytes would call this UTF-8 (they are ASCII); the whole file decides."""
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b,c\n" * 20_000 + "信息一,川店镇,2022-03-01\n".encode("gb18030"))
    assert readers.csv_encoding(path) == "gb18030"


@pytest.mark.parametrize(
    ("text", "cells"),
    [
        (
            "信息名称,上报单位,上报日期\n信息一，二,川店镇,2022-03-01\n",
            ["信息一，二", "川店镇", "2022-03-01"],
        ),
        (
            "信息名称;上报单位;上报日期\n信息一，二;川店镇;2022-03-01\n",
            ["信息一，二", "川店镇", "2022-03-01"],
        ),
        (
            "信息名称\t上报单位\t上报日期\n信息一，二\t川店镇\t2022-03-01\n",
            ["信息一，二", "川店镇", "2022-03-01"],
        ),
        # A short file the sniffer gives up on: the header line's separator decides.
        ("信息名称;上报单位\n", ["信息名称", "上报单位"]),
    ],
)
def test_separators_are_sniffed_and_the_full_width_comma_is_text(tmp_path, text, cells):
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="gb18030")
    rows = list(readers.open_table(path).rows)
    assert rows[-1] == (len(rows), cells)


def test_an_undecodable_file_is_refused_and_nothing_is_written(tmp_path, units):
    path = tmp_path / "projects.csv"
    # Valid neither as UTF-8 nor as GB18030 (0xFF starts no character in either).
    path.write_bytes("项目名称,投资方\n".encode("gb18030") + b"\xff\xfe\xff,\xff\n")
    report = import_file(user=None, kind="projects", path=path)
    assert [str(p) for p in report.problems] == ["文件: 无法识别文件编码，请另存为 UTF-8 或 Excel 工作簿"]
    assert (report.created, report.committed) == (0, False)
    status, _out, err = run_import("projects", str(path))
    assert (status, problem_lines(err)) == (1, ["文件: 无法识别文件编码，请另存为 UTF-8 或 Excel 工作簿"])
    assert not Project.objects.exists()


def test_a_two_row_header_under_a_merged_parent(tmp_path, units, reader):  # noqa: F811
    """总投资 and the other headers merged down over two rows, 其中 merged over the two columns whose
    sub-headers sit on the second row (written with openpyxl: the merges are what matters here)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["荆州区2022年7月招商项目统计表"])
    sheet.merge_cells("A1:G1")
    sheet.append(["项目名称", "投资方", "引进单位", "总投资(万元)", "其中", None, "项目阶段"])
    sheet.append([None, None, None, None, "新增投资(万元)", "外资金额", None])
    for letter in "ABCDG":
        sheet.merge_cells(f"{letter}2:{letter}3")
    sheet.merge_cells("E2:F2")
    sheet.append(["扩建项目", "荆州甲有限公司", "川店镇", "1.2亿", 3000, 50, "洽谈"])
    workbook.save(tmp_path / "projects.xlsx")

    report = import_file(user=None, kind="projects", path=tmp_path / "projects.xlsx")
    assert (report.problems, report.header_row, report.created) == ([], 2, 1)
    project = Project.objects.get()
    assert (project.total_investment_wan, project.added_investment_wan, project.foreign_amount) == (
        Decimal("12000"),
        Decimal("3000"),
        Decimal("50"),
    )


@pytest.mark.parametrize("name", ["projects-gb18030.csv", "projects-utf16.csv", "projects.xls"])
def test_the_web_import_reads_the_same_files(
    name, settings, tmp_path, units, region_tree, make_user, client_as
):
    """The import page stores the upload and runs the same service, so the same reader."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhaoshang.organisation.choices import Role

    settings.MEDIA_ROOT = tmp_path / "media"
    client = client_as(make_user(Role.BUREAU, region=region_tree.city))  # 岑河镇 is in 沙市区
    upload = SimpleUploadedFile(name, (OFFICE / name).read_bytes())
    response = client.post("/exchange/import/projects/", {"file": upload})
    assert response.status_code == 302
    job_url = response["Location"]
    client.post(f"{job_url}check/")
    page = client.post(f"{job_url}confirm/", HTTP_HX_REQUEST="true").content.decode()
    assert "已导入招商项目:新增5条" in page
    assert "表尾行“合计”不是数据,已跳过" in page
    assert _projects() == sorted(EXPECTED_PROJECTS)


def test_group_headings_and_footers_between_rows_are_skipped_with_a_note(tmp_path, units):
    path = tmp_path / "leads.csv"
    text = (
        "信息名称,上报单位,上报日期\n"
        "一、新能源,,\n"
        "信息一,川店镇,2022-03-01\n"
        "（二）生物医药,,\n"
        "信息二,马山镇,2022-03-02\n"
        "合　计,2,\n"
        "填表人：张三,,\n"
    )
    path.write_bytes(text.encode("gb18030"))
    report = import_file(user=None, kind="leads", path=path)
    assert (report.problems, report.created) == ([], 2)
    assert [str(w) for w in report.warnings] == [
        "第2行: 分类标题行“一、新能源”不是数据,已跳过",
        "第4行: 分类标题行“（二）生物医药”不是数据,已跳过",
        "第6行: 表尾行“合计”不是数据,已跳过",
        "第7行: 表尾行“填表人：张三”不是数据,已跳过",
    ]
