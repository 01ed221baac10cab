"""The open API (issue 17): tokens, the same access choke point as the pages, the workflow through
the same services with audit rows, figures from the metrics engine, and city/county visibility."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from factories import FundsRecordFactory, ProjectFactory
from zhaoshang.api.models import ApiToken
from zhaoshang.api.services import token_create
from zhaoshang.audit.models import AuditEntry
from zhaoshang.organisation.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # throttle history lives in the cache
    yield
    cache.clear()


def api(user) -> Client:
    _token, key = token_create(user=user, name="测试")
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


@pytest.fixture
def people(units, region_tree, make_user):
    class P:
        head_a = make_user(Role.UNIT_HEAD, unit=units.chuandian)
        reporter_b = make_user(Role.REPORTER, unit=units.mashan)
        county_bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)  # 荆州区招商局
        other_county_bureau = make_user(Role.BUREAU, region=region_tree.shashi)  # 沙市区招商局
        city_bureau = make_user(Role.BUREAU, region=region_tree.city)  # 荆州市招商局
        sysadmin = make_user(Role.SYSADMIN, region=region_tree.jingzhou)

    return P


def test_unit_a_token_gets_404_for_unit_b_project(units, people):
    mine = ProjectFactory(introducing_unit=units.chuandian)
    theirs = ProjectFactory(introducing_unit=units.mashan)
    client = api(people.head_a)

    assert client.get(f"/api/projects/{mine.pk}/").status_code == 200
    response = client.get(f"/api/projects/{theirs.pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "记录不存在。"}
    # The same answer as for a project that does not exist at all.
    assert client.get("/api/projects/999999/").json() == {"detail": "记录不存在。"}
    # Nor can it act on it: the workflow answers 404 too, and nothing moves.
    assert client.post(f"/api/projects/{theirs.pk}/submit/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.review_status == "draft"
    listed = client.get("/api/projects/").json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]


def test_no_token_or_revoked_token_is_refused_in_chinese(units, people):
    ProjectFactory(introducing_unit=units.chuandian)
    assert Client().get("/api/projects/").status_code in (401, 403)
    token, key = token_create(user=people.head_a, name="大屏")
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/projects/").status_code == 200
    call_command("api_token", "revoke", str(token.pk))
    response = client.get("/api/projects/")
    assert response.status_code == 401
    assert response.json()["detail"] == "令牌无效或已吊销。"
    # Created and revoked tokens are both in the audit trail.
    actions = list(
        AuditEntry.objects.filter(model="api.apitoken", object_id=str(token.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "delete"]


def test_key_is_stored_only_as_digest(people):
    token, key = token_create(user=people.head_a, name="政务微信")
    stored = ApiToken.objects.get(pk=token.pk)
    assert key not in (stored.digest, stored.prefix, stored.name)
    assert stored.prefix == key[:8]


def test_administrators_get_no_token(people):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        token_create(user=people.sysadmin, name="x")


def test_workflow_through_the_api_is_audited(units, people):
    project = ProjectFactory(introducing_unit=units.chuandian)
    head, bureau = api(people.head_a), api(people.county_bureau)

    response = head.post(f"/api/projects/{project.pk}/submit/")
    assert response.status_code == 200, response.content
    assert response.json()["review_status"] == "submitted"
    # The unit head may not recognise its own project.
    assert head.post(f"/api/projects/{project.pk}/recognise/").status_code == 403
    # Returning needs a reason.
    response = bureau.post(f"/api/projects/{project.pk}/return/", {}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["reason"] == ["退回时必须填写退回原因。"]
    response = bureau.post(
        f"/api/projects/{project.pk}/return/", {"reason": "投资额与合同不符"}, content_type="application/json"
    )
    assert response.json()["review_status"] == "returned"
    assert head.post(f"/api/projects/{project.pk}/submit/").status_code == 200
    assert bureau.post(f"/api/projects/{project.pk}/recognise/").json()["review_status"] == "recognised"
    # A second recognition finds nothing to move: a conflict, not a silent success.
    again = bureau.post(f"/api/projects/{project.pk}/recognise/")
    assert again.status_code == 409
    assert "已认定" in again.json()["detail"]

    rows = list(
        AuditEntry.objects.filter(model="projects.project", object_id=str(project.pk))
        .order_by("id")
        .values_list("action", "username")
    )
    assert rows == [
        ("submit", people.head_a.username),
        ("return", people.county_bureau.username),
        ("submit", people.head_a.username),
        ("recognise", people.county_bureau.username),
    ]


def test_funds_workflow_and_filter(units, people):
    project = ProjectFactory(introducing_unit=units.chuandian)
    march = FundsRecordFactory(project=project, month=datetime.date(2022, 3, 1), amount_wan=Decimal("800"))
    FundsRecordFactory(project=project, month=datetime.date(2022, 4, 1), amount_wan=Decimal("200"))
    client = api(people.head_a)
    listed = client.get("/api/funds/?month_from=2022-03-01&month_to=2022-03-31").json()
    assert [row["id"] for row in listed["results"]] == [march.pk]
    assert listed["results"][0]["amount_wan"] == "800.0000"
    assert client.post(f"/api/funds/{march.pk}/submit/").json()["review_status"] == "submitted"


def test_paging(units, people):
    for _n in range(3):
        ProjectFactory(introducing_unit=units.chuandian)
    page = api(people.head_a).get("/api/projects/?page_size=2").json()
    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert page["next"]


def test_write_throttle(units, people, settings):
    project = ProjectFactory(introducing_unit=units.chuandian)
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "write": "2/min"}
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = rates
    try:
        client = api(people.head_a)
        assert client.post(f"/api/projects/{project.pk}/submit/").status_code == 200
        assert client.post(f"/api/projects/{project.pk}/submit/").status_code == 409
        third = client.post(f"/api/projects/{project.pk}/submit/")
        assert third.status_code == 429
        assert third.json()["detail"].startswith("操作过于频繁,请稍后再试。")
        # Reads are not throttled.
        assert client.get(f"/api/projects/{project.pk}/").status_code == 200
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original


def test_metrics_endpoint(units, people, region_tree):
    # Two recognised signings in 荆州区 in March 2022: 10 000 and 30 000 万元; one in 沙市区 (5 000).
    for unit, amount in ((units.chuandian, "10000"), (units.mashan, "30000"), (units.cenhe, "5000")):
        ProjectFactory(
            introducing_unit=unit,
            total_investment_wan=Decimal(amount),
            stage="signed",
            signed_on=datetime.date(2022, 3, 10),
            review_status="recognised",
        )
    county = api(people.county_bureau)
    body = county.get("/api/metrics/?indicator=signed_amount_wan&period=2022-03").json()
    assert body["scope"] == "region:421003"
    assert Decimal(body["value"]) == Decimal("40000")  # 10 000 + 30 000
    assert body["previous"] == "0.0000" and body["growth"] is None
    by_unit = county.get(
        f"/api/metrics/?indicator=signed_amount_wan&period=2022-Q1&scope=unit:{units.mashan.pk}"
    )
    assert Decimal(by_unit.json()["value"]) == Decimal("30000")
    # 沙市区 is not the county bureau's: 404, as for a region that does not exist.
    assert (
        county.get("/api/metrics/?indicator=signed_amount_wan&period=2022&scope=region:421002").status_code
        == 404
    )
    assert (
        county.get(
            f"/api/metrics/?indicator=signed_amount_wan&period=2022&scope=unit:{units.cenhe.pk}"
        ).status_code
        == 404
    )
    # The city bureau sees both counties: 10 000 + 30 000 + 5 000.
    city = api(people.city_bureau).get("/api/metrics/?indicator=signed_amount_wan&period=2022").json()
    assert Decimal(city["value"]) == Decimal("45000")
    # A unit account sees its own unit only, whatever it asks.
    head = api(people.head_a)
    assert Decimal(
        head.get("/api/metrics/?indicator=signed_amount_wan&period=2022").json()["value"]
    ) == Decimal("10000")
    assert (
        head.get("/api/metrics/?indicator=signed_amount_wan&period=2022&scope=region:421003").status_code
        == 404
    )
    bad = county.get("/api/metrics/?indicator=nope&period=2022-13")
    assert bad.status_code == 400
    assert bad.json()["indicator"] == ["没有这个指标:nope。"]


def test_city_sees_county_data_each_county_its_own(units, people, client_as):
    """City and county in one deployment: 荆州区's project flows to the city's view with no second
    entry; 沙市区 sees only its own (through the API and the list page)."""
    jingzhou_project = ProjectFactory(introducing_unit=units.chuandian, name="荆州区的项目")
    shashi_project = ProjectFactory(introducing_unit=units.cenhe, name="沙市区的项目")

    def ids(user):
        return {row["id"] for row in api(user).get("/api/projects/").json()["results"]}

    assert ids(people.city_bureau) == {jingzhou_project.pk, shashi_project.pk}
    assert ids(people.county_bureau) == {jingzhou_project.pk}
    assert ids(people.other_county_bureau) == {shashi_project.pk}
    assert api(people.other_county_bureau).get(f"/api/projects/{jingzhou_project.pk}/").status_code == 404
    regions = {row["code"] for row in api(people.other_county_bureau).get("/api/regions/").json()["results"]}
    assert regions == {"421002"}
    units_seen = {row["name"] for row in api(people.other_county_bureau).get("/api/units/").json()["results"]}
    assert units_seen == {"岑河镇"}
    # The same on the pages.
    page = client_as(people.other_county_bureau).get("/projects/").content.decode()
    assert "沙市区的项目" in page and "荆州区的项目" not in page
    assert client_as(people.other_county_bureau).get(f"/projects/{jingzhou_project.pk}/").status_code == 404
    city_page = client_as(people.city_bureau).get("/projects/").content.decode()
    assert "沙市区的项目" in city_page and "荆州区的项目" in city_page
    # The city recognises the county's submitted project.
    api(people.county_bureau).post(f"/api/projects/{jingzhou_project.pk}/submit/")
    assert api(people.city_bureau).post(f"/api/projects/{jingzhou_project.pk}/recognise/").status_code == 200


def test_token_page_creates_and_revokes(people, client_as):
    client = client_as(people.head_a)
    response = client.post("/api/tokens/", {"name": "钉钉"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=people.head_a)
    assert token.prefix in response.content.decode()
    other = token_create(user=people.reporter_b, name="别人的")[0]
    assert client.post(f"/api/tokens/{other.pk}/revoke/").status_code == 404
    client.post(f"/api/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    other.refresh_from_db()
    assert other.revoked_at is None


def test_docs_are_served_without_cdn(people, client_as):
    client = client_as(people.county_bureau)
    page = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn" not in page.lower()
    assert client.get("/api/schema/").status_code == 200
    # The UI's files ship with the app (collectstatic serves them; nothing from the internet).
    import re

    from django.contrib.staticfiles import finders

    scripts = re.findall(r'/static/(drf_spectacular_sidecar/[^"\']+\.js)', page)
    assert scripts and all(finders.find(path) for path in scripts)
    redoc = client.get("/api/redoc/").content.decode()
    assert "/static/drf_spectacular_sidecar/redoc/" in redoc


def test_security_administrator_revokes_any_token(people, make_user, client_as):
    token = token_create(user=people.head_a, name="数据大屏")[0]
    secadmin = client_as(make_user(Role.SECADMIN))
    page = secadmin.get("/api/tokens/").content.decode()
    assert people.head_a.username in page and "数据大屏" in page
    secadmin.post(f"/api/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    entry = AuditEntry.objects.filter(model="api.apitoken", action="delete").get()
    assert entry.before["user"] == people.head_a.username


def test_errors_are_in_chinese():
    assert Client().get("/api/projects/").json()["detail"] == "身份认证信息未提供。"


def test_funds_reported_through_the_api(units, people):
    """A unit reports funds from its app: same form and service as the page (validation, audit,
    optimistic lock), and only on its own projects."""
    mine = ProjectFactory(introducing_unit=units.chuandian)
    theirs = ProjectFactory(introducing_unit=units.mashan)
    client = api(people.head_a)
    body = {"project": mine.pk, "month": "2022-05", "amount_wan": "350.5", "outside_province_wan": "100"}
    response = client.post("/api/funds/", {**body, "submit": True}, content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["month"], created["amount_wan"], created["review_status"]) == (
        "2022-05-01",
        "350.5000",
        "submitted",
    )
    assert AuditEntry.objects.filter(
        model="projects.fundsrecord", object_id=str(created["id"]), action="create"
    )
    # The same project and month again: the model's constraint, in Chinese.
    again = client.post("/api/funds/", body, content_type="application/json")
    assert again.status_code == 400
    assert "该项目该月份已有到位资金记录。" in str(again.json())
    # Outside-province more than the total: the database rule's message.
    bad = client.post(
        "/api/funds/",
        {**body, "month": "2022-06", "outside_province_wan": "400"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "其中省外资金不能大于到位资金。" in str(bad.json())
    # Another unit's project is not a choice.
    foreign = client.post("/api/funds/", {**body, "project": theirs.pk}, content_type="application/json")
    assert foreign.status_code == 400 and "project" in foreign.json()

    # Change with the version read; a stale version is a conflict.
    draft = client.post("/api/funds/", {**body, "month": "2022-07"}, content_type="application/json").json()
    url = f"/api/funds/{draft['id']}/"
    changed = client.patch(
        url, {"amount_wan": "400", "version": draft["version"]}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["amount_wan"] == "400.0000"
    stale = client.patch(
        url, {"amount_wan": "500", "version": draft["version"]}, content_type="application/json"
    )
    assert stale.status_code == 409
    # Another unit's record is 404, as everywhere.
    assert (
        api(people.reporter_b).patch(url, {"amount_wan": "1"}, content_type="application/json").status_code
        == 404
    )


def test_city_ranks_its_counties_and_units(units, people):
    # Recognised signings in 2022: 川店镇 10 000, 马山镇 30 000 (荆州区); 岑河镇 5 000 (沙市区).
    for unit, amount in ((units.chuandian, "10000"), (units.mashan, "30000"), (units.cenhe, "5000")):
        ProjectFactory(
            introducing_unit=unit,
            total_investment_wan=Decimal(amount),
            stage="signed",
            signed_on=datetime.date(2022, 3, 10),
            review_status="recognised",
        )
    city = api(people.city_bureau)
    counties = city.get("/api/ranking/?indicator=signed_amount_wan&period=2022&by=region").json()
    # 荆州区 10 000 + 30 000 = 40 000 first, 沙市区 5 000 second.
    assert [(r["rank"], r["name"], Decimal(r["value"])) for r in counties] == [
        (1, "荆州区", Decimal(40000)),
        (2, "沙市区", Decimal(5000)),
    ]
    by_unit = city.get("/api/ranking/?indicator=signed_amount_wan&period=2022").json()
    assert [(r["rank"], r["name"]) for r in by_unit] == [
        (1, "马山镇"),
        (2, "川店镇"),
        (3, "岑河镇"),
        (4, "汽车零部件产业招商专班"),
    ]
    # A county ranks only its own units; it cannot rank the city.
    county = api(people.other_county_bureau)
    assert [
        r["name"] for r in county.get("/api/ranking/?indicator=signed_amount_wan&period=2022").json()
    ] == ["岑河镇"]
    assert (
        county.get("/api/ranking/?indicator=signed_amount_wan&period=2022&scope=region:421000").status_code
        == 404
    )
    assert api(people.head_a).get("/api/ranking/?indicator=signed_amount_wan&period=2022").status_code == 403


@pytest.mark.parametrize(
    "path", ["/api/projects/", "/api/funds/", "/api/leads/", "/api/activities/", "/api/units/"]
)
def test_lists_cost_fixed_queries(units, people, path, django_assert_max_num_queries):
    from factories import ActivityFactory, LeadFactory

    for _n in range(8):
        project = ProjectFactory(introducing_unit=units.chuandian)
        FundsRecordFactory(project=project)
        LeadFactory(unit=units.mashan)
        ActivityFactory(unit=units.cenhe)
    client = api(people.city_bureau)
    # Token lookup (+ last-used update), count, page, prefetch of platform records: whatever the rows.
    with django_assert_max_num_queries(6):
        response = client.get(path)
    assert response.status_code == 200 and response.json()["count"] >= 4


def test_token_command_audits_the_operator(people, capsys):
    call_command("api_token", "create", "--user", people.head_a.username, "--name", "市级系统")
    token_id, key = capsys.readouterr().out.strip().split("\t")
    entry = AuditEntry.objects.get(model="api.apitoken", object_id=token_id, action="create")
    assert entry.username.startswith("cli:")
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/projects/").status_code == 200


def test_schema_is_valid_without_warnings():
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_projects_leads_activities_written_through_the_forms(units, people):
    head = api(people.head_a)
    created = head.post(
        "/api/projects/",
        {
            "name": "新能源电池项目",
            "investor_name": "湖北某某新能源有限公司",
            "introducing_unit": units.chuandian.pk,
            "kind": "new",
            "total_investment_wan": "52000",
            "stage": "signed",
            "signed_on": "2022-05-18",
            "submit": True,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    project = created.json()
    assert (project["investor_name"], project["region"], project["review_status"]) == (
        "湖北某某新能源有限公司",
        units.chuandian.region_id,  # lands in the introducing unit's region unless said otherwise
        "submitted",
    )
    # The form's rules, in Chinese: a signed stage needs a signing date.
    bad = head.post(
        "/api/projects/",
        {
            "name": "x",
            "investor_name": "y",
            "introducing_unit": units.chuandian.pk,
            "kind": "new",
            "total_investment_wan": "1",
            "stage": "signed",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "必须填写签约日期" in str(bad.json())
    # Reporting for another unit is not a choice.
    other = head.post(
        "/api/projects/",
        {
            "name": "x",
            "investor_name": "y",
            "introducing_unit": units.mashan.pk,
            "kind": "new",
            "total_investment_wan": "1",
            "stage": "negotiating",
        },
        content_type="application/json",
    )
    assert other.status_code == 400 and "introducing_unit" in other.json()

    # Submitted records stay editable for the unit until recognised; the bureau recognises, then the
    # unit's change is refused (locked) while the bureau's goes through.
    bureau = api(people.county_bureau)
    assert bureau.post(f"/api/projects/{project['id']}/recognise/").status_code == 200
    locked = head.patch(f"/api/projects/{project['id']}/", {"note": "改"}, content_type="application/json")
    assert locked.status_code == 403
    changed = bureau.patch(
        f"/api/projects/{project['id']}/", {"note": "已核实合同"}, content_type="application/json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["investor_name"] == "湖北某某新能源有限公司"
    assert AuditEntry.objects.filter(
        model="projects.project", object_id=str(project["id"]), action="update"
    ).exists()

    lead = head.post(
        "/api/leads/",
        {
            "title": "某企业拟扩产",
            "unit": units.chuandian.pk,
            "reported_on": "2022-05-02",
            "is_valuable": True,
        },
        content_type="application/json",
    )
    assert lead.status_code == 201, lead.content
    # Whether a lead is valuable is the bureau's judgement: the unit's value is ignored.
    assert lead.json()["is_valuable"] is None
    activity = head.post(
        "/api/activities/",
        {
            "kind": "trip",
            "unit": units.chuandian.pk,
            "started_on": "2022-05-03",
            "destination": "深圳",
            "partner_units": [units.mashan.pk],
        },
        content_type="application/json",
    )
    assert activity.status_code == 201, activity.content
