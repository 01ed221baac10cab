"""The closed loop of a lead (SPEC §4): 搜集 → 筛选 → 研判 → 推送 → 跟进 → 转化为项目 or 关闭, with
assignment (分派), the assigned unit's feedback (反馈) and escalation to a leader."""

import datetime

import pytest

from factories import LeadFactory, ProjectFactory
from zhaoshang.audit.models import AuditEntry
from zhaoshang.leads.models import LeadAssignment, LeadFeedback
from zhaoshang.organisation.choices import Role
from zhaoshang.supervision.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(units, region_tree, make_user):
    class P:
        reporter = make_user(Role.REPORTER, unit=units.chuandian)  # reported the lead
        force_reporter = make_user(Role.REPORTER, unit=units.task_force)  # the unit it is pushed to
        force_head = make_user(Role.UNIT_HEAD, unit=units.task_force)
        other_head = make_user(Role.UNIT_HEAD, unit=units.mashan)
        bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)
        leader = make_user(Role.LEADER, region=region_tree.jingzhou)

    return P


@pytest.fixture
def lead(units):
    return LeadFactory(
        title="某汽车零部件企业拟在华中布局生产基地", unit=units.chuandian, review_status="submitted"
    )


def step(client, lead, name, **data):
    return client.post(f"/leads/{lead.pk}/loop/{name}/", data)


def test_full_loop_with_the_right_roles(lead, units, people, client_as):
    bureau = client_as(people.bureau)
    # The reporting unit does not judge its own lead; the bureau screens and judges.
    assert step(client_as(people.reporter), lead, "screen").status_code == 403
    step(bureau, lead, "screen")
    lead.refresh_from_db()
    assert lead.status == "screened"
    step(bureau, lead, "judge", valuable="1", text="契合汽车零部件产业链")
    lead.refresh_from_db()
    assert (lead.status, lead.is_valuable) == ("judged", True)

    # Pushed to the task force with a deadline: it is told, and from now on sees the lead.
    assert client_as(people.force_head).get(f"/leads/{lead.pk}/").status_code == 404
    step(bureau, lead, "push", unit=units.task_force.pk, deadline="2099-08-10", text="请专班对接")
    lead.refresh_from_db()
    assert (lead.status, lead.assigned_unit) == ("pushed", units.task_force)
    assignment = LeadAssignment.objects.get()
    assert (assignment.unit, assignment.deadline, assignment.assigned_by) == (
        units.task_force,
        datetime.date(2099, 8, 10),
        people.bureau,
    )
    assert Notification.objects.filter(user=people.force_head, link=lead.get_absolute_url()).exists()
    page = client_as(people.force_head).get(f"/leads/{lead.pk}/").content.decode()
    assert 'data-step="feedback"' in page and 'data-step="convert"' in page

    # Another unit neither sees nor acts on it.
    assert step(client_as(people.other_head), lead, "feedback", text="x").status_code == 404

    # The task force reports back: the lead is now followed up; the bureau is told.
    step(client_as(people.force_reporter), lead, "feedback", text="已赴企业总部洽谈,对方拟8月来考察")
    lead.refresh_from_db()
    assert lead.status == "following"
    feedback = LeadFeedback.objects.get(kind="follow_up")
    assert (feedback.unit, feedback.assignment) == (units.task_force, assignment)
    assert Notification.objects.filter(user=people.bureau, text__contains="反馈").exists()

    # Escalated to a leader by the task force's head (not its reporter); leaders are told.
    assert step(client_as(people.force_reporter), lead, "escalate", text="需区领导出面").status_code == 403
    step(client_as(people.force_head), lead, "escalate", text="需区领导出面接洽集团董事长")
    lead.refresh_from_db()
    assert lead.escalated_at is not None
    assert Notification.objects.filter(user=people.leader, text__contains="提请领导协调").exists()
    # A leader writes 批示 on the lead, but takes no step of the loop.
    assert step(client_as(people.leader), lead, "close", text="x").status_code == 403

    # Converted into a project the task force may see.
    project = ProjectFactory(introducing_unit=units.task_force, name="汽车零部件生产基地项目")
    hidden = ProjectFactory(introducing_unit=units.mashan)
    step(client_as(people.force_head), lead, "convert", project=hidden.pk)
    lead.refresh_from_db()
    assert lead.status == "following"  # not a project of its own
    step(client_as(people.force_head), lead, "convert", project=project.pk)
    lead.refresh_from_db()
    assert (lead.status, lead.project) == ("converted", project)
    # Final: no more steps.
    assert step(bureau, lead, "close", text="x").status_code == 302
    lead.refresh_from_db()
    assert lead.status == "converted"

    moves = [
        (e.before.get("status"), e.after.get("status"))
        for e in AuditEntry.objects.filter(
            model="leads.lead", object_id=str(lead.pk), action="update"
        ).order_by("id")
        if "status" in (e.after or {})
    ]
    assert moves == [
        ("collected", "screened"),
        ("screened", "judged"),
        ("judged", "pushed"),
        ("pushed", "following"),
        ("following", "converted"),
    ]


def test_lead_of_no_value_is_closed(lead, people, client_as):
    step(client_as(people.bureau), lead, "judge", valuable="0", text="企业已在他处落地")
    lead.refresh_from_db()
    assert (lead.status, lead.is_valuable) == ("closed", False)
    assert step(client_as(people.bureau), lead, "push", unit=lead.unit_id).status_code == 302
    lead.refresh_from_db()
    assert lead.status == "closed" and not LeadAssignment.objects.exists()


def test_push_only_within_the_region_and_repush_moves_it(lead, units, people, client_as):
    bureau = client_as(people.bureau)
    step(bureau, lead, "judge", valuable="1")
    step(bureau, lead, "push", unit=units.cenhe.pk)  # another county's town: refused
    lead.refresh_from_db()
    assert lead.status == "judged" and lead.assigned_unit is None
    step(bureau, lead, "push", unit=units.mashan.pk)
    step(bureau, lead, "push", unit=units.task_force.pk)
    lead.refresh_from_db()
    assert lead.assigned_unit == units.task_force
    assert list(LeadAssignment.objects.filter(is_current=True).values_list("unit", flat=True)) == [
        units.task_force.pk
    ]
    # The unit it was moved away from no longer sees it.
    assert client_as(people.other_head).get(f"/leads/{lead.pk}/").status_code == 404


def test_close_needs_a_reason_and_the_right_person(lead, units, people, client_as):
    bureau = client_as(people.bureau)
    step(bureau, lead, "judge", valuable="1")
    step(bureau, lead, "push", unit=units.task_force.pk)
    step(client_as(people.force_head), lead, "close", text="")
    lead.refresh_from_db()
    assert lead.status == "pushed"
    assert step(client_as(people.force_reporter), lead, "close", text="企业放弃").status_code == 403
    step(client_as(people.force_head), lead, "close", text="企业放弃投资计划")
    lead.refresh_from_db()
    assert lead.status == "closed"
    assert LeadFeedback.objects.get(kind="closure").text == "企业放弃投资计划"


def test_form_no_longer_moves_the_loop(lead, units, people, client_as):
    client_as(people.bureau).post(
        f"/leads/{lead.pk}/edit/",
        {
            "title": lead.title,
            "unit": units.chuandian.pk,
            "reported_on": "2022-03-01",
            "status": "converted",
            "assigned_unit": units.mashan.pk,
            "_version": lead.version,
        },
    )
    lead.refresh_from_db()
    assert (lead.status, lead.assigned_unit) == ("collected", None)
