"""The recognition workflow (SPEC §4): draft → submitted (unit head) → recognised / returned (bureau)."""

import datetime
from decimal import Decimal

import pytest

from factories import LeadFactory, ProjectFactory
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.workflow import record_transition
from zhaoshang.leads.models import Lead
from zhaoshang.metrics import periods
from zhaoshang.metrics.engine import measure
from zhaoshang.organisation.choices import Role
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(units, region_tree, make_user):
    class P:
        reporter = make_user(Role.REPORTER, unit=units.chuandian)
        head = make_user(Role.UNIT_HEAD, unit=units.chuandian)
        other_head = make_user(Role.UNIT_HEAD, unit=units.mashan)
        bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)
        leader = make_user(Role.LEADER, region=region_tree.jingzhou)

    return P


def post(client, record, transition, **extra):
    return client.post(f"/projects/{record.pk}/transition/", {"transition": transition, **extra})


def test_full_walk_through_the_states(units, people, client_as):
    project = ProjectFactory(
        introducing_unit=units.chuandian,
        stage="signed",
        signed_on=datetime.date(2022, 3, 1),
        total_investment_wan=Decimal(20000),
    )
    jan_jul = periods.year_to_date(2022, 7)
    assert measure("signed_projects", period=jan_jul, basis="reported") == 0  # a draft counts nowhere

    assert post(client_as(people.reporter), project, "submit").status_code == 403
    project.refresh_from_db()
    assert project.review_status == "draft"  # the reporter may not submit

    post(client_as(people.head), project, "submit")
    project.refresh_from_db()
    assert project.review_status == "submitted"
    assert measure("signed_projects", period=jan_jul, basis="reported") == 1
    assert measure("signed_projects", period=jan_jul, basis="recognised") == 0

    post(client_as(people.bureau), project, "return", reason="")  # a return needs a reason
    project.refresh_from_db()
    assert project.review_status == "submitted"
    post(client_as(people.bureau), project, "return", reason="签约合同未上传")
    project.refresh_from_db()
    assert (project.review_status, project.return_reason) == ("returned", "签约合同未上传")
    assert measure("signed_projects", period=jan_jul, basis="reported") == 0

    post(client_as(people.head), project, "submit")
    assert post(client_as(people.leader), project, "recognise").status_code == 403
    project.refresh_from_db()
    assert project.review_status == "submitted"  # leaders only read
    post(client_as(people.bureau), project, "recognise")
    project.refresh_from_db()
    assert project.review_status == "recognised"
    assert project.recognised_by == people.bureau
    assert measure("signed_projects", period=jan_jul, basis="recognised") == 1

    actions = list(
        AuditEntry.objects.filter(object_id=str(project.pk), model="projects.project")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["submit", "return", "submit", "recognise"]
    # Recognised: locked for the unit.
    assert client_as(people.reporter).get(f"/projects/{project.pk}/edit/").status_code == 403


def test_other_unit_cannot_submit_by_url(units, people, client_as):
    project = ProjectFactory(introducing_unit=units.chuandian)
    assert post(client_as(people.other_head), project, "submit").status_code == 404
    project.refresh_from_db()
    assert project.review_status == "draft"


def test_bulk_recognition_from_the_list(units, people, client_as):
    leads = [LeadFactory(unit=units.chuandian, review_status="submitted") for _ in range(3)]
    draft = LeadFactory(unit=units.chuandian, review_status="draft")
    foreign = LeadFactory(unit=units.cenhe, review_status="submitted")  # another county
    response = client_as(people.bureau).post(
        "/leads/transition/",
        {"transition": "recognise", "pk": [lead.pk for lead in [*leads, draft, foreign]], "next": "/leads/"},
    )
    assert response.status_code == 302
    assert set(Lead.objects.filter(review_status="recognised").values_list("pk", flat=True)) == {
        lead.pk for lead in leads
    }
    foreign.refresh_from_db()
    assert foreign.review_status == "submitted"


def test_a_transition_applies_once_even_if_repeated(units, people):
    project = ProjectFactory(introducing_unit=units.chuandian, review_status="submitted")
    assert record_transition(user=people.bureau, model=Project, pks=[project.pk], transition="recognise") == 1
    assert record_transition(user=people.bureau, model=Project, pks=[project.pk], transition="recognise") == 0
    assert AuditEntry.objects.filter(action="recognise").count() == 1


def test_detail_page_shows_the_buttons_the_user_may_press(units, people, client_as):
    project = ProjectFactory(introducing_unit=units.chuandian, review_status="submitted")
    bureau_page = client_as(people.bureau).get(f"/projects/{project.pk}/").content.decode()
    assert 'value="recognise"' in bureau_page and 'value="return"' in bureau_page
    head_page = client_as(people.head).get(f"/projects/{project.pk}/").content.decode()
    assert 'value="recognise"' not in head_page
