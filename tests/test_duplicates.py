"""防水分 (SPEC §2, §3): the possible-duplicate pool, extreme values, expansions, changed investors."""

import datetime
from decimal import Decimal

import pytest

from factories import EnterpriseFactory, FundsRecordFactory, ProjectFactory, valid_credit_code
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.workflow import record_transition
from zhaoshang.metrics import periods
from zhaoshang.metrics.engine import measure
from zhaoshang.organisation.choices import Role
from zhaoshang.projects import selectors
from zhaoshang.projects.models import DuplicateCandidate, Project

pytestmark = pytest.mark.django_db

JAN_JUL = periods.year_to_date(2022, 7)


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
def people(units, region_tree, make_user):
    class P:
        chuandian = make_user(Role.UNIT_HEAD, unit=units.chuandian)
        mashan = make_user(Role.UNIT_HEAD, unit=units.mashan)
        bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)
        leader = make_user(Role.LEADER, region=region_tree.jingzhou)

    return P


def report_twice(units, people, client_as):
    """The same signing reported by two towns, in slightly different words; both recognised."""
    first = client_as(people.chuandian).post("/projects/add/", project_post(units.chuandian))
    second = client_as(people.mashan).post(
        "/projects/add/",
        project_post(
            units.mashan,
            name="荆州 LED 二极管封装建设项目",
            investor_name="湖北荆光电子科技有限公司",
            total_investment_wan="145000",
        ),
    )
    assert first.status_code == second.status_code == 302
    a = Project.objects.get(introducing_unit=units.chuandian)
    b = Project.objects.get(introducing_unit=units.mashan)
    for project, head in ((a, people.chuandian), (b, people.mashan)):
        record_transition(user=head, model=Project, pks=[project.pk], transition="submit")
    record_transition(user=people.bureau, model=Project, pks=[a.pk, b.pk], transition="recognise")
    return a, b


def signed(basis="recognised"):
    return measure("signed_projects", period=JAN_JUL, basis=basis)


def test_same_project_by_two_units_is_held_then_counted_once(units, people, client_as):
    a, b = report_twice(units, people, client_as)
    candidate = DuplicateCandidate.objects.get()
    assert (candidate.project, candidate.other) == (b, a)  # the later report names the earlier one
    assert set(candidate.reasons) >= {"credit_code", "project_name", "amount", "region"}
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.duplicate_hold and b.duplicate_hold
    # Held: zero times on both bases, and no funds counted either.
    FundsRecordFactory(project=a, month=datetime.date(2022, 5, 1), review_status="recognised")
    assert signed("recognised") == 0
    assert signed("reported") == 0
    assert measure("signed_amount_wan", period=JAN_JUL) == 0
    assert measure("funds_wan", period=JAN_JUL) == 0

    # The pool lists it for the bureau; the bureau resolves: the same project, keep the first report.
    bureau = client_as(people.bureau)
    page = bureau.get("/duplicates/").content.decode()
    assert "荆州LED二极管封装项目" in page
    response = bureau.post(
        f"/duplicates/{candidate.pk}/resolve/", {"decision": "same", "keep": a.pk, "note": "马山镇重复上报"}
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    a.refresh_from_db()
    b.refresh_from_db()
    assert candidate.status == "same" and candidate.kept == a
    assert not a.duplicate_hold
    assert b.stage == "withdrawn" and "川店镇" in b.end_reason
    assert signed("recognised") == 1
    assert measure("signed_amount_wan", period=JAN_JUL) == Decimal(150000)
    assert measure("signed_projects", period=JAN_JUL, unit=units.chuandian) == 1
    assert measure("signed_projects", period=JAN_JUL, unit=units.mashan) == 0
    assert measure("funds_wan", period=JAN_JUL) == 1000
    # The withdrawal is in the project's history, before and after.
    entry = AuditEntry.objects.filter(model="projects.project", object_id=str(b.pk)).order_by("-id").first()
    assert (entry.before["stage"], entry.after["stage"]) == ("signed", "withdrawn")


def test_different_projects_are_released_and_both_count(units, people, client_as):
    a, b = report_twice(units, people, client_as)
    candidate = DuplicateCandidate.objects.get()
    client_as(people.bureau).post(f"/duplicates/{candidate.pk}/resolve/", {"decision": "different"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert not a.duplicate_hold and not b.duplicate_hold
    assert signed() == 2
    # Editing either again does not put a released pair back in the pool.
    client_as(people.bureau).post(
        f"/projects/{b.pk}/edit/", project_post(units.mashan, name="荆州LED封装二期", _version=b.version)
    )
    b.refresh_from_db()
    assert not b.duplicate_hold and DuplicateCandidate.objects.count() == 1


def test_only_the_bureau_resolves(units, people, client_as, make_user):
    report_twice(units, people, client_as)
    candidate = DuplicateCandidate.objects.get()
    # Units: the pool is not theirs (the pair names another unit's record).
    assert client_as(people.chuandian).get("/duplicates/").status_code == 403
    assert client_as(people.chuandian).post(
        f"/duplicates/{candidate.pk}/resolve/", {"decision": "different"}
    ).status_code in (403, 404)
    # Leaders read the pool but do not resolve; another county's bureau does not see the pair at all.
    assert client_as(people.leader).get(f"/duplicates/{candidate.pk}/").status_code == 200
    assert (
        client_as(people.leader)
        .post(f"/duplicates/{candidate.pk}/resolve/", {"decision": "different"})
        .status_code
        == 403
    )
    from zhaoshang.organisation.models import Region

    other_bureau = make_user(Role.BUREAU, region=Region.objects.get(code="421002"))
    assert client_as(other_bureau).get(f"/duplicates/{candidate.pk}/").status_code == 404
    candidate.refresh_from_db()
    assert candidate.status == "open"


def test_unlike_projects_are_not_pooled(units, people, client_as):
    client_as(people.chuandian).post("/projects/add/", project_post(units.chuandian))
    # Same investor, same region, but an amount far off: a second plant, not a duplicate.
    client_as(people.mashan).post(
        "/projects/add/", project_post(units.mashan, name="荆光电子二期", total_investment_wan="60000")
    )
    # Close amount and similar name, but another region.
    client_as(people.bureau).post(
        "/projects/add/",
        project_post(
            units.cenhe,
            investor_name="武汉另一家公司",
            investor_credit_code=valid_credit_code(8),
            region=units.cenhe.region.pk,
        ),
    )
    assert not DuplicateCandidate.objects.exists()
    assert not Project.objects.filter(duplicate_hold=True).exists()


def test_similarity_rules():
    assert selectors.normalise_company("荆州 XX 汽车零部件(集团)有限公司") == "荆州xx汽车零部件"
    assert selectors.similar(
        selectors.normalise_project("年产10万吨新材料项目"),
        selectors.normalise_project("年产10万吨新材料建设项目"),
    )
    assert not selectors.similar("光伏组件", "食品加工")
    assert selectors.close_amounts(Decimal(100), Decimal(91))
    assert not selectors.close_amounts(Decimal(100), Decimal(89))


def test_changed_investor_keeps_one_record_with_before_and_after(units, people, client_as):
    client = client_as(people.bureau)
    client.post("/projects/add/", project_post(units.chuandian))
    project = Project.objects.get()
    old_investor = project.investor
    response = client.post(
        f"/projects/{project.pk}/edit/",
        project_post(
            units.chuandian,
            investor_name="荆光电子(荆州)有限公司",
            investor_credit_code=valid_credit_code(9),
            _version=project.version,
        ),
    )
    assert response.status_code == 302
    assert Project.objects.count() == 1
    project.refresh_from_db()
    assert project.investor != old_investor and project.investor.name == "荆光电子(荆州)有限公司"
    entry = AuditEntry.objects.filter(
        model="projects.project", object_id=str(project.pk), action="update"
    ).get()
    assert (entry.before["investor"], entry.after["investor"]) == (old_investor.pk, project.investor.pk)
    assert not DuplicateCandidate.objects.exists()  # a project is never its own duplicate


def test_expansion_counts_only_the_added_investment(units):
    ProjectFactory(
        introducing_unit=units.chuandian,
        kind="expansion",
        total_investment_wan=Decimal(80000),
        added_investment_wan=Decimal(30000),
        stage="signed",
        signed_on=datetime.date(2022, 4, 1),
        review_status="recognised",
    )
    assert measure("signed_amount_wan", period=JAN_JUL) == Decimal(30000)
    assert measure("signed_projects_100m", period=JAN_JUL) == 1


def test_extreme_values_are_flagged(units):
    today = datetime.date(2022, 7, 25)
    huge = ProjectFactory(introducing_unit=units.chuandian, total_investment_wan=Decimal(1_000_000))
    ProjectFactory(introducing_unit=units.chuandian, total_investment_wan=Decimal(999_999))
    overfunded = ProjectFactory(introducing_unit=units.mashan, total_investment_wan=Decimal(1500))
    FundsRecordFactory(project=overfunded, month=datetime.date(2022, 5, 1), amount_wan=Decimal(1000))
    FundsRecordFactory(project=overfunded, month=datetime.date(2022, 6, 1), amount_wan=Decimal(600))
    future = ProjectFactory(
        introducing_unit=units.mashan, stage="signed", signed_on=datetime.date(2022, 8, 1)
    )
    flags = {(f.code, f.project.pk) for f in selectors.extreme_value_flags(today=today)}
    assert flags == {
        ("extreme_investment", huge.pk),
        ("funds_above_investment", overfunded.pk),
        ("signed_in_future", future.pk),
    }


def test_extreme_value_shown_on_the_project_page(units, people, client_as):
    project = ProjectFactory(introducing_unit=units.chuandian, total_investment_wan=Decimal(1_200_000))
    page = client_as(people.chuandian).get(f"/projects/{project.pk}/").content.decode()
    assert 'id="value-flags"' in page and "120亿元" in page


def test_held_project_page_says_so(units, people, client_as):
    a, _b = report_twice(units, people, client_as)
    page = client_as(people.chuandian).get(f"/projects/{a.pk}/").content.decode()
    assert 'id="duplicate-hold"' in page


def test_import_like_creation_caught_by_the_daily_scan(units):
    """Records that bypass the form (an import) are caught by ``supervise --pool``."""
    from io import StringIO

    from django.core.management import call_command

    investor = EnterpriseFactory()
    for unit in (units.chuandian, units.mashan):
        ProjectFactory(
            name="汽车零部件生产基地",
            investor=investor,
            introducing_unit=unit,
            total_investment_wan=Decimal(50000),
            stage="signed",
            signed_on=datetime.date(2022, 3, 1),
            review_status="recognised",
        )
    assert signed() == 2
    out = StringIO()
    call_command("supervise", "--date", "2022-07-25", "--rule", "possible_duplicates", stdout=out)
    assert "新发现" in out.getvalue() and not DuplicateCandidate.objects.exists()  # read only
    call_command("supervise", "--date", "2022-07-25", "--rule", "possible_duplicates", "--pool", stdout=out)
    assert DuplicateCandidate.objects.count() == 1
    assert signed() == 0
    out = StringIO()
    call_command("supervise", "--date", "2022-07-25", "--rule", "possible_duplicates", stdout=out)
    assert "待核查" in out.getvalue() and "新发现" not in out.getvalue()
