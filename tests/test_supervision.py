"""Supervision (督查督办, SPEC §4, §5): each rule fires on a fixture made to trigger it and stays
silent on one that is not; tickets walk through their states with the right role and are refused
with the wrong one; a unit sees only its own tickets; notifications."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from factories import ActivityFactory, FundsRecordFactory, LeadFactory, ProjectFactory, TargetFactory
from zhaoshang.core.workflow import record_transition
from zhaoshang.organisation.choices import Role
from zhaoshang.projects.models import Project, ProjectProgress
from zhaoshang.supervision.models import Instruction, Notification, RuleSetting, SupervisionTicket
from zhaoshang.supervision.rules import run_rules
from zhaoshang.supervision.services import ticket_open

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2022, 7, 25)


def found(code, today=TODAY, region=None):
    (result,) = run_rules(today=today, region=region, codes=[code])
    return result.findings


def keys(code, **kwargs):
    return {f.key for f in found(code, **kwargs)}


# --- each rule: fires on what should trigger it, silent on what should not -----------------------


def test_signed_not_commenced(units):
    late = ProjectFactory(
        introducing_unit=units.chuandian, stage="signed", signed_on=datetime.date(2022, 4, 1)
    )
    ProjectFactory(
        introducing_unit=units.chuandian, stage="signed", signed_on=datetime.date(2022, 5, 1)
    )  # 85 days
    ProjectFactory(
        introducing_unit=units.mashan,
        stage="commenced",
        signed_on=datetime.date(2022, 1, 1),
        commenced_on=datetime.date(2022, 3, 1),
    )
    ProjectFactory(
        introducing_unit=units.mashan,
        stage="withdrawn",
        signed_on=datetime.date(2022, 1, 1),
        end_reason="投资方撤资",
    )
    findings = found("signed_not_commenced")
    assert [f.subject for f in findings] == [late]
    assert findings[0].owner_unit == units.chuandian
    assert "115天未开工" in findings[0].text
    # The threshold is the deployment's: at 120 days nothing is late yet.
    RuleSetting.objects.create(code="signed_not_commenced", threshold=120)
    assert found("signed_not_commenced") == []


def test_negotiating_stalled(units):
    stalled = ProjectFactory(introducing_unit=units.chuandian, negotiated_on=datetime.date(2022, 5, 1))
    moving = ProjectFactory(introducing_unit=units.chuandian, negotiated_on=datetime.date(2022, 5, 1))
    ProjectProgress.objects.create(project=moving, reported_on=datetime.date(2022, 7, 20), text="二次洽谈")
    ProjectFactory(introducing_unit=units.chuandian, negotiated_on=datetime.date(2022, 7, 1))
    assert [f.subject for f in found("negotiating_stalled")] == [stalled]


def test_commenced_no_funds(units):
    dry = ProjectFactory(
        introducing_unit=units.chuandian,
        stage="commenced",
        signed_on=datetime.date(2022, 1, 5),
        commenced_on=datetime.date(2022, 2, 10),
    )
    FundsRecordFactory(project=dry, month=datetime.date(2022, 3, 1))  # before the 3-month window
    funded = ProjectFactory(
        introducing_unit=units.chuandian,
        stage="commenced",
        signed_on=datetime.date(2022, 1, 5),
        commenced_on=datetime.date(2022, 2, 10),
    )
    FundsRecordFactory(project=funded, month=datetime.date(2022, 6, 1))
    ProjectFactory(  # commenced too recently to judge
        introducing_unit=units.chuandian,
        stage="commenced",
        signed_on=datetime.date(2022, 5, 5),
        commenced_on=datetime.date(2022, 6, 10),
    )
    findings = found("commenced_no_funds")
    assert [f.subject for f in findings] == [dry]
    assert "2022年4月以来没有到位资金" in findings[0].text


def test_major_no_progress(units):
    quiet = ProjectFactory(introducing_unit=units.chuandian, is_major=True)
    ProjectProgress.objects.create(project=quiet, reported_on=datetime.date(2022, 7, 15), text="办理施工许可")
    busy = ProjectFactory(introducing_unit=units.chuandian, is_major=True)
    ProjectProgress.objects.create(project=busy, reported_on=datetime.date(2022, 7, 20), text="主体封顶")
    minor = ProjectFactory(introducing_unit=units.chuandian, is_major=False)
    ProjectProgress.objects.create(project=minor, reported_on=datetime.date(2022, 6, 1), text="—")
    assert [f.subject for f in found("major_no_progress")] == [quiet]


def test_unit_no_leads(units):
    LeadFactory(unit=units.chuandian, reported_on=datetime.date(2022, 7, 3), review_status="submitted")
    LeadFactory(unit=units.mashan, reported_on=datetime.date(2022, 7, 4))  # a draft is not reported
    LeadFactory(unit=units.cenhe, reported_on=datetime.date(2022, 6, 28), review_status="recognised")
    owners = {f.owner_unit for f in found("unit_no_leads")}
    assert owners == {units.mashan, units.cenhe, units.task_force}
    assert found("unit_no_leads", today=datetime.date(2022, 7, 10)) == []  # checked from the 20th


def test_weekly_report_missing(units, region_tree):
    from django.utils import timezone

    from zhaoshang.organisation.models import Unit
    from zhaoshang.reports.models import ReportDraft

    jingzhou = Unit.objects.create(name="荆州区招商局", kind="bureau", region=region_tree.jingzhou)
    shashi = Unit.objects.create(name="沙市区招商局", kind="bureau", region=region_tree.shashi)

    def weekly(region, monday):
        ReportDraft.objects.create(
            region=region,
            kind="weekly",
            period_start=monday,
            period_end=monday + datetime.timedelta(days=6),
            period_label="周",
            title="周报",
            generated_markdown="……",
            generated_at=timezone.now(),
        )

    weekly(region_tree.jingzhou, datetime.date(2022, 7, 18))  # 2022-W29, the week before 25 July
    weekly(region_tree.shashi, datetime.date(2022, 7, 11))  # W28: the week before that
    # Week 29 ends on Sunday 24 July and is due two days later: silent up to the 26th.
    assert found("weekly_report_missing", today=datetime.date(2022, 7, 26)) == []
    (finding,) = found("weekly_report_missing", today=datetime.date(2022, 7, 27))
    assert finding.owner_unit == shashi
    assert finding.key == f"weekly_report_missing:unit:{shashi.pk}:2022W29"
    assert finding.text == "沙市区招商局未按时报送2022年第29周周报(应于2022年7月26日前报送)"
    assert jingzhou not in {
        f.owner_unit for f in found("weekly_report_missing", today=datetime.date(2022, 7, 29))
    }


def test_trips_below_requirement(units):
    # Jan–Jun: 序时 6/12 of the yearly requirement. Default 12 a year → 6 trips needed.
    for day in range(1, 7):
        ActivityFactory(
            unit=units.chuandian, started_on=datetime.date(2022, day, 3), review_status="submitted"
        )
    for day in range(1, 4):
        ActivityFactory(unit=units.mashan, started_on=datetime.date(2022, day, 3), review_status="submitted")
    # A unit whose own target is 4 a year needs only 2 by June.
    TargetFactory(unit=units.cenhe, year=2022, indicator="trips", value=Decimal(4))
    for day in (2, 5):
        ActivityFactory(unit=units.cenhe, started_on=datetime.date(2022, day, 3), review_status="recognised")
    findings = found("trips_below")
    assert {f.owner_unit for f in findings} == {units.mashan, units.task_force}
    text = next(f.text for f in findings if f.owner_unit == units.mashan)
    assert text == "马山镇2022年1至6月外出招商3次,低于序时要求6次"


def test_out_of_province_trips_below_requirement(units):
    # Default 4 a year → 2 by June.
    for unit in (units.chuandian, units.mashan, units.cenhe):
        ActivityFactory(
            unit=unit, started_on=datetime.date(2022, 3, 3), out_of_province=True, review_status="submitted"
        )
    for unit in (units.chuandian, units.mashan, units.cenhe):
        ActivityFactory(
            unit=unit,
            started_on=datetime.date(2022, 4, 3),
            out_of_province=unit != units.mashan,
            review_status="submitted",
        )
    assert {f.owner_unit for f in found("out_of_province_below")} == {units.mashan, units.task_force}


def test_task_force_days_away(units):
    # Jan–Jun, 20 days a month → 120 days; 6 trips of 20 days meet it, 6 of 16 do not.
    ActivityFactory(
        unit=units.task_force,
        started_on=datetime.date(2022, 1, 1),
        ended_on=datetime.date(2022, 4, 30),
        review_status="submitted",
    )  # 120 days
    assert found("task_force_days_away") == []
    RuleSetting.objects.create(code="task_force_days_away", threshold=21)
    (finding,) = found("task_force_days_away")
    assert finding.owner_unit == units.task_force
    assert "外出120天,月均20天,未达到每月21天的要求" in finding.text


def test_overdue_items(units, make_user, region_tree):
    from zhaoshang.leads.models import LeadAssignment
    from zhaoshang.projects.models import Complaint, ProjectProblem

    project = ProjectFactory(introducing_unit=units.chuandian)
    late = ProjectProblem.objects.create(
        project=project,
        raised_on=datetime.date(2022, 7, 1),
        description="用地指标未落实",
        owner_unit=units.mashan,
        deadline=datetime.date(2022, 7, 20),
    )
    ProjectProblem.objects.create(
        project=project,
        raised_on=datetime.date(2022, 7, 1),
        description="水电接入",
        owner_unit=units.mashan,
        deadline=datetime.date(2022, 7, 30),
    )
    ProjectProblem.objects.create(
        project=project,
        raised_on=datetime.date(2022, 7, 1),
        description="环评",
        owner_unit=units.mashan,
        deadline=datetime.date(2022, 7, 10),
        status="resolved",
        resolution="已批复",
    )
    complaint = Complaint.objects.create(
        enterprise=project.investor,
        received_on=datetime.date(2022, 7, 1),
        content="审批慢",
        owner_unit=units.chuandian,
        deadline=datetime.date(2022, 7, 8),
    )
    lead = LeadFactory(unit=units.cenhe, status="pushed", assigned_unit=units.task_force)
    assignment = LeadAssignment.objects.create(
        lead=lead, unit=units.task_force, deadline=datetime.date(2022, 7, 15)
    )
    assert keys("overdue_items") == {
        f"overdue_problem:{late.pk}",
        f"overdue_complaint:{complaint.pk}",
        f"overdue_lead:{assignment.pk}",
    }


def test_extreme_values_rule(units):
    ProjectFactory(introducing_unit=units.chuandian, total_investment_wan=Decimal(2_000_000))
    ProjectFactory(introducing_unit=units.chuandian, total_investment_wan=Decimal(90_000))
    (finding,) = found("extreme_values")
    assert finding.owner_unit == units.chuandian and "200亿元" in finding.text


def test_lead_amount_conflict_catches_one_company_reported_at_20_and_0_8_yi(units):
    from factories import EnterpriseFactory

    company = EnterpriseFactory(name="华鑫新材料有限公司")
    calm = EnterpriseFactory(name="楚风食品有限公司")
    rec = {"review_status": "recognised"}
    early = LeadFactory(unit=units.chuandian, enterprise=company, reported_on=datetime.date(2022, 3, 1),
                        intended_investment_wan=Decimal(200_000), **rec)  # fmt: skip
    late = LeadFactory(unit=units.mashan, enterprise=company, reported_on=datetime.date(2022, 5, 10),
                       intended_investment_wan=Decimal(8_000), **rec)  # fmt: skip
    # calm (all 2022-03-01 unless said): chuandian 90000 and 1000 (one unit: never compared with
    # each other); mashan 30000 on 03-02; cenhe 10 as a draft (not counted); cenhe 1 in 2021-02
    # (more than 365 days before every other lead: not compared).
    LeadFactory(unit=units.chuandian, enterprise=calm, intended_investment_wan=Decimal(90_000), **rec)
    calm_small = LeadFactory(
        unit=units.chuandian, enterprise=calm, intended_investment_wan=Decimal(1_000), **rec
    )
    calm_mashan = LeadFactory(unit=units.mashan, enterprise=calm, intended_investment_wan=Decimal(30_000),
                              reported_on=datetime.date(2022, 3, 2), **rec)  # fmt: skip
    LeadFactory(unit=units.cenhe, enterprise=calm, intended_investment_wan=Decimal(10))
    LeadFactory(unit=units.cenhe, enterprise=calm, intended_investment_wan=Decimal(1),
                reported_on=datetime.date(2021, 2, 1), **rec)  # fmt: skip
    # company: 200000 / 8000 = 25x > 3x. calm: mashan 30000 vs chuandian 90000 = 3x (not above 3),
    # vs chuandian 1000 = 30x: calm's worst pair, chuandian's (03-01) first, mashan's (03-02) later.
    pair_company = f"lead_amount_conflict:{early.pk}:{late.pk}"
    pair_calm = f"lead_amount_conflict:{calm_small.pk}:{calm_mashan.pk}"
    findings = {f.key: f for f in found("lead_amount_conflict")}
    assert set(findings) == {pair_company, pair_calm}
    # 200000万元 = 20亿元, 8000万元 = 0.8亿元.
    text = findings[pair_company].text
    assert "川店镇2022年3月1日上报拟投资20亿元" in text and "马山镇2022年5月10日上报拟投资0.8亿元" in text
    assert findings[pair_company].subject == late
    assert findings[pair_company].owner_unit is None  # the bureau checks it; no ticket to a unit
    # Threshold 25: 25x is not above 25, 30x is.
    RuleSetting.objects.create(code="lead_amount_conflict", enabled=True, threshold=Decimal(25))
    assert keys("lead_amount_conflict") == {pair_calm}
    # Threshold 30: nothing is above 30x.
    RuleSetting.objects.filter(code="lead_amount_conflict").update(threshold=Decimal(30))
    assert keys("lead_amount_conflict") == set()


def test_region_limits_what_is_checked(units, region_tree):
    ProjectFactory(introducing_unit=units.cenhe, stage="signed", signed_on=datetime.date(2022, 1, 1))
    assert len(found("signed_not_commenced", region=region_tree.shashi)) == 1
    assert found("signed_not_commenced", region=region_tree.jingzhou) == []


# --- the command ------------------------------------------------------------------------------------


def test_supervise_prints_findings_by_rule_and_exits_zero(units):
    ProjectFactory(
        name="光谷芯片项目",
        introducing_unit=units.chuandian,
        stage="signed",
        signed_on=datetime.date(2022, 4, 1),
    )
    out = StringIO()
    call_command("supervise", "--date", "2022-07-25", stdout=out)  # raises on a non-zero exit
    text = out.getvalue()
    assert "督查规则检查(截至2022年7月25日)" in text
    assert "【签约后超过90天未开工】1项" in text
    assert "1. “光谷芯片项目”(川店镇)2022年4月1日签约,已115天未开工" in text
    assert "【重大项目超过7天未更新推进情况】未发现问题" in text
    assert not SupervisionTicket.objects.exists()  # read only without --open-tickets


def test_open_tickets_once_per_finding_and_escalate(units, make_user, region_tree):
    project = ProjectFactory(
        introducing_unit=units.chuandian, stage="signed", signed_on=datetime.date(2022, 4, 1)
    )
    leader = make_user(Role.LEADER, region=region_tree.city)
    head = make_user(Role.UNIT_HEAD, unit=units.chuandian)
    out = StringIO()
    call_command(
        "supervise", "--date", "2022-07-25", "--rule", "signed_not_commenced", "--open-tickets", stdout=out
    )
    ticket = SupervisionTicket.objects.get()
    assert (ticket.owner_unit, ticket.subject, ticket.deadline) == (
        units.chuandian,
        project,
        datetime.date(2022, 8, 1),
    )
    assert ticket.source_rule == "signed_not_commenced"
    assert Notification.objects.filter(user=head, link=ticket.get_absolute_url()).exists()
    call_command(
        "supervise", "--date", "2022-07-26", "--rule", "signed_not_commenced", "--open-tickets", stdout=out
    )
    assert SupervisionTicket.objects.count() == 1  # one ticket per finding
    # Past the deadline: flagged once, and the leaders are told.
    call_command(
        "supervise", "--date", "2022-08-03", "--rule", "signed_not_commenced", "--open-tickets", stdout=out
    )
    ticket.refresh_from_db()
    assert ticket.escalated_at is not None
    assert Notification.objects.filter(user=leader, text__contains="逾期").count() == 1
    call_command(
        "supervise", "--date", "2022-08-04", "--rule", "signed_not_commenced", "--open-tickets", stdout=out
    )
    assert Notification.objects.filter(user=leader, text__contains="逾期").count() == 1


# --- the ticket workflow --------------------------------------------------------------------------


@pytest.fixture
def people(units, region_tree, make_user):
    class P:
        head = make_user(Role.UNIT_HEAD, unit=units.chuandian)
        reporter = make_user(Role.REPORTER, unit=units.chuandian)
        other_head = make_user(Role.UNIT_HEAD, unit=units.mashan)
        bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)
        supervisor = make_user(Role.SUPERVISOR, region=region_tree.jingzhou)
        other_supervisor = make_user(Role.SUPERVISOR, region=region_tree.shashi)
        leader = make_user(Role.LEADER, region=region_tree.jingzhou)
        auditor = make_user(Role.AUDITOR, region=region_tree.jingzhou)

    return P


def open_ticket(client, unit, title="项目签约后超期未开工"):
    response = client.post(
        "/tickets/add/",
        {"title": title, "description": "请说明原因", "owner_unit": unit.pk, "deadline": "2030-08-01"},
    )
    assert response.status_code == 302, response.content.decode()
    return SupervisionTicket.objects.get(title=title)


def test_ticket_walk_through_with_the_right_roles(units, people, client_as):
    ticket = open_ticket(client_as(people.supervisor), units.chuandian)
    assert ticket.status == "open" and ticket.opened_by == people.supervisor

    # Wrong roles are refused at each step.
    assert client_as(people.head).post(f"/tickets/{ticket.pk}/verify/", {"passed": "1"}).status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == "open"
    assert (
        client_as(people.supervisor).post(f"/tickets/{ticket.pk}/respond/", {"response": "x"}).status_code
        == 403
    )

    client_as(people.reporter).post(f"/tickets/{ticket.pk}/respond/", {"response": "已约谈企业,9月开工"})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.responded_by) == ("responded", people.reporter)
    assert Notification.objects.filter(user=people.supervisor, text__contains="已反馈").exists()

    # The unit may not close its own ticket; a leader may not either.
    for who in (people.head, people.leader):
        response = client_as(who).post(f"/tickets/{ticket.pk}/verify/", {"passed": "1"})
        assert response.status_code == 403
    # Sent back with a reason, answered again, then verified and closed by the bureau.
    client_as(people.supervisor).post(f"/tickets/{ticket.pk}/verify/", {"passed": "0", "note": ""})
    ticket.refresh_from_db()
    assert ticket.status == "responded"  # a send-back needs a reason
    client_as(people.supervisor).post(
        f"/tickets/{ticket.pk}/verify/", {"passed": "0", "note": "未附约谈记录"}
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.verification) == ("open", "未附约谈记录")
    client_as(people.head).post(f"/tickets/{ticket.pk}/respond/", {"response": "附约谈记录"})
    client_as(people.bureau).post(f"/tickets/{ticket.pk}/verify/", {"passed": "1", "note": "核查属实"})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.closed_by) == ("closed", people.bureau)
    assert ticket.closed_at is not None
    # Closed: no more edits.
    assert client_as(people.bureau).get(f"/tickets/{ticket.pk}/edit/").status_code == 403
    actions = list(
        __import__("zhaoshang.audit.models", fromlist=["AuditEntry"])
        .AuditEntry.objects.filter(model="supervision.supervisionticket", object_id=str(ticket.pk))
        .values_list("action", flat=True)
        .order_by("id")
    )
    assert actions == ["create", "update", "update", "update", "update"]


def test_who_may_open_tickets(units, people, client_as):
    for who in (people.head, people.reporter, people.leader):
        assert client_as(who).get("/tickets/add/").status_code == 403
    assert client_as(people.bureau).get("/tickets/add/").status_code == 200
    # A supervisor opens tickets only for units of its region.
    response = client_as(people.other_supervisor).post(
        "/tickets/add/", {"title": "越权", "owner_unit": units.chuandian.pk, "deadline": "2030-08-01"}
    )
    assert response.status_code == 400 and not SupervisionTicket.objects.exists()


def test_tickets_visible_only_to_their_unit(units, people, client_as):
    ticket = ticket_open(
        user=people.supervisor, title="外出招商次数不足", owner_unit=units.chuandian, deadline=TODAY
    )
    matrix = {
        people.head: 200,
        people.reporter: 200,
        people.other_head: 404,
        people.bureau: 200,
        people.supervisor: 200,
        people.leader: 200,
        people.other_supervisor: 404,
        people.auditor: 404,
    }
    for who, status in matrix.items():
        assert client_as(who).get(f"/tickets/{ticket.pk}/").status_code == status, who
        listed = f"/tickets/{ticket.pk}/" in client_as(who).get("/tickets/").content.decode()
        assert listed is (status == 200)
    # Another unit cannot answer it either (404, not "forbidden").
    assert (
        client_as(people.other_head).post(f"/tickets/{ticket.pk}/respond/", {"response": "x"}).status_code
        == 404
    )


def test_leaders_write_instructions_only(units, people, client_as):
    ticket = ticket_open(
        user=people.supervisor, title="问题未办结", owner_unit=units.chuandian, deadline=TODAY
    )
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(SupervisionTicket).pk
    url = f"/instructions/add/{ct}/{ticket.pk}/"
    assert client_as(people.bureau).post(url, {"text": "尽快办理"}).status_code == 403
    assert client_as(people.other_head).post(url, {"text": "尽快办理"}).status_code == 404
    client_as(people.leader).post(url, {"text": "请川店镇本周内办结,督查室跟踪。"})
    instruction = Instruction.objects.get()
    assert instruction.author == people.leader
    assert Notification.objects.filter(user=people.head, text__contains="作出批示").exists()
    page = client_as(people.head).get(f"/tickets/{ticket.pk}/").content.decode()
    assert "请川店镇本周内办结" in page
    # A leader's page shows no respond / verify forms, only the 批示 box.
    page = client_as(people.leader).get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'id="respond-form"' not in page and 'id="verify-form"' not in page and 'name="text"' in page


def test_findings_page_opens_a_ticket(units, people, client_as):
    project = ProjectFactory(
        introducing_unit=units.chuandian, stage="signed", signed_on=datetime.date(2020, 1, 1)
    )
    page = client_as(people.supervisor).get("/tickets/findings/").content.decode()
    assert "签约后超过90天未开工" in page and str(project) in page
    assert client_as(people.head).get("/tickets/findings/").status_code == 403
    response = client_as(people.supervisor).post(
        "/tickets/findings/open/",
        {"rule": "signed_not_commenced", "key": f"signed_not_commenced:project:{project.pk}"},
    )
    ticket = SupervisionTicket.objects.get()
    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    # A forged key opens nothing.
    client_as(people.supervisor).post(
        "/tickets/findings/open/", {"rule": "signed_not_commenced", "key": "signed_not_commenced:project:999"}
    )
    assert SupervisionTicket.objects.count() == 1


# --- notifications --------------------------------------------------------------------------------


def test_returned_record_notifies_its_unit(units, people, client_as):
    project = ProjectFactory(introducing_unit=units.chuandian, created_by=people.reporter)
    record_transition(user=people.head, model=Project, pks=[project.pk], transition="submit")
    record_transition(
        user=people.bureau, model=Project, pks=[project.pk], transition="return", reason="合同未上传"
    )
    notes = Notification.objects.filter(text__contains="已被退回")
    assert {n.user for n in notes} == {people.head, people.reporter}
    assert "合同未上传" in notes.first().text and notes.first().link == project.get_absolute_url()
    assert not Notification.objects.filter(user=people.other_head).exists()


def test_bell_inbox_and_mark_read(units, people, client_as):
    ticket = ticket_open(user=people.supervisor, title="督办事项", owner_unit=units.chuandian, deadline=TODAY)
    client = client_as(people.head)
    assert 'id="zs-bell"' in client.get("/").content.decode()
    assert 'data-unread="1"' in client.get("/notifications/badge/").content.decode()
    note = Notification.objects.get(user=people.head)
    # Nobody opens another's notification.
    assert client_as(people.other_head).get(f"/notifications/{note.pk}/").status_code == 404
    response = client.get(f"/notifications/{note.pk}/")
    assert response["Location"] == ticket.get_absolute_url()
    assert "data-unread" not in client.get("/notifications/badge/").content.decode()


@override_settings(
    ZHAOSHANG_EMAIL_NOTIFICATIONS=True, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
)
def test_email_channel_when_enabled(units, people, django_capture_on_commit_callbacks):
    people.head.email = "head@example.org"
    people.head.save()
    with django_capture_on_commit_callbacks(execute=True):
        ticket_open(user=people.supervisor, title="督办事项", owner_unit=units.chuandian, deadline=TODAY)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["head@example.org"]


def test_email_channel_off_by_default(units, people, django_capture_on_commit_callbacks):
    people.head.email = "head@example.org"
    people.head.save()
    with django_capture_on_commit_callbacks(execute=True):
        ticket_open(user=people.supervisor, title="督办事项", owner_unit=units.chuandian, deadline=TODAY)
    assert mail.outbox == []


@pytest.mark.parametrize(
    "url",
    [
        "/tickets/",
        "/tickets/?overdue=true&escalated=false&status=open",
        "/tickets/add/",
        "/tickets/findings/",
        "/problems/",
        "/problems/add/",
        "/complaints/",
        "/complaints/add/",
        "/duplicates/",
        "/duplicates/?status=open",
        "/notifications/",
    ],
)
def test_pages_answer_every_role_without_error(units, people, client_as, url):
    project = ProjectFactory(
        introducing_unit=units.chuandian, stage="signed", signed_on=datetime.date(2020, 1, 1)
    )
    ticket_open(
        user=people.supervisor, title="督办事项", owner_unit=units.chuandian, deadline=TODAY, subject=project
    )
    for who in (
        people.head,
        people.reporter,
        people.bureau,
        people.supervisor,
        people.leader,
        people.auditor,
    ):
        assert client_as(who).get(url).status_code in (200, 403), (url, who)
    assert client_as(people.bureau).get(url).status_code == 200


def test_ticket_page_links_its_subject_and_shows_overdue(units, people, client_as):
    project = ProjectFactory(introducing_unit=units.chuandian)
    ticket = ticket_open(
        user=people.supervisor, title="督办事项", owner_unit=units.chuandian, deadline=TODAY, subject=project
    )
    page = client_as(people.head).get(f"/tickets/{ticket.pk}/").content.decode()
    assert project.get_absolute_url() in page and "已逾期" in page and 'id="respond-form"' in page
    listed = client_as(people.leader).get("/tickets/?overdue=true").content.decode()
    assert f"/tickets/{ticket.pk}/" in listed
