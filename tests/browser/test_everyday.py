"""What a person clicks: log in, create a project (a wrong credit code first), see the cockpit change,
drill down to the records behind a figure, recognise, and look at the history."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from factories import ProjectFactory, valid_credit_code
from zhaoshang.organisation.choices import Role
from zhaoshang.projects.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(units, region_tree, make_user):
    return {
        "bureau": make_user(Role.BUREAU, region=region_tree.jingzhou, username="bureau"),
        "reporter": make_user(Role.REPORTER, unit=units.chuandian, username="reporter"),
    }


def test_reporter_creates_a_project_and_bureau_sees_it(live_server, page, shot, login, people, units):
    today = timezone.localdate()
    base = live_server.url
    console_errors = []
    page.on(
        "console", lambda message: console_errors.append(message.text) if message.type == "error" else None
    )
    login("reporter")
    page.goto(f"{base}/projects/add/")
    page.fill("#id_name", "荆州智能终端产业园项目")
    page.fill("#id_investor_name", "湖北智终电子科技有限公司")
    good = valid_credit_code(42)
    page.fill("#id_investor_credit_code", good[:-1] + ("0" if good[-1] != "0" else "1"))
    page.fill("#id_total_investment_wan", "120000")
    page.select_option("#id_stage", "signed")
    page.fill("#id_negotiated_on", (today - datetime.timedelta(days=20)).isoformat())
    page.fill("#id_signed_on", today.isoformat())
    page.click("button[name=_save]")
    error = page.locator("#id_investor_credit_code_errors")
    assert "统一社会信用代码校验位不正确" in error.inner_text()
    shot("project-form-error")

    page.fill("#id_investor_credit_code", good)
    page.click("button[name=_save]")
    page.wait_for_url(f"{base}/projects/*/")
    assert "荆州智能终端产业园项目" in page.locator("h1").inner_text()
    page.click("#history-tab")
    assert "新增" in page.locator("#history").inner_text()
    shot("project-detail")
    project = Project.objects.get(name="荆州智能终端产业园项目")
    assert project.review_status == "draft"

    # The bureau recognises it from the list and the cockpit counts it.
    project.review_status = "submitted"
    project.save()
    page.context.clear_cookies()
    login("bureau")
    before = page.locator(".zs-kpi").first.inner_text()
    assert "签约亿元以上项目" in before
    page.goto(f"{base}/projects/?review_status=submitted")
    page.check(f'input[name="pk"][value="{project.pk}"]')
    page.click('button[value="recognise"]')
    assert "已认定1条记录" in page.locator(".alert").first.inner_text()
    page.goto(f"{base}/")
    kpi = page.locator(".zs-kpi").first.inner_text()
    assert "1个" in kpi.replace("\n", "")
    # Charts draw under the strict Content-Security-Policy (no inline script, no CDN).
    page.wait_for_selector("#chart-trend svg")
    assert not [m for m in console_errors if "Content Security Policy" in m]
    shot("dashboard", full_page=True)

    # Drill down: the headline figure links to the records it counts.
    page.locator(".zs-kpi").first.click()
    page.wait_for_url("**/projects/?signed_from=*")
    assert "荆州智能终端产业园项目" in page.locator("table").inner_text()
    shot("project-list")


def test_another_units_record_is_a_404_by_url(live_server, page, login, people, units):
    foreign = ProjectFactory(
        introducing_unit=units.mashan, name="马山镇的项目", total_investment_wan=Decimal(5000)
    )
    login("reporter")
    response = page.goto(f"{live_server.url}/projects/{foreign.pk}/")
    assert response.status == 404
