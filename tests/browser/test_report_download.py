"""Generating a report on /reports/ and downloading it: the 龙虎榜 for 1至7月 2022 as .xlsx and .docx,
opened with openpyxl and python-docx, with figures computed by hand from the projects below."""

import datetime
from decimal import Decimal

import docx
import openpyxl
import pytest

from factories import ProjectFactory
from zhaoshang.organisation.choices import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


@pytest.fixture
def signings(units, region_tree, make_user):
    """Recognised signings in 荆州区, 1至7月 2022: 川店镇 15亿 (3月1日) and 2亿 (6月1日); 马山镇 30亿
    (5月1日) and 0.8亿 (5月3日). Not counted: 岑河镇 (沙市区), a signing only submitted, and 川店镇's
    5亿 of 2021 (the same period a year earlier)."""
    rows = [
        (units.chuandian, 150000, D(2022, 3, 1), "recognised"),
        (units.chuandian, 20000, D(2022, 6, 1), "recognised"),
        (units.mashan, 300000, D(2022, 5, 1), "recognised"),
        (units.mashan, 8000, D(2022, 5, 3), "recognised"),
        (units.cenhe, 170000, D(2022, 4, 1), "recognised"),
        (units.mashan, 400000, D(2022, 5, 2), "submitted"),
        (units.chuandian, 50000, D(2021, 6, 1), "recognised"),
    ]
    for unit, amount, on, status in rows:
        ProjectFactory(
            introducing_unit=unit,
            total_investment_wan=Decimal(amount),
            stage="signed",
            signed_on=on,
            review_status=status,
        )
    make_user(Role.BUREAU, region=region_tree.jingzhou, username="bureau")


def test_bureau_generates_and_downloads_the_leaderboard(live_server, page, login, shot, signings, tmp_path):
    base = live_server.url
    login("bureau")
    page.goto(f"{base}/reports/")
    page.select_option("#id_kind", "leaderboard")
    page.fill("#id_start", "2022-01")
    page.fill("#id_end", "2022-07")
    page.select_option("#id_basis", "recognised")
    page.click("button[name=view]")
    page.wait_for_url(f"{base}/reports/*/")
    assert "荆州区2022年1至7月招商引资项目签约龙虎榜" in page.locator("article").inner_text()
    shot("report-leaderboard")

    with page.expect_download() as info:
        page.locator('a[href$="/download/xlsx/"]').click()  # "Excel 表格"
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / "leaderboard.xlsx"
    download.save_as(path)
    book = openpyxl.load_workbook(path)
    sheet = book["1至7月任务单位签约龙虎榜"]
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows[0] == [
        "名次",
        "单位",
        "签约项目（个）",
        "其中亿元以上（个）",
        "全部签约项目签约额（亿元）",
    ]  # names what it sums (issue 13)
    # 马山镇 30 + 0.8 = 30.8亿 (one of its two at 1亿元以上); 川店镇 15 + 2 = 17亿 (both).
    assert rows[1:] == [[1, "马山镇", 2, 1, pytest.approx(30.8)], [2, "川店镇", 2, 2, 17]]

    with page.expect_download() as info:
        page.locator('a[href$="/download/docx/"]').click()  # "Word 文档"
    path = tmp_path / "leaderboard.docx"
    info.value.save_as(path)
    assert info.value.suggested_filename.endswith(".docx")
    text = "\n".join(p.text for p in docx.Document(path).paragraphs)
    # 4 signed (1 a year earlier: +300%), 47.8亿 (5亿 a year earlier: +856%), 3 of them 亿元以上.
    assert (
        "1至7月，全区签约项目4个，同比增长300%，签约额47.8亿元，同比增长856%，其中亿元以上项目3个。" in text
    )
