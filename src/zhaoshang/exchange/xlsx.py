"""A small streaming .xlsx writer: what the templates and exports need, fast and in constant memory.

openpyxl's write-only mode spends about 10µs a cell (a cell object, its style bound, lxml); an
export of 100 000 projects is 2.5 million cells. Here a row becomes XML text in one pass over its
values — no object per cell — and goes straight into its zip entry, a batch of rows at a time.

It writes what ``workbooks`` uses and nothing more: text (inline strings, as openpyxl's write-only
mode writes them too), numbers, booleans, dates and times, a few cell styles, column widths, a frozen
header row, list drop-downs, the printed page's header and footer, hidden sheets and the document's
author and description. Text that XML cannot carry (control characters) is dropped; text starting
with ``=`` stays text (never a formula).
"""

import datetime
import math
import queue
import re
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import quoteattr

from django.utils import timezone
from django.utils.dateparse import parse_date

# Cell styles (indexes into styles.xml's cellXfs, below).
NORMAL, HEADER_REQUIRED, HEADER, DATE, TITLE, WRAP, DATETIME = range(7)

# Rows joined into one string before they are written to the zip entry.
ROWS_PER_WRITE = 500
# Deflate level 1, not zlib's default 6: an export's sheet is repetitive XML, and level 6 spends
# 2.6 times the CPU for a file a fifth smaller (100 000 projects: 2.1 s → 0.8 s of deflating, 18 MB →
# 23 MB; a whole province's 200 000, about 46 MB, still under the 50 MB an import takes).
COMPRESS_LEVEL = 1

_EPOCH = datetime.date(1899, 12, 30)  # Excel's day 0 (serial 1 = 1900-01-01, with its leap-year bug)
_EPOCH_TIME = datetime.datetime(1899, 12, 30)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")  # text to escape
# Text written as it is: nothing to escape or drop, no space at either end (one match a cell).
_NOT_PLAIN = "&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff"
_PLAIN = re.compile(f"[^\\s{_NOT_PLAIN}](?:[^{_NOT_PLAIN}]*[^\\s{_NOT_PLAIN}])?").fullmatch
_LETTERS: list[str] = []

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    while len(_LETTERS) < index:
        n, letters = len(_LETTERS) + 1, ""
        while n:
            n, rest = divmod(n - 1, 26)
            letters = chr(65 + rest) + letters
        _LETTERS.append(letters)
    return _LETTERS[index - 1]


def _escape(text: str) -> str:
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:  # a reader would take a bare carriage return for a line feed
        text = text.replace("\r", "&#13;")
    return text


def _attr(text: str) -> str:
    """An attribute value, quoted."""
    return quoteattr(_ILLEGAL.sub("", text))


def _text_cell(ref: str, text: str, style: int) -> str:
    s = f' s="{style}"' if style else ""
    # Spaces at either end are kept only when the text says so.
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>'


def _decimal(value: Decimal) -> str | int | float:
    """An exact decimal as a spreadsheet holds it: whole numbers as they are, others as the number
    nearest (what a cell keeps), or as text beyond the 15 significant digits a cell keeps."""
    if not value.is_finite():
        return str(value)
    if value == value.to_integral_value():
        return int(value)
    if len(value.normalize().as_tuple().digits) > 15:
        return format(value.normalize(), "f")
    return float(value)


def cell_xml(ref: str, value: Any, style: int = NORMAL) -> str:
    """One cell; "" for an empty one (None or empty text: no cell is written)."""
    kind = type(value)
    if kind is str:
        return _text_cell(ref, value, style) if value else ""
    if value is None:
        return ""
    s = f' s="{style}"' if style else ""
    if kind is bool:
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if kind is int:
        return f'<c r="{ref}"{s}><v>{value}</v></c>'
    if kind is float:
        if math.isfinite(value):
            return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
        return _text_cell(ref, str(value), style)
    if isinstance(value, Decimal):
        return cell_xml(ref, _decimal(value), style)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        serial = (value - _EPOCH_TIME) / datetime.timedelta(days=1)
        return f'<c r="{ref}" s="{style or DATETIME}"><v>{serial!r}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="{style or DATE}"><v>{(value - _EPOCH).days}</v></c>'
    if isinstance(value, bool | int):  # subclasses (an IntEnum …)
        return cell_xml(ref, int(value), style)
    if isinstance(value, float):
        return cell_xml(ref, float(value), style)
    return cell_xml(ref, str(value), style)  # str subclasses (choices), lazy translations …


def cell_tail(value: Any) -> str:
    """``cell_xml`` without its head (``<c r="A1``): what follows the reference, from its closing
    quote; "" for an empty cell. A row written from ``Rows`` is these tails behind each cell's
    reference."""
    xml = cell_xml("", value)
    return xml[6:] if xml else ""


class _Tails(dict):
    """A column's cell tails by stored value, made on first use: for columns of few values (labels,
    dates)."""

    def __init__(self, tail: Callable[[Any], str], known: dict | None = None):
        super().__init__(known or {})
        self.tail = tail

    def __missing__(self, key):
        tail = self[key] = self.tail(key)
        return tail


def _date_tail(value) -> str:
    if isinstance(value, str):  # SQLite keeps dates as text
        value = parse_date(value)
    return cell_tail(value)


@dataclass(frozen=True)
class Column:
    """How ``Rows`` writes one column: ``position`` in the stored row and ``kind``:

    - ``text``: text or nothing (None, "");
    - ``int``: a whole number or None;
    - ``date``: a date (or SQLite's text of one) or None;
    - ``tails``: ``convert`` gives the cell's value for each stored value; for columns of few
      distinct values (labels, 是/否), each written once and remembered;
    - ``value``: ``convert`` gives the cell's value (any type ``cell_xml`` writes).

    A ``computed`` column reads its value from the row's computed values (made apart).
    """

    position: int
    kind: str
    convert: Callable[[Any], Any] | None = None
    computed: bool = False  # ``position`` in the row's computed values, not its stored ones


class Rows:
    """An export's rows as stored values with each column's kind (``Column``), in batches (each a
    list of stored rows and a list of their computed values, row by row): written
    to the sheet by a function made for these columns (no per-cell type dispatch), the same XML as
    ``Sheet.extend`` writes for the values ``values`` gives. Iterating gives those values."""

    def __init__(
        self,
        batches: Iterable[tuple[list[Sequence[Any]], list[Sequence[Any]]]],
        columns: Sequence[Column],
        values: Callable[[], Iterator[Sequence[Any]]],
    ):
        self.batches = batches
        self.columns = list(columns)
        self.values = values

    def __iter__(self) -> Iterator[Sequence[Any]]:
        return iter(self.values())

    def row_function(self) -> Callable[[Sequence[Any], str], str]:
        """``function(stored_row, computed_values, row_number_text)`` → the row's ``<c>`` elements."""
        env: dict[str, Any] = {"plain": _PLAIN, "tail": cell_tail, "dates": _Tails(_date_tail)}
        lines = ["def row(v, e, n):", "    p = []", "    a = p.append"]
        for index, column in enumerate(self.columns):
            head = f"'<c r=\"{column_letter(index + 1)}' + n"
            lines.append(f"    x = {'e' if column.computed else 'v'}[{column.position}]")
            if column.kind == "text":
                lines += [
                    "    if x:",
                    f"        a({head} + ('\" t=\"inlineStr\"><is><t>' + x + '</t></is></c>' if plain(x) else tail(x)))",
                ]
            elif column.kind == "int":
                lines += ["    if x is not None:", f"        a({head} + '\"><v>' + str(x) + '</v></c>')"]
            elif column.kind == "date":
                lines += [
                    "    if x is not None:",
                    "        x = dates[x]",
                    "        if x:",
                    f"            a({head} + x)",
                ]
            elif column.kind == "tails":
                convert = column.convert
                env[f"t{index}"] = _Tails(lambda value, convert=convert: cell_tail(convert(value)))
                lines += [f"    x = t{index}[x]", "    if x:", f"        a({head} + x)"]
            elif column.kind == "value":
                env[f"f{index}"] = column.convert
                lines += [f"    x = tail(f{index}(x))", "    if x:", f"        a({head} + x)"]
            else:
                raise ValueError(f"unknown column kind {column.kind}")
        lines.append("    return ''.join(p)")
        exec("\n".join(lines), env)  # (code made above from the column kinds alone, no data)
        return env["row"]


@dataclass(frozen=True)
class Cell:
    """A value with a style (``HEADER``, ``TITLE`` …): for the few cells that are not plain."""

    value: Any
    style: int = NORMAL


@dataclass
class Validation:
    """A list drop-down on ``sqref`` (``L2:L2001``) drawing its values from ``formula``."""

    sqref: str
    formula: str
    prompt_title: str = ""
    prompt: str = ""

    def xml(self) -> str:
        attrs = 'type="list" allowBlank="1" showErrorMessage="0"'
        attrs += f' showInputMessage="{1 if self.prompt else 0}"'
        if self.prompt_title:
            attrs += f" promptTitle={_attr(self.prompt_title[:32])}"
        if self.prompt:
            attrs += f" prompt={_attr(self.prompt[:255])}"
        return f'<dataValidation {attrs} sqref="{self.sqref}"><formula1>{_escape(self.formula)}</formula1></dataValidation>'


def _print_text(code: str, text: str) -> str:
    return _escape(code + text.replace("&", "&&")) if text else ""


@dataclass
class Sheet:
    """One worksheet, streamed: its head is written when it is opened (so widths and the frozen
    header row are set before), its rows as they come, and the rest (drop-downs, the printed header
    and footer) when it is closed."""

    book: "Workbook"
    title: str
    hidden: bool = False
    widths: dict[int, float] = field(default_factory=dict)  # column (1-based) → width
    freeze_header: bool = False
    print_header_right: str = ""
    print_footer_center: str = ""
    validations: list[Validation] = field(default_factory=list)
    rows: int = 0
    index: int = field(default=0, init=False)  # its place in the workbook (sheetN.xml), once opened

    def _open(self, index: int) -> None:
        self.index = index
        # A plain zip entry (no ZIP64 header, which some spreadsheet programs refuse): zipfile allows
        # it up to 2 GB of XML, and 100 000 projects take about 130 MB.
        self._out = self.book._zip.open(f"xl/worksheets/sheet{index}.xml", "w")
        selected = ' tabSelected="1"' if index == 1 else ""
        if self.freeze_header:
            view = (
                f'<sheetView workbookViewId="0"{selected}>'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>'
            )
        else:
            view = f'<sheetView workbookViewId="0"{selected}/>'
        head = [
            _XML,
            f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">',
            f"<sheetViews>{view}</sheetViews>",
            '<sheetFormatPr defaultRowHeight="15"/>',
        ]
        if self.widths:
            head.append("<cols>")
            head += [
                f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
                for i, w in sorted(self.widths.items())
            ]
            head.append("</cols>")
        head.append("<sheetData>")
        self._write("".join(head))

    def _write(self, text: str) -> None:
        self._out.write(text.encode("utf-8"))

    def append(self, values: Sequence[Any] = ()) -> None:
        """One row; a value may be a ``Cell`` (a value with a style)."""
        self.rows += 1
        number = self.rows
        cells = []
        for index, value in enumerate(values, start=1):
            ref = f"{column_letter(index)}{number}"
            if isinstance(value, Cell):
                cells.append(cell_xml(ref, value.value, value.style))
            else:
                cells.append(cell_xml(ref, value))
        self._write(f'<row r="{number}">{"".join(cells)}</row>')

    def extend(self, rows: Iterable[Sequence[Any]]) -> int:
        """Many rows of plain values (no ``Cell``), the fast way; returns how many were written."""
        if isinstance(rows, Rows):
            return self._extend_rows(rows)
        letters: list[str] = []
        chunk: list[str] = []
        written = 0
        number = self.rows
        for values in rows:
            number += 1
            parts = [f'<row r="{number}">']
            if len(values) > len(letters):
                letters = [column_letter(i) for i in range(1, len(values) + 1)]
            for letter, value in zip(letters, values, strict=False):
                kind = type(value)
                if kind is str:
                    if value:
                        # The common case inline: plain text needs no escaping.
                        if _SPECIAL.search(value):
                            parts.append(_text_cell(f"{letter}{number}", value, NORMAL))
                        elif value[0].isspace() or value[-1].isspace():
                            parts.append(
                                f'<c r="{letter}{number}" t="inlineStr"><is><t xml:space="preserve">'
                                f"{value}</t></is></c>"
                            )
                        else:
                            parts.append(f'<c r="{letter}{number}" t="inlineStr"><is><t>{value}</t></is></c>')
                elif value is not None:
                    parts.append(cell_xml(f"{letter}{number}", value))
            parts.append("</row>")
            chunk.append("".join(parts))
            written += 1
            if len(chunk) >= ROWS_PER_WRITE:
                self._write("".join(chunk))
                chunk.clear()
        if chunk:
            self._write("".join(chunk))
        self.rows = number
        return written

    def _extend_rows(self, rows: Rows) -> int:
        """``extend`` for ``Rows``: each row by the function made for its columns; the text is
        compressed and written to the file in a second thread (zlib and the file write let go of
        the interpreter), so that the deflating overlaps the reading and the XML."""
        row = rows.row_function()
        number = self.rows
        with _BackgroundWriter(self._out) as writer:
            for batch, computed in rows.batches:
                chunk = []
                for values, more in zip(batch, computed, strict=True):
                    number += 1
                    n = str(number)
                    chunk.append(f'<row r="{n}">{row(values, more, n)}</row>')
                writer.write("".join(chunk).encode("utf-8"))
        written = number - self.rows
        self.rows = number
        return written

    def close(self) -> None:
        tail = ["</sheetData>"]
        if self.validations:
            tail.append(f'<dataValidations count="{len(self.validations)}">')
            tail += [v.xml() for v in self.validations]
            tail.append("</dataValidations>")
        tail.append('<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>')
        if self.print_header_right or self.print_footer_center:
            tail.append("<headerFooter>")
            if self.print_header_right:
                tail.append(f"<oddHeader>{_print_text('&R', self.print_header_right)}</oddHeader>")
            if self.print_footer_center:
                tail.append(f"<oddFooter>{_print_text('&C', self.print_footer_center)}</oddFooter>")
            tail.append("</headerFooter>")
        tail.append("</worksheet>")
        self._write("".join(tail))
        self._out.close()


class _BackgroundWriter:
    """Writes the chunks given to ``write`` to ``out`` in a thread of its own, in order, holding at
    most a few of them (constant memory); an error there is raised here on the next write or at the
    end."""

    _END = object()

    def __init__(self, out):
        self._out = out
        self._queue: queue.Queue = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="xlsx-writer", daemon=True)

    def _run(self) -> None:
        while True:
            data = self._queue.get()
            if data is self._END:
                return
            if self._error is None:
                try:
                    self._out.write(data)
                except BaseException as error:
                    self._error = error

    def write(self, data: bytes) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(data)

    def __enter__(self) -> "_BackgroundWriter":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._queue.put(self._END)
        self._thread.join()
        if self._error is not None and exc[0] is None:
            raise self._error


class Workbook:
    """An .xlsx written to ``out`` (a path or a binary file) sheet after sheet: open one with
    ``sheet``, fill it, ``close`` it, then the next; ``close`` the workbook at the end."""

    def __init__(self, out, *, creator: str = "", description: str = ""):
        self._zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL)
        self.creator = creator
        self.description = description
        self.sheets: list[Sheet] = []

    def sheet(self, title: str, **options) -> Sheet:
        if self.sheets and not self.sheets[-1]._out.closed:
            raise RuntimeError("close the previous sheet first")
        sheet = Sheet(self, title[:31], **options)
        self.sheets.append(sheet)
        sheet._open(len(self.sheets))
        return sheet

    def close(self) -> None:
        files = {
            "[Content_Types].xml": self._content_types(),
            "_rels/.rels": (
                f'{_XML}<Relationships xmlns="{_PKG_REL}">'
                f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
                'metadata/core-properties" Target="docProps/core.xml"/>'
                f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/>'
                "</Relationships>"
            ),
            "docProps/core.xml": self._core(),
            "docProps/app.xml": (
                f'{_XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                'extended-properties"><Application>Microsoft Excel</Application></Properties>'
            ),
            "xl/workbook.xml": self._workbook(),
            "xl/_rels/workbook.xml.rels": self._workbook_rels(),
            "xl/styles.xml": STYLES,
            "xl/theme/theme1.xml": _theme(),
        }
        for name, text in files.items():
            self._zip.writestr(name, text.encode("utf-8"))
        self._zip.close()

    def _content_types(self) -> str:
        sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
        overrides = [
            (
                "/xl/workbook.xml",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            ),
            ("/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"),
            ("/xl/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml"),
            ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
        ]
        overrides += [(f"/xl/worksheets/sheet{s.index}.xml", sheet_type) for s in self.sheets]
        return (
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides)
            + "</Types>"
        )

    def _core(self) -> str:
        now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return (
            f"{_XML}<cp:coreProperties "
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{_escape(self.creator)}</dc:creator>"
            f"<dc:description>{_escape(self.description)}</dc:description>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
            "</cp:coreProperties>"
        )

    def _workbook(self) -> str:
        hidden = ' state="hidden"'
        sheets = "".join(
            f'<sheet name={_attr(s.title)} sheetId="{s.index}"{hidden if s.hidden else ""} r:id="rId{s.index}"/>'
            for s in self.sheets
        )
        return (
            f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><workbookPr/>'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f'<sheets>{sheets}</sheets><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
        )

    def _workbook_rels(self) -> str:
        n = len(self.sheets)
        rels = [
            f'<Relationship Id="rId{s.index}" Type="{_REL}/worksheet" Target="worksheets/sheet{s.index}.xml"/>'
            for s in self.sheets
        ]
        rels.append(f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>')
        rels.append(f'<Relationship Id="rId{n + 2}" Type="{_REL}/theme" Target="theme/theme1.xml"/>')
        return f'{_XML}<Relationships xmlns="{_PKG_REL}">{"".join(rels)}</Relationships>'


def _theme() -> str:
    from openpyxl.writer.theme import theme_xml  # Office's default theme, as openpyxl writes it

    return theme_xml


# The cellXfs follow the style constants above: normal, required header (bold dark red on pink),
# header (bold on pink), date, title (bold 14pt), wrapped text (top-aligned), date and time.
STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd h:mm:ss"/></numFmts>'
    '<fonts count="4">'
    '<font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
    '<font><b/><sz val="11"/><color rgb="FFB3261E"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>'
    "</fonts>"
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFFDE8E6"/><bgColor indexed="64"/></patternFill></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="7">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
    'defaultPivotStyle="PivotStyleLight16"/>'
    "</styleSheet>"
)
