"""Helpers and fixtures shared by the exchange tests (no tests here)."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from zhaoshang.enterprises.choices import EnterpriseTag
from zhaoshang.enterprises.models import Tag
from zhaoshang.organisation.models import Industry


def write_xlsx(path: Path, rows: list[list], title_rows: list[list] | None = None) -> Path:
    """A workbook whose first sheet holds ``title_rows`` then ``rows`` (header first)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (title_rows or []) + rows:
        sheet.append(row)
    workbook.save(path)
    return path


def read_xlsx(path_or_file, sheet: int = 0) -> list[list]:
    workbook = openpyxl.load_workbook(path_or_file)
    return [list(row) for row in workbook.worksheets[sheet].iter_rows(values_only=True)]


def run_import(*args) -> tuple[int, str, str]:
    """``zhaoshang import ARGS`` → (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return status, out.getvalue(), err.getvalue()


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line and not line.startswith("提示")]


@pytest.fixture
def tags(db):
    Tag.objects.bulk_create([Tag(code=code) for code in EnterpriseTag.values], ignore_conflicts=True)


@pytest.fixture
def industries(db):
    return {
        "auto": Industry.objects.create(kind="leading", name="汽车零部件", order=1),
        "bio": Industry.objects.create(kind="leading", name="生物医药", order=2),
        "chain": Industry.objects.create(kind="chain", name="新能源汽车产业链", order=1),
    }


JULY_3 = datetime.date(2022, 7, 3)
