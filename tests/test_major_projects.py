"""重大项目服务: progress log, problems with owner unit and deadline, coordination meetings, investor
complaints ("件件有着落、事事有回音"), and the deployment's pre-review requirement."""

import datetime

import pytest
from django.conf import settings
from django.test import override_settings

from factories import PreReviewVerdictFactory, ProjectFactory, valid_credit_code
from zhaoshang.audit.models import AuditEntry
from zhaoshang.organisation.choices import Role
from zhaoshang.projects.models import Complaint, CoordinationMeeting, Project, ProjectProblem, ProjectProgress
from zhaoshang.supervision.models import Notification

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today().isoformat()


@pytest.fixture
def people(units, region_tree, make_user):
    class P:
        reporter = make_user(Role.REPORTER, unit=units.chuandian)
        head = make_user(Role.UNIT_HEAD, unit=units.chuandian)
        owner = make_user(Role.UNIT_HEAD, unit=units.mashan)  # the unit a problem is handed to
        stranger = make_user(Role.UNIT_HEAD, unit=units.cenhe)
        bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)
        leader = make_user(Role.LEADER, region=region_tree.jingzhou)
        supervisor = make_user(Role.SUPERVISOR, region=region_tree.jingzhou)

    return P


@pytest.fixture
def project(units):
    return ProjectFactory(
        name="比亚迪零部件产业园",
        introducing_unit=units.chuandian,
        is_major=True,
        leader_in_charge="张副区长",
        stage="signed",
        signed_on=datetime.date(2022, 3, 1),
    )


def test_progress_log_by_the_unit_and_the_bureau_only(project, people, client_as):
    url = f"/projects/{project.pk}/progress/add/"
    assert client_as(people.reporter).post(url, {"reported_on": TODAY, "text": "完成场平"}).status_code == 302
    assert client_as(people.bureau).post(url, {"reported_on": TODAY, "text": "调度会"}).status_code == 302
    assert client_as(people.leader).post(url, {"reported_on": TODAY, "text": "x"}).status_code == 403
    assert client_as(people.stranger).post(url, {"reported_on": TODAY, "text": "x"}).status_code == 404
    assert list(ProjectProgress.objects.values_list("text", flat=True).order_by("id")) == [
        "完成场平",
        "调度会",
    ]
    assert ProjectProgress.objects.first().reported_by in (people.reporter, people.bureau)
    page = client_as(people.head).get(f"/projects/{project.pk}/").content.decode()
    assert "完成场平" in page and 'id="progress-form"' in page
    assert (
        'id="progress-form"' not in client_as(people.leader).get(f"/projects/{project.pk}/").content.decode()
    )


def test_meeting_problem_resolution(project, units, people, client_as):
    # The bureau records a coordination meeting; a leader cannot.
    url = f"/projects/{project.pk}/meetings/add/"
    data = {
        "held_on": "2022-07-01",
        "leader": "张副区长",
        "attendees": "自然资源局、马山镇",
        "decisions": "马山镇7月底前完成征地",
    }
    assert client_as(people.leader).post(url, data).status_code == 403
    assert client_as(people.head).post(url, data).status_code == 403
    client_as(people.bureau).post(url, data)
    meeting = CoordinationMeeting.objects.get()

    # The problem decided there goes to its owner unit with a deadline; that unit is told and sees it.
    client_as(people.bureau).post(
        f"/projects/{project.pk}/problems/add/",
        {
            "raised_on": "2022-07-01",
            "description": "项目用地征收未完成",
            "owner_unit": units.mashan.pk,
            "deadline": "2022-07-31",
            "meeting": meeting.pk,
        },
    )
    problem = ProjectProblem.objects.get()
    assert (problem.owner_unit, problem.meeting, problem.status) == (units.mashan, meeting, "open")
    assert Notification.objects.filter(user=people.owner, link=problem.get_absolute_url()).exists()
    assert client_as(people.owner).get(f"/problems/{problem.pk}/").status_code == 200
    assert client_as(people.owner).get(f"/projects/{project.pk}/").status_code == 404  # not its project
    assert client_as(people.stranger).get(f"/problems/{problem.pk}/").status_code == 404
    assert f"/problems/{problem.pk}/" in client_as(people.owner).get("/problems/").content.decode()

    # Only the owner unit (or the bureau) resolves it, with what was done.
    resolve = f"/problems/{problem.pk}/resolve/"
    assert (
        client_as(people.head).post(resolve, {"resolution": "x", "resolved_on": "2022-07-20"}).status_code
        == 403
    )
    assert (
        client_as(people.leader).post(resolve, {"resolution": "x", "resolved_on": "2022-07-20"}).status_code
        == 403
    )
    client_as(people.owner).post(resolve, {"resolution": "已完成征地并交付", "resolved_on": "2022-07-20"})
    problem.refresh_from_db()
    assert (problem.status, problem.resolution, problem.resolved_by) == (
        "resolved",
        "已完成征地并交付",
        people.owner,
    )
    entry = AuditEntry.objects.filter(model="projects.projectproblem", action="update").get()
    assert (entry.before["status"], entry.after["status"]) == ("open", "resolved")


def test_unit_raises_a_problem_for_another_unit_of_its_county(project, units, people, client_as):
    response = client_as(people.head).post(
        f"/projects/{project.pk}/problems/add/",
        {
            "raised_on": "2022-07-01",
            "description": "水电未接入",
            "owner_unit": units.mashan.pk,
            "deadline": "2022-07-15",
        },
    )
    assert response.status_code == 302
    assert ProjectProblem.objects.get().raised_by == people.head
    # A unit of another county is not in reach.
    client_as(people.head).post(
        f"/projects/{project.pk}/problems/add/",
        {
            "raised_on": "2022-07-01",
            "description": "越界",
            "owner_unit": units.cenhe.pk,
            "deadline": "2022-07-15",
        },
    )
    assert ProjectProblem.objects.count() == 1


def test_complaint_answered_and_closed(project, units, people, client_as):
    data = {
        "enterprise": project.investor_id,
        "received_on": "2022-07-02",
        "content": "施工许可办理时间过长",
        "owner_unit": units.mashan.pk,
        "deadline": "2022-07-12",
    }
    assert client_as(people.head).post(f"/projects/{project.pk}/complaints/add/", data).status_code == 403
    client_as(people.bureau).post(f"/projects/{project.pk}/complaints/add/", data)
    complaint = Complaint.objects.get()
    assert (complaint.project, complaint.status) == (project, "open")
    assert Notification.objects.filter(user=people.owner).exists()

    assert 'id="respond-form"' in client_as(people.owner).get(f"/complaints/{complaint.pk}/").content.decode()
    close = f"/complaints/{complaint.pk}/close/"
    assert client_as(people.bureau).post(close, {"closed_on": "2022-07-10"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "open"  # not before the unit has answered
    respond = f"/complaints/{complaint.pk}/respond/"
    assert (
        client_as(people.stranger).post(respond, {"response": "x", "responded_on": "2022-07-05"}).status_code
        == 404
    )
    client_as(people.owner).post(
        respond, {"response": "已开辟绿色通道,7月8日发证", "responded_on": "2022-07-08"}
    )
    complaint.refresh_from_db()
    assert complaint.status == "responded"
    assert 'id="close-form"' in client_as(people.bureau).get(f"/complaints/{complaint.pk}/").content.decode()
    assert client_as(people.owner).post(close, {"closed_on": "2022-07-10"}).status_code == 403
    client_as(people.bureau).post(close, {"closed_on": "2022-07-10", "note": "企业满意"})
    complaint.refresh_from_db()
    assert (complaint.status, complaint.closing_note) == ("closed", "企业满意")
    # The introducing unit sees the complaint on its project.
    page = client_as(people.head).get(f"/projects/{project.pk}/").content.decode()
    assert "施工许可办理时间过长" in page


def test_leader_instruction_on_a_project(project, people, client_as):
    from django.contrib.contenttypes.models import ContentType

    url = f"/instructions/add/{ContentType.objects.get_for_model(Project).pk}/{project.pk}/"
    assert client_as(people.head).post(url, {"text": "x"}).status_code == 403
    client_as(people.leader).post(url, {"text": "要全力保障项目9月开工。"})
    page = client_as(people.head).get(f"/projects/{project.pk}/").content.decode()
    assert "要全力保障项目9月开工。" in page


def project_post(unit, **overrides):
    data = {
        "name": "新能源电池项目",
        "investor_name": "湖北新能源有限公司",
        "investor_credit_code": valid_credit_code(5),
        "introducing_unit": unit.pk,
        "kind": "new",
        "total_investment_wan": "50000",
        "stage": "signed",
        "negotiated_on": "2022-01-10",
        "signed_on": "2022-03-18",
    }
    data.update(overrides)
    return data


PREREVIEW_ON = {**settings.ZHAOSHANG, "PREREVIEW_REQUIRED": True}


@override_settings(ZHAOSHANG=PREREVIEW_ON)
def test_prereview_required_before_signing(units, people, client_as, region_tree):
    client = client_as(people.bureau)
    response = client.post("/projects/add/", project_post(units.chuandian))
    assert response.status_code == 400
    assert "本地区要求项目经预审会审议通过后方可签约" in response.content.decode()
    assert not Project.objects.exists()

    client.post("/projects/add/", project_post(units.chuandian, stage="negotiating", signed_on=""))
    project = Project.objects.get()
    failed = PreReviewVerdictFactory(project=project, verdict="failed", meeting__region=region_tree.jingzhou)
    response = client.post(
        f"/projects/{project.pk}/edit/", project_post(units.chuandian, _version=project.version)
    )
    assert response.status_code == 400
    PreReviewVerdictFactory(project=project, verdict="passed", meeting__region=failed.meeting.region)
    response = client.post(
        f"/projects/{project.pk}/edit/", project_post(units.chuandian, _version=project.version)
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == "signed"


def test_prereview_not_required_by_default(units, people, client_as):
    assert client_as(people.bureau).post("/projects/add/", project_post(units.chuandian)).status_code == 302


def test_problem_and_complaint_edit_pages(project, units, people, client_as):
    from zhaoshang.projects.services import complaint_receive, problem_raise

    problem = problem_raise(
        user=people.bureau,
        project=project,
        raised_on=datetime.date(2022, 7, 1),
        description="供电容量不足",
        owner_unit=units.mashan,
        deadline=datetime.date(2022, 7, 31),
    )
    complaint = complaint_receive(
        user=people.bureau,
        enterprise=project.investor,
        received_on=datetime.date(2022, 7, 1),
        content="招工难",
        owner_unit=units.chuandian,
        deadline=datetime.date(2022, 7, 31),
    )
    for url in (f"/problems/{problem.pk}/edit/", f"/complaints/{complaint.pk}/edit/"):
        assert client_as(people.bureau).get(url).status_code == 200
        assert client_as(people.owner).get(url).status_code in (403, 404)
    response = client_as(people.bureau).post(
        f"/problems/{problem.pk}/edit/",
        {
            "raised_on": "2022-07-01",
            "description": "供电容量不足,需增容",
            "owner_unit": units.mashan.pk,
            "deadline": "2022-08-15",
            "_version": problem.version,
        },
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.deadline, problem.project) == (datetime.date(2022, 8, 15), project)
