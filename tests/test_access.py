"""The role × page × action matrix (SPEC §1, §5): who sees and changes which unit's records.

Each record here belongs to 川店镇 (荆州区). A record a user may not see answers 404 — the same as one
that does not exist — and one they may see but not change answers 403.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from factories import (
    ActivityFactory,
    EnterpriseFactory,
    FundsRecordFactory,
    LeadFactory,
    PreReviewMeetingFactory,
    PreReviewVerdictFactory,
    ProjectFactory,
)
from zhaoshang.core.choices import ReviewStatus
from zhaoshang.organisation.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(units, region_tree, make_user):
    cd = units.chuandian
    project = ProjectFactory(
        name="川店镇LED封装项目",
        introducing_unit=cd,
        region=cd.region,
        stage="signed",
        signed_on=datetime.date(2022, 3, 1),
        total_investment_wan=Decimal("150000"),
        review_status=ReviewStatus.SUBMITTED,
    )
    meeting = PreReviewMeetingFactory(region=region_tree.jingzhou, title="2022年第3次项目预审会")
    PreReviewVerdictFactory(meeting=meeting, project=project)
    records = {
        "projects": project,
        "funds": FundsRecordFactory(
            project=project, month=datetime.date(2022, 4, 1), amount_wan=Decimal("500")
        ),
        "leads": LeadFactory(unit=cd, title="川店镇电子信息线索"),
        "activities": ActivityFactory(unit=cd, destination="深圳市宝安区"),
        "prereviews": meeting,
    }
    users = SimpleNamespace(
        reporter=make_user(Role.REPORTER, unit=cd),
        unit_head=make_user(Role.UNIT_HEAD, unit=cd),
        other_reporter=make_user(Role.REPORTER, unit=units.mashan),
        bureau=make_user(Role.BUREAU, region=region_tree.jingzhou),
        city_bureau=make_user(Role.BUREAU, region=region_tree.city),
        other_county_bureau=make_user(Role.BUREAU, region=region_tree.shashi),
        leader=make_user(Role.LEADER, region=region_tree.jingzhou),
        supervisor=make_user(Role.SUPERVISOR, region=region_tree.jingzhou),
        sysadmin=make_user(Role.SYSADMIN),
        secadmin=make_user(Role.SECADMIN),
        auditor=make_user(Role.AUDITOR),
    )
    return SimpleNamespace(records=records, users=users)


UNIT_RECORDS = ["projects", "funds", "leads", "activities"]

# user → expected status of (detail, edit form, delete form) on a unit record of 川店镇.
UNIT_RECORD_MATRIX = {
    "reporter": (200, 200, 403),
    "unit_head": (200, 200, 200),
    "other_reporter": (404, 404, 404),
    "bureau": (200, 200, 200),
    "city_bureau": (200, 200, 200),
    "other_county_bureau": (404, 404, 404),
    "leader": (200, 403, 403),
    "supervisor": (200, 403, 403),
    "sysadmin": (404, 404, 404),
    "secadmin": (404, 404, 404),
    "auditor": (404, 404, 404),
}


@pytest.mark.parametrize("who", list(UNIT_RECORD_MATRIX))
@pytest.mark.parametrize("area", UNIT_RECORDS)
def test_unit_record_matrix(world, client_as, who, area):
    record = world.records[area]
    client = client_as(getattr(world.users, who))
    detail, edit, delete = UNIT_RECORD_MATRIX[who]
    assert client.get(f"/{area}/{record.pk}/").status_code == detail
    assert client.get(f"/{area}/{record.pk}/edit/").status_code == edit
    assert client.get(f"/{area}/{record.pk}/delete/").status_code == delete


@pytest.mark.parametrize("who", list(UNIT_RECORD_MATRIX))
@pytest.mark.parametrize("area", UNIT_RECORDS)
def test_list_shows_only_visible_records(world, client_as, who, area):
    record = world.records[area]
    response = client_as(getattr(world.users, who)).get(f"/{area}/")
    visible = UNIT_RECORD_MATRIX[who][0] == 200
    if who in ("sysadmin", "secadmin", "auditor"):
        assert response.status_code == 200
    assert (f"/{area}/{record.pk}/" in response.content.decode()) is visible


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("reporter", 200),
        ("unit_head", 200),
        ("bureau", 200),
        ("leader", 403),
        ("supervisor", 403),
        ("sysadmin", 403),
        ("auditor", 403),
    ],
)
@pytest.mark.parametrize("area", UNIT_RECORDS)
def test_add_form_by_role(world, client_as, who, area, status):
    assert client_as(getattr(world.users, who)).get(f"/{area}/add/").status_code == status


PREREVIEW_MATRIX = {
    # Units see the meeting that judged their own project, read only; the bureau writes.
    "reporter": (200, 403),
    "other_reporter": (404, 404),
    "bureau": (200, 200),
    "other_county_bureau": (404, 404),
    "leader": (200, 403),
    "auditor": (404, 404),
}


@pytest.mark.parametrize("who", list(PREREVIEW_MATRIX))
def test_prereview_matrix(world, client_as, who):
    meeting = world.records["prereviews"]
    client = client_as(getattr(world.users, who))
    detail, edit = PREREVIEW_MATRIX[who]
    assert client.get(f"/prereviews/{meeting.pk}/").status_code == detail
    assert client.get(f"/prereviews/{meeting.pk}/edit/").status_code == edit


def test_unit_roles_cannot_add_prereviews(world, client_as):
    assert client_as(world.users.reporter).get("/prereviews/add/").status_code == 403
    assert client_as(world.users.bureau).get("/prereviews/add/").status_code == 200


def test_missing_and_foreign_records_answer_alike(world, client_as):
    client = client_as(world.users.other_reporter)
    foreign = client.get(f"/projects/{world.records['projects'].pk}/")
    missing = client.get("/projects/999999/")
    assert foreign.status_code == missing.status_code == 404


def test_recognised_record_is_locked_for_the_unit(world, client_as):
    project = world.records["projects"]
    project.review_status = ReviewStatus.RECOGNISED
    project.save()
    assert client_as(world.users.reporter).get(f"/projects/{project.pk}/edit/").status_code == 403
    assert client_as(world.users.unit_head).get(f"/projects/{project.pk}/delete/").status_code == 403
    assert client_as(world.users.bureau).get(f"/projects/{project.pk}/edit/").status_code == 200


def test_partner_unit_sees_joint_activity_but_cannot_edit(world, client_as, units):
    activity = world.records["activities"]
    activity.partner_units.add(units.mashan)
    client = client_as(world.users.other_reporter)
    assert client.get(f"/activities/{activity.pk}/").status_code == 200
    assert client.get(f"/activities/{activity.pk}/edit/").status_code == 403


def test_soft_deleted_record_disappears(world, client_as):
    project = world.records["projects"]
    client = client_as(world.users.bureau)
    assert client.post(f"/projects/{project.pk}/delete/").status_code == 302
    project.refresh_from_db()
    assert project.is_deleted
    assert client.get(f"/projects/{project.pk}/").status_code == 404
    assert f"/projects/{project.pk}/" not in client.get("/projects/").content.decode()


def test_anonymous_is_sent_to_login(world, client):
    for area in [*UNIT_RECORDS, "enterprises", "prereviews", ""]:
        response = client.get(f"/{area}/" if area else "/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_enterprises_are_shared_but_only_bureau_deletes(world, client_as):
    enterprise = EnterpriseFactory(name="湖北测试光电有限公司")
    assert client_as(world.users.other_reporter).get(f"/enterprises/{enterprise.pk}/").status_code == 200
    assert client_as(world.users.other_reporter).get(f"/enterprises/{enterprise.pk}/edit/").status_code == 200
    assert client_as(world.users.unit_head).get(f"/enterprises/{enterprise.pk}/delete/").status_code == 403
    assert client_as(world.users.bureau).get(f"/enterprises/{enterprise.pk}/delete/").status_code == 200
    assert client_as(world.users.auditor).get(f"/enterprises/{enterprise.pk}/").status_code == 404


def test_enterprise_page_lists_only_visible_projects(world, client_as):
    project = world.records["projects"]
    page = client_as(world.users.other_reporter).get(f"/enterprises/{project.investor_id}/").content.decode()
    assert project.name not in page
    page = client_as(world.users.reporter).get(f"/enterprises/{project.investor_id}/").content.decode()
    assert project.name in page
