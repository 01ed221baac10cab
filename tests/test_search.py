"""Search across entities (/search/?q=…): by name, 统一社会信用代码 or investor; grouped by kind with
counts; only what the user may see; the list page's "查看全部" shows the same records; a fixed number
of queries however many records match."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factories import ActivityFactory, EnterpriseFactory, LeadFactory, ProjectFactory, valid_credit_code
from zhaoshang.organisation.choices import Role
from zhaoshang.search.selectors import PER_KIND, search

pytestmark = pytest.mark.django_db

CODE = valid_credit_code(777)


@pytest.fixture
def world(units, region_tree, make_user):
    """One investor, 湖北荆楚光电科技有限公司, with a project, a lead and a visit in 川店镇, a project in
    马山镇 and a project in 岑河镇 (沙市区)."""
    investor = EnterpriseFactory(name="湖北荆楚光电科技有限公司", credit_code=CODE)
    ProjectFactory(name="川店镇光电产业园项目", investor=investor, introducing_unit=units.chuandian)
    ProjectFactory(name="马山镇光电二期项目", investor=investor, introducing_unit=units.mashan)
    ProjectFactory(name="岑河镇光电配套项目", investor=investor, introducing_unit=units.cenhe)
    LeadFactory(title="光电企业扩产信息", unit=units.chuandian, enterprise=investor)
    visit = ActivityFactory(kind="visit", unit=units.chuandian, destination="武汉市东湖高新区")
    visit.enterprises.add(investor)
    return {
        "reporter": make_user(Role.REPORTER, unit=units.chuandian, username="cd_reporter"),
        "mashan": make_user(Role.REPORTER, unit=units.mashan, username="ms_reporter"),
        "bureau": make_user(Role.BUREAU, region=region_tree.jingzhou, username="jz_bureau"),
        "city": make_user(Role.BUREAU, region=region_tree.city, username="city_bureau"),
        "auditor": make_user(Role.AUDITOR, username="auditor"),
    }


def found(user, query):
    return {
        g.kind.code: (g.count, [h.title for h in g.hits]) for g in search(user=user, query=query) if g.count
    }


def test_reporter_finds_only_their_units_records(world):
    assert found(world["reporter"], "光电") == {
        "projects": (1, ["川店镇光电产业园项目"]),
        # Enterprises are shared master data: every unit may look an investor up.
        "enterprises": (1, ["湖北荆楚光电科技有限公司"]),
        "leads": (1, ["光电企业扩产信息"]),
        # The visit matches through the enterprise it visited.
        "activities": (1, ["拜访企业 2022-03-01 武汉市东湖高新区"]),
    }
    assert found(world["mashan"], "光电")["projects"] == (1, ["马山镇光电二期项目"])


def test_bureau_finds_its_region_and_the_city_everything(world):
    assert found(world["bureau"], "光电")["projects"][0] == 2  # 荆州区: 川店镇, 马山镇
    assert found(world["city"], "光电")["projects"][0] == 3  # 荆州市: and 沙市区's 岑河镇


def test_by_credit_code_and_investor(world):
    # The investor's 统一社会信用代码 finds the enterprise and everything linked to it.
    assert found(world["reporter"], CODE) == {
        "projects": (1, ["川店镇光电产业园项目"]),
        "enterprises": (1, ["湖北荆楚光电科技有限公司"]),
        "leads": (1, ["光电企业扩产信息"]),
        "activities": (1, ["拜访企业 2022-03-01 武汉市东湖高新区"]),
    }
    # Lower case is the same code.
    assert found(world["reporter"], CODE.lower())["projects"][0] == 1
    # The investor's name finds the projects it invests in.
    assert found(world["bureau"], "荆楚光电")["projects"][0] == 2


def test_units_by_name(world, units):
    groups = {g.kind.code: g for g in search(user=world["bureau"], query="马山")}
    (hit,) = groups["units"].hits
    assert hit.title == "马山镇"
    assert hit.url == f"/projects/?introducing_unit={units.mashan.pk}"
    assert dict(hit.links)["招商信息"] == f"/leads/?unit={units.mashan.pk}"
    assert groups["units"].more_url == ""  # units have no list page
    # A unit's reporter sees only their own unit.
    assert "units" not in found(world["reporter"], "马山")
    assert found(world["reporter"], "川店")["units"] == (1, ["川店镇"])


def test_limited_per_kind_with_a_link_to_the_list(world, units, client_as):
    for i in range(PER_KIND + 2):
        ProjectFactory(name=f"川店镇智能终端项目{i}", introducing_unit=units.chuandian)
    ProjectFactory(name="马山镇智能终端项目", introducing_unit=units.mashan)
    (group,) = [g for g in search(user=world["reporter"], query="智能终端") if g.count]
    assert (group.count, len(group.hits), group.more) == (PER_KIND + 2, PER_KIND, 2)
    assert group.more_url == "/projects/?q=%E6%99%BA%E8%83%BD%E7%BB%88%E7%AB%AF"
    client = client_as(world["reporter"])
    page = client.get("/search/?q=智能终端").content.decode()
    assert "查看全部7条" in page and 'href="/projects/?q=%E6%99%BA%E8%83%BD%E7%BB%88%E7%AB%AF"' in page
    # The list page shows the same seven records (not 马山镇's).
    listing = client.get(group.more_url).content.decode()
    assert "共 7 条" in listing and "马山镇智能终端项目" not in listing


def test_results_page_groups_links_and_counts(world, client_as):
    page = client_as(world["reporter"]).get("/search/", {"q": " 光电 "}).content.decode()
    assert "“光电”共找到 4 条记录" in page
    for kind in ("projects", "enterprises", "leads", "activities"):
        assert f'id="search-{kind}"' in page
    assert 'id="search-units"' not in page
    assert "马山镇光电二期项目" not in page and "岑河镇光电配套项目" not in page
    project = world["reporter"].unit.projects.get()
    assert f'href="/projects/{project.pk}/"' in page
    assert f"投资方:湖北荆楚光电科技有限公司({CODE})" in page


def test_empty_states(world, client_as):
    client = client_as(world["reporter"])
    blank = client.get("/search/").content.decode()
    assert "请输入要查找的内容" in blank
    nothing = client.get("/search/?q=不存在的企业").content.decode()
    assert 'id="search-empty"' in nothing
    assert "没有找到与“不存在的企业”相关的记录" in nothing and "统一社会信用代码" in nothing
    assert 'href="/projects/add/"' in nothing  # a reporter may report the new project
    # Another unit's record is not revealed, not even as a count.
    assert 'id="search-empty"' in client.get("/search/?q=马山镇光电").content.decode()


def test_administrators_and_anonymous(world, client, client_as):
    page = client_as(world["auditor"]).get("/search/?q=光电").content.decode()
    assert "管理员账号不查看业务数据" in page and "湖北荆楚光电" not in page
    assert search(user=world["auditor"], query="光电") == []
    assert 'id="zs-search"' not in page  # no search box in the navigation for them
    response = client.get("/search/?q=光电")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_search_box_in_the_navigation(world, client_as):
    page = client_as(world["reporter"]).get("/projects/").content.decode()
    assert 'id="zs-search"' in page and 'action="/search/"' in page
    on_results = client_as(world["reporter"]).get("/search/?q=光电").content.decode()
    assert 'name="q" maxlength="100" value="光电"' in on_results


def test_query_count_does_not_grow_with_hits(world, units):
    def count(query):
        with CaptureQueriesContext(connection) as ctx:
            search(user=world["bureau"], query=query)
        return len(ctx.captured_queries)

    investor = EnterpriseFactory(name="荆州汽配集团有限公司")
    ProjectFactory(name="汽配项目", investor=investor, introducing_unit=units.chuandian)
    LeadFactory(title="汽配信息", unit=units.chuandian)
    visit = ActivityFactory(kind="visit", unit=units.chuandian, destination="汽配园区")
    visit.enterprises.add(investor)
    few = count("汽配")
    for i in range(30):
        other = EnterpriseFactory(name=f"汽配供应商{i}有限公司")
        ProjectFactory(
            name=f"汽配项目{i}",
            investor=other,
            introducing_unit=units.mashan,
            total_investment_wan=Decimal(1000 + i),
            signed_on=datetime.date(2022, 5, 1),
        )
        LeadFactory(title=f"汽配信息{i}", unit=units.mashan, enterprise=other)
        many = ActivityFactory(kind="visit", unit=units.mashan, destination=f"汽配园区{i}")
        many.enterprises.add(other, investor)
    assert count("汽配") == few
