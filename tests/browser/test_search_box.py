"""The search box in the top navigation: a unit's reporter searches and sees only their unit's
record; the result opens the record's page; the menu still fits on one line at 1366×768."""

import pytest

from factories import EnterpriseFactory, ProjectFactory, valid_credit_code
from zhaoshang.organisation.choices import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(units, make_user):
    investor = EnterpriseFactory(name="湖北荆楚光电科技有限公司", credit_code=valid_credit_code(555))
    own = ProjectFactory(name="川店镇光电产业园项目", investor=investor, introducing_unit=units.chuandian)
    ProjectFactory(name="马山镇光电二期项目", investor=investor, introducing_unit=units.mashan)
    # A long unit name: the user's label in the menu must give way, not push the menu off the screen.
    make_user(Role.REPORTER, unit=units.task_force, username="force_reporter")
    make_user(Role.REPORTER, unit=units.chuandian, username="reporter")
    return {"own": own, "investor": investor}


def test_reporter_searches_and_sees_only_their_units_record(live_server, page, login, shot, world):
    base = live_server.url
    login("reporter")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    box = page.locator("#zs-search")
    box.fill("光电")
    box.press("Enter")
    page.wait_for_url(f"{base}/search/?q=*")
    assert "“光电”共找到 2 条记录" in page.locator("h1").inner_text()  # the project and the investor
    projects = page.locator("#search-projects")
    assert "招商项目 1" in projects.locator("h2").inner_text()
    assert "川店镇光电产业园项目" in projects.inner_text()
    assert "马山镇光电二期项目" not in page.locator("main").inner_text()
    assert page.locator("#zs-search").input_value() == "光电"
    shot("search-results")

    # By the investor's 统一社会信用代码, then open the record.
    box = page.locator("#zs-search")
    box.fill(world["investor"].credit_code)
    box.press("Enter")
    page.wait_for_url(f"{base}/search/?q={world['investor'].credit_code}")
    page.locator("#search-projects").get_by_role("link", name="川店镇光电产业园项目").click()
    page.wait_for_url(f"{base}/projects/{world['own'].pk}/")
    assert "川店镇光电产业园项目" in page.locator("h1").inner_text()

    # Another unit's project only: nothing found, and the page says what to do.
    page.goto(f"{base}/search/?q=马山镇光电")
    empty = page.locator("#search-empty").inner_text()
    assert "没有找到与“马山镇光电”相关的记录" in empty and "统一社会信用代码" in empty


def test_long_unit_name_keeps_the_menu_on_one_line(live_server, page, login, world):
    login("force_reporter")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    nav = page.locator("nav.zs-nav").bounding_box()
    assert nav["height"] < 80  # one line (two lines would be over 100px)
    assert page.locator("button:has-text('退出')").is_visible()
