"""Blocks → Word (.docx) in 公文 layout (GB/T 9704-2012, as bureaus set it in practice):

- A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm;
- 密级 at the top left (三号黑体); with a 文号, a red 版头 (issuing unit, 文号, red rule);
- title in 方正小标宋简体 二号 (22 pt), centred; body 仿宋_GB2312 三号 (16 pt), fixed 28 pt line
  spacing, first line indented two characters; headings 黑体 (一、), 楷体_GB2312 (（一）) and bold 仿宋
  (1．) by level; tables 仿宋 五号 with a repeated header row; charts as pictures with captions;
- 落款: issuing unit and date at the bottom right;
- page numbers "— 1 —" (四号宋体) in the footer, odd pages right, even pages left;
- the viewer's name and time as a faint diagonal watermark on every page (SPEC §6).

The fonts are named in the styles and not embedded: 方正小标宋简体 and 仿宋_GB2312 are proprietary and
present on government PCs; Word substitutes where they are missing.
"""

import functools
import io
import re
from xml.sax.saxutils import escape, quoteattr

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.simpletypes import ST_HpsMeasure
from docx.section import Section
from docx.shared import Cm, Emu, Inches, Mm, Pt, RGBColor
from docx.table import _Cell

from zhaoshang.reports.document import Meta
from zhaoshang.reports.render.blocks import Block, Span
from zhaoshang.reports.text import full_date

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
SONG_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号
TABLE_SIZE = Pt(10.5)  # 五号
NOTE_SIZE = Pt(14)  # 四号
LINE = Pt(28)
TEXT_WIDTH_MM = 210 - 28 - 26
INDENT = Pt(32)  # two characters of 三号
RED = RGBColor(0xC0, 0x00, 0x00)
ALIGN = {"l": WD_ALIGN_PARAGRAPH.LEFT, "c": WD_ALIGN_PARAGRAPH.CENTER, "r": WD_ALIGN_PARAGRAPH.RIGHT}


def _fonts(target, east_asia: str, size=None, *, bold: bool | None = None, latin: str = LATIN_FONT) -> None:
    """Set a run's or style's fonts: Latin and digits in ``latin``, Chinese in ``east_asia``."""
    font = target.font
    font.name = latin
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _paragraph_format(
    style_or_paragraph, *, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, line=LINE
) -> None:
    pf = style_or_paragraph.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    if line is not None:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = line
    pf.first_line_indent = INDENT if indent else Pt(0)
    pf.alignment = align


def _styles(document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    _fonts(normal, BODY_FONT, BODY_SIZE)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    _paragraph_format(normal)

    title = styles.add_style("公文标题", WD_STYLE_TYPE.PARAGRAPH)
    title.base_style = normal
    _fonts(title, TITLE_FONT, TITLE_SIZE, bold=False)
    _paragraph_format(title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(36))
    title.paragraph_format.space_after = Pt(14)

    subtitle = styles.add_style("公文副标题", WD_STYLE_TYPE.PARAGRAPH)
    subtitle.base_style = normal
    _fonts(subtitle, KAI_FONT, BODY_SIZE)
    _paragraph_format(subtitle, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    subtitle.paragraph_format.space_after = Pt(14)

    for level, font, bold in ((1, HEI_FONT, False), (2, KAI_FONT, False), (3, BODY_FONT, True)):
        style = styles[f"Heading {level}"]
        style.base_style = normal
        _fonts(style, font, BODY_SIZE, bold=bold)
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        _paragraph_format(style, align=WD_ALIGN_PARAGRAPH.LEFT)
        style.paragraph_format.keep_with_next = True

    note = styles.add_style("公文注释", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    _fonts(note, BODY_FONT, NOTE_SIZE)
    _paragraph_format(note, indent=False, line=Pt(22))

    caption = styles.add_style("公文表题", WD_STYLE_TYPE.PARAGRAPH)
    caption.base_style = normal
    _fonts(caption, HEI_FONT, NOTE_SIZE)
    _paragraph_format(caption, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(24))
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.keep_with_next = True

    cell = styles.add_style("公文表格", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    _fonts(cell, BODY_FONT, TABLE_SIZE)
    _paragraph_format(cell, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, line=None)
    cell.paragraph_format.line_spacing = 1.0


def _style_id(document, name: str, kind=WD_STYLE_TYPE.PARAGRAPH) -> str | None:
    """What python-docx writes for a paragraph (table) given the style ``name``: its id, None for
    the default style of its type. Looked up once a document: python-docx finds a style by name,
    and then the default style of its type, through every style each time it sets one."""
    ids = document.__dict__.setdefault("_zhaoshang_style_ids", {})
    if name not in ids:
        ids[name] = document.part.get_style_id(document.styles[name], kind)
    return ids[name]


def _add_paragraph(document, name: str, text: str = ""):
    """``document.add_paragraph(text, style=document.styles[name])``, the style's id looked up once."""
    paragraph = document.add_paragraph(text)
    paragraph._p.style = _style_id(document, name)
    return paragraph


def _page(section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(28) - Mm(7)


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE) whose value Word computes when the document is opened."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    run = paragraph.add_run("1")
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _page_number(paragraph, align) -> None:
    """ "— 1 —" in 四号宋体, one character in from the edge."""
    paragraph.alignment = align
    pf = paragraph.paragraph_format
    pf.first_line_indent = Pt(0)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        pf.right_indent = Pt(14)
    else:
        pf.left_indent = Pt(14)
    paragraph.add_run("— ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" —")
    for run in paragraph.runs:
        _fonts(run, SONG_FONT, Pt(14), latin=SONG_FONT)


_WATERMARK = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"><w:pict>
<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">
<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/>
<v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/>
<v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>
<v:f eqn="sum @6 0 @5"/></v:formulas>
<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>
<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>
<v:shape id="ZhaoshangWatermark{n}" o:spid="_x0000_s20{n}5" type="#_x0000_t136"
 style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:52pt;rotation:315;z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin"
 o:allowincell="f" fillcolor="#bfbfbf" stroked="f"><v:fill opacity=".25"/>
<v:textpath style="font-family:&quot;宋体&quot;;font-size:1pt" string={text}/></v:shape></w:pict></w:r>"""


def _watermark(header, text: str, n: int) -> None:
    paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    paragraph._p.append(parse_xml(_WATERMARK.format(n=n, text=quoteattr(text))))


def _spans(paragraph, spans: list[Span], *, east_asia: str | None = None, size=None) -> None:
    for span in spans:
        run = paragraph.add_run(span.text)
        if span.bold:
            run.bold = True
        if east_asia is not None:
            _fonts(run, east_asia, size)


# Widths in 五号 characters (10.5 pt ≈ 3.7 mm): a Chinese character is one, a digit or Latin letter
# about half, "%" and "—" a little more.
def _char_width(c: str) -> float:
    if ord(c) > 0x2E80:
        return 1.0
    if c in "%—":
        return 0.9
    return 0.6


def _text_width(spans: list[Span] | str) -> float:
    text = spans if isinstance(spans, str) else "".join(s.text for s in spans)
    return _width_of(text)


@functools.lru_cache(maxsize=65536)
def _width_of(text: str) -> float:
    # A bulletin's tables repeat their figures ("0", "—", "0%"): each text measured once.
    return sum(_char_width(c) for c in text)


_NUMBER = re.compile(r"^[-+]?[\d.,]+%?$|^—$")
# A 五号 character is 3.7 mm; cells carry 1 mm margins left and right (set on the table), plus slack.
CHAR_MM, PADDING_MM = 3.8, 2.8
CELL_MARGIN_TWIPS = 57  # 1 mm
SMALLEST_TABLE_PT = 7.5  # 小六: a table too wide even for a landscape page is set smaller, down to this
# Page widths of the text block: portrait A4, and a landscape A4 section for wide tables.
PORTRAIT_MM = TEXT_WIDTH_MM
LANDSCAPE_MM = 297 - 37 - 35


def _is_number(spans: list[Span]) -> bool:
    return bool(_NUMBER.match("".join(s.text for s in spans).strip()))


def _layout(block: Block, columns: int) -> tuple[list[float], bool, list[bool], float]:
    """(millimetres per column, landscape?, numeric column?) for a table.

    A column of numbers (and a short column: dates, ranks) is never narrower than its widest cell,
    so that no number breaks across lines; headers may wrap onto up to three lines; long text
    columns (names) take the rest, down to four characters. A table whose minimum does not fit the
    portrait width goes on a landscape page; one too wide for that is set in a smaller type (the
    last value: the type size in points), never with its numbers broken."""
    minimum, desired, numeric = [], [], []
    for i in range(columns):
        cells = [row[i] for row in block.rows if i < len(row)]
        is_numeric = bool(cells) and all(_is_number(c) or not plain_text(c) for c in cells)
        body = max((_text_width(c) for c in cells), default=1.0)
        head = _text_width(block.header[i]) if i < len(block.header) else 1.0
        short = is_numeric or body <= 8
        # The header wraps onto three lines at most, and keeps a run of Latin letters or digits whole.
        header_text = plain_text(block.header[i]) if i < len(block.header) else ""
        latin_runs = re.findall(r"[\x00-\u2e7f]+", header_text)
        head_min = max([head / 3, *(_text_width(w) for w in latin_runs)])
        need = max(body, head_min, 2.0) if short else max(min(body, 4.0), head_min, 2.0)
        minimum.append(need * CHAR_MM + PADDING_MM)
        desired.append(max(body, head / 2, 2.0) * CHAR_MM + PADDING_MM)
        numeric.append(is_numeric)
    landscape = sum(minimum) > PORTRAIT_MM
    width = LANDSCAPE_MM if landscape else PORTRAIT_MM
    size = TABLE_SIZE.pt
    if sum(desired) <= width:
        # Everything fits as wished: widen proportionally to the full text width.
        return [width * w / sum(desired) for w in desired], landscape, numeric, size
    if sum(minimum) >= width:
        # Smaller type: the text part of each column shrinks with it, the padding does not.
        text_mm = sum(minimum) - PADDING_MM * columns
        scale = max((width - PADDING_MM * columns) / text_mm, SMALLEST_TABLE_PT / TABLE_SIZE.pt)
        size = TABLE_SIZE.pt * scale
        return [(m - PADDING_MM) * scale + PADDING_MM for m in minimum], landscape, numeric, size
    # Between the minimum and the wish: every column gets its minimum, the rest is shared by how
    # much more each column would like.
    spare = width - sum(minimum)
    extra = [d - m for d, m in zip(desired, minimum, strict=True)]
    total = sum(extra) or 1.0
    return [m + spare * e / total for m, e in zip(minimum, extra, strict=True)], landscape, numeric, size


def plain_text(spans: list[Span]) -> str:
    return "".join(s.text for s in spans)


def _set_orientation(section, landscape: bool) -> None:
    _page(section)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin, section.right_margin = Mm(37), Mm(35)
    else:
        section.orientation = WD_ORIENT.PORTRAIT


def _row_props(tr, *, header: bool = False) -> None:
    """A row never splits across pages; the header row repeats on every page."""
    trpr = tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    trpr.append(cant)
    if header:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        trpr.append(repeat)


def _no_wrap(cell) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    tcpr.append(OxmlElement("w:noWrap"))


_JC = {"l": "left", "c": "center", "r": "right"}


def _plain_cells(block: Block) -> bool:
    """No cell text with a tab, a line break or another control character (python-docx turns those
    into elements of their own: such a table takes the slow path)."""
    return not any(ch < " " for row in block.rows for spans in row for span in spans for ch in span.text)


def _run_xml(span: Span, sz: str) -> str:
    props = ("<w:b/>" if span.bold else "") + sz
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    text = span.text
    if not text:
        return f"<w:r>{rpr}</w:r>"
    space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
    return f"<w:r>{rpr}<w:t{space}>{escape(text)}</w:t></w:r>"


def _rows_xml(block: Block, columns: int, twips: list[str], numeric: list[bool], sz: str, style: str) -> str:
    """The body rows of ``_table``: each row unsplittable, each cell its width, its paragraph in the
    table style with the column's alignment, numbers unwrapped; the first row kept with the next."""
    out = []
    keep_first = len(block.rows) > 1
    jcs = [_JC[block.align[i] if i < len(block.align) else "c"] for i in range(columns)]
    for index, row in enumerate(block.rows):
        keep = "<w:keepNext/>" if index == 0 and keep_first else ""
        out.append('<w:tr><w:trPr><w:cantSplit w:val="true"/></w:trPr>')
        for i in range(columns):
            spans = row[i] if i < len(row) else []
            no_wrap = "<w:noWrap/>" if numeric[i] or _is_number(spans) else ""
            out.append(
                f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{twips[i]}"/>{no_wrap}</w:tcPr>'
                f'<w:p><w:pPr><w:pStyle w:val={style}/>{keep}<w:jc w:val="{jcs[i]}"/></w:pPr>'
                + "".join(_run_xml(span, sz) for span in spans)
                + "</w:p></w:tc>"
            )
        out.append("</w:tr>")
    return "".join(out)


def _table(document, block: Block, caption=None, layout=None) -> None:
    columns = max([len(block.header), *(len(r) for r in block.rows)])
    widths_mm, landscape, numeric, size_pt = layout or _layout(block, columns)
    size = Pt(size_pt) if size_pt < TABLE_SIZE.pt else None
    if landscape:
        # A wide table on its own landscape page(s), its caption with it; portrait again after.
        section = document.add_section(WD_SECTION.NEW_PAGE)
        _set_orientation(section, True)
        if caption is not None:
            moved = _add_paragraph(document, "公文表题")
            _spans(moved, caption.spans)
    # ``document.add_table`` less its two walks of the whole body (the last section's width, the
    # default table style): the same table.
    section = Section(document.element.body.get_or_add_sectPr(), document.part)
    block_width = Emu(
        (section.page_width or Inches(8.5))
        - (section.left_margin or Inches(1))
        - (section.right_margin or Inches(1))
    )
    table = document._body.add_table(1, columns, block_width)
    table._tbl.tblStyle_val = _style_id(document, "Table Grid", WD_STYLE_TYPE.TABLE)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Mm(w) for w in widths_mm]
    # Word reads the cells' widths, LibreOffice the grid's: set both, and a fixed layout.
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(width.twips)))
    tblpr = table._tbl.tblPr
    fixed = OxmlElement("w:tblLayout")
    fixed.set(qn("w:type"), "fixed")
    tblpr.append(fixed)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tblpr.append(margins)
    # Cells straight from each row's XML: python-docx's ``table.rows[i]`` and ``row.cells`` walk the
    # whole table on every call, which is quadratic for a bulletin's 3 000-unit table. No cell here
    # is merged, so a row's <w:tc> elements are its cells.
    style_id = _style_id(document, "公文表格")
    trs = table._tbl.tr_lst
    rows = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in trs]
    for cells in rows:
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
    for index, tr in enumerate(trs):
        _row_props(tr, header=index == 0)
    for i in range(columns):
        paragraph = rows[0][i].paragraphs[0]
        paragraph._p.get_or_add_pPr().style = style_id
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # The header and the first row stay with the caption: no table starts with one row at a
        # page's foot.
        paragraph.paragraph_format.keep_with_next = True
        _spans(
            paragraph,
            block.header[i] if i < len(block.header) else [],
            east_asia=HEI_FONT,
            size=size or TABLE_SIZE,
        )
    if _plain_cells(block):
        # The body rows as XML text, parsed once: python-docx spends ~50µs an element building a
        # bulletin's 3 000-unit tables cell by cell. The elements are the ones the branch below makes.
        twips = [str(int(width.twips)) for width in widths]
        sz = "" if size is None else f'<w:sz w:val="{ST_HpsMeasure.convert_to_xml(size)}"/>'
        body = _rows_xml(block, columns, twips, numeric, sz, quoteattr(style_id))
        for tr in parse_xml(f"<w:tbl {nsdecls('w')}>{body}</w:tbl>"):
            table._tbl.append(tr)
        _add_paragraph(document, "公文注释")
        return
    for _index in range(len(block.rows)):
        _row_props(table.add_row()._tr)  # its cells as wide as the grid's columns
    rows = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
    for index, (cells, row) in enumerate(zip(rows[1:], block.rows, strict=True)):
        for i in range(columns):
            paragraph = cells[i].paragraphs[0]
            paragraph._p.get_or_add_pPr().style = style_id
            align = block.align[i] if i < len(block.align) else "c"
            paragraph.alignment = ALIGN[align]
            if index == 0 and len(block.rows) > 1:
                paragraph.paragraph_format.keep_with_next = True
            spans = row[i] if i < len(row) else []
            if numeric[i] or _is_number(spans):
                _no_wrap(cells[i])
            _spans(paragraph, spans)
            if size is not None:
                for run in paragraph.runs:
                    run.font.size = size
    _add_paragraph(document, "公文注释")


def _chart(document, block: Block, png: bytes | None) -> None:
    if png is None:
        return
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(15))
    caption = _add_paragraph(document, "公文注释", block.caption)
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER


# 二号 (22 pt) characters on one line of the 156 mm text block.
TITLE_LINE = 20


def _title(paragraph, spans: list[Span]) -> None:
    """The title, broken by hand into balanced lines when it is longer than one, so that its last
    line never holds a lone character (and the break never falls inside a number)."""
    text = "".join(s.text for s in spans)
    width = _text_width(text)
    if width <= TITLE_LINE:
        _spans(paragraph, spans)
        return
    lines = int(-(-width // TITLE_LINE))
    target = width / lines
    breaks, run = [], 0.0
    for index, char in enumerate(text):
        run += _char_width(char)
        nxt = text[index + 1] if index + 1 < len(text) else ""
        inside_number = char.isdigit() and (nxt.isdigit() or nxt in ".%")
        if run >= target * (len(breaks) + 1) and not inside_number and nxt and len(breaks) < lines - 1:
            breaks.append(index + 1)
    pieces, last = [], 0
    for b in breaks:
        pieces.append(text[last:b])
        last = b
    pieces.append(text[last:])
    for n, piece in enumerate(pieces):
        run = paragraph.add_run(piece)
        if n < len(pieces) - 1:
            run.add_break()


def render(blocks: list[Block], meta: Meta, charts: dict[str, bytes]) -> bytes:
    document = Document()
    _styles(document)
    section = document.sections[0]
    _page(section)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    if meta.watermark:
        _watermark(section.header, meta.watermark, 1)
        _watermark(section.even_page_header, meta.watermark, 2)
    core = document.core_properties
    core.title = meta.title
    core.author = meta.issuer or ""
    core.keywords = meta.classification or ""

    body = document.paragraphs[0] if document.paragraphs else None
    if body is not None and not body.text:
        body._p.getparent().remove(body._p)
    if meta.classification:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(0)
        _fonts(paragraph.add_run(meta.classification), HEI_FONT, BODY_SIZE)
    if meta.doc_number:
        if meta.issuer:
            head = document.add_paragraph()
            head.alignment = WD_ALIGN_PARAGRAPH.CENTER
            head.paragraph_format.first_line_indent = Pt(0)
            head.paragraph_format.line_spacing = Pt(48)
            run = head.add_run(meta.issuer)
            _fonts(run, TITLE_FONT, Pt(24))
            run.font.color.rgb = RED
        number = document.add_paragraph()
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        number.paragraph_format.first_line_indent = Pt(0)
        number.add_run(meta.doc_number)
        # The red rule under the 版头.
        ppr = number._p.get_or_add_pPr()
        border = parse_xml(
            '<w:pBdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            '<w:bottom w:val="single" w:sz="18" w:space="12" w:color="C00000"/></w:pBdr>'
        )
        ppr.append(border)
        document.add_paragraph()

    pending_caption = None
    portrait_after = False  # a landscape table was set: portrait again after it (and its 注)
    for block in blocks:
        kind = block.kind
        if portrait_after and kind != "note":
            _set_orientation(document.add_section(WD_SECTION.NEW_PAGE), False)
            portrait_after = False
        if pending_caption is not None and kind != "table":
            _spans(_add_paragraph(document, "公文表题"), pending_caption.spans)
            pending_caption = None
        if kind == "title":
            _title(_add_paragraph(document, "公文标题"), block.spans)
        elif kind == "subtitle":
            _spans(_add_paragraph(document, "公文副标题"), block.spans)
        elif kind == "heading":
            level = min(block.level, 3)
            _spans(_add_paragraph(document, f"Heading {level}"), block.spans)
        elif kind == "paragraph":
            _spans(_add_paragraph(document, "Normal"), block.spans)
        elif kind == "note":
            _spans(_add_paragraph(document, "公文注释"), block.spans)
            if portrait_after:
                _set_orientation(document.add_section(WD_SECTION.NEW_PAGE), False)
                portrait_after = False
        elif kind == "caption":
            pending_caption = block
        elif kind == "table":
            columns = max([len(block.header), *(len(r) for r in block.rows)])
            layout = _layout(block, columns)  # measured once: a 3 000-row table's cells are many
            wide = layout[1]
            if pending_caption is not None and not wide:
                _spans(_add_paragraph(document, "公文表题"), pending_caption.spans)
            _table(document, block, pending_caption if wide else None, layout)
            pending_caption = None
            portrait_after = wide
        elif kind == "chart":
            _chart(document, block, charts.get(block.chart))

    if portrait_after:
        _set_orientation(document.add_section(WD_SECTION.NEW_PAGE), False)
    closing = [meta.issuer] if meta.issuer else []
    if meta.issued_on:
        closing.append(full_date(meta.issued_on))
    if closing:
        document.add_paragraph()
        for line in closing:
            paragraph = document.add_paragraph(line)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.first_line_indent = Pt(0)
            paragraph.paragraph_format.right_indent = INDENT * 2
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
