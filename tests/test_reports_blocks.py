"""A generated report's blocks come from its Doc without parsing its tables back (``Doc.blocks``):
they must be exactly the blocks its Markdown parses into."""

import pytest

from test_reports_word import january_to_july, large_projects
from zhaoshang.reports.document import Doc
from zhaoshang.reports.render.blocks import Span, parse
from zhaoshang.reports.text import link, md


def test_doc_blocks_are_the_parsed_markdown():
    doc = Doc("测试通报", "（2022年7月）")
    doc.h1("一、总体情况")
    doc.p(f"签约项目{link('66个', '/projects/?a=1&b=2')}，**同比增加**5个。")
    doc.table(
        "单位排名",
        ["单位", "项目数", "金额"],
        [
            [md("甲*乙_丙[丁]"), link("12", "/projects/?unit=7"), "1,234.5"],
            [md("A\\B"), "", "—"],
            ["&amp; 实体", "`代码`", " 两端空格 "],
        ],
        align=["l", "r", "r"],
    )
    doc.table("含竖线的名称", ["单位", "数"], [[md("甲|乙"), "1"], ["丙\r丁", "2"]])
    doc.table("列数不齐", ["单位", "数"], [["甲"], ["乙", "2", "3"]])
    doc.chart("c", "图名", {"type": "bar", "categories": [], "series": []})
    doc.note("数据为认定口径。")
    blocks = doc.blocks()
    assert blocks == parse(doc.markdown())
    first, pipes, ragged = [b for b in blocks if b.kind == "table"]
    assert first.caption == "表1　单位排名"
    assert first.rows[0] == [[Span("甲*乙_丙[丁]")], [Span("12", "/projects/?unit=7")], [Span("1,234.5")]]
    assert first.rows[1] == [[Span("A\\B")], [], [Span("—")]]
    assert first.rows[2] == [[Span("& 实体")], [Span("代码")], [Span("两端空格")]]
    # A carriage return is a line break to the parser: the row ends there, its rest is a row of its own.
    assert pipes.rows == [[[Span("甲|乙")], [Span("1")]], [[Span("丙")], []], [[Span("丁")], [Span("2")]]]
    assert ragged.rows == [[[Span("甲")], []], [[Span("乙")], [Span("2")]]]


@pytest.mark.django_db
def test_generated_reports_blocks_are_their_parsed_markdown(units, region_tree):
    large_projects(units, region_tree)
    for kind, region in (
        ("bulletin", region_tree.jingzhou),
        ("bulletin", region_tree.city),
        ("summary", region_tree.city),
        ("leaderboard", region_tree.city),
        ("quarterly", region_tree.city),
    ):
        report = january_to_july(kind, region)
        assert report.doc is not None
        blocks = report.blocks()
        assert any(b.kind == "table" and b.rows for b in blocks), (kind, region)
        assert blocks == parse(report.markdown), (kind, region)
