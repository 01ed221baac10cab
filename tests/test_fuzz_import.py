"""The import, fed arbitrary cells (hypothesis), never raises: every bad cell becomes a listed
problem and nothing is written. CSRF protection is on for every form."""

import contextlib
import csv
import tempfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhaoshang.exchange import cells
from zhaoshang.exchange.services import import_file
from zhaoshang.organisation.choices import Role
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db

cell = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "1.2亿",
            "8000万元",
            "１５",
            "一千二百万",
            "12,000",
            "2022年7月3日",
            "2022.7.3",
            "√",
            "×",
            "-5",
            "1e400",
            "NaN",
            "99999999999999999999亿",
            "2022-02-30",
            "=SUM(A1)",
            "亿",
            "万万",
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
)


@settings(max_examples=300, deadline=None)
@given(cell)
def test_cell_parsers_raise_only_validation_errors(value):
    for parse in (
        cells.parse_amount,
        cells.parse_number,
        cells.parse_int,
        cells.parse_bool,
        cells.parse_date,
        cells.parse_month,
    ):
        # A clear, listed problem (CellError is a ValueError) — never an uncaught crash of another kind.
        with contextlib.suppress(ValidationError, ValueError):
            parse(value)


HEADER = [
    "项目名称*",
    "投资方*",
    "统一社会信用代码",
    "引进单位*",
    "总投资(万元)*",
    "项目阶段*",
    "签约日期",
    "开工日期",
]


def test_import_of_arbitrary_rows_lists_problems_and_writes_nothing(units, make_user):
    bureau = make_user(Role.BUREAU, region=units.chuandian.region)

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.lists(cell, min_size=len(HEADER), max_size=len(HEADER)), min_size=1, max_size=4))
    def run(rows):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "projects.csv"
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(HEADER)
                for row in rows:
                    writer.writerow([str(v) for v in row])
            before = Project.objects.count()
            report = import_file(user=bureau, kind="projects", path=path)
            if report.problems:
                assert Project.objects.count() == before  # all or nothing

    run()


def test_csrf_token_required_on_every_post(units, make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.BUREAU, region=units.chuandian.region))
    for url in [
        "/projects/add/",
        "/leads/add/",
        "/activities/add/",
        "/funds/add/",
        "/enterprises/add/",
        "/projects/transition/",
        "/accounts/logout/",
    ]:
        assert client.post(url, {"name": "x"}).status_code == 403, url
