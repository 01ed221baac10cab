"""The assessment pages (/assessments/, /assessments/<id>/): who sees which result, the bureau's
buttons, each figure linking to the records it counts, and 核查问题 (findings)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils.html import escape

from factories import ProjectFactory, TargetFactory, UnitFactory
from zhaoshang.assessment.choices import FindingKind, RunStatus, ScoringRule
from zhaoshang.assessment.models import Finding, Run, Scheme, SchemeItem
from zhaoshang.assessment.services import assessment_run
from zhaoshang.audit.models import AuditEntry
from zhaoshang.organisation.choices import Role

pytestmark = pytest.mark.django_db
D = datetime.date


def make_scheme(group, region):
    scheme = Scheme.objects.create(year=2022, name=f"{group}考核办法", region=region, assessment_group=group)
    SchemeItem.objects.create(
        scheme=scheme,
        indicator="signed_projects",
        rule=ScoringRule.COMPLETION,
        weight=Decimal(30),
        cap=Decimal("1.2"),
    )
    return scheme


@pytest.fixture
def world(units, region_tree, make_user):
    """Schemes of 荆州区 for the towns (川店镇, 马山镇) and the task forces; 川店镇 signed 3 of 12."""
    cd = units.chuandian
    for day in (1, 2, 3):
        ProjectFactory(
            introducing_unit=cd, stage="signed", signed_on=D(2022, 7, day), review_status="recognised"
        )
    TargetFactory(unit=cd, indicator="signed_projects", value=Decimal(12))
    towns = make_scheme(cd.assessment_group, region_tree.jingzhou)
    forces = make_scheme(units.task_force.assessment_group, region_tree.jingzhou)
    users = SimpleNamespace(
        bureau=make_user(Role.BUREAU, region=region_tree.jingzhou),
        city_bureau=make_user(Role.BUREAU, region=region_tree.city),
        other_county_bureau=make_user(Role.BUREAU, region=region_tree.shashi),
        leader=make_user(Role.LEADER, region=region_tree.jingzhou),
        supervisor=make_user(Role.SUPERVISOR, region=region_tree.jingzhou),
        reporter=make_user(Role.REPORTER, unit=cd),
        unit_head=make_user(Role.UNIT_HEAD, unit=cd),
        force_reporter=make_user(Role.REPORTER, unit=units.task_force),
        sysadmin=make_user(Role.SYSADMIN),
        auditor=make_user(Role.AUDITOR),
    )
    return SimpleNamespace(towns=towns, forces=forces, users=users, cd=cd)


def test_anonymous_goes_to_login(client, world):
    response = client.get("/assessments/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_bureau_computes_from_the_page_and_sees_the_explanation(world, client_as):
    client = client_as(world.users.bureau)
    response = client.post("/assessments/run/", {"period": "2022-07", "basis": "recognised"})
    assert response.status_code == 302
    runs = Run.objects.filter(period_code="2022-07")
    assert runs.count() == 2 and set(runs.values_list("status", flat=True)) == {RunStatus.DRAFT}
    towns_run = runs.get(scheme=world.towns)
    assert response["Location"] in {r.get_absolute_url() for r in runs}
    page = client.get(towns_run.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    # 30 × (3/12) ÷ (7/12) = 12.857… → 12.86
    assert "12.86" in html and "川店镇" in html and "马山镇" in html
    link = f"/projects/?introducing_unit={world.cd.pk}&signed_from=2022-01-01&signed_to=2022-07-31"
    assert escape(link) in html
    assert "发布" in html and "重新计算" in html
    # The list shows both results.
    listing = client.get("/assessments/").content.decode()
    assert towns_run.get_absolute_url() in listing


def test_bad_period_from_the_page_is_refused_in_chinese(world, client_as):
    response = client_as(world.users.bureau).post("/assessments/run/", {"period": "2022-13"}, follow=True)
    assert "期间格式" in response.content.decode()
    assert not Run.objects.exists()


def test_bureau_publishes_and_then_nothing_recomputes(world, client_as):
    run = assessment_run(user=world.users.bureau, scheme=world.towns, period="2022-07")
    client = client_as(world.users.bureau)
    assert client.post(f"/assessments/{run.pk}/publish/").status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED and run.published_by == world.users.bureau
    score = run.lines.get(unit=world.cd).score
    ProjectFactory(
        introducing_unit=world.cd, stage="signed", signed_on=D(2022, 7, 9), review_status="recognised"
    )
    response = client.post(f"/assessments/{run.pk}/recompute/", follow=True)
    assert "不能重新计算" in response.content.decode()
    assert run.lines.get(unit=world.cd).score == score
    page = client.get(run.get_absolute_url()).content.decode()
    assert "已发布" in page and f"/assessments/{run.pk}/publish/" not in page
    assert AuditEntry.objects.filter(model="assessment.run", object_id=str(run.pk), action="update").exists()


# user → status of the towns result page, as (draft, published).
MATRIX = {
    "bureau": (200, 200),
    "city_bureau": (200, 200),
    "other_county_bureau": (404, 404),
    "leader": (200, 200),
    "supervisor": (200, 200),
    "reporter": (404, 200),
    "unit_head": (404, 200),
    "force_reporter": (404, 404),  # another assessment group's result
    "sysadmin": (404, 404),
    "auditor": (404, 404),
}


@pytest.mark.parametrize("who", MATRIX)
def test_who_sees_which_result(world, client_as, who):
    run = assessment_run(user=None, scheme=world.towns, period="2022-07")
    client = client_as(getattr(world.users, who))
    draft, published = MATRIX[who]
    assert client.get(run.get_absolute_url()).status_code == draft
    assert (run.get_absolute_url() in client.get("/assessments/").content.decode()) == (draft == 200)
    Run.objects.filter(pk=run.pk).update(status=RunStatus.PUBLISHED, published_at=run.computed_at)
    assert client.get(run.get_absolute_url()).status_code == published


@pytest.mark.parametrize("who", ["leader", "supervisor", "reporter", "unit_head"])
def test_only_the_bureau_runs_and_publishes(world, client_as, who):
    run = assessment_run(user=None, scheme=world.towns, period="2022-07")
    Run.objects.filter(pk=run.pk).update(status=RunStatus.PUBLISHED, published_at=run.computed_at)
    draft = assessment_run(user=None, scheme=world.towns, period="2022-06")
    client = client_as(getattr(world.users, who))
    assert client.post("/assessments/run/", {"period": "2022-08", "basis": "recognised"}).status_code == 403
    expected = 403 if who in ("leader", "supervisor") else 404  # unit roles do not see drafts at all
    assert client.post(f"/assessments/{draft.pk}/publish/").status_code == expected
    assert client.post(f"/assessments/{draft.pk}/recompute/").status_code == expected
    assert Run.objects.get(pk=draft.pk).status == RunStatus.DRAFT
    assert not Run.objects.filter(period_code="2022-08").exists()


def test_result_page_queries_do_not_grow_with_units(
    world, client_as, region_tree, django_assert_max_num_queries
):
    group = world.cd.assessment_group
    for i in range(40):
        UnitFactory(name=f"加测乡镇{i}", region=region_tree.jingzhou, assessment_group=group)
    run = assessment_run(user=None, scheme=world.towns, period="2022-07")
    client = client_as(world.users.bureau)
    client.get(run.get_absolute_url())  # session, user
    with django_assert_max_num_queries(10):
        assert client.get(run.get_absolute_url()).status_code == 200


# --- 核查问题 --------------------------------------------------------------------------------------


def test_bureau_records_a_finding_and_the_unit_sees_its_own(world, client_as, units):
    project = world.cd.projects.first()
    client = client_as(world.users.bureau)
    response = client.post(
        "/assessments/findings/add/",
        {
            "unit": world.cd.pk,
            "kind": FindingKind.FALSIFIED,
            "project": project.pk,
            "found_on": "2022-07-20",
            "description": "虚报签约项目",
        },
    )
    assert response.status_code == 302, response.content.decode()
    finding = Finding.objects.get()
    assert finding.created_by == world.users.bureau
    assert AuditEntry.objects.filter(model="assessment.finding", action="create").exists()
    assert client_as(world.users.reporter).get(finding.get_absolute_url()).status_code == 200
    assert client_as(world.users.force_reporter).get(finding.get_absolute_url()).status_code == 404
    assert client_as(world.users.reporter).get("/assessments/findings/add/").status_code == 403
    listing = client.get("/assessments/findings/", {"kind": FindingKind.FALSIFIED})
    assert listing.status_code == 200 and "虚报签约项目" in listing.content.decode()
    assert (
        "虚报签约项目"
        not in client_as(world.users.force_reporter).get("/assessments/findings/").content.decode()
    )
    # The project must be the unit's own.
    response = client.post(
        "/assessments/findings/add/",
        {
            "unit": units.mashan.pk,
            "kind": FindingKind.FALSIFIED,
            "project": project.pk,
            "found_on": "2022-07-20",
            "description": "x",
        },
    )
    assert response.status_code == 400 and "不是该单位引进的项目" in response.content.decode()
    # Its figure in the result links to the findings list.
    SchemeItem.objects.create(
        scheme=world.towns,
        indicator="falsified_projects",
        rule=ScoringRule.PER_ITEM,
        kind="deduction",
        points_per_item=Decimal(5),
        veto="occurred",
    )
    run = assessment_run(user=None, scheme=world.towns, period="2022-07")
    line = run.lines.get(unit=world.cd)
    assert line.vetoed and line.rank == 2
    html = client.get(run.get_absolute_url()).content.decode()
    assert (
        escape(f"/assessments/findings/?unit={world.cd.pk}&found_from=2022-01-01&found_to=2022-07-31") in html
    )
    assert "一票否决" in html


def test_city_bureau_sees_the_county_ranking(units, region_tree, make_user, client_as):
    ProjectFactory(
        introducing_unit=units.cenhe, stage="signed", signed_on=D(2022, 7, 1), review_status="recognised"
    )
    scheme = Scheme.objects.create(
        year=2022, name="县市区排名", region=region_tree.city, assessment_group=None
    )
    SchemeItem.objects.create(
        scheme=scheme, indicator="signed_projects", rule=ScoringRule.PER_ITEM, points_per_item=Decimal(3)
    )
    run = assessment_run(user=None, scheme=scheme, period="2022-07", publish=True)
    page = client_as(make_user(Role.BUREAU, region=region_tree.city)).get(run.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200 and "区划排名" in html
    assert html.index("沙市区") < html.index("荆州区")  # 3 points against 0
    county_bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)
    assert client_as(county_bureau).get(run.get_absolute_url()).status_code == 404
    # Unit roles never see a region ranking.
    reporter = make_user(Role.REPORTER, unit=units.cenhe)
    assert client_as(reporter).get(run.get_absolute_url()).status_code == 404
