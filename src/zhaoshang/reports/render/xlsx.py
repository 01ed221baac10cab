"""Blocks → Excel (.xlsx): one sheet per table, named after its caption, numbers as numbers
("345.7" a number, "61.4%" a percentage, "—" empty); a first sheet with the text.

The header and footer carry the 密级, the title and, when known, the viewer's name and time
(SPEC §6: exports are traceable)."""

import io
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from zhaoshang.reports.document import Meta
from zhaoshang.reports.render.blocks import Block, plain

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_PERCENT = re.compile(r"^-?\d+(\.\d+)?%$")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
FONT = "仿宋"
TEXT_SHEET = "正文"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def cell_value(text: str):
    """ "66" → 66, "345.7" → Decimal("345.7"), "61.4%" → Decimal("0.614") (shown as a percentage),
    "—" → None; anything else stays text."""
    text = text.strip().replace(",", "")
    if text in ("", "—", "-"):
        return None, None
    if _NUMBER.match(text):
        try:
            value = Decimal(text)
        except InvalidOperation:
            return text, None
        return (int(value) if value == value.to_integral() and "." not in text else value), None
    if _PERCENT.match(text):
        value = Decimal(text[:-1]) / 100
        places = len(text[:-1].split(".")[1]) if "." in text else 0
        return value, "0." + "0" * places + "%" if places else "0%"
    return text, None


def _width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _sheet_name(caption: str, taken: set[str], index: int) -> str:
    name = re.sub(r"^表\s*\d+\s*", "", caption).strip() or f"表{index}"
    name = _BAD_SHEET_CHARS.sub("", name)[:28] or f"表{index}"
    base, n = name, 2
    while name in taken:
        name = f"{base[:26]}{n}"
        n += 1
    taken.add(name)
    return name


def _page_setup(sheet, meta: Meta) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.oddHeader.left.text = meta.classification or ""
    sheet.oddHeader.center.text = meta.title
    if meta.watermark:
        sheet.oddHeader.right.text = meta.watermark
    sheet.oddFooter.center.text = _("第 &P 页，共 &N 页")


def render(blocks: list[Block], meta: Meta) -> bytes:
    workbook = Workbook()
    text_sheet = workbook.active
    text_sheet.title = TEXT_SHEET
    _page_setup(text_sheet, meta)
    text_sheet.column_dimensions["A"].width = 120
    row = 1
    for line in [meta.classification, meta.doc_number]:
        if line:
            text_sheet.cell(row=row, column=1, value=line).font = Font(name="黑体", size=12)
            row += 1
    taken = {TEXT_SHEET}
    for index, block in enumerate(blocks, start=1):
        if block.kind == "table":
            _table_sheet(workbook, block, meta, _sheet_name(block.caption, taken, index))
            continue
        text = f"〔{block.caption}〕" if block.kind == "chart" else block.text
        if not text:
            continue
        cell = text_sheet.cell(row=row, column=1, value=text)
        if block.kind == "title":
            cell.font = Font(name="黑体", size=16, bold=True)
            cell.alignment = Alignment(horizontal="center")
        elif block.kind == "heading":
            cell.font = Font(name="黑体" if block.level == 1 else "楷体", size=12, bold=block.level == 1)
        else:
            cell.font = Font(name=FONT, size=12)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    for line in [
        meta.issuer,
        meta.issued_on and f"{meta.issued_on.year}年{meta.issued_on.month}月{meta.issued_on.day}日",
    ]:
        if line:
            text_sheet.cell(row=row, column=1, value=line).alignment = Alignment(horizontal="right")
            row += 1
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _table_sheet(workbook, block: Block, meta: Meta, name: str) -> None:
    sheet = workbook.create_sheet(name)
    _page_setup(sheet, meta)
    sheet.page_setup.orientation = "landscape" if len(block.header) > 7 else "portrait"
    sheet.cell(row=1, column=1, value=block.caption or name).font = Font(name="黑体", size=14, bold=True)
    if len(block.header) > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(block.header))
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    widths = [0] * len(block.header)
    head_fill = PatternFill("solid", fgColor="F2F2F2")
    for c, spans in enumerate(block.header, start=1):
        text = plain(spans)
        cell = sheet.cell(row=2, column=c, value=text)
        cell.font = Font(name="黑体", size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = head_fill
        cell.border = BORDER
        widths[c - 1] = min(max(widths[c - 1], _width(text) * 0.6 + 2), 30)
    for r, row in enumerate(block.rows, start=3):
        for c, spans in enumerate(row, start=1):
            text = plain(spans)
            value, number_format = cell_value(text)
            cell = sheet.cell(row=r, column=c, value=value)
            cell.font = Font(name=FONT, size=11)
            cell.border = BORDER
            if number_format:
                cell.number_format = number_format
            align = block.align[c - 1] if c - 1 < len(block.align) else "c"
            if isinstance(value, str):
                cell.alignment = Alignment(
                    horizontal={"l": "left", "c": "center", "r": "right"}[align], wrap_text=True
                )
            if c - 1 < len(widths):
                widths[c - 1] = min(max(widths[c - 1], _width(text) + 2), 40)
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = max(width, 6)
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
