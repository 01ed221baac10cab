"""Streaming the rows of an uploaded .xlsx, .xls or .csv file, numbered as Excel shows them.

python-calamine (Rust's calamine) reads .xlsx and .xls fastest when it is installed; without it,
openpyxl reads .xlsx in read-only mode (row by row, constant memory) and xlrd, when installed, reads
.xls. CSV files from WPS and old Excel come in GB18030 as often as in UTF-8, and Excel's "Unicode
text" in UTF-16: the encoding is decided once for the whole file (``csv_encoding``).

Merged cells: a range merged over several rows (引进单位 merged over the projects it brought in, as
bureaus lay out their sheets) means its value on every one of those rows, so the value is copied
down into each cell of the range. A range within one row (a title over all columns, a 合计 label)
keeps its value in its first cell only: copied across, a title would look like a header.
"""

import codecs
import csv
import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")


class UnreadableFile(Exception):
    """The file cannot be read as a spreadsheet; the message says why, in Chinese."""


# (first row, first column, last row, last column): rows numbered as Excel shows them, columns as
# indexes into the lists a Table yields.
Merge = tuple[int, int, int, int]


@dataclass
class Table:
    """The first worksheet: ``rows`` yields (Excel row number, cell values); ``total`` is the number
    of rows the file declares (for progress; an estimate, 0 when unknown)."""

    rows: Iterator[tuple[int, list]]
    total: int


def _filled_down(rows: Iterator[tuple[int, list]], merges: list[Merge]) -> Iterator[tuple[int, list]]:
    """``rows`` with the value of each range merged over several rows copied into all its cells
    (see the module doc); ranges within one row are left alone."""
    pending = sorted((m for m in merges if m[2] > m[0]), key=lambda m: m[0])
    if not pending:
        yield from rows
        return
    active: list[tuple[Merge, object]] = []  # ranges begun above, with their value
    for number, values in rows:
        active = [(m, v) for m, v in active if m[2] >= number]
        while pending and pending[0][0] < number:  # begun on a row the reader skipped
            pending.pop(0)
        while pending and pending[0][0] == number:
            merge = pending.pop(0)
            value = values[merge[1]] if merge[1] < len(values) else None
            active.append((merge, value))
        for (_top, first, _bottom, last), value in active:
            if len(values) <= last:
                values.extend([None] * (last + 1 - len(values)))
            for column in range(first, last + 1):
                values[column] = value
        yield number, values


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _calamine_rows(path: Path) -> Table:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = _first_visible_calamine_sheet(workbook)
    except Exception as exc:  # calamine raises its own error types for every kind of bad file
        raise UnreadableFile(_("无法读取文件:{error}").format(error=exc)) from exc

    def rows() -> Iterator[tuple[int, list]]:
        # calamine starts at row 1 (leading empty rows included) but drops leading empty columns;
        # columns are found by their header, so only the row numbers need to match Excel's.
        for number, values in enumerate(sheet.iter_rows(), start=1):
            yield number, [None if value == "" else value for value in values]

    # calamine gives merged ranges 0-based in sheet coordinates, for .xls and .xlsx alike.
    left = sheet.start[1] if sheet.start else 0
    merges = [
        (top + 1, first - left, bottom + 1, last - left)
        for (top, first), (bottom, last) in (getattr(sheet, "merged_cell_ranges", None) or [])
    ]
    end = sheet.end  # (last row, last column), 0-based; None for an empty sheet
    return Table(rows=_filled_down(rows(), merges), total=end[0] + 1 if end else 0)


def _first_visible_calamine_sheet(workbook):
    for meta in workbook.sheets_metadata:
        visible = str(getattr(meta, "visible", "")).lower().endswith(".visible")
        if visible and "worksheet" in str(getattr(meta, "typ", "worksheet")).lower():
            return workbook.get_sheet_by_name(meta.name)
    return workbook.get_sheet_by_index(0)


def _openpyxl_rows(path: Path) -> Table:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl errors alike: not a readable .xlsx
        raise UnreadableFile(_("无法读取文件(不是有效的 .xlsx 文件):{error}").format(error=exc)) from exc
    sheets = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"] or workbook.worksheets
    sheet = sheets[0]

    merges = _xlsx_merges(workbook, sheet)

    def rows() -> Iterator[tuple[int, list]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(values)
        finally:
            workbook.close()

    return Table(rows=_filled_down(rows(), merges), total=sheet.max_row or 0)


def _xlsx_merges(workbook, sheet) -> list[Merge]:
    """The merged ranges of a read-only openpyxl sheet, which does not read them: its XML is
    scanned for ``<mergeCell ref="D5:D6"/>`` (they follow the cells, so the whole part is read, in
    a stream)."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import range_boundaries

    path = getattr(sheet, "_worksheet_path", None)
    archive = getattr(workbook, "_archive", None)
    if path is None or archive is None:
        return []
    merges = []
    with archive.open(path) as part:
        for _event, element in iterparse(part):
            if element.tag.endswith("}mergeCell") and element.get("ref"):
                first, top, last, bottom = range_boundaries(element.get("ref"))
                merges.append((top, first - 1, bottom, last - 1))
            element.clear()
    return merges


def _xlrd_rows(path: Path) -> Table:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path))
    except Exception as exc:  # xlrd.XLRDError and friends
        raise UnreadableFile(_("无法读取文件(不是有效的 .xls 文件):{error}").format(error=exc)) from exc
    sheet = book.sheet_by_index(0)

    def value(cell):
        if cell.ctype == xlrd.XL_CELL_DATE:
            return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            return None
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        return cell.value

    def rows() -> Iterator[tuple[int, list]]:
        for index in range(sheet.nrows):
            yield index + 1, [value(c) for c in sheet.row(index)]

    # xlrd: (first row, row after the last, first column, column after the last), 0-based.
    merges = [(r0 + 1, c0, r1, c1 - 1) for r0, r1, c0, c1 in getattr(sheet, "merged_cells", [])]
    return Table(rows=_filled_down(rows(), merges), total=sheet.nrows)


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    # Excel's "Unicode 文本" (and WPS's) is UTF-16LE with its BOM; Python's utf-16 reads either order.
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CHUNK = 1 << 16


def csv_encoding(path: Path) -> str:
    """The encoding of a text file, decided the same way every time, on the whole file:

    1. a byte-order mark says it (UTF-8, UTF-16);
    2. else, if the bytes decode as UTF-8, UTF-8: GB18030 text is almost never also valid UTF-8
       (its two-byte characters would have to fall exactly on UTF-8's lead/continuation pattern,
       over a whole file), while every UTF-8 file with Chinese in it is valid GB18030 byte for byte
       and would come out as mojibake — so UTF-8 must be tried first;
    3. else GB18030, a superset of GB2312 and GBK, so that files saved as "GBK" or "ANSI" by
       Chinese Excel and WPS read right;
    4. else neither: the file is refused rather than read with replacement characters.
    """
    with path.open("rb") as handle:
        head = handle.read(4)
        for bom, encoding in _BOMS:
            if head.startswith(bom):
                return encoding
        for encoding in ("utf-8", "gb18030"):
            handle.seek(0)
            decoder = codecs.getincrementaldecoder(encoding)("strict")
            try:
                while chunk := handle.read(_CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                continue
            return encoding
    raise UnreadableFile(_("无法识别文件编码，请另存为 UTF-8 或 Excel 工作簿"))


# Comma, tab and semicolon separate cells; the full-width comma (，) is punctuation inside Chinese
# text and never a separator.
DELIMITERS = ",\t;"


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    """The separator of the first lines: the sniffer first, then the separator the header line holds
    most of (the sniffer gives up on short files); comma when nothing is found."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        first = sample.split("\n", 1)[0]
        counts = {d: first.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        if counts[best] and best != ",":
            return csv.excel_tab if best == "\t" else _Semicolon
        return csv.excel


class _Semicolon(csv.excel):
    delimiter = ";"


def _csv_rows(path: Path) -> Table:
    encoding = csv_encoding(path)
    with path.open("rb") as handle:
        total = sum(1 for _line in handle)
    with path.open(encoding=encoding, newline="") as handle:
        sample = handle.read(8192)
    dialect = _dialect(sample)

    def rows() -> Iterator[tuple[int, list]]:
        with path.open(encoding=encoding, newline="") as handle:
            # A quoted cell may span lines; Excel shows such a record as one row, so rows are
            # numbered by record, not by line.
            for number, values in enumerate(csv.reader(handle, dialect), start=1):
                yield number, [v if v != "" else None for v in values]

    return Table(rows=rows(), total=total)


def open_table(path: str | Path, filename: str | None = None) -> Table:
    """The rows of the first visible worksheet (or of the CSV file) at ``path``.

    ``filename`` is the name the user gave the file (an upload is stored under another name): its
    suffix decides how the file is read.
    """
    path = Path(path)
    suffix = Path(filename or path.name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFile(
            _("不支持的文件类型“{suffix}”,请上传 .xlsx、.xls 或 .csv 文件").format(suffix=suffix or "")
        )
    if not path.exists():
        raise UnreadableFile(_("文件不存在:{path}").format(path=path))
    if suffix == ".csv":
        return _csv_rows(path)
    if _has("python_calamine"):
        return _calamine_rows(path)
    if suffix == ".xls":
        if _has("xlrd"):
            return _xlrd_rows(path)
        raise UnreadableFile(_("读取 .xls 文件需要安装 python-calamine;请另存为 .xlsx 后再导入"))
    return _openpyxl_rows(path)
