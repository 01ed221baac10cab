"""Import and export (SPEC §5): the services behind ``zhaoshang import`` / ``export`` and the pages.

``import_file`` reads every row, checks every cell and applies every row inside one transaction,
each row in a savepoint so that one bad row does not hide the problems of the next; if any problem
remains (or on a dry run) the whole transaction is rolled back: all rows or none. Progress is
reported through a callback, outside the transaction (the page keeps it in the cache).

For speed at scale (10 000 rows in seconds): rows are read a batch at a time so that what they look
up is read ahead in a few queries; a new record is validated with its row and inserted with others
in bulk (a record the database refuses is still named by its row); audit rows are written in bulk
on the same hash chain; a row's savepoint is only taken if the row runs a statement.
"""

import contextlib
import datetime
import gc
import itertools
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, models, transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from zhaoshang.audit.models import AuditAction
from zhaoshang.audit.services import audit_record
from zhaoshang.core import access
from zhaoshang.exchange import cells
from zhaoshang.exchange.base import ImportContext, Outcome, Problem, Row, RowError
from zhaoshang.exchange.kinds import ExportContext, HeaderMatch, Sheet, sheet_for
from zhaoshang.exchange.readers import UnreadableFile, open_table
from zhaoshang.exchange.workbooks import write_workbook
from zhaoshang.metrics import rollup
from zhaoshang.organisation.choices import Role

HEADER_SCAN_ROWS = 30  # the header is looked for in the first rows (title rows above it are skipped)
PREVIEW_LIMIT = 500  # rows listed in a preview; the counts cover every row
FLUSH_ROWS = 1000  # new records held back before a bulk insert
BATCH_ROWS = 500  # rows read ahead of being applied (``Sheet.prefetch``)
# A row whose first cell starts so is a footer (合计, 填表人 …), not data.
FOOTER_WORDS = (
    "合计",
    "总计",
    "小计",
    "填表人",
    "填报人",
    "审核人",
    "制表",
    "填表说明",
    "说明:",
    "注:",
    "注：",
)

ProgressCallback = Callable[[int, int], None]


@dataclass
class Report:
    """What an import did (or, on a dry run or with problems, would have done)."""

    kind: str
    label: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = False
    committed: bool = False
    header_row: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, row: int, outcome: Outcome) -> None:
        setattr(self, outcome.action, getattr(self, outcome.action) + 1)
        if outcome.action != "unchanged" and len(self.outcomes) < PREVIEW_LIMIT:
            self.outcomes.append(
                {"row": row, "action": outcome.action, "label": outcome.label, "changes": outcome.changes}
            )

    def summary(self) -> str:
        counts = _("新增{created}条,更新{updated}条,未变{unchanged}条").format(
            created=self.created, updated=self.updated, unchanged=self.unchanged
        )
        if self.problems:
            return _("{label}:共{rows}行,发现{n}个问题,未导入任何数据").format(
                label=self.label, rows=self.rows, n=len(self.problems)
            )
        if self.committed:
            return _("已导入{label}:{counts}").format(label=self.label, counts=counts)
        if not self.created and not self.updated:
            return _("检查通过(未写入){label}:全部{n}条与系统中一致,没有需要导入的变化").format(
                label=self.label, n=self.unchanged
            )
        return _("检查通过(未写入){label}:将{counts}").format(label=self.label, counts=counts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": str(self.label),
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "problems": [p.as_dict() for p in self.problems],
            "warnings": [p.as_dict() for p in self.warnings],
            "outcomes": self.outcomes,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "header_row": self.header_row,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Report":
        report = cls(kind=data["kind"], label=data["label"])
        for name in (
            "rows",
            "created",
            "updated",
            "unchanged",
            "outcomes",
            "dry_run",
            "committed",
            "header_row",
        ):
            setattr(report, name, data.get(name, getattr(report, name)))
        report.problems = [Problem.from_dict(p) for p in data.get("problems", [])]
        report.warnings = [Problem.from_dict(p) for p in data.get("warnings", [])]
        return report


def _find_header(
    rows: Iterator[tuple[int, list]], sheet: Sheet, ctx: ImportContext
) -> tuple[int | None, HeaderMatch | None, HeaderMatch | None, Iterator[tuple[int, list]]]:
    """The header: the first row (of the first few) holding every required column, completed by
    the row under it when that is the second row of a two-row header. Returns (row number, match,
    best partial match when none qualifies, the rows after the header)."""
    best: HeaderMatch | None = None
    for scanned, (number, values) in enumerate(rows, start=1):
        if any(not cells.is_blank(v) for v in values):
            match = sheet.match_header(values, ctx)
            if not match.missing and match.columns:
                below = next(rows, None)
                if below is not None:
                    combined = _two_row_header(values, below[1], match, sheet, ctx)
                    if combined is not None:
                        return number, combined, None, rows
                    rows = itertools.chain([below], rows)
                return number, match, None, rows
            if best is None or match.score > best.score:
                best = match
        if scanned >= HEADER_SCAN_ROWS:
            break
    return None, None, best, rows


def _two_row_header(
    upper: list, lower: list, match: HeaderMatch, sheet: Sheet, ctx: ImportContext
) -> HeaderMatch | None:
    """The header of ``upper`` completed by ``lower`` when ``lower`` is its second row: bureaus put
    a merged parent header (其中, 总投资) over sub-headers, and merge the other headers down over
    both rows. ``lower`` is such a row when its cells under the required columns are blank or repeat
    the header (a data row fills them) and it names a template column the upper row does not; then
    each column takes the lower header where that names a column, else the upper one."""
    required = sheet.required_keys(ctx)
    for index, (column, _unit, text) in match.columns.items():
        below = lower[index] if index < len(lower) else None
        if column.key in required and not (cells.is_blank(below) or cells.header_text(below) == text):
            return None
    named = {column.key for column, _unit, _text in match.columns.values()}
    combined = list(upper) + [None] * max(len(lower) - len(upper), 0)
    adds = False
    for index, below in enumerate(lower):
        if cells.is_blank(below):
            continue
        found = sheet.match_header([below], ctx).columns.get(0)
        if found is not None and found[0].key not in named:
            combined[index] = below
            adds = True
        elif found is None and cells.is_blank(combined[index]):
            combined[index] = below  # an unknown sub-header: warned about like any unknown column
    if not adds:
        return None
    result = sheet.match_header(combined, ctx)
    return result if not result.missing else None


# 一、签约项目 / (二)在谈项目: the numbered group headings bureaus put between the rows of a list.
SECTION_HEADING = re.compile(r"[(（]?[一二三四五六七八九十]+[)）、.．]")


def _section_text(values: list) -> str | None:
    """The text of a row that is only a group heading (one cell, numbered 一、… or (一)…), else None.
    Skipped with a note rather than refused as a row missing its required cells: no record is named
    一、… , and the note shows what was skipped."""
    only = None
    for value in values:  # stops at the second filled cell: a data row costs next to nothing
        if not cells.is_blank(value):
            if only is not None:
                return None
            only = value
    if isinstance(only, str):
        text = cells.parse_text(only)
        if SECTION_HEADING.match(text):
            return text
    return None


def _footer_text(values: list) -> str | None:
    """The first cell's text when the row is a footer (合计, 填表人 …), else None."""
    for value in values:
        if not cells.is_blank(value):
            text = cells.parse_text(value).replace(" ", "")
            return text if text.startswith(FOOTER_WORDS) else None
    return None


def _is_header(values: list, match: HeaderMatch) -> bool:
    """The header repeated further down (sheets printed page by page repeat it): not data."""
    return all(
        index < len(values) and cells.header_text(values[index]) == text
        for index, (_column, _unit, text) in match.columns.items()
    )


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _resolve_campaign(campaign):
    from zhaoshang.targets.models import Campaign

    if campaign is None or isinstance(campaign, Campaign):
        return campaign
    found = Campaign.objects.filter(name=str(campaign).strip()).first()
    if found is None:
        raise LookupError(_("未找到专项行动“{name}”").format(name=campaign))
    return found


def import_file(
    *,
    user,
    kind: str,
    path,
    filename: str | None = None,
    dry_run: bool = False,
    campaign=None,
    as_reported: bool = False,
    progress: ProgressCallback | None = None,
) -> Report:
    """Import the rows of ``path`` as records of ``kind``, all or none.

    ``user`` None is the command line acting for the bureau. Problems are listed row by row
    (``第N行 〈列名〉: reason``, N as Excel numbers the row) and nothing is written while any remains;
    possible duplicates and extreme values are warnings and do not block.
    """
    sheet = sheet_for(kind)
    if not sheet.may_import(user):
        raise PermissionDenied(_("您没有权限导入{label}。").format(label=sheet.label))
    report = Report(kind=kind, label=str(sheet.label), dry_run=dry_run)
    try:
        campaign = _resolve_campaign(campaign)
    except LookupError as error:
        report.problems.append(Problem(None, None, str(error), where=_("参数")))
        return report
    try:
        table = open_table(path, filename)
    except UnreadableFile as error:
        report.problems.append(Problem(None, None, str(error), where=_("文件")))
        return report
    ctx = ImportContext(user=user, as_reported=as_reported, campaign=campaign)

    rows = table.rows
    header_row, match, best, rows = _find_header(rows, sheet, ctx)
    if match is None:
        required = [c for c in sheet.columns if c.key in sheet.required_keys(ctx)]
        missing = best.missing if best is not None and best.columns else required
        names = "".join(f"〈{c.header}〉" for c in missing)
        report.problems.append(Problem(None, None, _("未找到表头行,缺少必填列{names}").format(names=names)))
        return report
    report.header_row = header_row
    for text, first, second in match.duplicates:
        report.problems.append(
            Problem(
                None,
                text,
                _("列重复(第{a}列和第{b}列)").format(a=_column_letter(first), b=_column_letter(second)),
            )
        )
    for text in match.unknown:
        ctx.warnings.append(Problem(None, text, _("无法识别的列,已忽略")))
    if report.problems:
        return report
    ctx.headers = {column.key: text for column, _unit, text in match.columns.values()}
    required = sheet.required_keys(ctx)
    total = max(table.total - header_row, 0)

    # New records of the leaf kinds are validated row by row and inserted in bulk every FLUSH_ROWS
    # rows; audit rows are kept and written in bulk too (same chain, same order).
    ctx.defer_creates = sheet.defer_creates
    ctx.keep_audit = True
    held: dict[int, list[Outcome]] = {}  # rows with records held back: what they counted
    plan, units = _row_plan(match, required)
    sheet.prepare(ctx)
    last_report = time.monotonic()
    last = header_row

    def apply(batch: list[Row]) -> None:
        nonlocal last_report
        sheet.prefetch(batch, ctx)
        for row in batch:
            _apply_row(row, sheet, ctx, report, held, savepoint)
            if len(ctx.pending) >= FLUSH_ROWS:
                _flush(sheet, ctx, report, held)
            if progress is not None and (time.monotonic() - last_report > 0.5):
                last_report = time.monotonic()
                progress(row.number - header_row, max(total, row.number - header_row))
        batch.clear()

    savepoint = RowSavepoint()
    with (
        _checkpoint_afterwards(),
        _no_collector_pauses(),
        transaction.atomic(),
        connection.execute_wrapper(savepoint),
        _page_cache(),
    ):
        # Rows are read and checked cell by cell a batch at a time, so that the sheet can read ahead
        # what the batch looks up; then they are applied one by one.
        batch: list[Row] = []
        for number, values in rows:
            last = number
            if all(cells.is_blank(v) for v in values) or _is_header(values, match):
                continue
            section = _section_text(values)
            if section is not None:
                ctx.note(number, None, _("分类标题行“{text}”不是数据,已跳过").format(text=section[:20]))
                continue
            footer = _footer_text(values)
            if footer is not None:
                # A 合计 row or a 填表人 line is part of how bureaus lay out a sheet, not a bad row:
                # skipped, with a note so that a real record named 合计… would not vanish unseen.
                ctx.note(number, None, _("表尾行“{text}”不是数据,已跳过").format(text=footer[:20]))
                continue
            report.rows += 1
            row = _parse_row(number, values, plan, units, report)
            if row is not None:
                batch.append(row)
                if len(batch) >= BATCH_ROWS:
                    apply(batch)
        apply(batch)
        _flush(sheet, ctx, report, held)
        sheet.finish(ctx)
        ctx.flush_audit()
        # Rows refused at a bulk insert, and rows whose cells cannot be read, are found out of order.
        report.problems.sort(key=lambda p: (p.row is not None, p.row or 0))
        if report.problems or dry_run:
            transaction.set_rollback(True)
        else:
            report.committed = True
            if report.created or report.updated:
                audit_record(
                    action=AuditAction.IMPORT,
                    user=user,
                    object_repr=f"{sheet.label} {filename or getattr(path, 'name', path)}"[:200],
                    after={
                        "kind": kind,
                        "created": report.created,
                        "updated": report.updated,
                        "unchanged": report.unchanged,
                    },
                )
            # The monthly summary's cells of what was written, in this transaction: the first
            # read after the import does not pay for it (metrics.rollup).
            rollup.upkeep()
    if progress is not None:
        progress(last - header_row, last - header_row)
    report.warnings = ctx.warnings
    return report


MEMO_LIMIT = 20_000  # parsed cells remembered per column


@dataclass
class _CellPlan:
    """How one file column's cells are read: worked out once per file, not once per cell."""

    index: int
    key: str
    text: str
    unit: str
    required: bool
    parse: Callable[[Any, str], Any]
    memo: dict | None  # parsed cells (or why a cell cannot be read); None for lists


def _row_plan(match: HeaderMatch, required: set[str]) -> tuple[list[_CellPlan], dict[str, str]]:
    """The file's columns, and the unit each column's numbers are in (the same for every row). A
    file repeats its units, stages, 是/否 and dates on every row: each column remembers the cells it
    has parsed. Lists are parsed afresh (a row may change the list it gets)."""
    plan = [
        _CellPlan(
            index=index,
            key=column.key,
            text=text,
            unit=unit,
            required=column.required and column.key in required,
            parse=column.parse,
            memo=None if column.kind == "list" else {},
        )
        for index, (column, unit, text) in match.columns.items()
    ]
    return plan, {cell.key: cell.unit for cell in plan}


def _parse_row(
    number: int, values: list, plan: list[_CellPlan], units: dict[str, str], report: Report
) -> Row | None:
    parsed: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    failed = False
    width = len(values)
    for cell in plan:
        value = values[cell.index] if cell.index < width else None
        raw[cell.key] = value
        if cell.required and cells.is_blank(value):
            report.problems.append(Problem(number, cell.text, _("必填")))
            failed = True
            continue
        memo = cell.memo
        key = (type(value), value)  # 1, 1.0 and True are equal keys otherwise
        result = memo.get(key) if memo is not None else None
        if result is None:
            try:
                result = (True, cell.parse(value, cell.unit))
            except cells.CellError as error:
                result = (False, str(error))
            if memo is not None and len(memo) < MEMO_LIMIT:
                memo[key] = result
        if result[0]:
            parsed[cell.key] = result[1]
        else:
            report.problems.append(Problem(number, cell.text, result[1]))
            failed = True
    if failed:
        return None
    return Row(number=number, values=parsed, raw=raw, units=units)


def _header_for(sheet: Sheet, ctx: ImportContext, key: str | None) -> str | None:
    if key is None:
        return None
    if key in ctx.headers:
        return ctx.headers[key]
    try:
        return sheet.column(key).header
    except KeyError:
        return key


@contextlib.contextmanager
def _no_collector_pauses():
    """Python's cycle collector off while the rows are applied. An import keeps what it reads and
    writes until its end (look-ups, records held back, audit rows), and the collector would walk
    all of it again every few thousand allocations — a fifth of a 10 000-row import. Reference
    counting still frees what is let go of; cycles wait for the collector, which runs again after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# SQLite pages kept in memory while an import runs (KiB): SQLite's default, 2 MB, is far smaller than
# the indexes a few thousand new projects are written into (a table of 200 000 has 17), and a write
# that misses the cache reads its page back from the file.
IMPORT_PAGE_CACHE_KIB = 64 * 1024


@contextlib.contextmanager
def _page_cache():
    if connection.vendor != "sqlite":
        yield
        return
    # On the driver's connection: a setting of the connection, not a statement of the transaction
    # (restored even when the import's transaction is being rolled back).
    connection.ensure_connection()
    raw = connection.connection
    (before,) = raw.execute("PRAGMA cache_size").fetchone()
    raw.execute(f"PRAGMA cache_size = -{IMPORT_PAGE_CACHE_KIB}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA cache_size = {int(before)}")


@contextlib.contextmanager
def _checkpoint_afterwards():
    """SQLite: the import's commit does not wait for the checkpoint. Past 1000 pages of write-ahead
    log, the connection that commits copies the log back into the database file before the commit
    returns (SQLite's automatic checkpoint): for a 10 000-row import, some 150 MB and most of a
    second the user would wait for. Here the automatic checkpoint is off for the import's connection,
    and once the import is over a thread on a connection of its own runs the same passive checkpoint,
    which neither readers nor the next writer wait for. Should that thread not run (the process
    ends), the next commit anywhere checkpoints as usual."""
    name = connection.settings_dict.get("NAME")
    if connection.vendor != "sqlite" or connection.in_atomic_block or connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    (before,) = raw.execute("PRAGMA wal_autocheckpoint").fetchone()
    raw.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA wal_autocheckpoint = {int(before)}")
    if before:
        threading.Thread(target=_checkpoint, args=(str(name),), name="sqlite-checkpoint", daemon=True).start()


def _checkpoint(name: str) -> None:
    try:
        with contextlib.closing(sqlite3.connect(name, timeout=20)) as db:
            db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except sqlite3.Error:
        pass  # the next commit's automatic checkpoint does it


class RowSavepoint:
    """Each row's savepoint, so that a failed row leaves the others' checks intact — taken only just
    before the row's first statement (an ``execute_wrapper``). Most rows of a bulk import run none:
    what they look up was read ahead and their new records are inserted later, in bulk; a savepoint
    and its release for each of 10 000 rows would cost more than checking them."""

    def __init__(self):
        self.armed = False
        self.sid = None

    def __call__(self, execute, sql, params, many, context):
        if self.armed:
            self.armed = False  # (the SAVEPOINT statement comes through here too)
            self.sid = transaction.savepoint()
        return execute(sql, params, many, context)

    def row(self):
        """``with savepoint.row():`` around one row."""
        self.armed, self.sid = True, None
        return self

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        self.armed = False
        if kind is None:
            if self.sid is not None:
                transaction.savepoint_commit(self.sid)
            return False
        if self.sid is not None:
            transaction.savepoint_rollback(self.sid)
        # The row's statements, if any, are undone: the import's transaction goes on (a failed save
        # marks it for rollback otherwise).
        transaction.set_rollback(False)
        return False


def _apply_row(
    row: Row, sheet: Sheet, ctx: ImportContext, report: Report, held: dict[int, list], savepoint: RowSavepoint
) -> None:
    problem = None
    mark = ctx.mark()
    ctx.row_number = row.number
    try:
        with savepoint.row():
            outcomes = sheet.apply(row, ctx)
    except RowError as error:
        problem = Problem(row.number, _header_for(sheet, ctx, error.key), error.message)
    except ValidationError as error:
        problem = Problem(row.number, None, "".join(error.messages))
    except DatabaseError as error:
        problem = Problem(row.number, None, _("数据库拒绝保存该行:{error}").format(error=error))
    ctx.row_done(ok=problem is None)
    if problem is not None:
        ctx.rewind(mark)  # what the row held back goes with its savepoint
        report.problems.append(problem)
        return
    outcomes = outcomes if isinstance(outcomes, list) else [outcomes]
    for outcome in outcomes:
        report.add(row.number, outcome)
    if len(ctx.pending) > mark[0]:
        held[row.number] = outcomes


def _flush(sheet: Sheet, ctx: ImportContext, report: Report, held: dict[int, list]) -> None:
    """Insert what the rows held back; a row the database refuses becomes its problem and no longer
    counts (its other records stay inserted, but the import is rolled back anyway)."""
    for number, error in ctx.flush():
        report.problems.append(Problem(number, _header_for(sheet, ctx, error.key), error.message))
        for outcome in held.pop(number, []):
            setattr(report, outcome.action, getattr(report, outcome.action) - 1)
        report.outcomes = [o for o in report.outcomes if o["row"] != number]
    held.clear()
    sheet.flushed(ctx)


# --- export ---------------------------------------------------------------------------------------


def _month_bounds(date_from: datetime.date | None, date_to: datetime.date | None):
    end = None
    if date_to is not None:
        following = (date_to.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        end = following - datetime.timedelta(days=1)
    return date_from, end


def export_queryset(
    *,
    kind: str,
    user,
    params=None,
    month_from: datetime.date | None = None,
    month_to: datetime.date | None = None,
) -> models.QuerySet:
    """The records of ``kind`` an export writes: those ``user`` may see (``core.access.restrict``),
    filtered as the list page filters them (its FilterSet, from the same query parameters) and, for
    ``--from``/``--to``, by the kind's date (projects: 签约日期; funds: 月份; leads: 上报日期;
    activities: 开始日期; targets: 年度)."""
    sheet = sheet_for(kind)
    if not sheet.may_export(user):
        raise PermissionDenied(_("您没有权限导出{label}。").format(label=sheet.label))
    queryset = sheet.export_queryset()
    if user is not None and not sheet.config:
        queryset = access.restrict(queryset, user, access.VIEW)
    if params is not None and sheet.filterset:
        try:
            filterset_class = import_string(sheet.filterset)
        except ImportError:
            filterset_class = _fallback_filterset(sheet)
        if filterset_class is not None:
            filterset = filterset_class(params, queryset=queryset)
            queryset = filterset.qs
    start, end = _month_bounds(month_from, month_to)
    if sheet.period_field == "year":
        if start:
            queryset = queryset.filter(year__gte=start.year)
        if end:
            queryset = queryset.filter(year__lte=end.year)
    elif sheet.period_field:
        if start:
            queryset = queryset.filter(**{f"{sheet.period_field}__gte": start})
        if end:
            queryset = queryset.filter(**{f"{sheet.period_field}__lte": end})
    return queryset


def _fallback_filterset(sheet: Sheet):
    """A year/unit filter for lists that have no FilterSet of their own (yet)."""
    if sheet.name != "targets":
        return None
    import django_filters

    from zhaoshang.targets.models import Target

    class TargetFilterSet(django_filters.FilterSet):
        class Meta:
            model = Target
            fields = ["year", "unit", "campaign", "indicator"]

    return TargetFilterSet


def export_file(*, kind: str, user, out, queryset: models.QuerySet | None = None, **filters) -> int:
    """Write the records of ``kind`` to ``out`` (a path or binary file) with the template's columns;
    returns how many rows were written. Rows are streamed (``iterator``) into the workbook, in
    constant memory. Phone numbers are masked for roles that may not see them."""
    sheet = sheet_for(kind)
    if queryset is None:
        queryset = export_queryset(kind=kind, user=user, **filters)
    ctx = ExportContext.for_user(user)
    count = write_workbook(sheet=sheet, rows=sheet.export_rows(queryset, ctx), out=out, user=user)
    audit_record(
        action=AuditAction.EXPORT,
        user=user,
        object_repr=_("{label} {n}条").format(label=sheet.label, n=count),
        after={"kind": kind, "rows": count},
    )
    return count


def template_file(*, kind: str, user, out) -> None:
    """The empty template of ``kind``: headers, drop-downs and the 填表说明 sheet."""
    write_workbook(sheet=sheet_for(kind), rows=[], out=out, user=user, template=True)


def campaign_create(*, name: str, starts_on: datetime.date, ends_on: datetime.date, description: str = ""):
    """A 专项行动 (seed 001's 百日会战); its targets come in with ``import targets FILE --campaign``."""
    from zhaoshang.targets.models import Campaign

    name = cells.parse_text(name)
    with transaction.atomic():
        campaign = Campaign(name=name, starts_on=starts_on, ends_on=ends_on, description=description)
        campaign.full_clean()
        campaign.save()
        from zhaoshang.audit.services import snapshot

        audit_record(action=AuditAction.CREATE, obj=campaign, after=snapshot(campaign))
    return campaign


# --- imports from the page ------------------------------------------------------------------------

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def import_job_create(*, user, kind: str, upload, as_reported: bool = False, campaign=None):
    """Keep an uploaded file for its check and its import (two requests); refuses what cannot be a
    spreadsheet before anything is stored."""
    import hashlib
    from pathlib import Path

    from zhaoshang.exchange.models import ImportJob
    from zhaoshang.exchange.readers import SUPPORTED_SUFFIXES

    sheet = sheet_for(kind)
    if not sheet.may_import(user):
        raise PermissionDenied(_("您没有权限导入{label}。").format(label=sheet.label))
    suffix = Path(upload.name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ValidationError(_("请上传 .xlsx、.xls 或 .csv 文件。"))
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("文件超过50MB,请拆分后分批导入。"))
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    job = ImportJob(
        kind=kind,
        user=user,
        filename=Path(upload.name).name[:255],
        sha256=digest.hexdigest(),
        # Only the bureau chooses: its rows come in recognised unless "as reported" (a unit's never are).
        as_reported=bool(as_reported) and (user.is_superuser or user.role == Role.BUREAU),
        campaign=campaign,
    )
    job.file.save(upload.name, upload, save=False)
    job.save()
    return job


def _job_progress(job, phase: str) -> ProgressCallback:
    from django.core.cache import cache

    def report(done: int, total: int) -> None:
        cache.set(job.progress_key, {"phase": phase, "done": done, "total": total}, 3600)

    return report


def import_job_start(*, job, confirm: bool) -> bool:
    """Hand an uploaded file's check (``confirm`` False: a dry run, the preview) or, once checked, its
    import to the background worker (``zhaoshang.core.jobs.import_job_task``).

    The job moves to 检查中/导入中 with a conditional update, so that a double click cannot queue it
    twice; False when it was not in a state to start. The page then polls the progress, which the
    worker keeps in the cache (outside the import's transaction).
    """
    from django.core.cache import cache

    from zhaoshang.core import jobs
    from zhaoshang.exchange.models import ImportJob, ImportStatus

    sources = (
        (ImportStatus.CHECKED,)
        if confirm
        else (ImportStatus.UPLOADED, ImportStatus.CHECKED, ImportStatus.FAILED)
    )
    running = ImportStatus.IMPORTING if confirm else ImportStatus.CHECKING
    moved = ImportJob.objects.filter(pk=job.pk, status__in=sources).update(status=running)
    if moved:
        from zhaoshang.audit.context import current_actor

        actor = current_actor()
        cache.set(job.progress_key, {"phase": "waiting", "done": 0, "total": 0}, 3600)
        # The database backend's queue row is written in the caller's transaction, if any: the worker
        # sees the job only once the status change above is committed too.
        jobs.import_job_task.enqueue(
            job_id=job.pk,
            confirm=confirm,
            username=actor.username if actor else job.user.username,
            address=actor.address if actor else None,
        )
    job.refresh_from_db()
    return bool(moved)


def import_job_execute(*, job_id: int, confirm: bool) -> Report | None:
    """The worker's half of :func:`import_job_start`: run the check or the import and keep its report
    on the job. None when the job is no longer waiting for this step (already done, or queued twice).
    A file that is gone or changed since the upload fails the job with that problem as its report."""
    import hashlib

    from django.core.cache import cache
    from django.utils import timezone

    from zhaoshang.exchange.models import ImportJob, ImportStatus

    running = ImportStatus.IMPORTING if confirm else ImportStatus.CHECKING
    job = ImportJob.objects.filter(pk=job_id, status=running).select_related("user", "campaign").first()
    if job is None:
        return None
    phase = "import" if confirm else "check"
    progress = _job_progress(job, phase)
    progress(0, 0)
    sheet = sheet_for(job.kind)
    try:
        path = job.file.path
        try:
            with open(path, "rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
        except FileNotFoundError as error:
            raise ValidationError(_("上传的文件已不存在,请重新上传。")) from error
        if digest != job.sha256:
            raise ValidationError(_("上传的文件已被改动,请重新上传。"))
        report = import_file(
            user=job.user,
            kind=job.kind,
            path=path,
            filename=job.filename,
            dry_run=not confirm,
            campaign=job.campaign,
            as_reported=job.as_reported,
            progress=progress,
        )
    except ValidationError as error:
        report = Report(kind=job.kind, label=sheet.label, dry_run=not confirm)
        report.problems.append(
            Problem(row=None, column=None, message="".join(error.messages), where=_("文件"))
        )
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, finished_at=timezone.now())
        cache.delete(job.progress_key)
        raise
    if report.problems:
        status = ImportStatus.FAILED
    else:
        status = ImportStatus.IMPORTED if confirm else ImportStatus.CHECKED
    job.status = status
    job.report = report.as_dict()
    job.finished_at = timezone.now() if confirm or report.problems else None
    job.save(update_fields=["status", "report", "finished_at"])
    cache.set(job.progress_key, {"phase": "done", "done": report.rows, "total": report.rows}, 600)
    return report


def import_job_progress(job) -> dict[str, Any]:
    from django.core.cache import cache

    return cache.get(job.progress_key) or {"phase": "waiting", "done": 0, "total": 0}
