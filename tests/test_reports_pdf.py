"""PDF export (WeasyPrint, issue 15): no number is broken across lines in a table, and no table runs
past the text block. A table too wide for a portrait page goes, with its caption and 注, on a
landscape page (the Word export's rule), in a smaller type when even that is too narrow; the pages
after it are portrait again.

Checked on the PDF itself: pypdf's text must hold every number of every table whole (as
tests/test_reports_word.py does for Word), and WeasyPrint's laid-out boxes must keep each table
within its page's content width.
"""

import io
import re

import pytest
from pypdf import PdfReader

from test_reports_word import META, assert_numbers_whole, january_to_july, large_projects, wide_markdown
from zhaoshang.reports.choices import ExportFormat
from zhaoshang.reports.document import Doc
from zhaoshang.reports.exports import export
from zhaoshang.reports.render import pdf
from zhaoshang.reports.render.blocks import parse

weasyprint = pytest.importorskip("weasyprint")


def pdf_pages(markdown: str) -> list[str]:
    content = export(text=markdown, charts={}, meta=META, fmt=ExportFormat.PDF)
    reader = PdfReader(io.BytesIO(content))
    return [
        (page.extract_text(), float(page.mediabox.width) > float(page.mediabox.height))
        for page in reader.pages
    ]


def table_overflow(markdown: str) -> list[tuple[int, float, float]]:
    """(page, table width, content width) for every table wider than its page's text block."""
    document = weasyprint.HTML(string=pdf.document_html(parse(markdown), META, {})).render()
    found = []

    def walk(box):
        yield box
        for child in getattr(box, "children", None) or []:
            yield from walk(child)

    for number, page in enumerate(document.pages, start=1):
        root = page._page_box
        right = root.content_box_x() + root.width
        for box in walk(root):
            if type(box).__name__ == "TableBox" and box.position_x + box.margin_width() > right + 0.5:
                found.append((number, box.margin_width(), root.width))
    return found


def test_wide_table_on_a_landscape_page_numbers_whole():
    markdown = wide_markdown()
    pages = pdf_pages(markdown)
    text = "\n".join(t for t, _landscape in pages)
    assert_numbers_whole(markdown, text)
    # 12 columns of up to 8-character numbers need about 12 × 8 × 0.6 × 3.8 mm ≈ 220 mm > 156 mm of
    # portrait text block: the wide table (its caption and 注 with it) is on a landscape page, the
    # narrow one after it on a portrait page again.
    wide = [landscape for t, landscape in pages if "宽表" in t]
    narrow = [landscape for t, landscape in pages if "窄表" in t]
    assert wide == [True] and narrow == [False]
    assert any("注：宽表的注。" in t and landscape for t, landscape in pages)
    assert pages[0][1] is False  # the title page stays portrait
    assert table_overflow(markdown) == []


def test_very_wide_table_gets_a_smaller_type_and_still_fits():
    doc = Doc("超宽表")
    header = ["地区"] + [f"指标{i}" for i in range(1, 13)]
    rows = [[f"第{r}县", *[f"{r}{c:02d}{c:02d}.{r}{c % 10}" for c in range(1, 13)]] for r in range(1, 6)]
    doc.table("超宽表", header, rows, align=["l"] + ["r"] * 12)
    markdown = doc.markdown()
    # 12 numbers of 8 characters need 12 × (8 × 0.6 × 3.8 + 2.8) ≈ 252 mm (the Word rule's estimate),
    # more than the 225 mm of a landscape text block: a smaller type (about 8.6 pt), landscape.
    (table,) = [b for b in parse(markdown) if b.kind == "table"]
    landscape, size = pdf.table_layout(table)
    assert landscape and size is not None and 7.5 <= size < 10.5
    assert f"font-size:{size}pt" in pdf.document_html(parse(markdown), META, {})
    pages = pdf_pages(markdown)
    assert_numbers_whole(markdown, "\n".join(t for t, _l in pages))
    assert table_overflow(markdown) == []


def test_narrow_tables_stay_portrait():
    doc = Doc("窄表")
    doc.table(
        "窄表", ["单位", "项目（个）", "完成率"], [["川店镇", "1234567.89", "-12.5%"]], align=["l", "r", "r"]
    )
    markdown = doc.markdown()
    pages = pdf_pages(markdown)
    assert [landscape for _t, landscape in pages] == [False]
    assert re.search(r"(?<![\d.])1234567\.89(?![\d.])", pages[0][0])
    assert 'div class="doc-landscape"' not in pdf.document_html(parse(markdown), META, {})


@pytest.mark.django_db
def test_generated_reports_keep_numbers_whole_and_tables_inside(units, region_tree):
    """A county bulletin (the 12-column unit table), a city summary (the 10-column county table) and
    a city bulletin (units with their county)."""
    large_projects(units, region_tree)
    for kind, region in (
        ("bulletin", region_tree.jingzhou),
        ("summary", region_tree.city),
        ("bulletin", region_tree.city),
    ):
        markdown = january_to_july(kind, region).markdown
        pages = pdf_pages(markdown)
        assert_numbers_whole(markdown, "\n".join(t for t, _l in pages))
        assert table_overflow(markdown) == [], (kind, region)
