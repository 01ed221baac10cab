"""Issue 13, "counting options bureaus' own rules use": each option on a small hand-built data set,
the expected figures counted by hand in the comment beside them.

The towns group of ``conftest``: 川店镇, 马山镇 (荆州区) and 岑河镇 (沙市区); schemes of the towns group
belong to 荆州市 so all three are ranked. July's 序时进度 is 7/12.
"""

import datetime
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from factories import FundsRecordFactory, UnitFactory
from test_assessment import by_name, make_scheme, per_item, signed
from test_duplicates import report_twice
from test_exchange_support import run_import, write_xlsx
from test_setup import _formset_data, setup
from zhaoshang.assessment import scoring
from zhaoshang.assessment.choices import FindingKind, ItemKind, ScoringRule
from zhaoshang.assessment.models import Finding, Scheme, SchemeItem
from zhaoshang.assessment.selectors import explain
from zhaoshang.assessment.services import assessment_run
from zhaoshang.audit.models import AuditEntry
from zhaoshang.core.workflow import record_transition
from zhaoshang.metrics import options, periods, rollup
from zhaoshang.metrics.engine import measure, measure_breakdown, measure_by_unit
from zhaoshang.metrics.models import CountingRules
from zhaoshang.metrics.selectors import ineligible_projects, options_in_force
from zhaoshang.metrics.services import counting_rules_save
from zhaoshang.organisation.choices import Role
from zhaoshang.organisation.models import Unit, User
from zhaoshang.projects.models import DuplicateCandidate, Project
from zhaoshang.projects.services import duplicate_resolve
from zhaoshang.security.models import AccountSecurity
from zhaoshang.supervision.models import SupervisionTicket

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def towns(units):
    return units.chuandian.assessment_group


def efficacy(code, weight, **kw):
    return {"indicator": code, "rule": ScoringRule.EFFICACY, "weight": Decimal(weight), **kw}


# --- 1. 功效系数法 ---------------------------------------------------------------------------------


def test_efficacy_points_by_hand():
    # 60% × 30 + 40% × 30 × (5 − 1) ÷ (9 − 1) = 18 + 12 × 1/2 = 24.
    assert scoring.efficacy_points(Fraction(30), Fraction(5), Fraction(1), Fraction(9)) == 24
    # The lowest gets the 60% base, the highest the full weight.
    assert scoring.efficacy_points(Fraction(30), Fraction(1), Fraction(1), Fraction(9)) == 18
    assert scoring.efficacy_points(Fraction(30), Fraction(9), Fraction(1), Fraction(9)) == 30
    # All equal at 4: everyone at the best value → full weight; all at 0 → the 60% base.
    assert scoring.efficacy_points(Fraction(30), Fraction(4), Fraction(4), Fraction(4)) == 30
    assert scoring.efficacy_points(Fraction(30), Fraction(0), Fraction(0), Fraction(0)) == 18


def test_efficacy_scheme_scores_against_the_units_assessed(units, towns, region_tree):
    cd, ms, ch = units.chuandian, units.mashan, units.cenhe
    for on in (D(2022, 2, 1), D(2022, 3, 1), D(2022, 4, 1)):
        signed(cd, 10000, on)  # 川店镇: 3 亿元以上 projects
    signed(ms, 20000, D(2022, 5, 1))  # 马山镇: 1
    signed(ch, 9999, D(2022, 5, 1))  # 岑河镇: 0 (just under 1亿)
    scheme = make_scheme(
        group=towns,
        region=region_tree.city,
        items=[efficacy("signed_projects_100m", 20), efficacy("leads", 10)],
    )
    lines = by_name(assessment_run(user=None, scheme=scheme, period="2022-07"))
    # Item 1, low 0, high 3. 川店镇: 20. 马山镇: 12 + 8 × 1/3 = 14.666… → 14.67. 岑河镇: 12.
    # Item 2 (no leads anywhere, all 0): 60% × 10 = 6 each.
    assert lines["川店镇"].score == Decimal("26.00")
    assert lines["马山镇"].score == Decimal("20.67")
    assert lines["岑河镇"].score == Decimal("18.00")
    assert [lines[n].rank for n in ("川店镇", "马山镇", "岑河镇")] == [1, 2, 3]
    entry = lines["马山镇"].explanation[0]
    assert (entry["low"], entry["high"], entry["points"]) == ("0", "3", "14.67")
    run = lines["马山镇"].run
    formula = explain(lines["马山镇"], run).entries[0].formula
    assert formula == "60% × 20 + 40% × 20 × (1 − 0) ÷ (3 − 0) = 14.67"
    assert explain(lines["马山镇"], run).entries[1].formula == "各单位均为0:60% × 10 = 6"


def test_efficacy_needs_a_weight(units, towns, region_tree):
    scheme = make_scheme(group=towns, region=region_tree.city, items=[per_item("leads", 1)])
    with pytest.raises(IntegrityError), transaction.atomic():
        SchemeItem.objects.create(scheme=scheme, indicator="leads", rule=ScoringRule.EFFICACY)


def test_schemes_page_switches_an_item_to_efficacy(client_as):
    setup("--region", "421003", "--bureau", "荆州区招商局", "--year", "2025")
    bureau = User.objects.get(username="bureau")
    AccountSecurity.objects.filter(user=bureau).update(must_change_password=False)
    client = client_as(bureau)
    scheme = Scheme.objects.get(year=2025, assessment_group__name="任务单位")
    response = client.post(
        f"/assessments/schemes/{scheme.pk}/",
        _formset_data(scheme, scheme.version, leads={"rule": "efficacy", "cap": ""}),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = scheme.items.get(indicator="leads")
    assert (item.rule, item.weight, item.cap) == ("efficacy", Decimal(10), None)
    assert "功效系数法" in client.get("/assessments/schemes/?year=2025").content.decode()


# --- 2. deductions per count ------------------------------------------------------------------------


def _ticket(unit, deadline, closed=None):
    return SupervisionTicket.objects.create(
        title="督办事项",
        owner_unit=unit,
        deadline=deadline,
        status="closed" if closed else "open",
        closed_at=closed and timezone.make_aware(datetime.datetime.combine(closed, datetime.time(10))),
    )


def test_deductions_per_count_from_the_records(units, towns, region_tree):
    cd, ms = units.chuandian, units.mashan
    # 川店镇: three projects signed in January, agreed to start by May, never commenced: 超时限未开工.
    for month in (3, 4, 5):
        signed(cd, 5000, D(2022, 1, 5), agreed_start_on=D(2022, month, 1))
    # 马山镇: two falsified projects found by the bureau; tickets due in June — one still open, one
    # closed a day late (both overdue), one closed on its deadline (not overdue); one due in August
    # (outside 1–7月).
    for day in (3, 4):
        Finding.objects.create(
            unit=ms, kind=FindingKind.FALSIFIED, found_on=D(2022, 5, day), description="虚报"
        )
    _ticket(ms, D(2022, 6, 1))
    _ticket(ms, D(2022, 6, 1), closed=D(2022, 6, 2))
    _ticket(ms, D(2022, 6, 1), closed=D(2022, 6, 1))
    _ticket(ms, D(2022, 8, 1))
    deduction = ItemKind.DEDUCTION
    scheme = make_scheme(
        group=towns,
        region=region_tree.city,
        items=[
            per_item("signed_projects", 10, kind=ItemKind.BASIC),
            per_item("overdue_start_projects", "0.1", kind=deduction, label="超时限未开工"),
            per_item("falsified_projects", "0.2", kind=deduction, label="弄虚作假"),
            per_item("overdue_tickets", "0.5", kind=deduction),
        ],
    )
    run = assessment_run(user=None, scheme=scheme, period="2022-07")
    lines = by_name(run)
    # 川店镇: 3 signed × 10 = 30, 3 overdue starts × 0.1 = 0.3 → 29.70.
    # 马山镇: nothing signed; 2 falsified × 0.2 = 0.4, 2 overdue tickets × 0.5 = 1.0 → −1.40.
    assert lines["川店镇"].score == Decimal("29.70")
    assert lines["马山镇"].score == Decimal("-1.40")
    assert lines["岑河镇"].score == Decimal("0.00")
    counts = {e["name"]: (e["value"], e["points"]) for e in lines["马山镇"].explanation}
    assert counts["弄虚作假"] == ("2", "-0.4")
    assert counts["督办事项逾期未办结"] == ("2", "-1")
    formulas = [e.formula for e in explain(lines["川店镇"], run).entries]
    assert formulas[1] == "扣分 0.1 × 3个 = -0.3"


# --- 3. bands and thresholds ------------------------------------------------------------------------


def _rules(year, **fields):
    return counting_rules_save(user=None, rules=CountingRules(year=year, **fields))


@pytest.fixture
def sized(units):
    cd = units.chuandian
    made = {
        "A": signed(cd, 12000, D(2022, 2, 1)),
        "B": signed(cd, 8000, D(2022, 3, 1), foreign_usd_wan=Decimal(1200)),
        "C": signed(cd, 8000, D(2022, 4, 1), foreign_usd_wan=Decimal("999.9999")),
        "D": signed(cd, 40000, D(2022, 5, 1)),
        "E": signed(cd, 150000, D(2022, 6, 1)),
        "F": signed(cd, 8000, D(2021, 5, 1), foreign_usd_wan=Decimal(1200)),
        "G": signed(cd, 10000, D(2021, 6, 1)),
        "H": signed(cd, 6000, D(2023, 3, 1)),
    }
    return made


JAN_JUL_2022 = periods.year_to_date(2022, 7)
YEAR_2021 = periods.year_to_date(2021, 12)
YEAR_2023 = periods.year_to_date(2023, 12)
PART_2022 = periods.Period(D(2022, 1, 15), D(2022, 7, 31), "1月15日至7月31日")  # counts the records


def test_thresholds_and_bands_by_year_enter_the_summary(sized):
    # Before any option (SPEC §3): 2022 has A, D, E ≥ 1亿 → 3, 12000 + 40000 + 150000 = 202000万.
    assert measure("signed_projects_100m", period=JAN_JUL_2022) == 3
    assert measure("signed_amount_100m_wan", period=JAN_JUL_2022) == Decimal(202000)
    before = rollup.signature()

    # 2022: 外资1000万美元以上 counts as 亿元以上 too; bands 1–3、3–10、10亿元以上. 2023: 5000万元 threshold.
    _rules(2022, foreign_threshold_usd_wan=Decimal(1000), band_edges="1,3,10")
    _rules(2023, threshold_wan=Decimal(5000))
    assert rollup.signature() != before
    for period in (JAN_JUL_2022, PART_2022):  # the summary and the records agree
        # A, B (1200万美元), D, E; not C (999.9999万美元): 4, 12000 + 8000 + 40000 + 150000 = 210000万.
        assert measure("signed_projects_100m", period=period) == 4
        assert measure("signed_amount_100m_wan", period=period) == Decimal(210000)
    # 2021 has no options: F (8000万, 1200万美元) is not 亿元以上, G (1亿 exactly) is → 1.
    assert measure("signed_projects_100m", period=YEAR_2021) == 1
    # 2023: H (6000万) reaches the 5000万元 threshold → 1.
    assert measure("signed_projects_100m", period=YEAR_2023) == 1
    # A period across the years judges each project by its own year: G + A, B, D, E + H = 6.
    across = periods.Period(D(2021, 1, 1), D(2023, 12, 31), "2021至2023年")
    assert measure("signed_projects_100m", period=across) == 6

    # 规模分档 of 2022 by its own bands: A 1–3亿, D 3–10亿, E 10亿元以上, B and C below 1亿.
    assert measure_breakdown("band", period=JAN_JUL_2022) == {
        "1–3亿元": 1,
        "3–10亿元": 1,
        "10亿元以上": 1,
        "1亿元以下": 2,
    }
    # 2021 by SPEC's bands: G 1–5亿, F below.
    assert measure_breakdown("band", period=YEAR_2021) == {"1–5亿元": 1, "1亿元以下": 1}
    assert rollup.verify() == []


def test_saving_options_is_audited_and_checked(units):
    rules = _rules(2022, band_edges="1，5, 20")
    assert rules.band_edges == "1,5,20"  # full-width commas and spaces tidied
    entry = AuditEntry.objects.get(model="metrics.countingrules", action="create")
    assert entry.after["band_edges"] == "1,5,20"
    with pytest.raises(ValidationError):
        _rules(2023, band_edges="5,1")
    with pytest.raises(ValidationError):
        _rules(2024, threshold_wan=Decimal(0))


def test_bureau_sets_options_on_the_page_and_the_definitions_page_lists_them(
    client_as, make_user, units, region_tree
):
    # The home region is 荆州市 (the smallest region holding every unit): its bureau sets the
    # options; a county bureau (荆州区) may not change how the whole city counts.
    county_bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)
    assert client_as(county_bureau).get("/metrics/options/").status_code == 403
    bureau = make_user(Role.BUREAU, region=region_tree.city)
    client = client_as(bureau)
    page = client.get("/metrics/?year=2022").content.decode()
    assert "亿元以上门槛" in page and "10000万元" in page and "不启用" in page
    response = client.post(
        "/metrics/options/?year=2022",
        {
            "threshold_wan": "10000",
            "foreign_threshold_usd_wan": "1000",
            "band_edges": "1,5,10,20",
            "date_basis": "event",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    rules = CountingRules.objects.get(year=2022)
    assert rules.foreign_threshold_usd_wan == Decimal(1000)
    page = client.get("/metrics/?year=2022").content.decode()
    assert "亿元以上或外资1000万美元以上" in page
    assert "1–5亿元、5–10亿元、10–20亿元、20亿元以上" in page
    # A stale second save is refused; a unit user may not set options.
    stale = client.post(
        "/metrics/options/?year=2022",
        {
            "threshold_wan": "5000",
            "band_edges": "1",
            "date_basis": "event",
            "version": rules.version - 1 or 0,
        },
        follow=True,
    )
    assert "已被他人修改" in stale.content.decode()
    assert CountingRules.objects.get(year=2022).threshold_wan == Decimal(10000)
    reporter = make_user(Role.REPORTER, unit=units.chuandian)
    assert client_as(reporter).get("/metrics/options/").status_code == 403


# --- 4. date basis ------------------------------------------------------------------------------------


def _month(year, month):
    return periods.Period(D(year, month, 1), periods.month_end(year, month), f"{year}年{month}月")


def test_signings_and_commencements_by_recognition_date(units):
    cd = units.chuandian
    signed(cd, 5000, D(2021, 12, 20), signing_recognised_on=D(2022, 1, 10))  # P1
    signed(cd, 5000, D(2022, 3, 1), signing_recognised_on=D(2022, 8, 5))  # P2
    signed(cd, 5000, D(2022, 2, 1), signing_recognised_on=D(2022, 2, 3))  # P3
    # P4: signed (and recognised) in 2021, commenced 1 April 2022, the commencement recognised 2 May.
    signed(
        cd,
        5000,
        D(2021, 6, 1),
        stage="commenced",
        commenced_on=D(2022, 4, 1),
        signing_recognised_on=D(2021, 6, 3),
        commencement_recognised_on=D(2022, 5, 2),
    )
    signed(cd, 5000, D(2022, 3, 9), review_status="submitted")  # P5: reported, not recognised yet

    def counts(code, basis="recognised"):
        return [measure(code, period=_month(2022, m), basis=basis) for m in (1, 2, 3, 4, 5, 8)]

    # By event date (SPEC §3): Jan 0, Feb P3, Mar P2, Apr 0, May 0, Aug 0; reported adds P5 in March.
    assert counts("signed_projects") == [0, 1, 1, 0, 0, 0]
    assert counts("signed_projects", "reported") == [0, 1, 2, 0, 0, 0]
    assert counts("commenced_projects") == [0, 0, 0, 1, 0, 0]

    _rules(2022, date_basis="recognised")
    # By recognition date: Jan P1, Feb P3, Mar 0, Aug P2; P5 is not recognised, so no date counts it.
    assert counts("signed_projects") == [1, 1, 0, 0, 0, 1]
    assert counts("signed_projects", "reported") == [1, 1, 0, 0, 0, 1]
    assert counts("commenced_projects") == [0, 0, 0, 0, 1, 0]
    # 2021 keeps its event dates: P1 (20 Dec) and P4 (1 Jun) signed then.
    assert measure("signed_projects", period=periods.year_to_date(2021, 12)) == 2
    assert measure_by_unit("signed_projects", period=periods.year_to_date(2022, 8))[cd.pk] == 3
    # The summary keeps event-dated cells (what it sums); these periods read the records.
    assert rollup.verify() == []
    page_rules = {o.name: o.value for o in options_in_force(2022)}
    assert page_rules["日期口径"] == "按局认定日期计入"


def _at(monkeypatch, day):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_recognition_days_are_set_once_by_the_workflow(units, make_user, monkeypatch):
    bureau = make_user(Role.BUREAU, region=units.chuandian.region.parent)
    project = signed(units.chuandian, 5000, D(2022, 3, 1), review_status="submitted")
    _at(monkeypatch, D(2022, 4, 6))
    record_transition(user=bureau, model=Project, pks=[project.pk], transition="recognise")
    project.refresh_from_db()
    assert (project.signing_recognised_on, project.commencement_recognised_on) == (D(2022, 4, 6), None)
    # Commenced later, submitted again and recognised: the signing keeps its day, the commencement
    # gets the new one.
    Project.objects.filter(pk=project.pk).update(
        stage="commenced", commenced_on=D(2022, 6, 1), review_status="submitted"
    )
    _at(monkeypatch, D(2022, 6, 20))
    record_transition(user=bureau, model=Project, pks=[project.pk], transition="recognise")
    project.refresh_from_db()
    assert (project.signing_recognised_on, project.commencement_recognised_on) == (
        D(2022, 4, 6),
        D(2022, 6, 20),
    )


# --- 5. eligibility (不予认定) --------------------------------------------------------------------------


def test_eligibility_rules_exclude_and_list_each_project_with_its_rule(
    units, region_tree, make_user, client_as
):
    cd = units.chuandian
    dept = UnitFactory(name="区商务局", kind="department", region=region_tree.jingzhou)
    p = {
        1: signed(cd, 20000, D(2022, 1, 20), name="P1"),
        2: signed(cd, 30000, D(2022, 2, 5), name="P2", is_local_investor=True),
        3: signed(cd, 15000, D(2022, 3, 5), name="P3", is_real_estate=True, is_later_phase=True),
        4: signed(cd, 8000, D(2022, 4, 5), name="P4"),
        5: signed(dept, 6000, D(2022, 4, 6), name="P5"),
        6: signed(dept, 4000, D(2022, 4, 7), name="P6"),
        7: signed(cd, 12000, D(2022, 5, 5), name="P7", is_public_infrastructure=True),
        8: signed(cd, 50000, D(2022, 6, 5), name="P8", kind="expansion", added_investment_wan=Decimal(9000)),
        9: signed(cd, 15000, D(2021, 6, 5), name="P9", is_real_estate=True),
    }
    FundsRecordFactory(project=p[1], month=D(2022, 5, 1), amount_wan=Decimal(500), review_status="recognised")
    FundsRecordFactory(
        project=p[2], month=D(2022, 5, 1), amount_wan=Decimal(1000), review_status="recognised"
    )
    assert measure("signed_projects", period=JAN_JUL_2022) == 8  # no rule yet: P1–P8

    _rules(
        2022,
        exclude_local_investors=True,
        exclude_real_estate=True,
        exclude_later_phases=True,
        min_project_wan=Decimal(10000),
        min_department_project_wan=Decimal(5000),
    )
    for period in (JAN_JUL_2022, PART_2022):
        # Counted: P1 (2亿), P5 (6000万, a department's ≥ 5000万), P7 (public infrastructure: rule off).
        assert measure("signed_projects", period=period) == 3
        assert measure("signed_amount_wan", period=period) == Decimal(38000)  # 20000 + 6000 + 12000
        assert measure("signed_projects_100m", period=period) == 2  # P1, P7
        assert measure("funds_wan", period=period) == Decimal(500)  # P2's 1000 leaves with P2
    assert measure("signed_projects", period=YEAR_2021) == 1  # 2021 has no rules: P9 counts
    assert rollup.verify() == []

    bureau = make_user(Role.BUREAU, region=region_tree.city)
    rows = {r.project.name: r.rules for r in ineligible_projects(user=bureau, year=2022)}
    size_rule = "计入投资额低于10000万元(区直、市直部门低于5000万元)的项目不予认定"
    assert rows == {
        "P2": ["投资方为本地区内企业或个人的项目不予认定"],
        "P3": ["房地产项目不予认定", "已签约合同的后续期(二期、三期等)不予认定"],
        "P4": [size_rule],
        "P6": [size_rule],
        "P8": [size_rule],  # an expansion is sized by its 新增投资 (9000万)
    }
    page = client_as(bureau).get("/metrics/excluded/?year=2022").content.decode()
    assert "P3" in page and "房地产项目不予认定;已签约合同的后续期" in page
    definitions = client_as(bureau).get("/metrics/?year=2022").content.decode()
    assert "启用4项" in definitions


# --- 6. credit: one project, one first introducer ------------------------------------------------------


@pytest.fixture
def people(units, region_tree, make_user):
    # As test_duplicates' fixture: the two towns' heads and the district bureau.
    return SimpleNamespace(
        chuandian=make_user(Role.UNIT_HEAD, unit=units.chuandian),
        mashan=make_user(Role.UNIT_HEAD, unit=units.mashan),
        bureau=make_user(Role.BUREAU, region=region_tree.jingzhou),
    )


def test_one_project_one_first_introducer(units, people, client_as):
    _rules(2022, first_introducer=True)
    a, b = report_twice(units, people, client_as)  # 川店镇 files (submits) first, then 马山镇
    candidate = DuplicateCandidate.objects.get()
    with pytest.raises(ValidationError) as refused:
        duplicate_resolve(user=people.bureau, candidate=candidate, same=True, keep=b)
    assert "应保留最先报送的“荆州LED二极管封装项目”(川店镇)" in refused.value.messages[0]
    duplicate_resolve(user=people.bureau, candidate=candidate, same=True)  # no choice needed
    candidate.refresh_from_db()
    b.refresh_from_db()
    assert candidate.kept == a and b.stage == "withdrawn"
    # One project, credited once, to the first introducer: 川店镇 1, 马山镇 0.
    assert measure("signed_projects", period=JAN_JUL_2022, unit=units.chuandian) == 1
    assert measure("signed_projects", period=JAN_JUL_2022, unit=units.mashan) == 0


def test_without_the_rule_the_bureau_chooses(units, people, client_as):
    _a, b = report_twice(units, people, client_as)
    candidate = DuplicateCandidate.objects.get()
    duplicate_resolve(user=people.bureau, candidate=candidate, same=True, keep=b)
    candidate.refresh_from_db()
    assert candidate.kept == b


# --- 6. credit split by ratio (引荐单位 and 落户地) -------------------------------------------------------


def test_credit_split_between_introducer_and_landing_unit(units, towns, region_tree):
    cd, ms, ch = units.chuandian, units.mashan, units.cenhe
    # 川店镇 introduced three projects: two land in 马山镇, one in 川店镇 itself; 岑河镇 one of its own.
    signed(cd, 20000, D(2022, 2, 1), landing_unit=ms)
    signed(cd, 5000, D(2022, 3, 1), landing_unit=ms)
    signed(cd, 30000, D(2022, 4, 1), landing_unit=cd)
    signed(ch, 10000, D(2022, 5, 1))
    signed(cd, 8000, D(2021, 5, 1), landing_unit=ms)  # 2021: no share set
    # Before any share: everything to the introducing unit.
    assert measure_by_unit("credited_signed_projects", period=JAN_JUL_2022) == {cd.pk: 3, ch.pk: 1}

    _rules(2022, landing_share=Decimal("0.6"))
    counts = measure_by_unit("credited_signed_projects", period=JAN_JUL_2022)
    # 川店镇: 0.4 + 0.4 + 1 = 1.8; 马山镇: 0.6 + 0.6 = 1.2; 岑河镇: 1.
    assert counts == {cd.pk: Decimal("1.8"), ms.pk: Decimal("1.2"), ch.pk: 1}
    amounts = measure_by_unit("credited_signed_amount_wan", period=JAN_JUL_2022)
    # 川店镇: 0.4 × 20000 + 0.4 × 5000 + 30000 = 40000; 马山镇: 0.6 × 25000 = 15000; 岑河镇 10000.
    assert amounts == {cd.pk: Decimal(40000), ms.pk: Decimal(15000), ch.pk: Decimal(10000)}
    # 亿元以上 only: the 2亿 (0.4 / 0.6), the 3亿 (川店镇), the 1亿 (岑河镇).
    big = measure_by_unit("credited_signed_projects_100m", period=JAN_JUL_2022)
    assert big == {cd.pk: Decimal("1.4"), ms.pk: Decimal("0.6"), ch.pk: 1}
    assert measure("credited_signed_projects", period=JAN_JUL_2022, unit=ms) == Decimal("1.2")
    # Both towns together: the shared projects count once.
    assert measure("credited_signed_projects", period=JAN_JUL_2022, units=[cd, ms]) == 3
    assert measure("credited_signed_projects", period=JAN_JUL_2022) == 4  # the whole region: 4 projects
    assert measure_by_unit("credited_signed_projects", period=YEAR_2021) == {cd.pk: 1}
    shown = {o.name: o.value for o in options_in_force(2022)}
    assert shown["按比例分成"] == "落户单位60%、引进单位40%"

    # In an assessment: 2 points per project credited.
    scheme = make_scheme(
        group=towns,
        region=region_tree.city,
        items=[per_item("credited_signed_projects", 2, kind=ItemKind.BASIC)],
    )
    lines = by_name(assessment_run(user=None, scheme=scheme, period="2022-07"))
    assert (lines["川店镇"].score, lines["马山镇"].score, lines["岑河镇"].score) == (
        Decimal("3.60"),  # 2 × 1.8
        Decimal("2.40"),  # 2 × 1.2
        Decimal("2.00"),
    )


def test_options_are_read_again_when_a_request_starts(units, client):
    _rules(2022, threshold_wan=Decimal(10000))
    assert options.rules_by_year()[2022].foreign_threshold_usd_wan is None
    # Another process changes the row (no signal reaches this one): kept until a request starts.
    CountingRules.objects.filter(year=2022).update(foreign_threshold_usd_wan=Decimal(1000))
    assert options.rules_by_year()[2022].foreign_threshold_usd_wan is None
    client.get("/accounts/login/")  # any request
    assert options.rules_by_year()[2022].foreign_threshold_usd_wan == Decimal(1000)


def test_a_unit_becoming_a_department_moves_its_projects_under_the_department_bound(units):
    cd = units.chuandian
    signed(cd, 6000, D(2022, 3, 1))  # 6000万: below 1亿 for a town, at least 5000万 for a department
    _rules(2022, min_project_wan=Decimal(10000), min_department_project_wan=Decimal(5000))
    assert measure("signed_projects", period=JAN_JUL_2022) == 0
    # Changed however it is (here a bare UPDATE): the summary's trigger marks the unit.
    Unit.objects.filter(pk=cd.pk).update(kind="department")
    assert measure("signed_projects", period=JAN_JUL_2022) == 1
    assert measure("signed_projects", period=JAN_JUL_2022, unit=cd) == 1
    assert rollup.verify() == []


def test_import_reads_the_landing_unit_and_the_eligibility_flags(units, tmp_path):
    path = write_xlsx(
        tmp_path / "projects.xlsx",
        [
            [
                "项目名称",
                "投资方",
                "引进单位",
                "总投资(万元)",
                "项目阶段",
                "签约日期",
                "落户单位",
                "房地产项目",
                "本地投资方",
            ],
            ["甲项目", "甲公司", "川店镇", 30000, "签约", "2022-07-03", "马山镇", "是", "否"],
        ],
    )
    status, _out, err = run_import("projects", str(path))
    assert status == 0, err
    project = Project.objects.get(name="甲项目")
    assert (project.landing_unit, project.is_real_estate, project.is_local_investor) == (
        units.mashan,
        True,
        False,
    )
    # Imported by the bureau (recognised): the signing's recognition day is the import's.
    assert project.signing_recognised_on == timezone.localdate()
