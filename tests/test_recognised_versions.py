"""Issue 13, defect 1 — SPEC §3: "A recognised record being changed keeps counting at its last
recognised version until the change is recognised."

A record changes after recognition in two ways: the bureau returns it to its unit for a change
(退回修改), or an import acting for the bureau changes it as reported (``--as-reported``). Either way
the 认定 basis keeps its recognised version and the 上报 basis counts the change; recognising the
change moves both to it. Every expected figure is worked out in the comment beside it. The district
of ``conftest``: 川店镇 and 马山镇 in 荆州区; periods of 2022.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from factories import FundsRecordFactory
from test_exchange_support import run_import, write_xlsx
from test_reports import plain, project, report
from zhaoshang.core import versions
from zhaoshang.core.services import record_delete, record_update
from zhaoshang.core.workflow import record_transition
from zhaoshang.metrics import periods, rollup
from zhaoshang.metrics.engine import measure, measure_by_unit
from zhaoshang.organisation.choices import Role
from zhaoshang.projects.models import FundsRecord, Project

pytestmark = pytest.mark.django_db
D = datetime.date
OK, UP = "recognised", "reported"
JAN_JUL = periods.year_to_date(2022, 7)
# Not whole months: counted from the records, not the monthly summary. Both must agree.
PART = periods.Period(D(2022, 2, 15), D(2022, 7, 20), "2月15日至7月20日")


def signed(basis: str) -> tuple:
    """(亿元以上 projects signed, their amount in 万元), read both ways."""
    values = {
        (
            measure("signed_projects_100m", period=p, basis=basis),
            measure("signed_amount_100m_wan", period=p, basis=basis),
        )
        for p in (JAN_JUL, PART)
    }
    assert len(values) == 1, values  # the summary and the records agree
    return values.pop()


def one_pass_agrees() -> None:
    """The summary's first build counts both bases in one pass per indicator: each basis's cells
    must be exactly those of a pass over that basis's own rows (``Indicator.queryset``)."""
    months = rollup.data_months()
    for code in rollup.CODES:
        both = rollup.unit_cells_by_basis(code, months)
        for basis in rollup.BASES:
            assert sorted(both[basis]) == sorted(rollup.unit_cells(code, basis, months)), (code, basis)
    for name in rollup.BREAKDOWNS:
        both = rollup.dim_cells_by_basis(name, months)
        for basis in rollup.BASES:
            assert sorted(both[basis]) == sorted(rollup.dim_cells(name, basis, months)), (name, basis)


@pytest.fixture
def bureau(make_user, region_tree):
    return make_user(Role.BUREAU, region=region_tree.jingzhou)


@pytest.fixture
def head(make_user, units):
    return make_user(Role.UNIT_HEAD, unit=units.chuandian)


HEADER = ["项目名称", "投资方", "统一社会信用代码", "引进单位", "总投资(万元)", "项目阶段", "签约日期"]


def projects_file(tmp_path, amount):
    rows = [HEADER, ["新能源电池项目", "楚能新能源有限公司", None, "川店镇", amount, "签约", "2022-03-01"]]
    return write_xlsx(tmp_path / "projects.xlsx", rows)


def test_an_import_as_reported_keeps_the_recognised_version(tmp_path, units, region_tree, bureau):
    # Recognised at 10 000万元 (1亿元), signed 1 March 2022, for 川店镇.
    assert run_import("projects", str(projects_file(tmp_path, 10000)))[0] == 0
    record = Project.objects.get()
    assert record.review_status == OK
    assert signed(OK) == signed(UP) == (1, Decimal(10000))

    # Changed as reported to 20 000万元. The 认定 basis keeps the recognised 1 project, 10 000万元;
    # the 上报 basis counts 20 000万元.
    status, _out, err = run_import("projects", str(projects_file(tmp_path, 20000)), "--as-reported")
    assert status == 0, err
    record.refresh_from_db()
    assert (record.review_status, record.total_investment_wan) == ("submitted", Decimal(20000))
    assert Project.objects.count() == 1  # pages, lists and exports see one project
    assert signed(OK) == (1, Decimal(10000))
    assert signed(UP) == (1, Decimal(20000))
    assert rollup.verify() == []

    # The recognised-basis bulletin states the recognised project: 1 project, 1亿元 (not 0).
    text = plain(report("bulletin", region_tree, end="2022-07").markdown)
    assert "签约亿元以上项目1个" in text and "1亿元" in text

    # A second change before recognition keeps the version recognised first (still 10 000万元).
    assert run_import("projects", str(projects_file(tmp_path, 30000)), "--as-reported")[0] == 0
    assert signed(OK) == (1, Decimal(10000))
    assert signed(UP) == (1, Decimal(30000))

    # Recognised: both bases count the change, the copy is gone.
    assert record_transition(user=bureau, model=Project, pks=[record.pk], transition="recognise") == 1
    assert signed(OK) == signed(UP) == (1, Decimal(30000))
    assert Project.all_rows.count() == 1
    assert rollup.verify() == []


def test_a_record_returned_for_change_counts_at_its_recognised_version(units, bureau, head, client_as):
    # Recognised: 川店镇's project of 10 000万元, signed 1 March 2022.
    record = project(units.chuandian, 10000, signed=D(2022, 3, 1))
    with pytest.raises(ValidationError):  # returning needs a reason
        record_transition(user=bureau, model=Project, pks=[record.pk], transition="return")
    assert (
        record_transition(
            user=bureau, model=Project, pks=[record.pk], transition="return", reason="核实总投资"
        )
        == 1
    )
    record.refresh_from_db()
    assert record.review_status == "returned"
    # Returned: the 认定 basis keeps the recognised version; the 上报 basis excludes returned records.
    assert signed(OK) == (1, Decimal(10000))
    assert signed(UP) == (0, 0)

    # The unit head changes it to 25 000万元 and submits it again: 上报 counts 25 000, 认定 still 10 000.
    record.total_investment_wan = Decimal(25000)
    record_update(user=head, instance=record, read_version=record.version)
    assert record_transition(user=head, model=Project, pks=[record.pk], transition="submit") == 1
    assert signed(OK) == (1, Decimal(10000))
    assert signed(UP) == (1, Decimal(25000))
    # The bureau credits it to 马山镇 while reviewing: the recognised version stays 川店镇's.
    record.refresh_from_db()
    record.introducing_unit = units.mashan
    record_update(user=bureau, instance=record, read_version=record.version)
    assert measure_by_unit("signed_amount_wan", period=JAN_JUL) == {units.chuandian.pk: Decimal(10000)}
    assert measure_by_unit("signed_amount_wan", period=JAN_JUL, basis=UP) == {units.mashan.pk: Decimal(25000)}
    one_pass_agrees()  # the recognised copy (川店镇, 10 000) counts on 认定 only, the change on 上报 only

    # The reviewer sees both versions on the record's page.
    page = client_as(bureau).get(record.get_absolute_url()).content.decode()
    table = page[page.index('id="recognised-version"') :].split("</table>")[0]
    # Two changed fields: 引进单位 (川店镇 → 马山镇) and 总投资 (10 000 as recognised, 25 000 as changed).
    assert table.count("<tr>") == 3  # the header and those two fields
    assert "引进单位</th><td>川店镇</td><td" in table and ">马山镇</td></tr>" in table
    assert "总投资(万元)</th><td>10000</td><td" in table and ">25000</td></tr>" in table

    # The list marks it; it lists one project, not two.
    listing = client_as(bureau).get("/projects/").content.decode()
    assert listing.count("变更待认定") == 1 and listing.count(record.get_absolute_url() + '"') == 1

    # Recognised in the end: the version recognised first counted until then.
    assert record_transition(user=bureau, model=Project, pks=[record.pk], transition="recognise") == 1
    assert signed(OK) == signed(UP) == (1, Decimal(25000))
    assert versions.pending_version(record) is None
    assert rollup.verify() == []


def test_funds_keep_their_recognised_amount_while_a_change_is_reviewed(units, bureau, head):
    # A project signed in 2022; funds of May: reported 500万元, recognised 400万元 by the bureau.
    record = project(units.chuandian, 10000, signed=D(2022, 3, 1))
    funds = FundsRecordFactory(
        project=record,
        month=D(2022, 5, 1),
        amount_wan=Decimal(500),
        recognised_amount_wan=Decimal(400),
        review_status=OK,
    )
    assert measure("funds_wan", period=JAN_JUL) == Decimal(400)
    assert measure("funds_wan", period=JAN_JUL, basis=UP) == Decimal(500)

    record_transition(user=bureau, model=FundsRecord, pks=[funds.pk], transition="return", reason="补充凭证")
    funds.refresh_from_db()
    funds.amount_wan, funds.recognised_amount_wan = Decimal(800), None
    record_update(user=head, instance=funds, read_version=funds.version)
    record_transition(user=head, model=FundsRecord, pks=[funds.pk], transition="submit")
    # 认定 still 400 (the recognised amount of the recognised version); 上报 the changed 800.
    for period in (JAN_JUL, PART):
        assert measure("funds_wan", period=period) == Decimal(400)
        assert measure("funds_wan", period=period, basis=UP) == Decimal(800)
    one_pass_agrees()

    # The copy is not a second record of the month: a real second one is still refused.
    with pytest.raises(IntegrityError), transaction.atomic():
        FundsRecord.objects.create(project=record, month=D(2022, 5, 1), amount_wan=Decimal(1))

    record_transition(user=bureau, model=FundsRecord, pks=[funds.pk], transition="recognise")
    assert (
        measure("funds_wan", period=JAN_JUL) == measure("funds_wan", period=JAN_JUL, basis=UP) == Decimal(800)
    )
    assert rollup.verify() == []


def test_a_deleted_record_leaves_both_bases_with_its_version(units, bureau):
    record = project(units.chuandian, 10000, signed=D(2022, 3, 1))
    record_transition(user=bureau, model=Project, pks=[record.pk], transition="return", reason="重复上报")
    assert signed(OK) == (1, Decimal(10000))
    record_delete(user=bureau, instance=record)
    assert signed(OK) == signed(UP) == (0, 0)
    assert Project.all_rows.filter(recognised_version_of=record.pk).count() == 0
    assert rollup.verify() == []
