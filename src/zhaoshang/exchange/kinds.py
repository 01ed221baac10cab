"""One declaration per KIND of ``zhaoshang import`` / ``export`` (SPEC §5 "Excel templates"): the
template's columns (header, synonyms, required, how cells are read, the model field), the natural key
by which a row finds its record, how a row is applied, and what an export writes for a record.

Natural keys (a row with the same key updates the record; re-importing a file changes nothing):
regions 区划代码 · units 单位名称 · users 用户名 · enterprises 统一社会信用代码, else 企业名称 ·
projects 项目名称 + 引进单位 · funds 项目 + 月份 · leads 信息名称 + 上报单位 + 上报日期 ·
activities 活动类型 + 单位 + 开始日期 + 目的地 · targets 年度 (or 专项行动) + 单位 + 指标.

Imports never delete: a record missing from the file stays as it is.
"""

import decimal
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, connections, models
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.activities.choices import ActivityKind
from zhaoshang.core import access
from zhaoshang.core.formatting import plain
from zhaoshang.exchange import cells, xlsx
from zhaoshang.exchange.base import (
    Column,
    Extra,
    ImportContext,
    Outcome,
    Row,
    RowError,
    is_masked,
    mask_phone,
    may_see_personal_data,
    normalise_company,
    simple_values,
    upsert,
)
from zhaoshang.leads.choices import LeadStatus
from zhaoshang.organisation.choices import RegionLevel, Role, UnitKind
from zhaoshang.organisation.selectors import home_region
from zhaoshang.organisation.services import generated_password
from zhaoshang.projects.choices import LandMode, ProjectKind, Sector, Stage

# Headers that number rows rather than carry data: ignored without a warning.
IGNORED_HEADERS = {"序号", "编号", "no", "no.", "序", "行号"}

YES_NO = gettext_lazy("是/否(也可填√/×、Y/N)")
AMOUNT_HELP = gettext_lazy("单位万元;可写1.2亿、8000万元、一千二百万、12,000;表头写成(亿元)时按亿元读")
DATE_HELP = gettext_lazy("如2022-07-03、2022/7/3、2022.7.3、2022年7月3日,或Excel日期")
UNIT_HELP = gettext_lazy("单位全称或简称,须为系统中已有的任务单位")
NO_HOME_REGION = gettext_lazy("尚未设置本地区划,请先运行 zhaoshang setup(或设置 ZHAOSHANG_HOME_REGION)")


@dataclass
class HeaderMatch:
    """Which file column holds which template column."""

    columns: dict[int, tuple[Column, str, str]] = field(default_factory=dict)  # index → (column, unit, text)
    missing: list[Column] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def score(self) -> int:
        return len(self.columns)


class Sheet:
    """The declaration of one KIND. Subclasses fill in the class attributes and ``apply``."""

    name: str = ""
    label: Any = ""
    model_label: str = ""
    columns: list[Column] = []
    identity: Any = ""  # how a row finds its record, for the explanation sheet
    period_field: str | None = None  # the date the export's --from/--to filter on
    filterset: str | None = None  # the list page's FilterSet (dotted path)
    config = False  # configuration data (regions, units, users): the system administrator's
    # New records are inserted in bulk after their rows are checked (``ImportContext.flush``): only
    # for kinds whose new records no later row of the same file refers to (not regions, units …).
    defer_creates = False

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    @functools.cached_property
    def field_to_key(self) -> dict[str, str]:
        return {c.field: c.key for c in self.columns if c.field}

    # -- who may --

    def may_import(self, user) -> bool:
        if user is None or user.is_superuser:
            return True
        if self.config:
            return user.role == Role.SYSADMIN
        return access.can(user, access.ADD, self.model)

    def may_export(self, user) -> bool:
        if user is None or user.is_superuser:
            return True
        if self.name == "users":  # accounts are the system administrator's alone
            return user.role == Role.SYSADMIN
        if self.config:
            return user.role in (Role.SYSADMIN, Role.BUREAU)
        return access.can(user, access.VIEW, self.model)

    # -- headers --

    def required_keys(self, ctx: ImportContext) -> set[str]:
        return {c.key for c in self.columns if c.required}

    def match_header(self, cells_: list, ctx: ImportContext) -> HeaderMatch:
        """Map the cells of a candidate header row to columns: exact header or synonym first, then the
        name without its unit (总投资(亿元) → 总投资(万元), read in 亿元)."""
        full_index: dict[str, tuple[Column, str]] = {}
        base_index: dict[str, tuple[Column, str]] = {}
        for column in self.columns:
            for full, base, unit in column.names():
                full_index.setdefault(full, (column, unit))
                base_index.setdefault(base, (column, unit))
        match = HeaderMatch()
        taken: dict[str, int] = {}
        for index, value in enumerate(cells_):
            if cells.is_blank(value):
                continue
            full, base, unit = cells.header_key(value)
            text = cells.header_text(value)
            found = full_index.get(full)
            if found is None:
                candidate = base_index.get(base)
                if candidate is not None and _unit_fits(candidate[0], unit):
                    found = candidate
            if found is None:
                found = self.extra_header(full, base, unit, text)
            if found is None:
                if full.lower() not in IGNORED_HEADERS:
                    match.unknown.append(text)
                continue
            column, declared_unit = found
            if column.key in taken:
                match.duplicates.append((text, taken[column.key], index))
                continue
            taken[column.key] = index
            match.columns[index] = (column, unit or declared_unit, text)
        required = self.required_keys(ctx)
        match.missing = [c for c in self.columns if c.key in required and c.key not in taken]
        return match

    def extra_header(self, full: str, base: str, unit: str, text: str) -> tuple[Column, str] | None:
        """A header outside the declared columns (the wide targets sheet's indicator columns)."""
        return None

    # -- rows --

    def prepare(self, ctx: ImportContext) -> None:
        """Load what every row needs once (before the first row)."""

    def prefetch(self, rows: list[Row], ctx: ImportContext) -> None:
        """Before a batch of rows is applied: read ahead what they will look up (their records' keys)."""

    def apply(self, row: Row, ctx: ImportContext) -> Outcome | list[Outcome]:
        raise NotImplementedError

    def flushed(self, ctx: ImportContext) -> None:
        """After each bulk insert of held-back records (and after the last row): checks that need the
        rows' records to have their ids."""

    def finish(self, ctx: ImportContext) -> None:
        """After the last row, inside the transaction: checks across rows (warnings)."""

    # -- export --

    def export_queryset(self) -> models.QuerySet:
        return self.model._default_manager.all()

    def export_row(self, obj: models.Model, ctx: "ExportContext") -> dict[str, Any]:
        return {c.key: export_value(obj, c, ctx) for c in self.columns if c.auto and c.field}

    def export_rows(self, queryset: models.QuerySet, ctx: "ExportContext") -> Iterator[tuple]:
        """The export's rows: each record's values in the order of ``columns``."""
        keys = [column.key for column in self.columns]
        for obj in queryset.iterator(chunk_size=2000):
            row = self.export_row(obj, ctx)
            yield tuple(row.get(key) for key in keys)

    def dropdown_lists(self, user) -> dict[str, list[str]]:
        """Named lists of allowed values for the template's drop-downs (besides choices and 是/否)."""
        from zhaoshang.organisation.models import Industry, Unit

        lists: dict[str, list[str]] = {}
        wanted = {c.dropdown for c in self.columns if c.dropdown}
        if "units" in wanted:
            units = Unit.objects.filter(is_active=True).order_by("order", "name")
            if user is not None:
                units = access.unit_choices_for(user, units)
            lists["units"] = list(units.values_list("name", flat=True))
        for name in wanted:
            if name and name.startswith("industries:"):
                kind = name.split(":", 1)[1]
                lists[name] = list(
                    Industry.objects.filter(kind=kind)
                    .order_by("order", "name")
                    .values_list("name", flat=True)
                )
        return lists


def _unit_fits(column: Column, unit: str) -> bool:
    if not unit:
        return True
    if column.kind == "amount":
        declared = cells.MONEY_UNITS.get(column.unit or "万元", ("", None))[0]
        written = cells.MONEY_UNITS.get(unit, (None, None))[0]
        return written is not None and (not declared or written == declared)
    return unit in cells.PLAIN_UNITS


@dataclass
class ExportContext:
    user: Any
    show_personal: bool
    region_names_unique: set[str] = field(default_factory=set)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # translated once, not per cell
    yes_no: dict[bool | None, str] = field(default_factory=dict)

    @classmethod
    def for_user(cls, user) -> "ExportContext":
        from django.db.models import Count

        from zhaoshang.organisation.models import Region

        repeated = set(
            Region.objects.values("name")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .values_list("name", flat=True)
        )
        return cls(
            user=user,
            show_personal=may_see_personal_data(user),
            region_names_unique=repeated,
            yes_no={True: _("是"), False: _("否"), None: ""},
        )

    def label(self, column: Column, value: str) -> str:
        labels = self.labels.get(column.key)
        if labels is None:
            labels = self.labels[column.key] = {v: str(label) for v, label in column.choices.choices}
        return labels.get(value, value)

    def region(self, region) -> str:
        """A region by name, or by code where its name is not unique (so that it reads back)."""
        if region is None:
            return ""
        return region.code if region.name in self.region_names_unique else region.name

    def region_of(self, code: str | None, name: str | None) -> str:
        """``region`` from the region's code and name."""
        if code is None:
            return ""
        return code if name in self.region_names_unique else name

    def phone(self, phone: str) -> str:
        return phone if self.show_personal else mask_phone(phone)


class _Labels(dict):
    """Stored value → label; a value without a label (blank …) stays as it is."""

    def __missing__(self, key):
        return key


def values_export(
    sheet: "Sheet",
    queryset: models.QuerySet,
    ctx: ExportContext,
    *,
    lookups: dict[str, str],
    computed: dict[str, tuple[tuple[str, ...], Callable[..., Any]]] | None = None,
    chunk: Callable[[list[tuple], Callable[[str], int], Any], None] | None = None,
) -> Iterator[tuple]:
    """An export's rows read as plain values (``values_list``), not as model instances: a large
    export spends its time on the instances and their related objects otherwise.

    The ``auto`` columns read their field; ``lookups`` gives the others a lookup across relations
    (``investor__name``); ``computed`` gives a column a function of some lookups' values. ``chunk``
    is called with each batch of rows read (and a lookup's position in them), before they are
    turned into cells: it reads what the batch's many-to-many columns need, in one query a batch.
    """
    computed = computed or {}
    names = ["pk"]

    def position(lookup: str) -> int:
        if lookup not in names:
            names.append(lookup)
        return names.index(lookup)

    plain: list[int] = []  # a position per column
    changes: list[tuple[int, Callable[[Any], Any]]] = []  # (column, label …) per column value
    whole: list[tuple[int, Callable[..., Any], tuple[int, ...]]] = []  # (column, function, positions)
    for index, column in enumerate(sheet.columns):
        if column.key in computed:
            needs, function = computed[column.key]
            whole.append((index, function, tuple(position(lookup) for lookup in needs)))
            plain.append(0)
            continue
        lookup = lookups.get(column.key) or (column.field if column.auto else None)
        if lookup is None or (column.key not in lookups and sheet.model._meta.get_field(lookup).is_relation):
            # (a relation's cell is a name, not an id: it needs a lookup)
            raise ValueError(f"no value for the column {column.key}")
        plain.append(position(lookup))
        if column.key in lookups:
            continue
        if column.kind == "choice":
            labels = _Labels((value, str(label)) for value, label in column.choices.choices)
            changes.append((index, labels.__getitem__))
        elif column.kind == "bool":
            changes.append((index, ctx.yes_no.__getitem__))
        elif column.kind == "month":
            changes.append((index, lambda value: value.strftime("%Y-%m") if value else ""))
        elif column.kind == "phone":
            changes.append((index, lambda value: ctx.phone(value or "")))
    pick = itemgetter(*plain)
    stored = _stored_columns(sheet, ctx, lookups, computed, names, plain, position)

    def values() -> Iterator[list]:
        rows = queryset.prefetch_related(None).values_list(*names).iterator(chunk_size=2000)
        batch: list[tuple] = []
        while True:
            batch.clear()
            for row in rows:
                batch.append(row)
                if len(batch) >= 900:
                    break
            if not batch:
                return
            if chunk is not None:
                with connections[queryset.db].cursor() as cursor:
                    chunk(batch, position, cursor)
            for row in batch:
                values = list(pick(row))
                for index, change in changes:
                    values[index] = change(values[index])
                for index, function, positions in whole:
                    values[index] = function(*[row[p] for p in positions])
                yield values

    if stored is None:
        return values()
    # The computed columns' values of a row, made here (with the batch's reads at hand), in one call.
    env = {f"f{k}": function for k, (_index, function, _positions) in enumerate(whole)}
    calls = ", ".join(
        f"f{k}({', '.join(f'r[{p}]' for p in positions)})" for k, (_i, _f, positions) in enumerate(whole)
    )
    extras = eval(f"lambda r: ({calls},)" if whole else "lambda r: ()", env)  # (positions only, no data)
    dates = {names[column.position] for column in stored if column.kind == "date"}

    db = connections[queryset.db]
    # SQLite's driver turns each date's text into a date (Django's converter, a Python call a
    # value): read as text, a column's few distinct dates are turned into cells once.
    select = [
        Cast(name, output_field=models.CharField()) if db.vendor == "sqlite" and name in dates else name
        for name in names
    ]
    sql, params = queryset.prefetch_related(None).values_list(*select).query.sql_with_params()

    def batches() -> Iterator[list[tuple]]:
        """The rows as the database gives them (a plain cursor: no converter per value), each with
        its computed columns' values behind; read in a thread of their own (this connection's,
        lent to it), while this one writes the rows before: SQLite reads without holding the
        interpreter."""
        with db.cursor() as cursor, db.cursor() as links:
            cursor.execute(sql, params)
            while True:
                batch = cursor.fetchmany(900)
                if not batch:
                    return
                if chunk is not None:
                    chunk(batch, position, links)
                yield batch, list(map(extras, batch))

    return xlsx.Rows(_read_ahead(batches, db), stored, values)


def _keys_in(cursor, column: str, keys: list[int]) -> tuple[str, list]:
    """``column IN (the keys)`` for a batch's read: on PostgreSQL one array parameter (``= ANY``),
    parsed and planned once, rather than 900 bound parameters; elsewhere a plain ``IN`` list."""
    if cursor.db.vendor == "postgresql":
        return f"{column} = ANY(%s)", [keys]
    return f"{column} IN ({', '.join(['%s'] * len(keys))})", keys


def _read_ahead(produce: Callable[[], Iterator[Any]], db) -> Iterator[Any]:
    """What ``produce`` yields, made in a second thread a few items ahead (a bounded queue: constant
    memory). ``db`` (this thread's connection) is lent to that thread meanwhile; nothing else may
    use it until the items are all read (or this generator is closed)."""
    import contextlib
    import queue
    import threading

    items: queue.Queue = queue.Queue(maxsize=3)
    stop = threading.Event()
    end = object()

    def run() -> None:
        try:
            for item in produce():
                while not stop.is_set():
                    try:
                        items.put(item, timeout=0.5)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            items.put((end, None))
        except BaseException as error:  # raised again in the reading thread
            items.put((end, error))

    db.inc_thread_sharing()
    thread = threading.Thread(target=run, name="export-reader", daemon=True)
    thread.start()
    try:
        while True:
            item = items.get()
            if type(item) is tuple and len(item) == 2 and item[0] is end:
                if item[1] is not None:
                    raise item[1]
                return
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # (a reader held at a full queue sees the stop)
            with contextlib.suppress(queue.Empty):
                items.get(timeout=0.1)
        thread.join()
        db.dec_thread_sharing()


def _stored_columns(sheet, ctx, lookups, computed, names, plain, position) -> list | None:
    """How ``xlsx.Rows`` writes each column from the values the database gives (SQLite: 0/1 for
    booleans, text for dates, floats for decimals), the same cells as from the converted values; None
    where a column's field is of a type not handled here (the rows are then read through the ORM)."""
    columns = []
    extra = 0  # the computed columns' values come apart, in the order of the columns
    for index, column in enumerate(sheet.columns):
        if column.key in computed:
            columns.append(xlsx.Column(extra, "text", computed=True))  # (the computed columns give text)
            extra += 1
            continue
        lookup = lookups.get(column.key) or column.field
        field = _lookup_field(sheet.model, lookup)
        at = plain[index]
        if column.key not in lookups and column.kind == "choice":
            labels = _Labels((value, str(label)) for value, label in column.choices.choices)
            columns.append(xlsx.Column(at, "tails", labels.__getitem__))
        elif column.key not in lookups and column.kind == "bool":
            yes_no = ctx.yes_no
            columns.append(xlsx.Column(at, "tails", lambda value, yes_no=yes_no: yes_no[_stored_bool(value)]))
        elif (column.key not in lookups and column.kind in ("month", "phone")) or field is None:
            return None
        elif isinstance(field, models.DecimalField):
            columns.append(xlsx.Column(at, "value", _decimal_reader(field)))
        elif isinstance(field, models.DateTimeField):
            return None
        elif isinstance(field, models.DateField):
            columns.append(xlsx.Column(at, "date"))
        elif isinstance(field, models.BooleanField):
            return None
        elif isinstance(field, models.IntegerField | models.AutoField):
            columns.append(xlsx.Column(at, "int"))
        elif isinstance(field, models.CharField | models.TextField):
            columns.append(xlsx.Column(at, "text"))
        else:
            return None
    return columns


def _lookup_field(model, lookup: str):
    """The field a ``values_list`` lookup (``investor__name``) reads; None for another kind of lookup."""
    from django.core.exceptions import FieldDoesNotExist

    *path, last = lookup.split("__")
    try:
        for name in path:
            model = model._meta.get_field(name).related_model
            if model is None:
                return None
        field = model._meta.get_field("id" if last == "pk" else last)
    except FieldDoesNotExist:
        return None
    return None if field.is_relation else field


def _stored_bool(value):
    """A boolean as the ORM gives it (SQLite stores 0 and 1)."""
    return bool(value) if value in (0, 1) else value


def _decimal_reader(field: models.DecimalField) -> Callable[[Any], Any]:
    """A decimal as the ORM reads it, from what the database gives: SQLite gives a float (or an
    integer), rounded by the ORM to 15 significant digits and the field's places. A float whose
    shortest form has at most 15 digits and no more places is that decimal's nearest float already,
    which is what the cell keeps (``xlsx._decimal``): it stays as it is; others go the ORM's way."""
    context = decimal.Context(prec=15)
    quantum = Decimal(1).scaleb(-field.decimal_places)
    places = field.decimal_places

    def read(value):
        kind = type(value)
        if kind is float:
            if value.is_integer():
                if -1e15 < value < 1e15:
                    return int(value)
            else:
                text = repr(value)
                if "e" not in text and len(text) <= 16 and len(text) - text.index(".") - 1 <= places:
                    return value
            return context.create_decimal_from_float(value).quantize(quantum, context=field.context)
        if kind is int and -(10**15) < value < 10**15:
            return value
        if kind is int:
            return context.create_decimal_from_float(value).quantize(quantum, context=field.context)
        return value  # None, or a Decimal (PostgreSQL)

    return read


def export_value(obj: models.Model, column: Column, ctx: ExportContext) -> Any:
    value = getattr(obj, column.field)
    if column.kind == "choice":
        return ctx.label(column, value) if value else ""
    if column.kind == "bool":
        return ctx.yes_no[value]
    if column.kind == "month":
        return value.strftime("%Y-%m") if value else ""
    if column.kind == "phone":
        return ctx.phone(value or "")
    return value


def _names(items: Iterable[Any], attr: str = "name") -> str:
    return "、".join(getattr(item, attr) for item in items)


def _required_text(row: Row, key: str) -> str:
    value = row.get(key, "")
    if not value:
        raise RowError(key, _("必填"))
    return value


# --- regions --------------------------------------------------------------------------------------


def level_from_code(code: str) -> str:
    """GB/T 2260: XX0000 a province, XXXX00 a city, other six-digit codes a county; 9- or 12-digit
    codes (乡镇街道) a town."""
    if len(code) > 6:
        return RegionLevel.TOWN
    if code.endswith("0000"):
        return RegionLevel.PROVINCE
    if code.endswith("00"):
        return RegionLevel.CITY
    return RegionLevel.COUNTY


class RegionSheet(Sheet):
    name = "regions"
    label = gettext_lazy("行政区划")
    model_label = "organisation.Region"
    config = True
    identity = gettext_lazy("区划代码相同即为同一区划")
    columns = [
        Column("code", "区划代码", "code", required=True, synonyms=("行政区划代码", "代码"), field="code",
               auto=False, help=gettext_lazy("GB/T 2260 代码,6位(县级及以上)或9/12位(乡镇街道)")),
        Column("name", "区划名称", required=True, synonyms=("名称", "行政区划名称"), field="name"),
        Column("parent", "上级区划代码", "code", synonyms=("上级代码", "上级区划"), field="parent", auto=False,
               help=gettext_lazy("上级区划须已在系统中,或在本表前面的行中")),
        Column("level", "层级", "choice", choices=RegionLevel, field="level", auto=False,
               choice_synonyms=(("县", "county"), ("区", "county"), ("乡镇", "town"), ("街道", "town")),
               help=gettext_lazy("不填时按区划代码判断")),
        Column("is_central_urban", "中心城区", "bool", synonyms=("是否中心城区",), field="is_central_urban",
               help=YES_NO),
    ]  # fmt: skip

    def apply(self, row: Row, ctx: ImportContext) -> Outcome:
        from zhaoshang.organisation.models import Region

        code = _required_text(row, "code")
        if not code.isdigit():
            raise RowError("code", _("区划代码应为数字(GB/T 2260)"))
        ctx.once(code, row, _("区划代码"))
        existing = Region.objects.filter(code=code).first()
        values = simple_values(row, Region, self.columns)
        values["code"] = code
        if row.has("parent"):
            parent_code = row.get("parent", "")
            values["parent"] = ctx.find_region(parent_code, "parent") if parent_code else None
        if row.get("level"):
            values["level"] = row["level"]
        elif existing is None:
            values["level"] = level_from_code(code)
        old_path = existing.path if existing else None
        outcome = upsert(
            ctx,
            model=Region,
            existing=existing,
            values=values,
            field_to_key=self.field_to_key,
            label=f"{code} {values.get('name', '')}",
        )
        region = outcome.obj
        if old_path and region.path != old_path:
            # The region moved in the tree: its subtree's paths follow.
            for child in (
                Region.objects.filter(path__startswith=old_path).exclude(pk=region.pk).order_by("path")
            ):
                child.save()
        ctx.remember_region(region)
        return outcome

    def export_queryset(self):
        from zhaoshang.organisation.models import Region

        return Region.objects.select_related("parent").order_by("path")

    def export_row(self, obj, ctx):
        return {
            "code": obj.code,
            "name": obj.name,
            "parent": obj.parent.code if obj.parent_id else "",
            "level": obj.get_level_display(),
            "is_central_urban": ctx.yes_no[obj.is_central_urban],
        }


# --- units ----------------------------------------------------------------------------------------


class UnitSheet(Sheet):
    name = "units"
    label = gettext_lazy("任务单位")
    model_label = "organisation.Unit"
    config = True
    identity = gettext_lazy("单位名称相同即为同一单位")
    columns = [
        Column("name", "单位名称", required=True, synonyms=("单位", "名称", "任务单位"), field="name"),
        Column("short_name", "简称", synonyms=("单位简称",), field="short_name"),
        Column("kind", "单位类型", "choice", required=True, choices=UnitKind, synonyms=("类型", "单位类别"),
               field="kind",
               choice_synonyms=(("开发区", "park"), ("园区/开发区", "park"), ("园区(开发区)", "park"),
                                ("乡镇", "town"), ("街道", "town"), ("乡镇/街道", "town"), ("部门", "department"),
                                ("专班", "task_force"), ("产业专班", "task_force"),
                                ("驻点招商", "resident_office"), ("驻外招商组", "resident_office")),
               help=gettext_lazy("乡镇街道、园区(开发区同)、区直部门、产业招商专班、驻点招商组、招商团")),
        Column("group", "考核组别", synonyms=("组别", "考核分组"), field="assessment_group", auto=False,
               help=gettext_lazy("没有的组别会新建")),
        Column("parent", "上级单位", synonyms=("所属招商团",), field="parent", auto=False,
               help=gettext_lazy("如所属招商团;须为已有单位或本表中的单位")),
        Column("region", "所属区划", synonyms=("区划", "所属区县"), field="region", auto=False,
               help=gettext_lazy("区划代码或名称;不填为本地区划(zhaoshang setup 设置)")),
        Column("order", "排序号", "int", synonyms=("排序", "顺序号"), field="order",
               help=gettext_lazy("通报中列出单位的官方顺序")),
        Column("chain_leader", "链长/团长", synonyms=("链长", "团长"), field="chain_leader"),
        Column("is_active", "启用", "bool", field="is_active", help=YES_NO),
    ]  # fmt: skip

    def apply(self, row: Row, ctx: ImportContext) -> Outcome:
        from zhaoshang.organisation.models import AssessmentGroup, Unit

        name = _required_text(row, "name")
        ctx.once(cells.choice_key(name), row, _("单位名称"))
        existing = Unit.objects.filter(name=name).first()
        values = simple_values(row, Unit, self.columns)
        if row.has("group"):
            group_name = row.get("group", "")
            group = None
            if group_name:
                group = AssessmentGroup.objects.filter(name=group_name).first()
                if group is None:
                    group = AssessmentGroup.objects.create(name=group_name)
                    ctx.note(row.number, "group", _("新建考核组别“{name}”").format(name=group_name))
            values["assessment_group"] = group
        if row.has("parent"):
            parent_name = row.get("parent", "")
            parent = None
            if parent_name:
                parent = ctx.lookup_unit(parent_name)
                if parent is None:
                    raise RowError("parent", _("未找到单位“{name}”").format(name=parent_name))
            values["parent"] = parent
        if row.get("region"):
            values["region"] = ctx.find_region(row["region"], "region")
        elif existing is None:
            region = home_region()
            if region is None:
                raise RowError("region", NO_HOME_REGION)
            values["region"] = region
        outcome = upsert(
            ctx, model=Unit, existing=existing, values=values, field_to_key=self.field_to_key, label=name
        )
        ctx.remember_unit(outcome.obj)
        return outcome

    def export_queryset(self):
        from zhaoshang.organisation.models import Unit

        return Unit.objects.select_related("assessment_group", "parent", "region").order_by("order", "name")

    def export_row(self, obj, ctx):
        row = super().export_row(obj, ctx)
        row.update(
            group=obj.assessment_group.name if obj.assessment_group_id else "",
            parent=obj.parent.name if obj.parent_id else "",
            region=ctx.region(obj.region),
        )
        return row


# --- users ----------------------------------------------------------------------------------------


class UserSheet(Sheet):
    name = "users"
    label = gettext_lazy("用户")
    model_label = "organisation.User"
    config = True
    identity = gettext_lazy("用户名相同即为同一账号")
    columns = [
        Column("username", "用户名", required=True, synonyms=("账号", "登录名"), field="username"),
        Column("full_name", "姓名", synonyms=("名字",), auto=False),
        Column("role", "角色", "choice", required=True, choices=Role, field="role",
               choice_synonyms=(("统计员", "bureau"), ("招商局", "bureau"), ("填报人", "reporter"),
                                ("负责人", "unit_head"), ("督查室", "supervisor")),
               help=gettext_lazy("填报员、单位负责人、招商局统计员、领导、督查、系统管理员、安全管理员、审计员")),
        Column("unit", "所属单位", synonyms=("单位",), field="unit", auto=False, dropdown="units",
               help=gettext_lazy("填报员、单位负责人必填")),
        Column("region", "管辖区划", synonyms=("区划",), field="region", auto=False,
               help=gettext_lazy("招商局统计员、领导、督查填写区划代码或名称;不填时为所属单位的区划")),
        Column("phone", "手机号码", "phone", synonyms=("手机", "联系电话", "电话"), field="phone",
               help=gettext_lazy("导出时按权限打码;打码的单元格导入时表示不修改")),
        Column("password", "初始密码", synonyms=("密码",), auto=False,
               help=gettext_lazy("只用于新建账号,须符合密码规则;不填则账号在设置密码前不能登录")),
        Column("is_active", "启用", "bool", field="is_active", help=YES_NO),
    ]  # fmt: skip

    def apply(self, row: Row, ctx: ImportContext) -> Outcome:

        from zhaoshang.organisation.choices import ADMIN_ROLES, REGION_ROLES, UNIT_ROLES
        from zhaoshang.organisation.models import User
        from zhaoshang.organisation.services import split_chinese_name, user_create

        username = _required_text(row, "username")
        ctx.once(username.lower(), row, _("用户名"))
        existing = User.objects.filter(username__iexact=username).first()
        role = row.get("role") or (existing.role if existing else None)
        if role is None:
            raise RowError("role", _("必填"))
        unit = ctx.find_unit(row["unit"], "unit", check_scope=False) if row.get("unit") else None
        region = ctx.find_region(row["region"], "region") if row.get("region") else None
        if not row.has("unit") and existing is not None:
            unit = existing.unit
        if not row.has("region") and existing is not None:
            region = existing.region
        if role in UNIT_ROLES and unit is None:
            raise RowError("unit", _("填报员和单位负责人必须指定所属单位"))
        if role in ADMIN_ROLES and unit is not None:
            raise RowError("unit", _("系统管理员、安全管理员和审计员不属于任务单位"))
        if role in REGION_ROLES and region is None:
            if unit is None:
                raise RowError("region", _("招商局统计员、领导和督查必须指定管辖区划"))
            region = unit.region
        phone = row.get("phone", "")
        if existing is None:
            password = row.get("password", "")
            try:
                user = user_create(
                    username=username,
                    role=role,
                    password=password or generated_password(),  # unusable below; must pass the rules
                    unit=unit,
                    region=region,
                    full_name=row.get("full_name", ""),
                )
            except ValidationError as error:
                key = next(iter(getattr(error, "error_dict", {"": None})), "")
                raise RowError(key if key in ("unit", "region", "role", "username", "password") else None,
                               "".join(error.messages)) from error  # fmt: skip
            if not password:  # no password in the file: the account cannot log in until one is set
                user.set_unusable_password()
                user.save(update_fields=["password"])
            extra = {}
            if phone and not is_masked(phone):
                extra["phone"] = phone
            if row.has("is_active") and row.get("is_active") is False:
                extra["is_active"] = False
            if extra:
                upsert(ctx, model=User, existing=user, values=extra, field_to_key=self.field_to_key,
                       label=username, stamp=False, audit_exclude=("password",))  # fmt: skip
            return Outcome("created", username, obj=user)
        values: dict[str, Any] = {"role": role, "unit": unit, "region": region}
        if row.has("full_name"):
            values["last_name"], values["first_name"] = split_chinese_name(row.get("full_name", ""))
        if row.has("phone") and not is_masked(phone):
            values["phone"] = phone
        if row.has("is_active"):
            values["is_active"] = row.get("is_active", True)
        return upsert(
            ctx,
            model=User,
            existing=existing,
            values=values,
            field_to_key={**self.field_to_key, "first_name": "full_name", "last_name": "full_name"},
            label=username,
            stamp=False,
            audit_exclude=("password",),
        )

    def export_queryset(self):
        from zhaoshang.organisation.models import User

        return User.objects.select_related("unit", "region").order_by("username")

    def export_row(self, obj, ctx):
        row = super().export_row(obj, ctx)
        row.update(
            full_name=obj.get_full_name(),
            unit=obj.unit.name if obj.unit_id else "",
            region=ctx.region(obj.region),
            password="",
        )
        return row


# --- enterprises ----------------------------------------------------------------------------------


def tag_options() -> dict[str, str]:
    from zhaoshang.enterprises.choices import TAG_SYNONYMS, EnterpriseTag

    options = {cells.choice_key(str(label)): value for value, label in EnterpriseTag.choices}
    options.update({cells.choice_key(value): value for value in EnterpriseTag.values})
    options.update({cells.choice_key(name): value for name, value in TAG_SYNONYMS.items()})
    return options


def parse_tags(names: list[str], key: str) -> set[str]:
    options = tag_options()
    codes = set()
    for name in names:
        code = options.get(cells.choice_key(name))
        if code is None:
            from zhaoshang.enterprises.choices import EnterpriseTag

            labels = "、".join(str(label) for label in EnterpriseTag.labels)
            raise RowError(key, _("无法识别的企业标签“{name}”({labels})").format(name=name, labels=labels))
        codes.add(code)
    return codes


def tag_labels(enterprise, ctx: ExportContext) -> str:
    from zhaoshang.enterprises.choices import EnterpriseTag

    labels = ctx.labels.get("__tags")
    if labels is None:
        labels = ctx.labels["__tags"] = {code: str(label) for code, label in EnterpriseTag.choices}
    order = {code: i for i, code in enumerate(EnterpriseTag.values)}
    codes = sorted((t.code for t in enterprise.tags.all()), key=lambda c: order.get(c, 99))
    return "、".join(labels.get(code, code) for code in codes)


class EnterpriseSheet(Sheet):
    name = "enterprises"
    label = gettext_lazy("企业客商")
    model_label = "enterprises.Enterprise"
    identity = gettext_lazy("统一社会信用代码相同即为同一企业;未填代码时按企业名称")
    filterset = "zhaoshang.enterprises.filtersets.EnterpriseFilterSet"
    columns = [
        Column("name", "企业名称", required=True, synonyms=("企业", "公司名称", "客商名称", "客商"), field="name",
               width=30),
        Column("credit_code", "统一社会信用代码", "code", synonyms=("信用代码", "社会信用代码"), field="credit_code",
               auto=False, width=22, help=gettext_lazy("18位;填写后按代码识别企业")),
        Column("location", "所在地", synonyms=("注册地", "所在地区", "地址"), field="location"),
        Column("tags", "企业标签", "list", synonyms=("标签", "企业类型", "投资方类型"), field="tags", auto=False,
               help=gettext_lazy("用顿号分隔:世界500强、中国500强、民营500强、上市公司、央企、国企、行业龙头、"
                                 "高新技术企业、专精特新、港澳台、外资")),
        Column("contact", "联系人", "list", auto=False, help=gettext_lazy("多人用顿号分隔,与联系电话一一对应")),
        Column("phone", "联系电话", "list", synonyms=("电话", "手机", "联系方式"), auto=False,
               help=gettext_lazy("多个用顿号分隔;导出时按权限打码,打码的号码导入时表示不修改")),
        Column("stock_code", "股票代码", "code", field="stock_code"),
        Column("note", "备注", "multiline", field="note", width=30),
    ]  # fmt: skip

    def apply(self, row: Row, ctx: ImportContext) -> Outcome:
        from zhaoshang.enterprises.models import Enterprise
        from zhaoshang.enterprises.validators import normalise_credit_code, validate_credit_code

        name = _required_text(row, "name")
        code = normalise_credit_code(row.get("credit_code", ""))
        try:
            validate_credit_code(code)
        except ValidationError as error:
            raise RowError("credit_code", "".join(error.messages)) from error
        ctx.once(
            ("code", code) if code else ("name", name), row, _("统一社会信用代码") if code else _("企业名称")
        )
        by_code, by_name = ctx.enterprise_index()
        by_its_code = bool(code) and code in by_code  # a known code wins over the name typed
        entry = by_code[code] if by_its_code else by_name.get(name)
        existing = None
        if entry:
            if "order:enterprises" not in ctx.cache:
                ctx.cache["order:enterprises"] = sorted(
                    {e[0] for e in (*by_code.values(), *by_name.values())}
                )
            order = ctx.cache["order:enterprises"]
            existing = ctx.fetch(Enterprise, entry[0], order=order, prefetch=("tags", "contacts"))
        if existing is not None and not by_its_code and code and existing.credit_code:
            raise RowError(
                "credit_code",
                _("企业“{name}”已登记的统一社会信用代码为{code},与填写的不一致").format(
                    name=name, code=existing.credit_code
                ),
            )
        values = simple_values(row, Enterprise, self.columns)
        values["name"] = name
        if row.has("credit_code") and (code or existing is None):
            values["credit_code"] = code
        m2m = {}
        if row.has("tags"):
            m2m["tags"] = parse_tags(row.get("tags", []), "tags")
        extras = []
        if row.has("contact") or row.has("phone"):
            extras.append(self._contacts(row, existing))
        return upsert(
            ctx,
            model=Enterprise,
            existing=existing,
            values=values,
            field_to_key=self.field_to_key,
            label=name,
            m2m=m2m,
            extras=extras,
            stamp=False,
        )

    @staticmethod
    def _contacts(row: Row, existing) -> Extra:
        """Contacts matched by name: a new name is added, a known one gets the phone given (a masked
        phone keeps the one on file); contacts left out of the file are kept."""
        from zhaoshang.enterprises.models import Contact

        names = row.get("contact", []) if row.has("contact") else []
        phones = row.get("phone", []) if row.has("phone") else []
        if phones and not names and existing is None:
            raise RowError("contact", _("填写联系电话时请填写联系人"))
        if len(phones) > len(names) and names:
            raise RowError("phone", _("联系电话比联系人多,请一一对应并用顿号分隔"))
        current = sorted(existing.contacts.all(), key=lambda c: c.pk) if existing is not None else []
        by_name = {c.name: c for c in current}
        before = [[c.name, c.phone] for c in current]
        if not names:  # phones only: they go to the contacts on file in order
            names = [c.name for c in current][: len(phones)]
        wanted: dict[str, str] = {}
        for i, name in enumerate(names):
            phone = phones[i] if i < len(phones) else None
            known = by_name.get(name)
            if phone is None or is_masked(phone):
                phone = known.phone if known else ""
            wanted[name] = cells.parse_code(phone)
        after = [[c.name, wanted.get(c.name, c.phone)] for c in current]
        after += [[name, phone] for name, phone in wanted.items() if name not in by_name]

        def write(enterprise) -> None:
            for contact in current:
                if contact.name in wanted and wanted[contact.name] != contact.phone:
                    contact.phone = wanted[contact.name]
                    contact.full_clean()
                    contact.save(update_fields=["phone"])
            for name, phone in wanted.items():
                if name not in by_name:
                    contact = Contact(enterprise=enterprise, name=name, phone=phone)
                    contact.full_clean()
                    contact.save()

        return Extra(
            name=_("联系人"),
            changed=before != after,
            before=[[name, mask_phone(phone)] for name, phone in before],
            after=[[name, mask_phone(phone)] for name, phone in after],
            write=write,
        )

    def export_queryset(self):
        from zhaoshang.enterprises.models import Enterprise

        return Enterprise.objects.filter(is_deleted=False).prefetch_related("tags", "contacts").order_by("pk")

    def export_row(self, obj, ctx):
        row = super().export_row(obj, ctx)
        contacts = sorted(obj.contacts.all(), key=lambda c: c.pk)
        row.update(
            credit_code=obj.credit_code,
            tags=tag_labels(obj, ctx),
            contact="、".join(c.name for c in contacts),
            phone="、".join(ctx.phone(c.phone) for c in contacts) if any(c.phone for c in contacts) else "",
        )
        return row


# --- projects -------------------------------------------------------------------------------------


def _investor_keys(code: str, name: str) -> tuple[tuple[str, str], ...]:
    """How the duplicate check matches investors: by credit code, and by normalised name."""
    by_name = ("name", normalise_company(name))
    return (("code", code), by_name) if code else (by_name,)


_FLAG = {"kind": "bool", "help": YES_NO, "width": 8}


# 项目阶段 as files write an intention agreement (意向协议 is not a signing, SPEC §3): read as 洽谈,
# the row marked 意向协议.
INTENTION_STAGES = tuple(
    (text, "negotiating")
    for text in ("意向", "意向签约", "意向协议", "签订意向协议", "已签意向协议", "意向性协议")
)
_INTENTION_WORDS = ("意向协议", "意向性协议", "意向签约")


def _says_intention_agreement(row: Row) -> bool:
    """Whether a projects row is an intention agreement: 意向协议 = 是, or a 项目阶段 such as
    "意向签约". A 备注 that says so beside a 签约日期 (the way files slip one into the signed figures)
    is refused unless 意向协议 says 否 (a project signed for real after its intention agreement)."""
    if row.get("is_intention_agreement"):
        return True
    if "意向" in cells.parse_text(row.raw.get("stage") or ""):
        return True
    note = row.get("note", "")
    if (
        row.values.get("is_intention_agreement") is not False
        and row.get("signed_on")
        and any(word in note for word in _INTENTION_WORDS)
    ):
        raise RowError(
            "signed_on",
            _("备注写明为意向协议:意向协议不算签约,不能填写签约日期;如已正式签约,请在〈意向协议〉列填“否”"),
        )
    return False


class ProjectSheet(Sheet):
    name = "projects"
    defer_creates = True
    label = gettext_lazy("招商项目")
    model_label = "projects.Project"
    identity = gettext_lazy("项目名称和引进单位都相同即为同一项目(投资方变更仍是同一项目)")
    period_field = "signed_on"
    filterset = "zhaoshang.projects.filtersets.ProjectFilterSet"
    columns = [
        Column("name", "项目名称", required=True, synonyms=("项目",), field="name", width=30),
        Column("investor", "投资方", required=True, synonyms=("投资主体", "投资企业", "投资方名称", "签约企业"),
               field="investor", auto=False, width=26,
               help=gettext_lazy("企业全称;系统中没有的企业会新建")),
        Column("credit_code", "统一社会信用代码", "code", synonyms=("投资方统一社会信用代码", "信用代码"),
               auto=False, width=22, help=gettext_lazy("投资方的18位代码;填写后按代码识别投资方")),
        Column("introducing_unit", "引进单位", required=True, synonyms=("招引单位", "责任单位", "引进单位名称"),
               field="introducing_unit", auto=False, dropdown="units", help=UNIT_HELP),
        Column("industry", "所属产业", synonyms=("产业", "产业类别", "产业分类"), field="industry", auto=False,
               dropdown="industries:leading", help=gettext_lazy("本地主导产业名称")),
        Column("chain", "产业链", field="chain", auto=False, dropdown="industries:chain"),
        Column("total_investment_wan", "总投资(万元)", "amount", required=True, unit="万元",
               synonyms=("计划总投资(万元)", "投资总额(万元)", "总投资额(万元)", "协议总投资(万元)"),
               field="total_investment_wan", help=AMOUNT_HELP),
        Column("added_investment_wan", "新增投资(万元)", "amount", unit="万元", synonyms=("新增投资额(万元)",),
               field="added_investment_wan", help=gettext_lazy("扩建、增资项目必填,只计新增部分")),
        Column("foreign_currency", "外资币种", synonyms=("币种",), field="foreign_currency",
               help=gettext_lazy("如美元、港元、欧元")),
        Column("foreign_amount", "外资金额", "amount", unit="万", synonyms=("外资额",), field="foreign_amount",
               help=gettext_lazy("原币,单位万")),
        Column("kind", "项目类别", "choice", choices=ProjectKind, synonyms=("项目类型", "建设性质"), field="kind",
               choice_synonyms=(("新建项目", "new"), ("续建项目", "continued"), ("扩建项目", "expansion"),
                                ("增资扩股", "capital_increase"), ("增资项目", "capital_increase"))),
        Column("stage", "项目阶段", "choice", required=True, choices=Stage, synonyms=("项目进度", "进展阶段", "阶段"),
               field="stage",
               choice_synonyms=(("在谈", "negotiating"), ("洽谈中", "negotiating"), ("在谈项目", "negotiating"),
                                ("已签约", "signed"), ("签约项目", "signed"), ("已开工", "commenced"),
                                ("开工入库", "commenced"), ("入库", "commenced"), ("开工(入库)", "commenced"),
                                ("已投产", "in_production"), ("达产", "effective"), ("已终止", "terminated"),
                                ("已退库", "withdrawn"), *INTENTION_STAGES)),
        Column("negotiated_on", "洽谈日期", "date", synonyms=("首次洽谈日期", "洽谈时间"), field="negotiated_on",
               help=DATE_HELP),
        Column("signed_on", "签约日期", "date", synonyms=("签约时间",), field="signed_on", help=DATE_HELP),
        Column("agreed_start_on", "约定开工日期", "date", synonyms=("约定开工时间", "合同约定开工日期"),
               field="agreed_start_on", help=DATE_HELP),
        Column("commenced_on", "开工日期", "date", synonyms=("开工时间", "入库日期"), field="commenced_on",
               help=DATE_HELP),
        Column("in_production_on", "投产日期", "date", synonyms=("投产时间",), field="in_production_on",
               help=DATE_HELP),
        Column("end_reason", "终止或退库原因", synonyms=("终止原因", "退库原因"), field="end_reason", width=20),
        Column("land_mode", "用地方式", "choice", choices=LandMode, synonyms=("供地方式",), field="land_mode",
               choice_synonyms=(("新征地", "acquisition"), ("出让", "acquisition"), ("挂牌出让", "acquisition"),
                                ("租赁", "leased"), ("租赁标准厂房", "leased"), ("租用厂房", "leased"),
                                ("自有用地", "own"), ("自有土地", "own"), ("自有厂房", "own"))),
        Column("land_area_mu", "用地面积(亩)", "number", synonyms=("占地面积(亩)", "用地(亩)"), field="land_area_mu"),
        Column("is_leading_industry", "主导产业", field="is_leading_industry", synonyms=("是否主导产业",), **_FLAG),
        Column("is_chain", "产业链项目", field="is_chain", synonyms=("是否产业链项目",), **_FLAG),
        Column("is_industrial", "工业项目", field="is_industrial", synonyms=("是否工业项目",), **_FLAG),
        Column("is_manufacturing", "制造业", field="is_manufacturing", synonyms=("制造业项目", "是否制造业"), **_FLAG),
        Column("is_strategic_emerging", "战略性新兴产业", field="is_strategic_emerging",
               synonyms=("战新产业", "战略性新兴产业项目"), **_FLAG),
        Column("is_private", "民营投资", field="is_private", synonyms=("民间投资", "是否民营投资"), **_FLAG),
        Column("is_headquarters", "总部经济", field="is_headquarters", synonyms=("总部经济项目",), **_FLAG),
        Column("city_dispatch", "纳入市级调度", field="city_dispatch", synonyms=("市级调度",), **_FLAG),
        Column("is_local_investor", "本地投资方", field="is_local_investor", synonyms=("本地企业投资",), **_FLAG),
        Column("is_public_infrastructure", "财政投资或PPP基础设施", field="is_public_infrastructure",
               synonyms=("财政投资基础设施", "PPP项目"), **_FLAG),
        Column("is_real_estate", "房地产项目", field="is_real_estate", synonyms=("房地产",), **_FLAG),
        Column("is_later_phase", "已签约项目的后续期", field="is_later_phase", synonyms=("后续期", "二期项目"), **_FLAG),
        Column("is_local_relocation", "本地企业搬迁", field="is_local_relocation", synonyms=("本地搬迁",), **_FLAG),
        Column("investor_tags", "投资方类型", "list", synonyms=("投资方标签",), auto=False,
               help=gettext_lazy("投资方的企业标签,用顿号分隔(如世界500强、上市公司);只增加不删除")),
        Column("leader_in_charge", "包保领导", synonyms=("联系领导", "包联领导"), field="leader_in_charge"),
        Column("negotiating_leader", "洽谈领导", synonyms=("直接洽谈领导",), field="negotiating_leader"),
        Column("chief_service_officer", "首席服务官", field="chief_service_officer"),
        Column("note", "备注", "multiline", field="note", width=30),
        # Beyond the SPEC's list: kept so that an export re-imports everything a project page shows.
        Column("is_major", "重大项目", field="is_major", **_FLAG),
        Column("is_intention_agreement", "意向协议", field="is_intention_agreement",
               synonyms=("是否意向协议", "意向性协议", "签订意向协议"), **_FLAG),
        Column("region", "落地区划", synonyms=("落地地区",), field="region", auto=False,
               help=gettext_lazy("区划代码或名称;不填为引进单位所在区划")),
        Column("prereview_passed_on", "预审通过日期", "date", field="prereview_passed_on", help=DATE_HELP),
        Column("effective_on", "达效日期", "date", field="effective_on", help=DATE_HELP),
        Column("ended_on", "终止或退库日期", "date", synonyms=("终止日期", "退库日期"), field="ended_on",
               help=DATE_HELP),
        Column("sector", "三次产业", "choice", choices=Sector, field="sector",
               choice_synonyms=(("一产", "primary"), ("二产", "secondary"), ("三产", "tertiary"))),
        Column("foreign_usd_wan", "外资(万美元)", "amount", unit="万美元", synonyms=("折合美元(万美元)",),
               field="foreign_usd_wan"),
        Column("lead_unit", "牵头单位", field="lead_unit", auto=False, dropdown="units"),
        Column("landing_unit", "落户单位", field="landing_unit", auto=False, dropdown="units",
               synonyms=("落户地", "落地单位"),
               help=gettext_lazy("项目落户的乡镇街道或园区(口径选项启用按比例分成时与引进单位分享该项目)")),
        Column("service_team", "服务专班", field="service_team"),
        Column("helper_units", "协助单位", "list", field="helper_units", auto=False,
               help=gettext_lazy("用顿号分隔;协助单位不计入其成绩")),
    ]  # fmt: skip

    @functools.cached_property
    def project_field_to_key(self) -> dict[str, str]:
        return self.field_to_key | {"investor_credit_code": "credit_code"}

    def prepare(self, ctx: ImportContext) -> None:
        ctx.cache["duplicates"] = None  # built on first use
        ctx.cache["to_flag"] = []

    def prefetch(self, rows: list[Row], ctx: ImportContext) -> None:
        from zhaoshang.projects.models import Project

        ctx.prefetch_keys(Project, ("name", "introducing_unit_id"), {row.get("name", "") for row in rows})

    def apply(self, row: Row, ctx: ImportContext) -> Outcome:
        from zhaoshang.projects.models import Project

        name = _required_text(row, "name")
        unit = ctx.find_unit(_required_text(row, "introducing_unit"), "introducing_unit")
        ctx.once((name, unit.pk), row, gettext_lazy("项目名称和引进单位"))
        existing = ctx.existing(
            Project, ("name", "introducing_unit_id"), (name, unit.pk), prefetch=("helper_units",)
        )
        values = simple_values(row, Project, self.columns)
        values.update(name=name, introducing_unit=unit)
        if _says_intention_agreement(row):
            values["is_intention_agreement"] = True  # the model then refuses a 签约日期 on the row
        investor = ctx.find_enterprise(
            _required_text(row, "investor"),
            row.get("credit_code", ""),
            name_key="investor",
            code_key="credit_code" if row.get("credit_code") else None,
        )
        values["investor"] = investor
        if row.get("region"):
            values["region"] = ctx.find_region(row["region"], "region")
        elif existing is None or row.has("region"):
            values["region"] = unit.region  # blank: the introducing unit's region (SPEC §3 credit)
        for key, kinds in (("industry", ["leading", "chain", "strategic", "sector"]), ("chain", ["chain"])):
            if row.has(key):
                values[key] = ctx.find_industry(row[key], key, kinds) if row.get(key) else None
        if row.has("lead_unit"):
            values["lead_unit"] = (
                ctx.find_unit(row["lead_unit"], "lead_unit", check_scope=False)
                if row.get("lead_unit")
                else None
            )
        if row.has("landing_unit"):
            values["landing_unit"] = (
                ctx.find_unit(row["landing_unit"], "landing_unit", check_scope=False)
                if row.get("landing_unit")
                else None
            )
        m2m = {}
        if row.has("helper_units"):
            m2m["helper_units"] = [
                ctx.find_unit(n, "helper_units", check_scope=False) for n in row.get("helper_units", [])
            ]
        if row.get("investor_tags"):
            self._add_investor_tags(investor, parse_tags(row["investor_tags"], "investor_tags"), ctx)
        outcome = upsert(
            ctx,
            model=Project,
            existing=existing,
            values=values,
            field_to_key=self.project_field_to_key,
            label=name,
            m2m=m2m,
        )
        if outcome.action != "unchanged":
            ctx.cache["to_flag"].append((row.number, outcome.obj, investor, unit))
        return outcome

    def flushed(self, ctx: ImportContext) -> None:
        # A project whose insert the database refused has no id: its row is a problem already.
        batch = [entry for entry in ctx.cache["to_flag"] if entry[1].pk is not None]
        ctx.cache["to_flag"] = []
        if batch:
            self._flag(batch, ctx)

    @staticmethod
    def _add_investor_tags(investor, codes: set[str], ctx: ImportContext) -> None:
        """投资方类型 adds tags to the investor; it never removes one (other projects share it)."""
        from zhaoshang.audit.models import AuditAction
        from zhaoshang.audit.services import snapshot
        from zhaoshang.enterprises.models import Enterprise

        known = ctx.cache.setdefault("investor_tags", {})
        current = known.get(investor.pk)
        if current is None:
            current = known[investor.pk] = set(investor.tags.values_list("code", flat=True))
        missing = codes - current
        if missing:
            current |= (
                missing  # a rolled-back row only makes a later row skip adding: the import fails anyway
            )
            investor = Enterprise.objects.get(pk=investor.pk)  # the whole record, for its audit snapshot
            before = snapshot(investor)
            investor.tags.add(*missing)
            ctx.audit(action=AuditAction.UPDATE, obj=investor, before=before, after=snapshot(investor))

    @staticmethod
    def _flag(batch: list[tuple], ctx: ImportContext) -> None:
        """Warnings (防水分): the same investor (credit code or near-identical name) with a close amount
        in another unit, and a single project of 100亿元 or more.

        Run after each bulk insert over the rows' changed projects, in file order: each is compared
        with the rows before it and with the projects on file that this file does not change. Those
        are read for the investors concerned only (by credit code and by normalised name), once per
        investor, rather than every project on file.
        """
        from zhaoshang.projects.models import Project

        dup = ctx.cache.get("duplicates")
        if dup is None:
            dup = ctx.cache["duplicates"] = {
                "index": {},
                "loaded": set(),
                "touched": set(),
                "investors": None,
            }
        index, loaded, touched = dup["index"], dup["loaded"], dup["touched"]
        checks = []
        for number, project, investor, unit in batch:
            checks.append((number, project, unit, _investor_keys(investor.credit_code, investor.name)))
            touched.add(project.pk)  # represented by its row, not by what the database holds now
        wanted = {key for *_rest, keys in checks for key in keys} - loaded
        if wanted:
            if dup["investors"] is None:
                from zhaoshang.organisation.models import Unit

                ctx.enterprise_index()
                investors: dict[tuple, list[int]] = {}  # key → enterprises
                names: dict[int, tuple[str, str]] = {}  # enterprise → (code, name)
                for pk, name, code in ctx.cache["enterprise_rows"]:
                    names[pk] = (code, name)
                    investors.setdefault(("name", normalise_company(name)), []).append(pk)
                    if code:
                        investors.setdefault(("code", code), []).append(pk)
                dup["investors"], dup["names"] = investors, names
                dup["unit_names"] = dict(Unit.objects.values_list("pk", "name"))
            names, unit_names, keys_of = dup["names"], dup["unit_names"], dup.setdefault("keys_of", {})
            ids = sorted({pk for key in wanted for pk in dup["investors"].get(key, ())})
            loaded |= wanted
            found = []
            for start in range(0, len(ids), 500):
                found += (
                    Project.objects.filter(is_deleted=False, investor_id__in=ids[start : start + 500])
                    .exclude(stage=Stage.WITHDRAWN)
                    .order_by()
                    .values_list(
                        "pk",
                        "name",
                        "introducing_unit_id",
                        "total_investment_wan",
                        "investor_id",
                        "signed_on",
                    )
                )
            # Warnings list look-alikes in the projects' own order (newest signing first), as the
            # database returns them (where it puts projects without a signing date included).
            nulls_first = connection.features.nulls_order_largest
            found.sort(
                key=lambda r: ((r[5] is None) != nulls_first, -(r[5].toordinal() if r[5] else 0), -r[0])
            )
            for pk, name, unit_id, amount, investor_id, _signed in found:
                if pk in touched:
                    continue
                entry = (pk, name, unit_id, unit_names.get(unit_id, ""), amount)
                keys = keys_of.get(investor_id)
                if keys is None:
                    keys = keys_of[investor_id] = _investor_keys(*names.get(investor_id, ("", "")))
                for key in keys:
                    if key in loaded:
                        index.setdefault(key, {})[pk] = entry
        tenth = Decimal("0.1")
        for number, project, unit, keys in checks:
            amount, own, own_unit = project.total_investment_wan, project.pk, unit.pk
            reported = set()
            for key in keys:
                entries = index.get(key)
                if not entries:
                    continue
                for pk, name, unit_id, unit_name, other in entries.values():
                    if pk == own or unit_id == own_unit or pk in reported:
                        continue
                    high = max(amount, other)
                    if high and abs(amount - other) / high <= tenth:
                        reported.add(pk)
                        ctx.note(
                            number,
                            "investor",
                            _(
                                "可能与“{name}”({unit},总投资{amount}万元)重复:同一投资方、投资额相近,请核实"
                            ).format(name=name, unit=unit_name, amount=plain(other)),
                        )
            entry = (own, project.name, own_unit, unit.name, amount)
            for key in keys:
                index.setdefault(key, {})[own] = entry
            if amount >= Decimal(1_000_000):
                ctx.note(number, "total_investment_wan", _("单个项目总投资在100亿元以上,请核实"))

    def export_queryset(self):
        from zhaoshang.projects.models import Project

        return (
            Project.objects.filter(is_deleted=False)
            .select_related(
                "investor", "introducing_unit", "industry", "chain", "region", "lead_unit", "landing_unit"
            )
            .prefetch_related("investor__tags", "helper_units")
            .order_by("pk")
        )

    def export_row(self, obj, ctx):
        row = super().export_row(obj, ctx)
        row.update(
            investor=obj.investor.name,
            credit_code=obj.investor.credit_code,
            introducing_unit=obj.introducing_unit.name,
            industry=obj.industry.name if obj.industry_id else "",
            chain=obj.chain.name if obj.chain_id else "",
            investor_tags=tag_labels(obj.investor, ctx),
            region=ctx.region(obj.region),
            lead_unit=obj.lead_unit.name if obj.lead_unit_id else "",
            helper_units=_names(sorted(obj.helper_units.all(), key=lambda u: (u.order, u.name))),
        )
        return row

    def export_rows(self, queryset, ctx):
        """As ``export_row`` says, read as plain values (the export of a whole province is 100 000s
        of projects): names across relations, tags and helper units a batch at a time."""
        from zhaoshang.enterprises.choices import EnterpriseTag
        from zhaoshang.enterprises.models import Enterprise
        from zhaoshang.projects.models import Project

        tag_order = {code: i for i, code in enumerate(EnterpriseTag.values)}
        tag_names = {code: str(label) for code, label in EnterpriseTag.choices}
        tags: dict[int, str] = {}  # investor → its tags, as tag_labels writes them
        q = connection.ops.quote_name
        tag_through = Enterprise.tags.through._meta
        tag_link = SimpleNamespace(
            table=tag_through.db_table,
            enterprise=tag_through.get_field("enterprise").column,
            tag=tag_through.get_field("tag").column,
        )
        helper_through = Project.helper_units.through._meta
        helper_link = SimpleNamespace(
            table=helper_through.db_table,
            project=helper_through.get_field("project").column,
            unit=helper_through.get_field("unit").column,
        )
        from zhaoshang.organisation.models import Unit

        unit = SimpleNamespace(
            table=Unit._meta.db_table,
            pk=Unit._meta.pk.column,
            order=Unit._meta.get_field("order").column,
            name=Unit._meta.get_field("name").column,
        )
        helpers: dict[int, str] = {}  # project (of the batch) → its helper units

        def read_batch(batch: list[tuple], position, cursor) -> None:
            investor = position("investor_id")
            wanted = {row[investor] for row in batch} - tags.keys()
            found: dict[int, list[str]] = {pk: [] for pk in wanted}
            # Plain SQL (a batch is 900 keys: the ORM spends longer preparing them than the
            # database reading them).
            if wanted:
                where, params = _keys_in(cursor, q(tag_link.enterprise), list(wanted))
                cursor.execute(
                    f"SELECT {q(tag_link.enterprise)}, {q(tag_link.tag)} FROM {q(tag_link.table)} WHERE {where}",
                    params,
                )
                for enterprise_id, code in cursor.fetchall():
                    found[enterprise_id].append(code)
            where, params = _keys_in(cursor, f"h.{q(helper_link.project)}", [row[0] for row in batch])
            cursor.execute(
                f"SELECT h.{q(helper_link.project)}, u.{q(unit.order)}, u.{q(unit.name)} "
                f"FROM {q(helper_link.table)} h INNER JOIN {q(unit.table)} u "
                f"ON u.{q(unit.pk)} = h.{q(helper_link.unit)} WHERE {where}",
                params,
            )
            links = cursor.fetchall()
            for pk, codes in found.items():
                codes.sort(key=lambda c: tag_order.get(c, 99))
                tags[pk] = "、".join(tag_names.get(code, code) for code in codes)
            helpers.clear()
            units: dict[int, list[tuple]] = {}
            for project_id, order, name in links:
                units.setdefault(project_id, []).append((order, name))
            for pk, found_units in units.items():
                helpers[pk] = "、".join(name for _order, name in sorted(found_units))

        return values_export(
            self,
            queryset,
            ctx,
            lookups={
                "investor": "investor__name",
                "credit_code": "investor__credit_code",
                "introducing_unit": "introducing_unit__name",
                "industry": "industry__name",
                "chain": "chain__name",
                "lead_unit": "lead_unit__name",
                "landing_unit": "landing_unit__name",
            },
            computed={
                "investor_tags": (("investor_id",), tags.__getitem__),
                "region": (("region__code", "region__name"), ctx.region_of),
                "helper_units": (("pk",), lambda pk: helpers.get(pk, "")),
            },
            chunk=read_batch,
        )


# --- funds ----------------------------------------------------------------------------------------


class FundsSheet(Sheet):
    name = "funds"
    defer_creates = True
    label = gettext_lazy("到位资金")
    model_label = "projects.FundsRecord"
    identity = gettext_lazy("同一项目(项目名称+引进单位)同一月份为一条记录")
    period_field = "month"
    filterset = "zhaoshang.projects.filtersets.FundsRecordFilterSet"
    columns = [
        Column("project", "项目名称", required=True, synonyms=("项目",), field="project", auto=False, width=30,
               help=gettext_lazy("须为系统中该引进单位的项目")),
        Column("unit", "引进单位", required=True, synonyms=("招引单位", "责任单位"), auto=False, dropdown="units",
               help=UNIT_HELP),
        Column("month", "月份", "month", required=True, synonyms=("到位月份", "统计月份", "年月"), field="month",
               help=gettext_lazy("如2022-07、2022年7月")),
        Column("amount_wan", "到位资金(万元)", "amount", required=True, unit="万元",
               synonyms=("实际到位资金(万元)", "本月到位资金(万元)", "到位资金额(万元)"), field="amount_wan",
               help=AMOUNT_HELP),
        Column("outside_province_wan", "其中省外资金(万元)", "amount", unit="万元", synonyms=("省外资金(万元)",),
               field="outside_province_wan"),
        Column("outside_city_wan", "其中市外资金(万元)", "amount", unit="万元", synonyms=("市外资金(万元)",),
               field="outside_city_wan"),
        Column("foreign_usd_wan", "外资到位(万美元)", "amount", unit="万美元",
               synonyms=("实际利用外资(万美元)", "外资到位资金(万美元)"), field="foreign_usd_wan"),
        Column("foreign_cash_usd_wan", "现汇进资(万美元)", "amount", unit="万美元", synonyms=("其中现汇进资(万美元)",),
               field="foreign_cash_usd_wan"),
    ]  # fmt: skip

    def apply(self, row: Row, ctx: ImportContext) -> Outcome:
        from zhaoshang.projects.models import FundsRecord, Project

        unit = ctx.find_unit(_required_text(row, "unit"), "unit")
        name = _required_text(row, "project")
        projects = ctx.cache.setdefault("projects", {})
        project = projects.get((name, unit.pk))
        if project is None:
            project = ctx.existing(Project, ("name", "introducing_unit_id"), (name, unit.pk))
            if project is None:
                raise RowError("project", _("未找到{unit}的项目“{name}”").format(unit=unit.name, name=name))
            projects[(name, unit.pk)] = project
        month = row.get("month")
        if month is None:
            raise RowError("month", _("必填"))
        ctx.once((project.pk, month), row, gettext_lazy("项目和月份"))
        existing = ctx.existing(FundsRecord, ("project_id", "month"), (project.pk, month))
        values = simple_values(row, FundsRecord, self.columns)
        values["project"] = project
        outcome = upsert(
            ctx,
            model=FundsRecord,
            existing=existing,
            values=values,
            field_to_key=self.field_to_key,
            label=f"{name} {month:%Y-%m}",
        )
        if outcome.action != "unchanged":
            ctx.cache.setdefault("funds_touched", {})[project.pk] = (row.number, project)
        return outcome

    def finish(self, ctx: ImportContext) -> None:
        """Warn (防水分) where a project's funds in place now exceed its total investment."""
        from django.db.models import Sum

        from zhaoshang.projects.models import FundsRecord

        touched = ctx.cache.get("funds_touched", {})
        if not touched:
            return
        totals = (
            FundsRecord.objects.filter(project_id__in=list(touched), is_deleted=False)
            .values("project_id")
            .annotate(total=Sum("amount_wan"))
        )
        for entry in totals:
            number, project = touched[entry["project_id"]]
            if entry["total"] > project.total_investment_wan:
                ctx.note(number, "amount_wan", _("该项目累计到位资金已超过总投资,请核实"))

    def export_queryset(self):
        # Each row's project and unit in the same query (without it, two queries a row).
        from zhaoshang.projects.models import FundsRecord

        return (
            FundsRecord.objects.filter(is_deleted=False)
            .select_related("project__introducing_unit")
            .order_by("month", "project_id")
        )

    def export_row(self, obj, ctx):
        row = super().export_row(obj, ctx)
        row.update(project=obj.project.name, unit=obj.project.introducing_unit.name)
        return row


# --- leads ----------------------------------------------------------------------------------------


class LeadSheet(Sheet):
    name = "leads"
    defer_creates = True
    label = gettext_lazy("招商信息")
    model_label = "leads.Lead"
    identity = gettext_lazy("信息名称、上报单位、上报日期都相同即为同一条信息")
    period_field = "reported_on"
    filterset = "zhaoshang.leads.filtersets.LeadFilterSet"
    columns = [
        Column("title", "信息名称", required=True, synonyms=("信息标题", "招商信息", "项目信息", "信息"),
               field="title", width=30),
        Column("unit", "上报单位", required=True, synonyms=("报送单位", "单位"), field="unit", auto=False,
               dropdown="units", help=UNIT_HELP),
        Column("reported_on", "上报日期", "date", required=True, synonyms=("报送日期", "日期"), field="reported_on",
               help=DATE_HELP),
        Column("enterprise", "企业名称", synonyms=("企业", "客商", "投资方"), field="enterprise", auto=False,
               width=26, help=gettext_lazy("系统中没有的企业会新建")),
        Column("industry", "所属产业", synonyms=("产业",), field="industry", auto=False,
               dropdown="industries:leading"),
        Column("intended_investment_wan", "拟投资额(万元)", "amount", unit="万元",
               synonyms=("投资额(万元)", "预计投资(万元)", "拟投资(万元)"), field="intended_investment_wan",
               help=AMOUNT_HELP),
        Column("provided_by_leader", "提供信息的领导", synonyms=("提供领导", "信息提供领导"),
               field="provided_by_leader"),
        Column("is_valuable", "是否有价值", "bool", synonyms=("有价值", "价值研判"), field="is_valuable",
               auto=False, help=gettext_lazy("招商局的研判:招商局导入时采用,单位导入时忽略")),
        Column("status", "跟进状态", "choice", choices=LeadStatus, synonyms=("状态",), field="status",
               choice_synonyms=(("已转化", "converted"), ("转化", "converted"), ("转化为项目", "converted"),
                                ("已关闭", "closed"), ("跟进中", "following"), ("已推送", "pushed"))),
        Column("note", "备注", "multiline", field="note", width=30),
    ]  # fmt: skip

    def apply(self, row: Row, ctx: ImportContext) -> Outcome:
        from zhaoshang.leads.models import Lead

        title = _required_text(row, "title")
        unit = ctx.find_unit(_required_text(row, "unit"), "unit")
        reported_on = row.get("reported_on")
        if reported_on is None:
            raise RowError("reported_on", _("必填"))
        ctx.once((title, unit.pk, reported_on), row, gettext_lazy("信息名称、上报单位和上报日期"))
        existing = ctx.existing(Lead, ("title", "unit_id", "reported_on"), (title, unit.pk, reported_on))
        values = simple_values(row, Lead, self.columns)
        values["unit"] = unit
        if row.has("enterprise"):
            values["enterprise"] = (
                ctx.find_enterprise(row["enterprise"], "", name_key="enterprise", code_key=None)
                if row.get("enterprise")
                else None
            )
        if row.has("industry"):
            values["industry"] = (
                ctx.find_industry(row["industry"], "industry", ["leading", "chain", "strategic", "sector"])
                if row.get("industry")
                else None
            )
        if row.has("is_valuable") and ctx.acts_for_bureau:
            values["is_valuable"] = row.get("is_valuable")
        return upsert(
            ctx, model=Lead, existing=existing, values=values, field_to_key=self.field_to_key, label=title
        )

    def export_queryset(self):
        from zhaoshang.leads.models import Lead

        return (
            Lead.objects.filter(is_deleted=False)
            .select_related("unit", "enterprise", "industry")
            .order_by("pk")
        )

    def export_row(self, obj, ctx):
        row = super().export_row(obj, ctx)
        row.update(
            unit=obj.unit.name,
            enterprise=obj.enterprise.name if obj.enterprise_id else "",
            industry=obj.industry.name if obj.industry_id else "",
            is_valuable=ctx.yes_no[obj.is_valuable],
        )
        return row


# --- activities -----------------------------------------------------------------------------------


class ActivitySheet(Sheet):
    name = "activities"
    defer_creates = True
    label = gettext_lazy("招商活动")
    model_label = "activities.Activity"
    identity = gettext_lazy(
        "活动类型、单位、开始日期、目的地都相同即为同一次活动(同一天同一目的地的多次活动按表中先后对应)"
    )
    period_field = "started_on"
    filterset = "zhaoshang.activities.filtersets.ActivityFilterSet"
    columns = [
        Column("kind", "活动类型", "choice", required=True, choices=ActivityKind, synonyms=("类型", "活动形式"),
               field="kind",
               choice_synonyms=(("外出", "trip"), ("外出招商活动", "trip"), ("走访企业", "visit"), ("拜访", "visit"),
                                ("考察", "inspection"), ("来访", "inspection"), ("推介会", "promotion"),
                                ("线上", "online"), ("云洽谈", "online"), ("签约仪式", "signing"),
                                ("云签约", "signing"))),
        Column("unit", "单位", required=True, synonyms=("上报单位", "责任单位", "活动单位"), field="unit",
               auto=False, dropdown="units", help=UNIT_HELP),
        Column("started_on", "开始日期", "date", required=True, synonyms=("活动日期", "出发日期", "日期"),
               field="started_on", help=DATE_HELP),
        Column("ended_on", "结束日期", "date", synonyms=("返回日期",), field="ended_on",
               help=gettext_lazy("外出天数按开始至结束的自然日计(含首尾)")),
        Column("destination", "目的地", synonyms=("地点", "活动地点", "目的城市"), field="destination"),
        Column("out_of_province", "是否出省", "bool", synonyms=("出省",), field="out_of_province", help=YES_NO),
        Column("enterprises", "企业名称", "list", synonyms=("拜访企业", "企业", "来访企业"), field="enterprises",
               auto=False, width=30, help=gettext_lazy("用顿号分隔;系统中没有的企业会新建")),
        Column("signed_projects", "签约项目", "list", field="signed_projects", auto=False, width=30,
               help=gettext_lazy("集中签约的项目名称,用顿号分隔;须为系统中已有的项目")),
        Column("leaders", "参加领导", synonyms=("带队领导", "领导"), field="leaders"),
        Column("outcome", "成果", "multiline", synonyms=("活动成果",), field="outcome", width=30),
        Column("note", "备注", "multiline", field="note", width=30),
        Column("enterprise_count", "企业数(家)", "int", synonyms=("拜访企业数",), field="enterprise_count",
               help=gettext_lazy("拜访企业按家数计;不填按企业名称个数")),
        Column("batches", "批次", "int", synonyms=("考察批次",), field="batches"),
        Column("partner_units", "联合参加单位", "list", synonyms=("联合单位",), field="partner_units", auto=False,
               help=gettext_lazy("用顿号分隔")),
    ]  # fmt: skip

    def apply(self, row: Row, ctx: ImportContext) -> Outcome:
        from zhaoshang.activities.models import Activity
        from zhaoshang.projects.models import Project

        kind = row.get("kind")
        if kind is None:
            raise RowError("kind", _("必填"))
        unit = ctx.find_unit(_required_text(row, "unit"), "unit")
        started_on = row.get("started_on")
        if started_on is None:
            raise RowError("started_on", _("必填"))
        destination = row.get("destination", "")
        # A unit may make two visits on one day: the n-th row with the same key is the n-th such
        # activity on file (by creation), so that an export re-imports onto the records it came from.
        key = (kind, unit.pk, started_on, destination)
        existing = ctx.existing(
            Activity,
            ("kind", "unit_id", "started_on", "destination"),
            key,
            occurrence=ctx.occurrence(key),
            prefetch=("enterprises", "signed_projects", "partner_units"),
        )
        values = simple_values(row, Activity, self.columns)
        values.update(unit=unit, destination=destination)
        m2m: dict[str, list] = {}
        if row.has("enterprises"):
            m2m["enterprises"] = [
                ctx.find_enterprise(n, "", name_key="enterprises", code_key=None)
                for n in row.get("enterprises", [])
            ]
            if row.get("enterprise_count") is None and (existing is None or row.has("enterprise_count")):
                # 拜访企业 counts enterprises (家): without a count, the enterprises named.
                values["enterprise_count"] = len(m2m["enterprises"])
        if row.has("signed_projects"):
            found = []
            for project_name in row.get("signed_projects", []):
                candidates = list(Project.objects.filter(name=project_name, is_deleted=False)[:5])
                if len(candidates) > 1:
                    own = [p for p in candidates if p.introducing_unit_id == unit.pk]
                    candidates = own if len(own) == 1 else candidates
                if not candidates:
                    raise RowError("signed_projects", _("未找到项目“{name}”").format(name=project_name))
                if len(candidates) > 1:
                    raise RowError(
                        "signed_projects", _("项目名称“{name}”对应多个项目").format(name=project_name)
                    )
                found.append(candidates[0])
            m2m["signed_projects"] = found
        if row.has("partner_units"):
            m2m["partner_units"] = [
                ctx.find_unit(n, "partner_units", check_scope=False) for n in row.get("partner_units", [])
            ]
        label = f"{ActivityKind(kind).label} {started_on:%Y-%m-%d} {destination}".strip()
        return upsert(
            ctx,
            model=Activity,
            existing=existing,
            values=values,
            field_to_key=self.field_to_key,
            label=label,
            m2m=m2m,
        )

    def export_queryset(self):
        from zhaoshang.activities.models import Activity

        return (
            Activity.objects.filter(is_deleted=False)
            .select_related("unit")
            .prefetch_related("enterprises", "signed_projects", "partner_units")
            .order_by("pk")
        )

    def export_row(self, obj, ctx):
        row = super().export_row(obj, ctx)
        row.update(
            unit=obj.unit.name,
            enterprises=_names(sorted(obj.enterprises.all(), key=lambda e: e.name)),
            signed_projects=_names(sorted(obj.signed_projects.all(), key=lambda p: p.name)),
            partner_units=_names(sorted(obj.partner_units.all(), key=lambda u: (u.order, u.name))),
        )
        return row


# --- targets --------------------------------------------------------------------------------------

# Headers of the whole region's row in a targets sheet ("单位" left blank means the same).
_REGION_WORDS = {"全区", "全县", "全市", "全省", "全域", "合计", "全局", "本地区"}


class TargetSheet(Sheet):
    name = "targets"
    defer_creates = True
    label = gettext_lazy("目标任务")
    model_label = "targets.Target"
    identity = gettext_lazy("年度(或专项行动)、单位、指标都相同即为同一目标")
    period_field = "year"
    filterset = "zhaoshang.targets.filtersets.TargetFilterSet"
    columns = [
        Column("year", "年度", "int", required=True, synonyms=("年份", "目标年度"), field="year",
               help=gettext_lazy("如2022;导入专项行动目标时可不填(取专项行动开始的年份)")),
        Column("unit", "单位", required=True, synonyms=("任务单位", "责任单位", "单位名称"), field="unit",
               auto=False, dropdown="units",
               help=gettext_lazy("单位全称或简称;全区(县、市)的目标填“全区”或区划名称")),
        Column("indicator", "指标", required=True, synonyms=("指标名称", "考核指标"), field="indicator",
               auto=False, dropdown="indicators", help=gettext_lazy("指标的中文名称,见“填表说明”中的指标列表")),
        Column("value", "目标值", "raw", required=True, synonyms=("目标", "全年目标", "目标任务", "任务数"),
               field="value", auto=False, help=gettext_lazy("金额类指标单位为万元(或万美元),可写1.2亿")),
        Column("campaign", "专项行动", synonyms=("专项行动名称",), field="campaign", auto=False,
               help=gettext_lazy("专项行动目标填写专项行动名称;也可在命令行用 --campaign 指定")),
    ]  # fmt: skip

    def required_keys(self, ctx: ImportContext) -> set[str]:
        keys = {"unit", "indicator", "value"}
        if ctx.campaign is None:
            keys.add("year")
        return keys

    def extra_header(self, full, base, unit, text):
        from zhaoshang.metrics.indicators import by_name

        indicator = by_name(full) or by_name(base) or by_name(text)
        if indicator is None:
            return None
        column = Column(f"ind:{indicator.code}", text, "raw", field="value", auto=False)
        return column, unit

    def match_header(self, cells_, ctx):
        match = super().match_header(cells_, ctx)
        wide = [c for c, _u, _t in match.columns.values() if c.key.startswith("ind:")]
        if wide:  # one column per indicator: 指标 and 目标值 are not needed
            match.missing = [c for c in match.missing if c.key not in ("indicator", "value")]
        return match

    def prepare(self, ctx: ImportContext) -> None:
        ctx.cache["campaigns"] = {}

    def _holder(self, row: Row, ctx: ImportContext):
        """(unit, region) a row's 单位 names: a unit, else a region, else (全区 …) the home region."""
        text = row.get("unit", "")
        if text and cells.choice_key(text) not in {cells.choice_key(w) for w in _REGION_WORDS}:
            unit = ctx.lookup_unit(text)
            if unit is not None:
                return ctx.find_unit(text, "unit"), unit.region
            try:
                region = ctx.find_region(text, "unit")
            except RowError as error:
                raise RowError("unit", _("未找到单位“{name}”").format(name=text)) from error
        else:
            region = home_region()
            if region is None:
                raise RowError("unit", NO_HOME_REGION)
        if ctx.user is not None and not ctx.user.is_superuser:
            scope = ctx.user.scope_region
            if scope is None or not region.path.startswith(scope.path):
                raise RowError("unit", _("区划“{name}”不在您的管辖范围内").format(name=region.name))
        return None, region

    def _campaign(self, row: Row, ctx: ImportContext):
        from zhaoshang.targets.models import Campaign

        name = row.get("campaign", "")
        if not name:
            return ctx.campaign
        campaigns = ctx.cache["campaigns"]
        if name not in campaigns:
            campaigns[name] = Campaign.objects.filter(name=name).first()
        if campaigns[name] is None:
            raise RowError("campaign", _("未找到专项行动“{name}”").format(name=name))
        return campaigns[name]

    def apply(self, row: Row, ctx: ImportContext) -> list[Outcome]:
        from zhaoshang.metrics.indicators import REGISTRY, by_name

        unit, region = self._holder(row, ctx)
        campaign = self._campaign(row, ctx)
        year = row.get("year")
        if year is None:
            if campaign is None:
                raise RowError("year", _("必填"))
            year = campaign.starts_on.year
        pairs: list[tuple[Any, str, Any]] = []  # (indicator, value key, raw value)
        wide_keys = [k for k in row.values if k.startswith("ind:")]
        if row.get("indicator"):
            indicator = by_name(row["indicator"])
            if indicator is None:
                raise RowError("indicator", _("未知指标“{name}”").format(name=row["indicator"]))
            pairs.append((indicator, "value", row.raw.get("value")))
        elif not wide_keys:
            raise RowError("indicator", _("必填"))
        for key in wide_keys:
            if not cells.is_blank(row.raw.get(key)):
                pairs.append((REGISTRY[key[4:]], key, row.raw.get(key)))
        outcomes = []
        for indicator, key, raw in pairs:
            value = self._value(indicator, raw, row.units.get(key, ""), key)
            outcomes.append(self._upsert(row, ctx, year, unit, region, campaign, indicator, value, key))
        return outcomes

    @staticmethod
    def _value(indicator, raw, unit: str, key: str) -> Decimal:
        try:
            if indicator.money:
                value = cells.parse_amount(raw, unit or str(indicator.unit))
            else:
                value = cells.parse_number(raw)
        except cells.CellError as error:
            raise RowError(key, str(error)) from error
        if value is None:
            raise RowError(key, _("必填"))
        return value

    def _upsert(self, row, ctx, year, unit, region, campaign, indicator, value, key) -> Outcome:
        from zhaoshang.targets.models import Target

        holder = unit.pk if unit else f"r{region.pk}"
        scope = ("c", campaign.pk) if campaign else ("y", year)
        ctx.once((scope, holder, indicator.code), row, gettext_lazy("年度、单位和指标"))
        index = ctx.cache.get("target_index")
        if index is None:  # every target's key, read once: a new row costs no look-up
            index = {}
            keys = Target.objects.order_by("pk").values_list(
                "pk", "campaign_id", "year", "unit_id", "region_id", "indicator"
            )
            for pk, campaign_id, year_, unit_id, region_id, code in keys.iterator(chunk_size=10000):
                known_scope = ("c", campaign_id) if campaign_id else ("y", year_)
                index.setdefault((known_scope, unit_id or f"r{region_id}", code), pk)
            ctx.cache["target_index"] = index
            ctx.cache["target_order"] = sorted(index.values())
        pk = index.get((scope, holder, indicator.code))
        existing = ctx.fetch(Target, pk, order=ctx.cache["target_order"]) if pk else None
        values = {"year": year, "unit": unit, "region": region, "campaign": campaign,
                  "indicator": indicator.code, "value": value}  # fmt: skip
        if unit is not None and existing is not None:
            del values["region"]  # a unit's target keeps the region it was set for
        label = f"{year} {unit or region} {indicator.name}"
        return upsert(
            ctx,
            model=Target,
            existing=existing,
            values=values,
            field_to_key={"value": key, "unit": "unit", "indicator": "indicator", "year": "year"},
            label=label,
            stamp=False,
        )

    def export_queryset(self):
        from zhaoshang.targets.models import Target

        return Target.objects.select_related("unit", "region", "campaign").order_by(
            "year", "campaign_id", "unit__order", "unit_id", "indicator"
        )

    def export_row(self, obj, ctx):
        from zhaoshang.metrics.indicators import REGISTRY

        indicator = REGISTRY.get(obj.indicator)
        return {
            "year": obj.year,
            "unit": obj.unit.name if obj.unit_id else ctx.region(obj.region),
            "indicator": str(indicator.name) if indicator else obj.indicator,
            "value": obj.value,
            "campaign": obj.campaign.name if obj.campaign_id else "",
        }

    def dropdown_lists(self, user):
        from zhaoshang.metrics.indicators import REGISTRY

        lists = super().dropdown_lists(user)
        lists["indicators"] = [str(i.name) for i in REGISTRY.values()]
        return lists


SHEETS: dict[str, Sheet] = {
    sheet.name: sheet
    for sheet in (
        RegionSheet(),
        UnitSheet(),
        EnterpriseSheet(),
        ProjectSheet(),
        FundsSheet(),
        LeadSheet(),
        ActivitySheet(),
        TargetSheet(),
        UserSheet(),
    )
}


def sheet_for(kind: str) -> Sheet:
    try:
        return SHEETS[kind]
    except KeyError as exc:
        raise KeyError(
            _("未知的数据类型“{kind}”,可选:{kinds}").format(kind=kind, kinds=", ".join(SHEETS))
        ) from exc
