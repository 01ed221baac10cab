"""Importing an Excel file from the page: upload a projects workbook, watch the check run (the
progress indicator while it runs, then the preview of what will be created), confirm, and find the
new records in the list."""

from decimal import Decimal

import openpyxl
import pytest

from factories import valid_credit_code
from zhaoshang.organisation.choices import Role
from zhaoshang.projects.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = valid_credit_code(901)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def workbook(tmp_path):
    """Two projects of 川店镇, written the way a unit types them (3.5亿, 2022年7月3日)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["川店镇招商项目台账"])  # a title row above the header
    sheet.append(
        ["项目名称*", "投资方*", "统一社会信用代码", "引进单位*", "总投资(万元)*", "项目阶段*", "签约日期"]
    )
    sheet.append(
        ["荆州新能源电池项目", "湖北楚能电池有限公司", CODE, "川店镇", "3.5亿", "签约", "2022年7月3日"]
    )
    sheet.append(["川店镇冷链物流项目", "荆州冷链物流有限公司", None, "川店镇", 8000, "洽谈", None])
    path = tmp_path / "川店镇项目.xlsx"
    book.save(path)
    return path


def test_reporter_imports_projects_from_the_page(live_server, page, login, shot, units, make_user, workbook):
    make_user(Role.REPORTER, unit=units.chuandian, username="reporter")
    base = live_server.url
    login("reporter")
    page.goto(f"{base}/projects/")
    page.click("text=导入Excel")
    page.wait_for_url(f"{base}/exchange/import/projects/")
    assert "导入的记录为“草稿”" in page.locator("main").inner_text()
    page.set_input_files("#id_file", str(workbook))

    # Hold the check (it starts by itself when the job page loads) to see what runs meanwhile.
    held = []
    page.route("**/exchange/jobs/*/check/", lambda route: held.append(route))
    page.click("button[type=submit]:has-text('上传并检查')")
    page.wait_for_url(f"{base}/exchange/jobs/*/")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the check did not start by itself"
    running = page.locator("#job-result")
    assert running.locator(".spinner-border").is_visible()
    assert "正在读取文件并检查每一行" in running.inner_text()
    shot("import-checking")
    held[0].continue_()
    page.unroute("**/exchange/jobs/*/check/")

    # The preview: nothing written yet, two records to create.
    summary = page.locator("#job-result .alert")
    summary.wait_for()
    assert "检查通过(未写入)招商项目:将新增2条,更新0条,未变0条" in summary.inner_text()
    assert "表头在第2行" in summary.inner_text()
    rows = page.locator("#job-result table tbody tr")
    assert rows.count() == 2
    assert "新增" in rows.nth(0).inner_text() and "荆州新能源电池项目" in rows.nth(0).inner_text()
    assert "新增" in rows.nth(1).inner_text() and "川店镇冷链物流项目" in rows.nth(1).inner_text()
    assert not Project.objects.filter(name="荆州新能源电池项目").exists()
    shot("import-preview")

    page.click("button:has-text('确认导入')")
    page.locator("#job-result .alert-success").wait_for()
    assert "已导入招商项目:新增2条" in page.locator("#job-result .alert-success").inner_text()

    page.goto(f"{base}/projects/")
    table = page.locator("table").inner_text()
    assert "荆州新能源电池项目" in table and "川店镇冷链物流项目" in table
    project = Project.objects.get(name="荆州新能源电池项目")
    assert project.total_investment_wan == Decimal("35000")  # 3.5亿 = 35000万元
    assert (project.introducing_unit, project.review_status) == (units.chuandian, "draft")
    assert (project.signed_on.isoformat(), project.investor.credit_code) == ("2022-07-03", CODE)
    page.click("text=荆州新能源电池项目")
    page.wait_for_url(f"{base}/projects/{project.pk}/")
    assert "荆州新能源电池项目" in page.locator("h1").inner_text()
    shot("import-result")
