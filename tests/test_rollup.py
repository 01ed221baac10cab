"""The monthly summary (``metrics.rollup``): figures read from it equal figures counted by hand and
counted from the records, and stay so whatever path changes the records — a model save, a
``QuerySet.update`` that no Python hook sees, a delete, a joint activity's partners, a unit moved
to another region — because the database's own triggers mark what changed."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Sum
from django.test import override_settings

from factories import ActivityFactory, FundsRecordFactory, LeadFactory, ProjectFactory
from zhaoshang.activities.models import Activity
from zhaoshang.metrics import periods, rollup
from zhaoshang.metrics.engine import measure, measure_breakdown, measure_by_month, measure_by_unit
from zhaoshang.metrics.models import MonthlyFigure, RollupMark
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db
D = datetime.date
MARCH = periods.month(2022, 3)
Q1 = periods.from_to("2022-01", "2022-03", None)


def live(fn, *args, **kwargs):
    """The same figure counted from the records, the summary switched off."""
    with override_settings(ZHAOSHANG_ROLLUP=False):
        return fn(*args, **kwargs)


@pytest.fixture
def records(units):
    def project(unit, amount, on, **kw):
        return ProjectFactory(
            introducing_unit=unit,
            total_investment_wan=Decimal(amount),
            stage="signed",
            signed_on=on,
            review_status=kw.pop("review_status", "recognised"),
            **kw,
        )

    made = {
        "a": project(units.chuandian, 150000, D(2022, 3, 5)),  # 15亿 in March
        "b": project(units.chuandian, 20000, D(2022, 3, 20)),  # 2亿 in March
        "c": project(units.mashan, 8000, D(2022, 2, 1)),  # below 1亿, February
        "d": project(units.cenhe, 60000, D(2022, 3, 9), review_status="submitted"),  # reported only
    }
    for project, amount in ((made["a"], "1234.5678"), (made["b"], "0.0322")):
        FundsRecordFactory(
            project=project, month=D(2022, 3, 1), amount_wan=Decimal(amount), review_status="recognised"
        )
    for unit in (units.chuandian, units.chuandian, units.mashan):
        LeadFactory(unit=unit, reported_on=D(2022, 3, 2), review_status="recognised")
    # A joint trip of 川店镇 with 马山镇 (counts once for the region, once for each unit), and a
    # trip from 30 January to 2 February: 2 days away in each month.
    joint = ActivityFactory(unit=units.chuandian, started_on=D(2022, 3, 10), review_status="recognised")
    joint.partner_units.add(units.mashan)
    made["long"] = ActivityFactory(
        unit=units.mashan, started_on=D(2022, 1, 30), ended_on=D(2022, 2, 2), review_status="recognised"
    )
    made["joint"] = joint
    return made


def test_figures_by_hand(records, units, region_tree):
    jingzhou = region_tree.jingzhou
    assert measure("signed_projects_100m", period=MARCH, region=jingzhou) == 2
    assert measure("signed_amount_wan", period=MARCH, region=jingzhou) == 170000
    assert measure("signed_amount_wan", period=MARCH, region=region_tree.province) == 170000
    assert measure("signed_amount_wan", period=MARCH, basis="reported", region=region_tree.province) == 230000
    assert measure("signed_projects_1b", period=Q1) == 1
    assert measure("signed_projects", period=Q1, unit=units.mashan) == 1
    # 1234.5678 + 0.0322 = 1234.6 exactly (SQLite sums in floating point; the summary gives it back exact)
    assert measure("funds_wan", period=MARCH, region=jingzhou) == Decimal("1234.6")
    assert measure("leads", period=MARCH, unit=units.chuandian) == 2
    # The joint trip: once for the district, once for each unit.
    assert measure("trips", period=MARCH, region=jingzhou) == 1
    assert measure_by_unit("trips", period=MARCH, unit_ids=[units.chuandian.pk, units.mashan.pk]) == {
        units.chuandian.pk: 1,
        units.mashan.pk: 1,
    }
    # 30 Jan – 2 Feb: 2 days in January, 2 in February, 4 over the quarter; 1 more for the joint trip
    # in March counted for 马山镇 as its partner.
    assert measure("days_away", period=periods.month(2022, 1), unit=units.mashan) == 2
    assert measure("days_away", period=periods.month(2022, 2), unit=units.mashan) == 2
    assert measure("days_away", period=Q1, unit=units.mashan) == 5
    trend = measure_by_month(["signed_projects"], period=Q1, region=jingzhou)["signed_projects"]
    assert trend == {D(2022, 2, 1): 1, D(2022, 3, 1): 2}
    assert measure_breakdown("band", period=MARCH, region=region_tree.city) == {"10–20亿元": 1, "1–5亿元": 1}
    # A town-level scope is below the summing areas: read from the unit rows.
    assert MonthlyFigure.objects.filter(level="area", region_id=jingzhou.pk).exists()


@pytest.mark.parametrize("many", [None, 0], ids=["cells-first", "records-by-date"])
def test_every_write_path_keeps_it_exact(many, records, units, region_tree, monkeypatch):
    if many is not None:  # every refresh reads the records by date, as for a big deletion
        monkeypatch.setattr(rollup, "MANY_CELLS", many)
    rollup.settle()
    assert rollup.verify() == []
    # An update no Python code sees: returned for correction, so not recognised any more.
    Project.objects.filter(pk=records["b"].pk).update(review_status="returned")
    assert RollupMark.objects.exists()
    assert measure("signed_amount_wan", period=MARCH, region=region_tree.jingzhou) == 150000
    # A signing date moved to April by a save; a project deleted outright.
    records["a"].signed_on = D(2022, 4, 2)
    records["a"].save()
    records["c"].delete()
    assert measure("signed_amount_wan", period=MARCH, region=region_tree.jingzhou) == 0
    assert measure("signed_amount_wan", period=periods.month(2022, 4), unit=units.chuandian) == 150000
    # The joint trip loses its partner; a unit moves to another county.
    records["joint"].partner_units.clear()
    assert measure("trips", period=MARCH, unit=units.mashan) == 0
    units.mashan.region = region_tree.shashi
    units.mashan.save()
    assert measure("days_away", period=Q1, region=region_tree.shashi) == 4
    assert measure("days_away", period=Q1, region=region_tree.jingzhou) == 1  # the joint trip's day
    # Raw SQL, the way a bulk load or a restore writes.
    with connection.cursor() as c:
        c.execute("UPDATE leads_lead SET is_deleted = %s WHERE unit_id = %s", [True, units.chuandian.pk])
    assert measure("leads", period=MARCH, unit=units.chuandian) == 0
    assert rollup.verify() == []
    assert not RollupMark.objects.exists()


def test_same_as_the_records_on_every_scope(records, units, region_tree):
    scopes = [{}, *({"region": r} for r in vars(region_tree).values()), {"unit": units.chuandian}]
    for code in rollup.CODES:
        for basis in rollup.BASES:
            for period in (MARCH, Q1):
                for scope in scopes:
                    assert measure(code, period=period, basis=basis, **scope) == live(
                        measure, code, period=period, basis=basis, **scope
                    ), (code, basis, period, scope)
                ours = {k: v for k, v in measure_by_unit(code, period=period, basis=basis).items() if v}
                theirs = {
                    k: v for k, v in live(measure_by_unit, code, period=period, basis=basis).items() if v
                }
                assert ours == theirs, code


def test_partial_months_count_the_records(records, units):
    # 5 March – 19 March is not a whole month: counted from the records, not the summary.
    period = periods.Period(D(2022, 3, 5), D(2022, 3, 19), "")
    assert not rollup.covers("signed_amount_wan", period)
    assert measure("signed_amount_wan", period=period, unit=units.chuandian) == 150000


def test_rebuild_and_verify_command(records, capsys):
    rollup.settle()
    MonthlyFigure.objects.filter(indicator="leads").update(value=Decimal(99))
    assert rollup.verify()  # the tampered rows are found
    with pytest.raises(CommandError):
        call_command("rollup", "verify")
    assert "不一致" in capsys.readouterr().out
    call_command("rollup", "rebuild")
    assert rollup.verify() == []
    call_command("rollup", "verify")
    assert "一致" in capsys.readouterr().out


def test_bulk_insert_marks_each_row(units):
    rollup.settle()
    Activity.objects.bulk_create(
        [
            Activity(
                kind="visit",
                unit=units.cenhe,
                started_on=D(2022, 3, d),
                enterprise_count=2,
                review_status="recognised",
            )
            for d in (1, 2, 3)
        ]
    )
    assert RollupMark.objects.count() == 3
    assert measure("visits", period=MARCH, unit=units.cenhe) == 6  # 拜访企业 counts enterprises: 3 × 2


def test_lost_triggers_come_back_after_migrate():
    # SQLite drops a table's triggers when a migration rebuilds the table.
    with connection.cursor() as c:
        for statement in rollup.drop_trigger_sql(connection.vendor):
            c.execute(statement)
    RollupMark.objects.all().delete()
    assert rollup.ensure_triggers() is True
    assert RollupMark.objects.filter(kind="all").exists()  # changes in between: rebuilt on next read
    assert rollup.ensure_triggers() is False
    # migrate's own hook: nothing missing now, and the pending rebuild done then, not at a page view.
    call_command("migrate", verbosity=0)
    assert not RollupMark.objects.exists()
    assert MonthlyFigure.objects.filter(level="meta", dim=rollup.signature()).exists()


def test_a_release_summing_other_indicators_rebuilds(records, units, monkeypatch):
    ActivityFactory(kind="promotion", unit=units.cenhe, started_on=D(2022, 3, 8), review_status="recognised")
    rollup.settle()
    assert MonthlyFigure.objects.filter(level="meta", dim=rollup.signature()).exists()
    assert rollup.ensure_triggers() is False
    monkeypatch.setattr(rollup, "CODES", (*rollup.CODES, "promotions"))
    monkeypatch.setattr(rollup, "STORED", (*rollup.STORED, "promotions"))
    monkeypatch.setitem(rollup.MODEL_CODES, "activity", [*rollup.MODEL_CODES["activity"], "promotions"])
    assert rollup.ensure_triggers() is True  # the stored signature is not this release's
    assert RollupMark.objects.filter(kind="all").exists()
    rollup.settle()
    assert MonthlyFigure.objects.filter(level="unit", indicator="promotions", unit_id=units.cenhe.pk).exists()
    assert rollup.covers("promotions", MARCH)
    assert measure("promotions", period=MARCH, unit=units.cenhe) == 1
    assert rollup.verify() == []


def _cell(**key):
    """A cell straight from the table (no settle on the way): the sum of its rows, as every read
    takes it (an addition is a row of its own until ``compact`` merges it)."""
    return MonthlyFigure.objects.filter(**key).aggregate(v=Sum("value"))["v"] or Decimal(0)


def _unit_rows(code, unit, month, *, partner=False, basis="recognised"):
    """The rows of a unit's cell."""
    return MonthlyFigure.objects.filter(
        level="unit", basis=basis, indicator=code, unit_id=unit.pk, month=month, partner=partner
    )


def _stored(code, unit, month, *, partner=False, basis="recognised"):
    """The unit's stored cell."""
    return _unit_rows(code, unit, month, partner=partner, basis=basis).aggregate(v=Sum("value"))[
        "v"
    ] or Decimal(0)


def test_an_import_settles_its_cells_before_it_commits(tmp_path, units):
    from test_exchange_support import write_xlsx
    from zhaoshang.exchange.services import import_file

    rollup.settle()
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [
            ["活动类型", "单位", "开始日期", "结束日期", "目的地", "是否出省", "企业名称"],
            ["外出招商", "川店镇", "2022-03-30", "2022-04-02", "深圳", "是", "甲公司、乙公司"],
            ["拜访企业", "川店镇", "2022-03-05", None, None, None, "丙公司"],
            ["拜访企业", "川店镇", "2022-03-06", None, None, None, "丁公司、戊公司"],
        ],
    )
    report = import_file(user=None, kind="activities", path=path)
    assert (report.problems, report.created) == ([], 3)
    # Nothing left for a reader to settle: the cells were written in the import's transaction.
    assert not RollupMark.objects.exists()
    # The trip: 30–31 March is 2 days, 1–2 April 2 days; visits count enterprises: 1 + 2 = 3.
    assert _stored("trips", units.chuandian, D(2022, 3, 1)) == 1
    assert _stored("days_away", units.chuandian, D(2022, 3, 1)) == 2
    assert _stored("days_away", units.chuandian, D(2022, 4, 1)) == 2
    assert _stored("visits", units.chuandian, D(2022, 3, 1)) == 3
    area = _cell(
        level="area",
        basis="recognised",
        indicator="visits",
        month=D(2022, 3, 1),
        region_id=units.chuandian.region_id,
    )
    assert area == 3
    assert rollup.verify() == []


def test_a_workflow_step_keeps_a_joint_activitys_partner_cells(records, units, region_tree, make_user):
    from zhaoshang.core.workflow import record_transition

    rollup.settle()
    trip = ActivityFactory(unit=units.cenhe, started_on=D(2022, 3, 15), review_status="submitted")
    trip.partner_units.add(units.chuandian)
    rollup.settle()
    assert _stored("trips", units.chuandian, D(2022, 3, 1)) == 1  # the fixture's joint trip only
    bureau = make_user("bureau", region=region_tree.province)
    assert record_transition(user=bureau, model=Activity, pks=[trip.pk], transition="recognise") == 1
    assert not RollupMark.objects.exists()
    # Recognised: it counts for 岑河镇 and for its partner 川店镇 (1 + 1 = 2 trips in March).
    assert _stored("trips", units.cenhe, D(2022, 3, 1)) == 1
    assert _stored("trips", units.chuandian, D(2022, 3, 1), partner=True) == 1
    assert measure("trips", period=MARCH, unit=units.chuandian) == 2
    # A status change no Python code sees (raw UPDATE of the activity alone) reaches the partner too.
    with connection.cursor() as c:
        c.execute("UPDATE activities_activity SET review_status = %s WHERE id = %s", ["returned", trip.pk])
    assert measure("trips", period=MARCH, unit=units.chuandian) == 1
    assert rollup.verify() == []


def test_a_big_backlog_is_counted_from_the_records_not_settled_by_a_read(units, monkeypatch):
    rollup.settle()
    monkeypatch.setattr(rollup, "READ_SETTLE", 2)
    for day in (1, 2, 3):
        LeadFactory(unit=units.mashan, reported_on=D(2022, 3, day), review_status="recognised")
    assert RollupMark.objects.count() == 3
    # Three marks, more than a read settles: the read counts the records (3 leads) and writes nothing.
    assert measure("leads", period=MARCH, unit=units.mashan) == 3
    assert measure_by_unit("leads", period=MARCH, unit_ids=[units.mashan.pk]) == {units.mashan.pk: 3}
    assert RollupMark.objects.count() == 3
    assert _stored("leads", units.mashan, D(2022, 3, 1)) == 0
    # The next writer settles the backlog in its own transaction.
    rollup.upkeep()
    assert not RollupMark.objects.exists()
    assert _stored("leads", units.mashan, D(2022, 3, 1)) == 3
    assert rollup.verify() == []


def test_settle_command_applies_a_backlog(units, monkeypatch, capsys):
    rollup.settle()
    monkeypatch.setattr(rollup, "READ_SETTLE", 1)
    for day in (1, 2):
        LeadFactory(unit=units.cenhe, reported_on=D(2022, 3, day), review_status="recognised")
    call_command("rollup", "settle")
    assert "已处理2个待刷新标记" in capsys.readouterr().out
    assert not RollupMark.objects.exists()
    assert _stored("leads", units.cenhe, D(2022, 3, 1)) == 2  # the two March leads


def test_a_rebuild_keeps_the_tables_indexes(records):
    # SQLite's rebuild drops the indexes while it rewrites the table and creates them again.
    rollup.rebuild()
    names = {index.name for index in MonthlyFigure._meta.indexes}
    with connection.cursor() as c:
        found = set(connection.introspection.get_constraints(c, MonthlyFigure._meta.db_table))
    assert names <= found
    assert rollup.verify() == []


def test_a_count_is_read_from_its_amounts_records(records, units, region_tree):
    """签约项目 is the records of 签约额's rows (the same projects counted), not rows of its own;
    a signed project of no stated amount still counts, a withdrawn one does not."""
    assert rollup.COUNTED_AS == {
        "signed_projects": "signed_amount_wan",
        "signed_projects_100m": "signed_amount_100m_wan",
        "commenced_projects": "commenced_amount_wan",
    }
    ProjectFactory(
        introducing_unit=units.chuandian,
        total_investment_wan=Decimal(0),
        stage="signed",
        signed_on=D(2022, 3, 25),
        review_status="recognised",
    )
    ProjectFactory(
        introducing_unit=units.chuandian,
        total_investment_wan=Decimal(5000),
        stage="withdrawn",
        end_reason="投资方撤回",
        signed_on=D(2022, 3, 26),
        review_status="recognised",
    )
    rollup.settle()
    assert not MonthlyFigure.objects.filter(indicator__in=list(rollup.COUNTED_AS)).exists()
    # 川店镇 in March: a (15亿), b (2亿) and the one of 0 万元; the withdrawn one not.
    assert measure("signed_projects", period=MARCH, unit=units.chuandian) == 3
    assert measure("signed_amount_wan", period=MARCH, unit=units.chuandian) == 170000
    assert measure("signed_projects_100m", period=MARCH, unit=units.chuandian) == 2
    # The district: the three; the province: 岑河镇's too on the reported basis.
    jingzhou = region_tree.jingzhou
    assert measure("signed_projects", period=MARCH, region=jingzhou) == 3
    assert measure("signed_projects", period=MARCH, region=region_tree.province) == 3
    assert measure("signed_projects", period=MARCH, basis="reported", region=region_tree.province) == 4
    assert measure_by_unit("signed_projects", period=Q1, unit_ids=[units.chuandian.pk, units.mashan.pk]) == {
        units.chuandian.pk: 3,
        units.mashan.pk: 1,
    }
    assert live(measure, "signed_projects", period=MARCH, region=jingzhou) == 3
    assert rollup.verify() == []


def test_a_rebuild_leaves_the_table_as_the_migrations_made_it(records, units):
    """The rebuild writes into a bare table and indexes it at the end (PostgreSQL: a new table put in
    the old one's place): the indexes, their columns and the key are the model's again, and the
    table takes new rows and changes as before."""
    rollup.rebuild()
    with connection.cursor() as c:
        constraints = connection.introspection.get_constraints(c, rollup.TABLE)
    indexes = {name: d["columns"] for name, d in constraints.items() if d["index"] and not d["primary_key"]}
    assert indexes == {
        index.name: [MonthlyFigure._meta.get_field(f).column for f in index.fields]
        for index in MonthlyFigure._meta.indexes
    }
    assert [d["columns"] for d in constraints.values() if d["primary_key"]] == [["id"]]
    _signed(units.mashan, 30000, on=D(2022, 3, 15))
    rollup.settle()
    # 马山镇 in March: only this one (its February project is not March's).
    assert measure("signed_amount_wan", period=MARCH, unit=units.mashan) == 30000
    assert rollup.verify() == []


def _keys_with_several_rows():
    keys = ["level", "basis", "indicator", "month", "unit_id", "region_id", "partner", "dim"]
    return list(
        MonthlyFigure.objects.exclude(level="meta").values(*keys).annotate(n=Count("id")).filter(n__gt=1)
    )


LATE_MARCH = D(2022, 3, 28)


def _signed(unit, amount, on=LATE_MARCH):
    """A recognised project signed ``on`` (late March unless told)."""
    return ProjectFactory(
        introducing_unit=unit,
        total_investment_wan=Decimal(amount),
        stage="signed",
        signed_on=on,
        review_status="recognised",
    )


@pytest.fixture(params=[True, False], ids=["appended", "in-place"])
def appending(request, monkeypatch):
    """Both ways ``_add_rows`` adds, on either database (PostgreSQL appends, SQLite adds in place)."""
    monkeypatch.setattr(rollup, "_appends", lambda: request.param)
    return request.param


def test_additions_are_rows_of_their_own_until_compacted(appending, records, units, region_tree):
    rollup.settle()
    rollup.compact()
    assert _keys_with_several_rows() == []
    # Two new projects of 川店镇 in March: 1 000 + 2 500 万元 added beside a (15亿) and b (2亿).
    for amount in (1000, 2500):
        _signed(units.chuandian, amount)
    rollup.settle()
    march = _unit_rows("signed_amount_wan", units.chuandian, D(2022, 3, 1))
    assert sorted(march.values_list("value", flat=True)) == ([3500, 170000] if appending else [173500])
    assert measure("signed_amount_wan", period=MARCH, unit=units.chuandian) == 173500
    assert measure("signed_projects", period=MARCH, unit=units.chuandian) == 4
    assert measure("signed_amount_wan", period=MARCH, region=region_tree.jingzhou) == 173500
    assert rollup.verify() == []
    # A project of 马山镇 in May, then deleted: its area cell gains and loses 8 000 万元.
    may = _signed(units.mashan, 8000, on=D(2022, 5, 3))
    rollup.settle()
    may.delete()
    rollup.settle()
    assert measure("signed_amount_wan", period=periods.month(2022, 5), region=region_tree.jingzhou) == 0

    # Appended, the additions' own rows go; in place too, the rows of May that cancelled out.
    removed = rollup.compact()
    assert removed > 0
    assert _keys_with_several_rows() == []
    assert list(march.values_list("value", "records")) == [(173500, 4)]
    assert not MonthlyFigure.objects.filter(indicator="signed_amount_wan", month=D(2022, 5, 1)).exists()
    assert measure("signed_amount_wan", period=MARCH, unit=units.chuandian) == 173500
    assert measure("signed_projects", period=MARCH, region=region_tree.jingzhou) == 4
    assert rollup.verify() == []
    assert rollup.compact() == 0  # nothing appended since


def test_compact_command_and_daily_job(appending, records, units, capsys):
    from zhaoshang.core.jobs import SCHEDULE

    rollup.settle()
    _signed(units.chuandian, 1000)
    rollup.settle()
    assert bool(_keys_with_several_rows()) is appending
    call_command("rollup", "compact")
    assert "月度汇总已合并" in capsys.readouterr().out
    assert _keys_with_several_rows() == []
    assert "compact" in [job.name for job in SCHEDULE]


def test_closing_a_month_keeps_one_ledger_row_a_key(appending, records, units):
    from zhaoshang.metrics.closing import month_close
    from zhaoshang.metrics.models import ClosedFigure

    rollup.settle()
    _signed(units.chuandian, 1000)
    rollup.settle()
    assert bool(_keys_with_several_rows()) is appending  # not compacted yet
    month_close(user=None, month=D(2022, 3, 1), today=D(2022, 4, 10))
    rows = ClosedFigure.objects.filter(
        layer="base",
        level="unit",
        basis="recognised",
        indicator="signed_amount_wan",
        unit_id=units.chuandian.pk,
        month=D(2022, 3, 1),
        partner=False,
    )
    assert list(rows.values_list("value", "records")) == [(171000, 3)]  # 150000 + 20000 + 1000
    assert measure("signed_amount_wan", period=MARCH, unit=units.chuandian) == 171000
    assert rollup.verify() == []
