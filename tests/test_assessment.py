"""The assessment (SPEC §2 考核办法, §3 "Assessment periods", §5 ``zhaoshang assess``), each checked
against figures computed by hand from small fixtures.

The towns group holds 川店镇, 马山镇 (荆州区) and 岑河镇 (沙市区); schemes of the towns group belong to
荆州市 so all three are ranked. July's 序时进度 is 7/12.
"""

import datetime
import io
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from factories import LeadFactory, ProjectFactory, TargetFactory, UnitFactory
from zhaoshang.assessment import scoring
from zhaoshang.assessment.choices import FindingKind, ItemKind, RunStatus, ScoringRule, VetoRule
from zhaoshang.assessment.defaults import create_default_schemes
from zhaoshang.assessment.models import Finding, ResultLine, Run, Scheme, SchemeItem
from zhaoshang.assessment.periods import parse
from zhaoshang.assessment.services import assessment_compute, assessment_publish, assessment_run
from zhaoshang.audit.models import AuditEntry
from zhaoshang.organisation.choices import RegionLevel
from zhaoshang.organisation.models import AssessmentGroup, Region

pytestmark = pytest.mark.django_db
D = datetime.date


def signed(unit, amount_wan, on, *, region=None, review_status="recognised", **kw):
    return ProjectFactory(
        introducing_unit=unit,
        region=region or unit.region,
        total_investment_wan=Decimal(amount_wan),
        stage=kw.pop("stage", "signed"),
        signed_on=on,
        review_status=review_status,
        **kw,
    )


def make_scheme(*, group, region, items, year=2022, **fields):
    scheme = Scheme.objects.create(
        year=year, name=f"{group or region}考核办法", region=region, assessment_group=group, **fields
    )
    for order, spec in enumerate(items):
        SchemeItem.objects.create(scheme=scheme, order=order, **spec)
    return scheme


def completion(code, weight, cap="1.2", **kw):
    return {
        "indicator": code,
        "rule": ScoringRule.COMPLETION,
        "weight": Decimal(weight),
        "cap": cap and Decimal(cap),
        **kw,
    }


def per_item(code, points, kind=ItemKind.BONUS, **kw):
    return {
        "indicator": code,
        "rule": ScoringRule.PER_ITEM,
        "points_per_item": Decimal(points),
        "kind": kind,
        **kw,
    }


def ranking(run):
    return [(line.name, line.score, line.rank) for line in run.lines.order_by("position")]


def by_name(run):
    return {line.name: line for line in run.lines.all()}


@pytest.fixture
def towns(units):
    return units.chuandian.assessment_group


# --- arithmetic -----------------------------------------------------------------------------------


def test_competition_ranking_shares_and_skips():
    assert scoring.competition_ranks([-30, -20, -20, -10]) == [1, 2, 2, 4]
    assert scoring.competition_ranks([-5, -5, -5]) == [1, 1, 1]
    assert scoring.competition_ranks([(False, -10), (True, -99), (False, -10), (False, -3)]) == [1, 4, 1, 3]


def test_half_up_on_exact_fractions():
    assert scoring.half_up(Fraction(1, 8)) == Decimal("0.13")  # banker's rounding would give 0.12
    assert scoring.half_up(Fraction(-1, 8)) == Decimal("-0.13")
    assert scoring.half_up(Fraction(150, 7)) == Decimal("21.43")
    # 序时进度 as Period computes it (Decimal 7/12, rounded at 28 digits) is recovered exactly.
    assert scoring.exact_progress(parse("2022-07").time_progress()) == Fraction(7, 12)
    assert scoring.exact_progress(parse("2022-07").time_progress(by_days=True)) == Fraction(212, 365)


def test_item_rules_by_hand():
    item = SimpleNamespace(
        pk=1,
        display_name="签约项目",
        indicator="signed_projects",
        kind=ItemKind.BASIC,
        rule=ScoringRule.COMPLETION,
        weight=Decimal(1),
        cap=None,
        step=None,
        points_per_item=None,
        veto=VetoRule.NONE,
    )
    # 1 × (1/8 ÷ 1) = 0.125 → 0.13 half-up
    entry = scoring.score_item(
        item, value=Decimal(1), target=Decimal(8), progress=Fraction(1), rank=None, year_end=True
    )
    assert entry["points"] == "0.13"
    item.weight, item.cap = Decimal(30), Decimal("1.2")
    # 30 × min((10/12) ÷ (7/12), 1.2) = 30 × 1.2 = 36
    entry = scoring.score_item(
        item, value=Decimal(10), target=Decimal(12), progress=Fraction(7, 12), rank=None, year_end=False
    )
    assert (entry["points"], entry["capped"]) == ("36", True)
    entry = scoring.score_item(
        item, value=Decimal(10), target=None, progress=Fraction(7, 12), rank=None, year_end=False
    )
    assert (entry["points"], entry["no_target"]) == ("0", True)


def test_periods_parse_and_previous():
    july = parse("2022-7")
    assert (july.code, july.kind, july.window.start, july.window.end) == (
        "2022-07",
        "month",
        D(2022, 1, 1),
        D(2022, 7, 31),
    )
    assert (july.period.start, july.previous_code()) == (D(2022, 7, 1), "2022-06")
    q2 = parse("2022-q2")
    assert (q2.window.start, q2.window.end, q2.previous_code()) == (D(2022, 1, 1), D(2022, 6, 30), "2022-Q1")
    assert parse("2022-Q1").previous_code() == "2021-Q4"
    assert parse("2022-H1").previous_code() == "2021-H2"
    assert parse("2022-01").previous_code() == "2021-12"
    assert parse("2022").window.end == D(2022, 12, 31)
    for bad in ["2022-13", "2022-Q5", "22-07", "2022/07", ""]:
        with pytest.raises(ValueError, match="期间格式"):
            parse(bad)


# --- capped completion against 序时进度 -----------------------------------------------------------


@pytest.fixture
def july_world(units, region_tree, towns):
    """Targets: 12 signed projects and 10 leads a year for each town.

    川店镇 10 signed, 7 leads; 马山镇 5 signed, 3 leads; 岑河镇 7 signed, no lead (Jan–Jul). Noise that
    must not count: a signing in August, one in 2021, a draft, a withdrawn project, a lead in August.
    """
    cd, ms, ch = units.chuandian, units.mashan, units.cenhe
    for unit, n_signed, n_leads in [(cd, 10, 7), (ms, 5, 3), (ch, 7, 0)]:
        TargetFactory(unit=unit, indicator="signed_projects", value=Decimal(12))
        TargetFactory(unit=unit, indicator="leads", value=Decimal(10))
        for i in range(n_signed):
            signed(unit, 5000, D(2022, 1 + i % 7, 10))
        for i in range(n_leads):
            LeadFactory(unit=unit, reported_on=D(2022, 1 + i % 7, 5), review_status="recognised")
    signed(cd, 5000, D(2022, 8, 1))
    signed(cd, 5000, D(2021, 7, 1))
    signed(ms, 5000, D(2022, 3, 1), review_status="draft")
    signed(ms, 5000, D(2022, 3, 1), stage="withdrawn", end_reason="重复报送")
    LeadFactory(unit=ms, reported_on=D(2022, 8, 5), review_status="recognised")
    scheme = make_scheme(
        group=towns,
        region=region_tree.city,
        items=[completion("signed_projects", 30), completion("leads", 20)],
    )
    return SimpleNamespace(scheme=scheme, cd=cd, ms=ms, ch=ch)


def test_capped_completion_score_by_hand(july_world):
    run = assessment_run(user=None, scheme=july_world.scheme, period="2022-07")
    # 川店镇: 30 × min((10/12)/(7/12), 1.2) = 36;  20 × min((7/10)/(7/12), 1.2) = 20 × 1.2 = 24 → 60
    # 马山镇: 30 × (5/12)/(7/12) = 21.43;  20 × (3/10)/(7/12) = 10.29 → 31.72
    # 岑河镇: 30 × (7/12)/(7/12) = 30;  0 leads → 0 → 30
    assert ranking(run) == [
        ("川店镇", Decimal("60.00"), 1),
        ("马山镇", Decimal("31.72"), 2),
        ("岑河镇", Decimal("30.00"), 3),
    ]
    lines = by_name(run)
    signed_entry = lines["川店镇"].explanation[0]
    assert signed_entry["value"] == "10" and signed_entry["target"] == "12"
    assert signed_entry["capped"] is True and signed_entry["points"] == "36"
    assert lines["马山镇"].explanation[1]["points"] == "10.29"
    # The lines of the explanation add up to the score.
    for line in run.lines.all():
        assert sum(Decimal(e["points"]) for e in line.explanation) == line.score
    assert run.time_progress == Decimal("0.5833333333")
    assert lines["岑河镇"].is_bottom and not lines["马山镇"].is_bottom
    assert AuditEntry.objects.filter(model="assessment.run", object_id=str(run.pk), action="create").exists()


def test_quarter_uses_year_to_date_against_annual_target(july_world):
    # Jan–Jun: 川店镇 signed in months 1..7 cycling: 10 projects → months 1,2,3,4,5,6,7,1,2,3 → 9 by June.
    run = assessment_run(user=None, scheme=july_world.scheme, period="2022-Q2")
    entry = by_name(run)["川店镇"].explanation[0]
    assert (entry["value"], entry["time_progress"]) == ("9", "0.5")
    # 30 × min((9/12)/(6/12), 1.2) = 30 × 1.2 = 36
    assert entry["points"] == "36"


def test_reported_basis_counts_submitted_and_excludes_drafts(july_world):
    ProjectFactory(
        introducing_unit=july_world.ms, stage="signed", signed_on=D(2022, 4, 1), review_status="submitted"
    )
    recognised = by_name(assessment_run(user=None, scheme=july_world.scheme, period="2022-07"))
    reported = by_name(
        assessment_run(user=None, scheme=july_world.scheme, period="2022-07", basis="reported")
    )
    assert recognised["马山镇"].explanation[0]["value"] == "5"
    assert reported["马山镇"].explanation[0]["value"] == "6"  # the draft still does not count


# --- ties, rank points, veto, bonus and deductions ------------------------------------------------


@pytest.fixture
def four_towns(units, towns, region_tree):
    fourth = UnitFactory(name="观音垱镇", region=region_tree.shashi, assessment_group=towns, order=9)
    return [units.chuandian, units.mashan, units.cenhe, fourth]


def test_ties_share_a_rank_and_skip_the_next(four_towns, towns, region_tree):
    a, b, c, d = four_towns
    for unit, n in [(a, 3), (b, 2), (c, 2), (d, 1)]:
        for i in range(n):
            signed(unit, 5000, D(2022, 2, 1 + i))
    for unit, n in [(a, 5), (b, 3), (c, 3)]:
        for _ in range(n):
            LeadFactory(unit=unit, reported_on=D(2022, 3, 1), review_status="recognised")
    scheme = make_scheme(
        group=towns,
        region=region_tree.city,
        items=[
            per_item("signed_projects", 10, kind=ItemKind.BASIC),
            {
                "indicator": "leads",
                "rule": ScoringRule.RANK_POINTS,
                "weight": Decimal(10),
                "step": Decimal(2),
            },
        ],
    )
    run = assessment_run(user=None, scheme=scheme, period="2022-07")
    # signed: 30, 20, 20, 10; leads ranked 1, 2, 2, 4 → 10, 8, 8, and 0 for nothing done.
    assert ranking(run) == [
        ("川店镇", Decimal("40.00"), 1),
        ("马山镇", Decimal("28.00"), 2),
        ("岑河镇", Decimal("28.00"), 2),
        ("观音垱镇", Decimal("10.00"), 4),
    ]
    leads_entry = by_name(run)["岑河镇"].explanation[1]
    assert (leads_entry["rank"], leads_entry["points"]) == (2, "8")
    assert [line.is_bottom for line in run.lines.order_by("position")] == [False, False, False, True]


def test_everyone_equal_means_no_bottom(four_towns, towns, region_tree):
    scheme = make_scheme(group=towns, region=region_tree.city, items=[per_item("signed_projects", 10)])
    run = assessment_run(user=None, scheme=scheme, period="2022-07")
    assert {line.rank for line in run.lines.all()} == {1}
    assert not run.lines.filter(is_bottom=True).exists()


def test_veto_ranks_after_everyone_and_deducts(july_world):
    SchemeItem.objects.create(
        scheme=july_world.scheme,
        order=9,
        **per_item("falsified_projects", 5, kind=ItemKind.DEDUCTION, veto=VetoRule.OCCURRED),
    )
    falsified = signed(july_world.cd, 5000, D(2022, 6, 1))
    Finding.objects.create(
        unit=july_world.cd,
        kind=FindingKind.FALSIFIED,
        project=falsified,
        found_on=D(2022, 7, 20),
        description="虚报签约",
    )
    # A finding in August does not count for July.
    Finding.objects.create(
        unit=july_world.ms, kind=FindingKind.FALSIFIED, found_on=D(2022, 8, 2), description="x"
    )
    run = assessment_run(user=None, scheme=july_world.scheme, period="2022-07")
    # 川店镇 now 11 signed: still capped at 36, + 24 − 5 = 55, the best score, but vetoed: last.
    assert ranking(run) == [
        ("马山镇", Decimal("31.72"), 1),
        ("岑河镇", Decimal("30.00"), 2),
        ("川店镇", Decimal("55.00"), 3),
    ]
    cd = by_name(run)["川店镇"]
    assert cd.vetoed and cd.is_bottom
    assert [e["name"] for e in cd.explanation if e["veto"]] == ["弄虚作假项目"]
    assert not by_name(run)["马山镇"].vetoed


def test_target_missed_veto_only_at_year_end(july_world):
    SchemeItem.objects.filter(scheme=july_world.scheme, indicator="signed_projects").update(
        veto=VetoRule.TARGET_MISSED
    )
    july = by_name(assessment_run(user=None, scheme=july_world.scheme, period="2022-07"))
    assert not any(line.vetoed for line in july.values())
    year = by_name(assessment_run(user=None, scheme=july_world.scheme, period="2022"))
    # Whole year: 川店镇 11 (incl. August) of 12, 马山镇 5, 岑河镇 7 — all missed the target of 12.
    assert all(line.vetoed for line in year.values())


def test_bonus_and_deduction_items_by_hand(units, towns, region_tree):
    cd, ms = units.chuandian, units.mashan
    signed(cd, 150000, D(2022, 3, 1))  # 15亿: a 10亿元以上 project
    signed(cd, 100000, D(2022, 4, 1))  # 10亿 exactly: "以上" includes 10亿
    # An expansion of 20亿 adding 5亿 counts its added investment: not a 10亿元以上 project.
    signed(cd, 200000, D(2022, 5, 1), kind="expansion", added_investment_wan=Decimal(50000))
    signed(ms, 99999, D(2022, 5, 1))  # just under 10亿
    # Past their agreed start date (by 31 July): never commenced, commenced late → both count.
    signed(ms, 5000, D(2022, 1, 5), agreed_start_on=D(2022, 3, 1))
    signed(
        ms, 5000, D(2022, 1, 5), agreed_start_on=D(2022, 4, 1), stage="commenced", commenced_on=D(2022, 5, 1)
    )
    signed(ms, 5000, D(2022, 1, 5), agreed_start_on=D(2022, 5, 1))
    # Not counted: commenced on time; agreed date still ahead; withdrawn.
    signed(
        ms, 5000, D(2022, 1, 5), agreed_start_on=D(2022, 3, 1), stage="commenced", commenced_on=D(2022, 3, 1)
    )
    signed(ms, 5000, D(2022, 1, 5), agreed_start_on=D(2022, 9, 1))
    signed(ms, 5000, D(2022, 1, 5), agreed_start_on=D(2022, 3, 1), stage="withdrawn", end_reason="退库")
    scheme = make_scheme(
        group=towns,
        region=region_tree.city,
        items=[
            per_item("signed_projects_1b", 2),
            per_item("overdue_start_projects", 1, kind=ItemKind.DEDUCTION, weight=Decimal(2)),
        ],
    )
    lines = by_name(assessment_run(user=None, scheme=scheme, period="2022-07"))
    # 川店镇: 2 × 2 = +4.  马山镇: 0 bonus; 3 overdue × 1 = 3, capped at 2 → −2.
    assert lines["川店镇"].score == Decimal("4.00")
    assert lines["马山镇"].score == Decimal("-2.00")
    assert (lines["马山镇"].explanation[1]["value"], lines["马山镇"].explanation[1]["capped"]) == ("3", True)
    assert [(n, line.rank) for n, line in sorted(lines.items(), key=lambda kv: kv[1].rank)] == [
        ("川店镇", 1),
        ("岑河镇", 2),
        ("马山镇", 3),
    ]


# --- frozen results, identical re-runs ------------------------------------------------------------


def test_rerun_of_a_draft_gives_identical_numbers(july_world):
    fields = [
        "name",
        "score",
        "rank",
        "vetoed",
        "is_bottom",
        "signing_rank",
        "signed_amount_wan",
        "explanation",
    ]

    def snapshot(run):
        return list(run.lines.order_by("position").values_list(*fields))

    first = assessment_run(user=None, scheme=july_world.scheme, period="2022-07")
    before = snapshot(first)
    again = assessment_run(user=None, scheme=july_world.scheme, period="2022-07")
    assert again.pk == first.pk
    assert snapshot(again) == before
    assert Run.objects.count() == 1 and ResultLine.objects.count() == 3


def test_published_result_survives_an_edit_of_a_record(july_world):
    run = assessment_run(user=None, scheme=july_world.scheme, period="2022-07", publish=True)
    frozen = ranking(run)
    assert run.status == RunStatus.PUBLISHED and run.published_at
    # Edits after publication: 岑河镇 signs five more, a 川店镇 project is withdrawn.
    for _ in range(5):
        signed(july_world.ch, 5000, D(2022, 7, 1))
    project = july_world.cd.projects.filter(signed_on__year=2022).first()
    project.stage, project.end_reason = "withdrawn", "退库"
    project.save()
    run.refresh_from_db()
    assert ranking(run) == frozen
    with pytest.raises(ValidationError, match=r"已.*发布,不能重新计算"):
        assessment_run(user=None, scheme=july_world.scheme, period="2022-07")
    with pytest.raises(ValidationError, match=r"已.*发布"):
        assessment_run(user=None, scheme=july_world.scheme, period="2022-07", basis="reported")
    assert ranking(Run.objects.get(pk=run.pk)) == frozen
    # A later period sees the edits.
    august = by_name(assessment_run(user=None, scheme=july_world.scheme, period="2022-08"))
    assert august["岑河镇"].explanation[0]["value"] == "12"


def test_publishing_a_draft_freezes_it_as_computed(july_world):
    draft = assessment_run(user=None, scheme=july_world.scheme, period="2022-07")
    shown = ranking(draft)
    signed(july_world.ch, 5000, D(2022, 7, 1))
    published = assessment_publish(user=None, run=draft)
    assert published.status == RunStatus.PUBLISHED and ranking(published) == shown
    with pytest.raises(ValidationError):
        assessment_publish(user=None, run=published)


def test_one_published_run_per_scheme_and_period_in_the_database(july_world):
    run = assessment_run(user=None, scheme=july_world.scheme, period="2022-07", publish=True)
    other = Run(
        scheme=run.scheme,
        period_code=run.period_code,
        period_kind=run.period_kind,
        period_label="x",
        window_label="x",
        starts_on=run.starts_on,
        ends_on=run.ends_on,
        period_starts_on=run.period_starts_on,
        time_progress=run.time_progress,
        basis="reported",
        status=RunStatus.PUBLISHED,
        computed_at=run.computed_at,
        published_at=run.computed_at,
    )
    with pytest.raises(ValidationError, match="已有发布的考核结果"):
        other.validate_constraints()
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_one_scheme_per_year_and_group(july_world, towns, region_tree):
    duplicate = Scheme(year=2022, name="重复", region=region_tree.city, assessment_group=towns)
    with pytest.raises(ValidationError, match="该考核组别该年度已有考核办法"):
        duplicate.validate_constraints()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    item = SchemeItem(scheme=july_world.scheme, indicator="leads", rule=ScoringRule.COMPLETION)
    with pytest.raises(ValidationError, match="必须填写分值"):
        item.validate_constraints()


# --- bottom flags, 龙虎榜 -------------------------------------------------------------------------


def test_consecutive_bottom_across_published_periods(july_world):
    scheme = july_world.scheme
    june = assessment_run(user=None, scheme=scheme, period="2022-06", publish=True)
    assert by_name(june)["岑河镇"].is_bottom and by_name(june)["岑河镇"].bottom_streak == 1
    july = by_name(assessment_run(user=None, scheme=scheme, period="2022-07"))
    assert july["岑河镇"].consecutive_bottom and july["岑河镇"].bottom_streak == 2
    assert not july["马山镇"].consecutive_bottom


def test_signing_leaderboard_counts_the_period_itself(units, towns, region_tree):
    cd, ms = units.chuandian, units.mashan
    signed(cd, 500000, D(2022, 3, 1))  # earlier in the year: not July's 龙虎榜
    signed(cd, 10000, D(2022, 7, 2))
    signed(cd, 20000, D(2022, 7, 3))
    signed(ms, 50000, D(2022, 7, 4))
    scheme = make_scheme(group=towns, region=region_tree.city, items=[per_item("signed_projects", 1)])
    lines = by_name(assessment_run(user=None, scheme=scheme, period="2022-07"))
    assert (lines["马山镇"].signing_rank, lines["马山镇"].signed_amount_wan) == (1, Decimal(50000))
    assert (lines["川店镇"].signing_rank, lines["川店镇"].signed_projects) == (2, 2)
    assert lines["川店镇"].signed_amount_wan == Decimal(30000)
    assert lines["岑河镇"].signing_rank == 3


# --- regions: a city ranks its counties (seed 003) -------------------------------------------------


def test_city_ranks_its_counties(units, region_tree):
    city, shashi, jingzhou = region_tree.city, region_tree.shashi, region_tree.jingzhou
    town = Region.objects.create(code="421003101", name="川店镇", level=RegionLevel.TOWN, parent=jingzhou)
    # 荆州区: 3 亿元以上 projects (one landing in a town of the county), 沙市区: 2; one below 1亿.
    signed(units.chuandian, 10000, D(2022, 2, 1))
    signed(units.chuandian, 30000, D(2022, 3, 1), region=town)
    signed(units.mashan, 150000, D(2022, 7, 1))
    signed(units.cenhe, 20000, D(2022, 4, 1))
    signed(units.cenhe, 20000, D(2022, 5, 1))
    signed(units.cenhe, 9999, D(2022, 5, 1))
    for county, target in [(jingzhou, 8), (shashi, 3)]:
        TargetFactory(unit=None, region=county, indicator="signed_projects_100m", value=Decimal(target))
    scheme = make_scheme(
        group=None,
        region=city,
        items=[completion("signed_projects_100m", 40, cap=None), per_item("signed_projects_1b", 2)],
    )
    run = assessment_run(user=None, scheme=scheme, period="2022-07")
    # 沙市区: 40 × (2/3)/(7/12) = 45.71 (no cap);  荆州区: 40 × (3/8)/(7/12) = 25.71 + 2 (one 15亿) = 27.71
    assert ranking(run) == [("沙市区", Decimal("45.71"), 1), ("荆州区", Decimal("27.71"), 2)]
    lines = by_name(run)
    assert lines["荆州区"].region_id == jingzhou.pk and lines["荆州区"].unit_id is None
    # July's 龙虎榜 of counties: 荆州区 15亿 signed in July, 沙市区 nothing.
    assert (lines["荆州区"].signing_rank, lines["荆州区"].signed_amount_wan) == (1, Decimal(150000))
    assert lines["沙市区"].signing_rank == 2


# --- a fixed number of queries whatever the number of units ---------------------------------------


def _group_with_units(n, region, name):
    group = AssessmentGroup.objects.create(name=name)
    units = [UnitFactory(name=f"{name}{i}", region=region, assessment_group=group) for i in range(n)]
    for i, unit in enumerate(units):
        signed(unit, 10000 * (i + 1), D(2022, 1 + i % 7, 1))
        LeadFactory(unit=unit, reported_on=D(2022, 2, 1), review_status="recognised")
        TargetFactory(unit=unit, indicator="signed_projects_100m", value=Decimal(3))
    items = [
        completion("signed_projects_100m", 30),
        completion("signed_amount_100m_wan", 20),
        completion("commenced_projects", 15),
        completion("funds_wan", 15),
        completion("leads", 10),
        completion("trips", 10),
        {"indicator": "visits", "rule": ScoringRule.RANK_POINTS, "weight": Decimal(5), "step": Decimal(1)},
        per_item("signed_projects_1b", 2),
        per_item("overdue_start_projects", 1, kind=ItemKind.DEDUCTION),
        per_item("falsified_projects", 5, kind=ItemKind.DEDUCTION, veto=VetoRule.OCCURRED),
    ]
    return make_scheme(group=group, region=region, items=items)


def test_queries_do_not_grow_with_the_number_of_units(region_tree, django_assert_max_num_queries):
    small = _group_with_units(5, region_tree.jingzhou, "五单位组")
    large = _group_with_units(40, region_tree.jingzhou, "四十单位组")
    with CaptureQueriesContext(connection) as small_queries:
        run = assessment_run(user=None, scheme=Scheme.objects.get(pk=small.pk), period="2022-07")
    assert run.lines.count() == 5
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        run = assessment_run(user=None, scheme=Scheme.objects.get(pk=large.pk), period="2022-07")
    assert run.lines.count() == 40
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        assessment_compute(scheme=Scheme.objects.get(pk=large.pk), period=parse("2022-07"))


# --- default schemes ------------------------------------------------------------------------------


def test_default_schemes_follow_seed_000(units, region_tree):
    created = create_default_schemes(year=2022, region=region_tree.city)
    names = sorted(str(s) for s in created)
    assert names == [
        "2022年产业招商专班招商引资考核办法",
        "2022年任务单位招商引资考核办法",
        "2022年荆州市招商引资考核(县市区排名)",
    ]
    towns = Scheme.objects.get(year=2022, assessment_group__name="任务单位")
    basic = towns.items.filter(kind=ItemKind.BASIC)
    assert sum(i.weight for i in basic) == 100
    assert towns.items.get(indicator="signed_projects_100m").weight == 30
    bonus = towns.items.get(kind=ItemKind.BONUS)
    assert (bonus.indicator, bonus.points_per_item) == ("signed_projects_1b", 2)
    forces = Scheme.objects.get(year=2022, assessment_group__name="产业招商专班")
    assert forces.items.filter(indicator="days_away").exists()
    assert create_default_schemes(year=2022, region=region_tree.city) == []  # idempotent


# --- the command ----------------------------------------------------------------------------------


def test_assess_command_prints_the_ranking_and_publishes(july_world):
    out = io.StringIO()
    call_command("assess", "--period", "2022-07", stdout=out)
    text = out.getvalue()
    assert "排名" in text and "单位" in text and "得分" in text
    assert text.index("川店镇") < text.index("马山镇") < text.index("岑河镇")
    assert "60" in text and "31.72" in text and "末位" in text
    assert Run.objects.get().status == RunStatus.DRAFT
    call_command("assess", "--period", "2022-07", "--publish", stdout=io.StringIO())
    run = Run.objects.get()
    assert run.status == RunStatus.PUBLISHED
    frozen = ranking(run)
    signed(july_world.ch, 5000, D(2022, 7, 1))
    err = io.StringIO()
    call_command("assess", "--period", "2022-07", "--publish", stdout=io.StringIO(), stderr=err)
    assert "已发布" in err.getvalue()
    assert ranking(Run.objects.get()) == frozen


def test_assess_command_errors_in_chinese(july_world):
    with pytest.raises(CommandError, match="期间格式"):
        call_command("assess", "--period", "2022-13")
    with pytest.raises(CommandError, match="2030年没有考核办法"):
        call_command("assess", "--period", "2030-07")
    Scheme.objects.update(monthly=False)
    with pytest.raises(CommandError, match="没有开展月考核"):
        call_command("assess", "--period", "2022-07")


def test_a_draft_on_the_other_basis_cannot_be_published_once_one_is(july_world):
    reported = assessment_run(user=None, scheme=july_world.scheme, period="2022-07", basis="reported")
    assessment_run(user=None, scheme=july_world.scheme, period="2022-07", publish=True)
    with pytest.raises(ValidationError, match="已于"):
        assessment_publish(user=None, run=reported)
    assert Run.objects.get(pk=reported.pk).status == RunStatus.DRAFT
