"""The cockpit: figures for the user's scope, drill-down links, a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from factories import ProjectFactory, TargetFactory
from zhaoshang.dashboard.selectors import dashboard_data
from zhaoshang.metrics import periods, rollup
from zhaoshang.organisation.choices import Role
from zhaoshang.organisation.models import Unit

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2022, 8, 3)


def signed(unit, amount, on, **kw):
    return ProjectFactory(
        introducing_unit=unit,
        total_investment_wan=Decimal(amount),
        stage="signed",
        signed_on=on,
        review_status="recognised",
        **kw,
    )


@pytest.fixture
def data(units, region_tree):
    signed(units.chuandian, 150000, D(2022, 3, 1))
    signed(units.mashan, 30000, D(2022, 5, 1))
    signed(units.mashan, 5000, D(2022, 5, 2))  # under 1亿
    signed(units.cenhe, 90000, D(2022, 4, 1))  # 沙市区: not in 荆州区's figures
    signed(units.chuandian, 20000, D(2021, 3, 1))  # last year
    TargetFactory(
        unit=None, region=region_tree.jingzhou, year=2022, indicator="signed_projects_100m", value=Decimal(4)
    )


def headline(result, code):
    return next(h for h in result["headlines"] if h.code == code)


def test_region_figures_and_drilldown(data, units, region_tree, make_user):
    bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)
    result = dashboard_data(
        user=bureau, period=periods.year_to_date(2022, 7), basis="recognised", today=TODAY
    )
    h = headline(result, "signed_projects_100m")
    assert (h.value, h.previous, h.target) == (2, 1, 4)
    assert h.completion == Decimal("0.5")
    assert headline(result, "signed_amount_100m_wan").value == 180000
    assert (
        h.link == "/projects/?signed_from=2022-01-01&signed_to=2022-07-31&size=1yi&review_status=recognised"
    )
    assert [r["name"] for r in result["ranking"]] == ["川店镇", "马山镇"]
    assert result["trend"]["signed_projects_100m:now"] == [0, 0, 1, 0, 1, 0, 0]
    assert result["trend"]["signed_projects_100m:then"] == [0, 0, 1, 0, 0, 0, 0]
    bands = {b["name"]: b["value"] for b in result["bands"]}
    assert bands == {"10–20亿元": 1, "1–5亿元": 1, "1亿元以下": 1}
    # Signed on or before 2022-05-05 (90 days before 3 Aug) and not commenced, in 荆州区, oldest first.
    assert [p.signed_on for p in result["stalled"]] == [
        D(2021, 3, 1),
        D(2022, 3, 1),
        D(2022, 5, 1),
        D(2022, 5, 2),
    ]


def test_unit_sees_only_its_own_figures(data, units, make_user):
    reporter = make_user(Role.REPORTER, unit=units.mashan)
    result = dashboard_data(
        user=reporter, period=periods.year_to_date(2022, 7), basis="recognised", today=TODAY
    )
    assert headline(result, "signed_projects_100m").value == 1
    assert [r["name"] for r in result["ranking"]] == ["马山镇"]


def test_page_renders_with_charts_and_links(data, region_tree, make_user, client_as):
    bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)
    page = client_as(bureau).get("/?from=2022-01&to=2022-07").content.decode()
    assert "2022年1至7月" in page
    assert "同比增长100%" in page
    assert 'id="chart-trend"' in page and "vendor/echarts/echarts.min.js" in page
    assert "/projects/?signed_from=2022-01-01&amp;signed_to=2022-07-31&amp;size=1yi" in page


def test_query_count_does_not_grow_with_units(data, units, region_tree, make_user):
    bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)
    period = periods.year_to_date(2022, 7)

    def count():
        # Applying the summary's pending marks costs what the records changed, not what the cockpit
        # reads: settled first, so that only the read is counted.
        rollup.settle()
        with CaptureQueriesContext(connection) as ctx:
            result = dashboard_data(user=bureau, period=period, basis="recognised", today=TODAY)
            list(result["stalled"])
        return len(ctx.captured_queries)

    few = count()
    for i in range(40):
        unit = Unit.objects.create(
            name=f"新增单位{i}", kind="town", region=region_tree.jingzhou, order=50 + i
        )
        signed(unit, 10000 + i, D(2022, 6, 1))
    assert count() == few


def test_open_supervision_items_in_scope(units, region_tree, make_user, client_as):
    from zhaoshang.supervision.models import SupervisionTicket

    def ticket(unit, title, deadline, status="open"):
        closed = {"closed_at": timezone.now()} if status == "closed" else {}
        return SupervisionTicket.objects.create(
            title=title, owner_unit=unit, deadline=deadline, status=status, **closed
        )

    ticket(units.chuandian, "川店镇项目未开工", TODAY - datetime.timedelta(days=1))  # overdue
    ticket(units.mashan, "马山镇到位资金未报", TODAY + datetime.timedelta(days=5), status="responded")
    ticket(units.mashan, "已销号的事项", TODAY - datetime.timedelta(days=9), status="closed")
    ticket(units.cenhe, "沙市区岑河镇的事项", TODAY - datetime.timedelta(days=3))  # another county
    bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)
    tickets = dashboard_data(
        user=bureau, period=periods.year_to_date(2022, 7), basis="recognised", today=TODAY
    )["tickets"]
    # 荆州区: two not closed (one open, one answered), one of them past its deadline.
    assert (tickets["open"], tickets["overdue"]) == (2, 1)
    assert [t.title for t in tickets["first"]] == ["川店镇项目未开工", "马山镇到位资金未报"]
    # The page counts against the real today, years after these 2022 deadlines: both are overdue.
    page = client_as(bureau).get("/").content.decode()
    assert "督办事项" in page and "未办结2件" in page and "逾期2件" in page
    assert "沙市区岑河镇的事项" not in page
