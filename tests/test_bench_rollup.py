"""The monthly summary table prototyped in ``zhaoshang.bench.rollup`` equals the metrics engine on the
records — per unit, per region subtree, per month and over a period — and still does after records
change and their cells are refreshed."""

import datetime
from decimal import Decimal

import pytest

from zhaoshang.activities.models import Activity
from zhaoshang.bench import rollup
from zhaoshang.demo.scale import ScaleSpec, build_scale
from zhaoshang.metrics import periods
from zhaoshang.metrics.engine import measure, measure_by_unit
from zhaoshang.organisation.models import Region, Unit
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db

SPEC = ScaleSpec(
    key="rolluptest",
    root_code="950000",
    root_name="汇总测试省",
    cities=2,
    counties_per_city=1,
    towns_per_county=3,
    units_per_county=8,
    projects=150,
    activities=1200,
    leads=200,
    enterprises=60,
    name_offset=28,
)
TODAY = datetime.date(2024, 5, 20)
FIRST = datetime.date(2023, 1, 1)
MONTHS = list(rollup._months(FIRST, TODAY))


@pytest.fixture
def table(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build_scale(SPEC, seed=3, today=TODAY, progress=None)
    rollup.build(FIRST, TODAY)
    yield
    rollup.drop_table()


def assert_equal_to_engine(months=MONTHS) -> None:
    root = Region.objects.get(code=SPEC.root_code)
    counties = list(Region.objects.filter(level="county", path__startswith=root.path))
    unit_ids = list(Unit.objects.filter(region__path__startswith=root.path).values_list("pk", flat=True))
    for basis in rollup.BASES:
        for month in months:
            period = periods.month(month.year, month.month)
            table = rollup.read_by_month(codes=rollup.CODES, period=period, basis=basis, region=root)
            for code in rollup.CODES:
                expected = measure(code, period=period, basis=basis, region=root)
                assert table[code].get(month, Decimal(0)) == expected, (code, basis, month)
                by_unit = {k: v for k, v in measure_by_unit(code, period=period, basis=basis).items() if v}
                got = {
                    k: v
                    for k, v in rollup.read_by_unit(
                        code=code, period=period, basis=basis, unit_ids=unit_ids
                    ).items()
                    if v
                }
                assert got == by_unit, (code, basis, month)
        # a longer period (year to date) and a county's subtree
        ytd = periods.year_to_date(TODAY.year, TODAY.month)
        for county in counties:
            table = rollup.read_by_month(codes=rollup.CODES, period=ytd, basis=basis, region=county)
            for code in rollup.CODES:
                assert sum(table[code].values(), Decimal(0)) == measure(
                    code, period=ytd, basis=basis, region=county
                )


def test_table_equals_the_engine(table):
    assert_equal_to_engine()


def test_refreshed_cells_follow_record_changes(table):
    # A project's signing moves to another month and it changes hands; an activity is withdrawn
    # from recognition; its partner units' cells must follow too.
    project = Project.objects.filter(
        signed_on__gte=datetime.date(2024, 1, 1), review_status="recognised"
    ).first()
    other = (
        Unit.objects.exclude(pk=project.introducing_unit_id)
        .filter(region__path__startswith="/950000/")
        .first()
    )
    before_units = {project.introducing_unit_id}
    # Every month the project counts in: its stage dates and its funds in place.
    before_months = {
        d.replace(day=1) for d in (project.signed_on, project.commenced_on, project.in_production_on) if d
    }
    before_months |= set(project.funds.values_list("month", flat=True))
    project.signed_on = datetime.date(2023, 3, 15)
    project.negotiated_on = min(project.negotiated_on, project.signed_on)
    project.introducing_unit = other
    project.region = other.region
    project.save()
    rollup.refresh_cells(
        codes=rollup.CODES,
        months=before_months | {datetime.date(2023, 3, 1)},
        unit_ids=before_units | {other.pk},
    )

    activity = (
        Activity.objects.filter(review_status="recognised", started_on__gte=datetime.date(2023, 1, 1))
        .exclude(partner_units=None)
        .first()
        or Activity.objects.filter(review_status="recognised", started_on__gte=FIRST).first()
    )
    partners = list(activity.partner_units.values_list("pk", flat=True))
    Activity.objects.filter(pk=activity.pk).update(review_status="returned")
    months = {activity.started_on.replace(day=1)}
    if activity.ended_on:
        months.add(activity.ended_on.replace(day=1))
    rollup.refresh_cells(codes=rollup.CODES, months=months, unit_ids=[activity.unit_id, *partners])

    assert_equal_to_engine()
