"""Word rendering (issue 15): tables never break a number across lines, header rows repeat, rows do
not split across pages, a wide table gets a landscape page, the title does not orphan a character.

The structure is checked in the .docx XML; the layout is checked as an office program lays it out:
LibreOffice (``soffice``, Debian's libreoffice-writer-nogui) converts the document to PDF and the
PDF's text (pypdf) must hold every number of every table whole. Without soffice the layout test
is skipped (the XML checks still run).
"""

import datetime
import io
import os
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from pypdf import PdfReader

from zhaoshang.reports.choices import ExportFormat
from zhaoshang.reports.document import Doc, Meta
from zhaoshang.reports.exports import export
from zhaoshang.reports.render.blocks import parse

TITLE = "关于2026年1至10月全市招商引资重点项目推进情况的通报"  # longer than one line of 二号


def wide_markdown() -> str:
    """A 12-column table of long numbers (each value unique), a narrow one, and a long title."""
    doc = Doc(TITLE)
    doc.p("正文。")
    header = ["地区"] + [f"指标{i}（亿元）" for i in range(1, 10)] + ["完成率", "排名"]
    rows = []
    for r in range(1, 13):
        values = [f"{r}{c}{c}{c}.{c}{r % 10}" for c in range(1, 10)]  # 1111.11 … 12999.92, all distinct
        rows.append([f"第{r}县", *values, f"{r}{r}.{r}%", str(r)])
    doc.table("宽表", header, rows, align=["l"] + ["r"] * 11)
    doc.note("注：宽表的注。")
    doc.table("窄表", ["单位", "项目（个）"], [["川店镇", "12345"], ["马山镇", "-67.8"]], align=["l", "r"])
    return doc.markdown()


META = Meta(title=TITLE, issuer="荆州市招商促进中心")


def test_docx_table_structure():
    content = export(text=wide_markdown(), charts={}, meta=META, fmt=ExportFormat.DOCX)
    document = Document(io.BytesIO(content))
    tables = document.tables
    assert len(tables) == 2
    for table in tables:
        trs = table._tbl.tr_lst
        # Every row keeps together; the header row repeats on each page.
        assert all(tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None for tr in trs)
        assert trs[0].trPr.find(qn("w:tblHeader")) is not None
        # Numbers never wrap.
        for tr in trs[1:]:
            cells = tr.tc_lst
            assert all(tc.tcPr.find(qn("w:noWrap")) is not None for tc in cells[1:])
    # The wide table sits on a landscape page between portrait ones.
    orientations = [s.orientation for s in document.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    # The 12 columns fit the landscape text width (297 − 37 − 35 = 225 mm) in a type no smaller
    # than 7.5 pt, each number column at least as wide as its widest number: "12111.12" is 8
    # characters of ~0.6 em, i.e. 4.8 × (3.8 mm × size / 10.5 pt), plus the cells' 2 mm margins.
    grid = [int(c.get(qn("w:w"))) / 56.6929 for c in tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(grid) <= 225.5
    size = tables[0].rows[1].cells[1].paragraphs[0].runs[0].font.size.pt
    assert 7.5 <= size < 10.5
    assert min(grid[1:10]) >= 4.8 * 3.8 * size / 10.5 + 2.0
    # The narrow table keeps 五号 (10.5 pt, the style's) on the portrait page.
    assert tables[1].rows[1].cells[1].paragraphs[0].runs[0].font.size is None
    # The wide table's caption and its 注 are on the landscape page with it.
    body = document.element.body
    landscape_break = body.findall(".//" + qn("w:sectPr"))[0].getparent().getparent()
    texts_before = []
    for element in body.iterchildren():
        if element is landscape_break:
            break
        texts_before.append("".join(t.text or "" for t in element.iter(qn("w:t"))))
    assert "表1　宽表" not in texts_before
    # The title (26.2 character widths: digits count 0.6) is broken by hand into two balanced
    # lines, 13.2 and 13, the break outside the numbers.
    title = next(p for p in document.paragraphs if p.style.name == "公文标题")
    assert len(title._p.findall(".//" + qn("w:br"))) == 1
    assert [r.text.strip() for r in title.runs] == ["关于2026年1至10月全市招商", "引资重点项目推进情况的通报"]


def numbers_of(markdown: str) -> list[str]:
    out = []
    for block in parse(markdown):
        if block.kind == "table":
            for row in block.rows:
                for cell in row:
                    text = "".join(s.text for s in cell).strip()
                    if re.fullmatch(r"-?[\d.]+%?", text) and len(text) >= 2:
                        out.append(text)
    return out


def pdf_text(content: bytes, tmp_path) -> str:
    source = tmp_path / "report.docx"
    source.write_bytes(content)
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    reader = PdfReader(str(tmp_path / "report.pdf"))
    return "\n".join(page.extract_text() for page in reader.pages)


def assert_numbers_whole(markdown: str, text: str) -> None:
    missing = [n for n in numbers_of(markdown) if not re.search(rf"(?<![\d.]){re.escape(n)}(?![\d.%])", text)]
    assert not missing, f"numbers split across lines (or missing) in the PDF: {missing[:10]}"


if shutil.which("soffice") is None and os.environ.get("ZHAOSHANG_REQUIRE_SOFFICE") == "1":
    raise RuntimeError("ZHAOSHANG_REQUIRE_SOFFICE=1 but LibreOffice is not installed (make system-deps)")


def large_projects(units, region_tree) -> None:
    """Three recognised projects of seven-digit amounts (万元) and 亿元以上 targets for the two counties
    and three towns: the widest numbers the unit and county tables print."""
    from factories import EnterpriseFactory, ProjectFactory, TargetFactory

    for unit, amount, day in (
        (units.chuandian, 1234567, datetime.date(2022, 3, 1)),
        (units.mashan, 987654, datetime.date(2022, 5, 1)),
        (units.cenhe, 456789, datetime.date(2022, 6, 1)),
    ):
        ProjectFactory(
            introducing_unit=unit,
            investor=EnterpriseFactory(),
            total_investment_wan=Decimal(amount),
            signed_on=day,
            stage="signed",
            review_status="recognised",
        )
    for region in (region_tree.jingzhou, region_tree.shashi):
        TargetFactory(unit=None, region=region, year=2022, indicator="signed_projects_100m", value=Decimal(3))
    for unit in (units.chuandian, units.mashan, units.cenhe):
        TargetFactory(
            unit=unit, region=unit.region, year=2022, indicator="signed_projects_100m", value=Decimal(7)
        )


def january_to_july(kind: str, region):
    """Report ``kind`` of 1至7月 2022 for ``region``, written on 3 August 2022."""
    from zhaoshang.reports.figures import ReportContext
    from zhaoshang.reports.generators import generate
    from zhaoshang.reports.periods import report_period

    today = datetime.date(2022, 8, 3)
    period = report_period(kind, start="2022-01", end="2022-07", today=today)
    return generate(kind, ReportContext(region=region, period=period, today=today))


needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed"
)


@needs_soffice
def test_libreoffice_keeps_every_number_whole(tmp_path):
    markdown = wide_markdown()
    text = pdf_text(export(text=markdown, charts={}, meta=META, fmt=ExportFormat.DOCX), tmp_path)
    assert_numbers_whole(markdown, text)
    assert "12111.12" in text
    # The title's two lines as laid out: no lone character on the second.
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0] == "内部资料"
    assert lines[1].replace(" ", "") == "关于2026年1至10月全市招商"
    assert lines[2].replace(" ", "") == "引资重点项目推进情况的通报"


@needs_soffice
@pytest.mark.django_db
def test_libreoffice_real_reports_keep_numbers_whole(tmp_path, units, region_tree):
    """A generated bulletin (12-column unit table) and a city summary (10-column county table)."""
    large_projects(units, region_tree)
    for kind, region in (("bulletin", region_tree.jingzhou), ("summary", region_tree.city)):
        report = january_to_july(kind, region)
        content = export(text=report.markdown, charts=report.charts, meta=META, fmt=ExportFormat.DOCX)
        (tmp_path / kind).mkdir()
        text = pdf_text(content, tmp_path / kind)
        assert_numbers_whole(report.markdown, text)


def test_the_fast_table_writer_writes_what_python_docx_writes(monkeypatch):
    """Plain tables are written as XML text (reports.render.docx ``_rows_xml``) rather than cell by
    cell through python-docx; both must give the same document, bold cells, links, spaces, small type
    (the wide table) and escaped characters included."""
    from zhaoshang.reports.render import docx as writer

    doc = Doc(TITLE)
    doc.table(
        "特殊字符",
        ["单位", "说明", "数值"],
        [["A&B <公司>", " 前后空格 ", "**1,234.5**"], ["[川店镇](/units/1/)", "“引号”'单'", "-0.5"]],
        align=["l", "c", "r"],
    )
    markdown = wide_markdown() + doc.markdown()

    def document_xml():
        content = export(text=markdown, charts={}, meta=META, fmt=ExportFormat.DOCX)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return archive.read("word/document.xml")

    fast = document_xml()
    monkeypatch.setattr(writer, "_plain_cells", lambda block: False)
    slow = document_xml()
    assert b"A&amp;B &lt;" in fast and b"<w:noWrap/>" in fast
    assert fast == slow
