"""Streaming the rows of an uploaded .xlsx, .xls or .csv file, numbered as Excel shows them.

python-calamine (Rust's calamine) reads .xlsx and .xls fastest when it is installed; without it,
openpyxl reads .xlsx in read-only mode (row by row, constant memory) and xlrd, when installed, reads
.xls. CSV files from WPS and old Excel come in GB18030 as often as in UTF-8: both are tried.
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


@dataclass
class Table:
    """The first worksheet: ``rows`` yields (Excel row number, cell values); ``total`` is the number
    of rows the file declares (for progress; an estimate, 0 when unknown)."""

    rows: Iterator[tuple[int, list]]
    total: int


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

    end = sheet.end  # (last row, last column), 0-based; None for an empty sheet
    return Table(rows=rows(), total=end[0] + 1 if end else 0)


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

    def rows() -> Iterator[tuple[int, list]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(values)
        finally:
            workbook.close()

    return Table(rows=rows(), total=sheet.max_row or 0)


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

    return Table(rows=rows(), total=sheet.nrows)


def _csv_encoding(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return "gb18030"
    return "utf-8"


def _csv_rows(path: Path) -> Table:
    encoding = _csv_encoding(path)
    with path.open("rb") as handle:
        total = sum(1 for _line in handle)
    try:
        with path.open(encoding=encoding, newline="") as handle:
            sample = handle.read(8192)
    except UnicodeDecodeError as exc:
        raise UnreadableFile(_("无法识别CSV文件的编码(应为UTF-8或GBK)")) from exc
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel

    def rows() -> Iterator[tuple[int, list]]:
        with path.open(encoding=encoding, newline="", errors="replace") as handle:
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
