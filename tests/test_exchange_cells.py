"""Cells the way bureaus type them (SPEC §5): amounts, dates, months, yes/no, headers."""

import datetime
from decimal import Decimal

import pytest

from zhaoshang.exchange import cells
from zhaoshang.exchange.cells import CellError


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        ("1.2亿", "万元", "12000"),
        ("8000万元", "万元", "8000"),
        ("8000万元", "亿元", "8000"),  # a unit written in the cell wins over the header's
        ("15", "亿元", "150000"),
        (15, "亿元", "150000"),
        (0.5, "亿元", "5000"),
        ("１５", "万元", "15"),
        ("一千二百万", "万元", "1200"),
        ("一千二百", "万元", "1200"),
        ("12,000", "万元", "12000"),
        ("12，000.5", "万元", "12000.5"),
        ("1,234,567.89", "元", "123.4568"),
        ("¥1.2亿", "万元", "12000"),
        ("3亿5000万", "万元", "35000"),
        ("一点二亿", "万元", "12000"),
        ("一万五", "万元", "1.5"),
        ("二千零一十", "万元", "2010"),
        ("500元", "万元", "0.05"),
        ("500万美元", "万美元", "500"),
        (" 1 200 ", "万元", "1200"),
        (12.3, "万元", "12.3"),
        ("壹仟贰佰万", "万元", "1200"),
    ],
)
def test_amounts(value, unit, expected):
    assert cells.parse_amount(value, unit) == Decimal(expected)


@pytest.mark.parametrize("value", ["abc", "1.2.3", "12x", "一亿亿x"])
def test_bad_amounts_say_what_was_typed(value):
    with pytest.raises(CellError, match="无法识别的金额"):
        cells.parse_amount(value, "万元")


def test_amount_in_the_wrong_currency_is_refused():
    with pytest.raises(CellError, match="币种"):
        cells.parse_amount("500万美元", "万元")


def test_blank_cells_are_none():
    assert cells.parse_amount(None) is None
    assert cells.parse_amount("  \u3000") is None
    assert cells.parse_date("") is None
    assert cells.parse_bool(" ") is None


@pytest.mark.parametrize(
    "value",
    [
        "2022-07-03",
        "2022/7/3",
        "2022.7.3",
        "2022年7月3日",
        "２０２２年７月３日",
        "二〇二二年七月三日",
        "2022-07-03 00:00:00",
        "20220703",
        20220703,
        44745,
        44745.0,
        "44745",
        datetime.datetime(2022, 7, 3, 9, 30),
        datetime.date(2022, 7, 3),
    ],
)
def test_dates(value):
    assert cells.parse_date(value) == datetime.date(2022, 7, 3)


def test_impossible_date():
    with pytest.raises(CellError, match="不存在"):
        cells.parse_date("2022-02-30")
    with pytest.raises(CellError, match="无法识别的日期"):
        cells.parse_date("七月初")


@pytest.mark.parametrize(
    "value",
    ["2022-07", "2022/7", "2022.7", "2022年7月", "2022年07月份", "202207", 202207, 2022.07, "2022-07-19",
     datetime.date(2022, 7, 31), datetime.datetime(2022, 7, 1), "二〇二二年七月"],
)  # fmt: skip
def test_months(value):
    assert cells.parse_month(value) == datetime.date(2022, 7, 1)


def test_month_typed_as_a_number_with_two_digits():
    assert cells.parse_month(2022.12) == datetime.date(2022, 12, 1)
    assert cells.parse_month(2022.1) == datetime.date(2022, 1, 1)  # Excel has dropped 2022.10's zero


@pytest.mark.parametrize(
    ("value", "expected"),
    [("是", True), ("否", False), ("√", True), ("×", False), ("Y", True), ("n", False), (" 是 ", True),
     (True, True), (1, True), (0, False), ("有", True), ("无", False), ("TRUE", True)],
)  # fmt: skip
def test_yes_no(value, expected):
    assert cells.parse_bool(value) is expected


def test_yes_no_refuses_anything_else():
    with pytest.raises(CellError, match="应填“是”或“否”"):
        cells.parse_bool("也许")


def test_text_trims_stray_spaces():
    assert cells.parse_text("  川店\u3000 镇 ") == "川店 镇"
    assert cells.parse_text(13812345678.0) == "13812345678"
    assert cells.parse_text("第一行 \n  第二行  ", multiline=True) == "第一行\n第二行"
    assert cells.split_list("世界500强、上市公司, 央企；国企") == ["世界500强", "上市公司", "央企", "国企"]


def test_header_keys():
    assert cells.header_key(" 总 投 资（亿元）* ") == ("总投资(亿元)", "总投资", "亿元")
    assert cells.header_key("【用地面积】(亩)") == ("(用地面积)(亩)", "(用地面积)", "亩")
    assert cells.header_key("签约项目(集中签约)") == ("签约项目(集中签约)", "签约项目(集中签约)", "")
    assert cells.header_text("引进单位*") == "引进单位"


def test_integers():
    assert cells.parse_int("2022年") == 2022
    assert cells.parse_int("二〇二二") == 2022
    assert cells.parse_int(2022.0) == 2022
    with pytest.raises(CellError):
        cells.parse_int("2022.5")
