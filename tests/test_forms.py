"""Data entry through the pages: Chinese validation messages, history, optimistic locking."""

import datetime
import re
from decimal import Decimal

import pytest

from factories import LeadFactory, ProjectFactory, valid_credit_code
from zhaoshang.audit.models import AuditEntry
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.leads.models import Lead
from zhaoshang.organisation.choices import Role
from zhaoshang.projects.models import FundsRecord, PreReviewMeeting, Project

pytestmark = pytest.mark.django_db


def errors(response) -> list[str]:
    return re.findall(r'<ul class="errorlist"[^>]*><li>([^<]*)</li>', response.content.decode())


def project_post(unit, **overrides):
    data = {
        "name": "荆州LED二极管封装项目",
        "investor_name": "湖北荆光电子科技有限公司",
        "investor_credit_code": valid_credit_code(7),
        "introducing_unit": unit.pk,
        "kind": "new",
        "total_investment_wan": "150000",
        "stage": "signed",
        "negotiated_on": "2022-01-10",
        "signed_on": "2022-03-18",
    }
    data.update(overrides)
    return data


@pytest.fixture
def bureau(make_user, region_tree):
    return make_user(Role.BUREAU, region=region_tree.jingzhou)


def test_new_user_walkthrough_wrong_credit_code_then_fixed(units, bureau, client_as):
    client = client_as(bureau)
    good = valid_credit_code(7)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = client.post("/projects/add/", project_post(units.chuandian, investor_credit_code=wrong))
    assert response.status_code == 400
    assert "统一社会信用代码校验位不正确,请核对。" in errors(response)
    assert not Project.objects.exists()
    assert not Enterprise.objects.exists()

    response = client.post("/projects/add/", project_post(units.chuandian))
    assert response.status_code == 302
    project = Project.objects.get()
    assert project.investor.credit_code == good
    assert project.region == units.chuandian.region  # lands where its unit is, unless said otherwise
    assert project.total_investment_wan == Decimal("150000")

    listing = client.get("/projects/?signed_from=2022-01-01&signed_to=2022-07-31&size=1yi").content.decode()
    assert "荆州LED二极管封装项目" in listing
    assert "15" in listing  # 150000万元 shown as 15亿元
    outside = client.get("/projects/?signed_from=2021-01-01&signed_to=2021-07-31").content.decode()
    assert "荆州LED二极管封装项目" not in outside

    detail = client.get(f"/projects/{project.pk}/").content.decode()
    assert 'id="history"' in detail
    entry = AuditEntry.objects.get(model="projects.project", object_id=str(project.pk))
    assert entry.action == "create"
    assert entry.username == bureau.username
    assert entry.address == "127.0.0.1"
    assert entry.after["name"] == "荆州LED二极管封装项目"


def test_stage_dates_out_of_order_are_explained(units, bureau, client_as):
    response = client_as(bureau).post(
        "/projects/add/",
        project_post(units.chuandian, signed_on="2022-03-18", commenced_on="2022-02-01", stage="commenced"),
    )
    assert response.status_code == 400
    assert "开工日期不能早于签约日期。" in errors(response)


def test_signed_stage_needs_a_signing_date(units, bureau, client_as):
    response = client_as(bureau).post("/projects/add/", project_post(units.chuandian, signed_on=""))
    assert "项目阶段为“签约”时必须填写签约日期。" in errors(response)


def test_negative_investment_is_refused(units, bureau, client_as):
    response = client_as(bureau).post(
        "/projects/add/", project_post(units.chuandian, total_investment_wan="-5")
    )
    assert response.status_code == 400
    assert not Project.objects.exists()


def test_reporter_cannot_report_for_another_unit(units, make_user, client_as):
    reporter = make_user(Role.REPORTER, unit=units.chuandian)
    response = client_as(reporter).post("/projects/add/", project_post(units.mashan))
    assert response.status_code == 400
    assert not Project.objects.exists()
    response = client_as(reporter).post("/projects/add/", project_post(units.chuandian))
    assert response.status_code == 302
    assert Project.objects.get().created_by == reporter


def test_save_and_submit_is_for_the_unit_head(units, make_user, client_as):
    reporter = make_user(Role.REPORTER, unit=units.chuandian)
    client_as(reporter).post("/projects/add/", {**project_post(units.chuandian), "_submit": "1"})
    assert Project.objects.get().review_status == "draft"  # a reporter only drafts (SPEC §4)
    head = make_user(Role.UNIT_HEAD, unit=units.chuandian)
    client_as(head).post(
        "/projects/add/", {**project_post(units.chuandian, name="另一个项目"), "_submit": "1"}
    )
    assert Project.objects.get(name="另一个项目").review_status == "submitted"


def test_edit_records_before_and_after(units, bureau, client_as):
    client = client_as(bureau)
    client.post("/projects/add/", project_post(units.chuandian))
    project = Project.objects.get()
    response = client.post(
        f"/projects/{project.pk}/edit/",
        project_post(units.chuandian, total_investment_wan="180000", _version=project.version),
    )
    assert response.status_code == 302
    update = AuditEntry.objects.get(model="projects.project", action="update")
    assert update.before["total_investment_wan"] == "150000"
    assert update.after["total_investment_wan"] == "180000"
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "150000" in page and "180000" in page


def test_second_stale_edit_gets_a_conflict_page(units, bureau, client_as):
    client = client_as(bureau)
    client.post("/projects/add/", project_post(units.chuandian))
    project = Project.objects.get()
    read_at = project.version
    first = client.post(
        f"/projects/{project.pk}/edit/", project_post(units.chuandian, name="甲的修改", _version=read_at)
    )
    assert first.status_code == 302
    second = client.post(
        f"/projects/{project.pk}/edit/", project_post(units.chuandian, name="乙的修改", _version=read_at)
    )
    assert second.status_code == 409
    page = second.content.decode()
    assert "甲的修改" in page and "乙的修改" in page
    project.refresh_from_db()
    assert project.name == "甲的修改"


def test_reporter_cannot_judge_a_lead_valuable(units, make_user, client_as):
    reporter = make_user(Role.REPORTER, unit=units.chuandian)
    lead = LeadFactory(unit=units.chuandian, is_valuable=True)
    response = client_as(reporter).post(
        f"/leads/{lead.pk}/edit/",
        {
            "title": "改过的信息",
            "unit": units.chuandian.pk,
            "reported_on": "2022-03-01",
            "status": "following",
            "is_valuable": "false",
            "_version": lead.version,
        },
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.title == "改过的信息"
    assert lead.is_valuable is True  # the bureau's judgement is not the unit's to change


def test_lead_created_by_reporter_has_no_judgement(units, make_user, client_as):
    reporter = make_user(Role.REPORTER, unit=units.chuandian)
    client_as(reporter).post(
        "/leads/add/",
        {
            "title": "新能源电池项目信息",
            "unit": units.chuandian.pk,
            "reported_on": "2022-05-06",
            "status": "collected",
            "is_valuable": "true",
        },
    )
    assert Lead.objects.get().is_valuable is None


def test_one_funds_record_per_project_and_month(units, bureau, client_as):
    project = ProjectFactory(
        introducing_unit=units.chuandian, stage="signed", signed_on=datetime.date(2022, 1, 5)
    )
    client = client_as(bureau)
    data = {
        "project": project.pk,
        "month": "2022-04",
        "amount_wan": "800",
        "outside_province_wan": "300",
        "outside_city_wan": "0",
        "foreign_usd_wan": "0",
        "foreign_cash_usd_wan": "0",
    }
    assert client.post("/funds/add/", data).status_code == 302
    record = FundsRecord.objects.get()
    assert record.month == datetime.date(2022, 4, 1)
    response = client.post("/funds/add/", data)
    assert response.status_code == 400
    assert "该项目该月份已有到位资金记录。" in response.content.decode()
    over = client.post("/funds/add/", {**data, "month": "2022-05", "outside_province_wan": "900"})
    assert "其中省外资金不能大于到位资金。" in over.content.decode()


def test_prereview_meeting_with_verdicts(units, bureau, client_as, region_tree):
    projects = [ProjectFactory(introducing_unit=units.chuandian) for _ in range(2)]
    data = {
        "title": "2022年第5次项目预审会",
        "held_on": "2022-05-20",
        "region": region_tree.jingzhou.pk,
        "departments": "发改、经信、环保",
        "verdicts-TOTAL_FORMS": "3",
        "verdicts-INITIAL_FORMS": "0",
        "verdicts-0-project": projects[0].pk,
        "verdicts-0-verdict": "passed",
        "verdicts-1-project": projects[1].pk,
        "verdicts-1-verdict": "failed",
        "verdicts-1-opinions": "环评未通过",
    }
    response = client_as(bureau).post("/prereviews/add/", data)
    assert response.status_code == 302
    meeting = PreReviewMeeting.objects.get()
    assert sorted(meeting.verdicts.values_list("verdict", flat=True)) == ["failed", "passed"]
    listing = client_as(bureau).get("/prereviews/").content.decode()
    assert "2022年第5次项目预审会" in listing


def test_enterprise_credit_code_unique_message(bureau, client_as):
    client = client_as(bureau)
    code = valid_credit_code(11)
    assert client.post("/enterprises/add/", {"name": "甲公司", "credit_code": code}).status_code == 302
    response = client.post("/enterprises/add/", {"name": "乙公司", "credit_code": code})
    assert response.status_code == 400
    assert "该统一社会信用代码已登记为另一家企业。" in response.content.decode()


def test_list_search_sort_and_paging(units, bureau, client_as):
    for i in range(30):
        ProjectFactory(
            introducing_unit=units.chuandian, name=f"批量项目{i:02d}", total_investment_wan=Decimal(10000 + i)
        )
    ProjectFactory(introducing_unit=units.chuandian, name="唯一的磷化工项目")
    client = client_as(bureau)
    assert "唯一的磷化工项目" in client.get("/projects/?q=磷化工").content.decode()
    assert "批量项目01" not in client.get("/projects/?q=磷化工").content.decode()
    first_page = client.get("/projects/?sort=-name").content.decode()
    assert first_page.count('href="/projects/') >= 25
    second = client.get("/projects/?sort=-name&page=2").content.decode()
    assert "唯一的磷化工项目" in second  # by name descending (批 > 唯), the 31st row is on page 2
    empty = client.get("/projects/?q=不存在的名称").content.decode()
    assert "没有符合条件的记录" in empty
