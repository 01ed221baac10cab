"""The machinery every import kind shares: columns, parsed rows, problems, the import context (who
imports, with which status records come in) and ``upsert``, the one place where a row becomes a
created, updated or unchanged record with its audit row.
"""

import datetime
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhaoshang.audit.models import AuditAction
from zhaoshang.audit.services import audit_record, snapshot
from zhaoshang.core import access
from zhaoshang.core.choices import ReviewStatus
from zhaoshang.core.fields import is_masked as fields_is_masked
from zhaoshang.core.fields import mask
from zhaoshang.exchange import cells
from zhaoshang.organisation.choices import Role

# --- problems -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem (or warning) of an import, written as the SPEC's contract says:
    ``第58行 〈引进单位〉: 未找到单位“某某”``, ``第58行: …`` for a whole row, ``表头: …``."""

    row: int | None
    column: str | None
    message: str
    where: str | None = None  # a problem with the file itself ("文件"), not a row or the header

    def __str__(self) -> str:
        if self.where:
            return f"{self.where}: {self.message}"
        if self.row is None:
            where = _("表头")
            return (
                f"{where}: {self.message}"
                if not self.column
                else f"{where} 〈{self.column}〉: {self.message}"
            )
        where = _("第{n}行").format(n=self.row)
        if self.column:
            return f"{where} 〈{self.column}〉: {self.message}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message, "where": self.where}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Problem":
        return cls(data.get("row"), data.get("column"), data.get("message", ""), data.get("where"))


class RowError(Exception):
    """A row that cannot be imported; ``key`` names the column at fault (None: the whole row)."""

    def __init__(self, key: str | None, message: str):
        super().__init__(message)
        self.key = key
        self.message = message


# --- columns and rows -----------------------------------------------------------------------------

_OPTIONS: dict[tuple[int, str | None], dict[str, str]] = {}

# Column kinds parsed by ``Column.parse``; a kind not listed here (``raw``) is left to the kind's code.
PARSERS: dict[str, Callable[..., Any]] = {
    "text": cells.parse_text,
    "multiline": lambda value: cells.parse_text(value, multiline=True),
    "code": cells.parse_code,
    "phone": cells.parse_code,
    "number": cells.parse_number,
    "int": cells.parse_int,
    "date": cells.parse_date,
    "month": cells.parse_month,
    "bool": cells.parse_bool,
    "list": cells.split_list,
}
TEXT_KINDS = ("text", "multiline", "code", "phone")


@dataclass(frozen=True)
class Column:
    """One column of a template: its header, how its cells are read, the model field it fills.

    ``field`` set and ``auto`` true: the value goes to that model field as it is parsed (blank → the
    field's empty value or default); otherwise the kind's own code uses it (units, enterprises …).
    """

    key: str
    header: str
    kind: str = "text"
    required: bool = False
    synonyms: tuple[str, ...] = ()
    help: str = ""
    choices: type[models.TextChoices] | None = None
    choice_synonyms: tuple[tuple[str, str], ...] = ()
    unit: str = ""  # amounts: the unit a bare number is in (万元 / 万美元)
    field: str | None = None
    auto: bool = True
    dropdown: str | None = None  # a named list of allowed values for the template's drop-down
    width: int = 14

    @property
    def model_field(self) -> str | None:
        return self.field

    def names(self) -> list[tuple[str, str, str]]:
        return [cells.header_key(name) for name in (self.header, *self.synonyms)]

    def options(self) -> dict[str, str]:
        """choice_key(label or code) → stored value (built once per column and language)."""
        cache_key = (id(self), get_language())
        cached = _OPTIONS.get(cache_key)
        if cached is not None:
            return cached
        options: dict[str, str] = {}
        if self.choices is not None:
            for value, label in self.choices.choices:
                options[cells.choice_key(str(label))] = value
                options[cells.choice_key(value)] = value
        for synonym, value in self.choice_synonyms:
            options[cells.choice_key(synonym)] = value
        _OPTIONS[cache_key] = options
        return options

    def labels(self) -> list[str]:
        if self.choices is not None:
            return [str(label) for _value, label in self.choices.choices]
        if self.kind == "bool":
            return [_("是"), _("否")]
        return []

    def parse(self, value, unit: str = ""):
        if self.kind == "amount":
            return cells.parse_amount(value, unit or self.unit or "万元")
        if self.kind == "choice":
            return cells.parse_choice(value, self.options())
        parser = PARSERS.get(self.kind)
        return parser(value) if parser else value


@dataclass
class Row:
    """One data row, its cells parsed. Only columns present in the file are in ``values``: a column
    left out of the file leaves the field as it is."""

    number: int
    values: dict[str, Any]
    raw: dict[str, Any]
    units: dict[str, str] = field(default_factory=dict)

    def has(self, key: str) -> bool:
        return key in self.values

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        return default if value is None else value

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


@dataclass
class Outcome:
    action: str  # "created", "updated", "unchanged"
    label: str
    changes: list[str] = field(default_factory=list)
    obj: models.Model | None = None


# --- the import context ---------------------------------------------------------------------------


def may_see_personal_data(user) -> bool:
    """Who sees phone (and ID) numbers unmasked in an export (SPEC §5): the command line (it acts for
    the bureau), the bureau's statisticians and the system administrator (who manages accounts).
    Everyone else gets them masked."""
    if user is None or user.is_superuser:
        return True
    return user.role in (Role.BUREAU, Role.SYSADMIN)


# 138****5678: how personal data leaves the record; a masked cell coming back in an import means
# "unchanged" (SPEC §5).
mask_phone = mask
is_masked = fields_is_masked


def home_region(user=None):
    """The deployment's home region: the configured one, else the user's, else the one most units
    belong to."""
    from zhaoshang.organisation.models import Region, Unit

    code = settings.ZHAOSHANG.get("HOME_REGION_CODE") or ""
    if code:
        region = Region.objects.filter(code=code).first()
        if region is not None:
            return region
    if user is not None and user.scope_region is not None:
        return user.scope_region
    top = Unit.objects.values("region").annotate(n=Count("pk")).order_by("-n").first()
    if top:
        return Region.objects.get(pk=top["region"])
    return None


class ImportContext:
    """Who imports, how records come in, and per-import caches of what rows refer to.

    ``user`` None is the command line, which acts for the bureau (SPEC §5): rows come in recognised
    unless ``as_reported``. On the page: the bureau's rows come in recognised (or submitted with
    "as reported"), a unit head's submitted, a reporter's as drafts; unit roles import their own
    unit's rows only.
    """

    def __init__(self, *, user=None, as_reported: bool = False, campaign=None):
        from zhaoshang.organisation.models import Unit

        self.user = user
        self.as_reported = as_reported
        self.campaign = campaign
        self.now = timezone.now()
        self.warnings: list[Problem] = []
        self.cache: dict[str, Any] = {}
        self.seen: dict[Any, int] = {}
        self.headers: dict[str, str] = {}  # column key → header as written in the file
        role = None if user is None else ("superuser" if user.is_superuser else user.role)
        self.acts_for_bureau = role in (None, "superuser", Role.BUREAU)
        self.unit_role = role in (Role.REPORTER, Role.UNIT_HEAD)
        self.allowed_unit_ids: set[int] | None = None
        if user is not None and not user.is_superuser:
            self.allowed_unit_ids = set(
                access.unit_choices_for(user, Unit.objects.all()).values_list("pk", flat=True)
            )

    # -- statuses --

    @property
    def recognising(self) -> bool:
        return self.acts_for_bureau and not self.as_reported

    def stamp(self, obj: models.Model, *, new: bool) -> None:
        """Set the review status of a created or changed record (see the class doc)."""
        if new and hasattr(obj, "created_by_id") and self.user is not None:
            obj.created_by = self.user
        if not hasattr(obj, "review_status"):
            return
        if self.recognising:
            obj.review_status = ReviewStatus.RECOGNISED
            obj.submitted_at = obj.submitted_at or self.now
            obj.recognised_at = self.now
            obj.recognised_by = self.user
            obj.return_reason = ""
        elif self.acts_for_bureau or (self.user is not None and self.user.role == Role.UNIT_HEAD):
            obj.review_status = ReviewStatus.SUBMITTED
            obj.submitted_at = self.now
        elif new:
            obj.review_status = ReviewStatus.DRAFT

    def note(self, row: int | None, key: str | None, message: str) -> None:
        """A warning: shown with the preview and on stderr, never blocking."""
        self.warnings.append(Problem(row, self.headers.get(key, key) if key else None, message))

    def once(self, key: Any, row: Row, what: str) -> None:
        """Refuse a second row for the same record in one file (it would silently win)."""
        first = self.seen.get(key)
        if first is not None:
            raise RowError(None, _("与第{n}行是同一条记录({what}相同)").format(n=first, what=what))
        self.seen[key] = row.number

    def existing(
        self,
        model: type[models.Model],
        fields: tuple[str, ...],
        key: tuple,
        *,
        occurrence: int = 0,
        prefetch: tuple[str, ...] = (),
    ):
        """The record of ``model`` whose ``fields`` equal ``key`` (alive ones only), or None.

        The keys of all such records are read once per import (one query), so that a new row costs no
        look-up; known records are read in batches (``fetch``).
        """
        name = f"keys:{model._meta.label}:{','.join(fields)}"
        index = self.cache.get(name)
        if index is None:
            index = {}
            queryset = model._default_manager.all()
            if hasattr(model, "is_deleted"):
                queryset = queryset.filter(is_deleted=False)
            for *values, pk in queryset.order_by("pk").values_list(*fields, "pk").iterator(chunk_size=10000):
                index.setdefault(tuple(values), []).append(pk)
            self.cache[name] = index
            self.cache[f"order:{model._meta.label}"] = sorted(pk for pks in index.values() for pk in pks)
        pks = index.get(key, [])
        if occurrence >= len(pks):
            return None
        return self.fetch(
            model, pks[occurrence], order=self.cache[f"order:{model._meta.label}"], prefetch=prefetch
        )

    FETCH_BATCH = 200
    FETCH_KEEP = 5000

    def fetch(self, model: type[models.Model], pk: int, *, order: list[int], prefetch: tuple[str, ...] = ()):
        """The record ``pk`` (with its ``prefetch`` relations), read together with the next records of
        ``order`` (sorted primary keys): a file in the order of an export is read in a few queries.
        Each record is handed out once (a file names a record once) and the batch kept is bounded."""
        import bisect

        cached = self.cache.setdefault(f"objs:{model._meta.label}", {})
        found = cached.pop(pk, None)
        if found is not None:
            return found
        if len(cached) > self.FETCH_KEEP:
            cached.clear()
        start = bisect.bisect_left(order, pk)
        batch = order[start : start + self.FETCH_BATCH] or [pk]
        queryset = model._default_manager.filter(pk__in=batch)
        if prefetch:
            queryset = queryset.prefetch_related(*prefetch)
        for obj in queryset:
            cached[obj.pk] = obj
        return cached.pop(pk, None)

    def occurrence(self, key: Any) -> int:
        """How many earlier rows of this file had ``key`` (0 for the first)."""
        counts = self.cache.setdefault("occurrences", {})
        seen = counts.get(key, 0)
        counts[key] = seen + 1
        return seen

    # -- look-ups --

    def _units(self) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        from zhaoshang.organisation.models import Unit

        if "units" not in self.cache:
            by_name: dict[str, Any] = {}
            by_short: dict[str, list[Any]] = {}
            for unit in Unit.objects.select_related("region"):
                by_name[cells.choice_key(unit.name)] = unit
                if unit.short_name:
                    by_short.setdefault(cells.choice_key(unit.short_name), []).append(unit)
            self.cache["units"] = (by_name, by_short)
        return self.cache["units"]

    def remember_unit(self, unit) -> None:
        by_name, by_short = self._units()
        by_name[cells.choice_key(unit.name)] = unit
        if unit.short_name:
            by_short.setdefault(cells.choice_key(unit.short_name), []).append(unit)

    def lookup_unit(self, name: str):
        """The unit named ``name`` (full name or short name), or None; ambiguity is an error."""
        by_name, by_short = self._units()
        key = cells.choice_key(name)
        unit = by_name.get(key)
        if unit is not None:
            return unit
        matches = by_short.get(key, [])
        if len(matches) > 1:
            raise RowError(None, _("简称“{name}”对应多个单位,请填写单位全称").format(name=name))
        return matches[0] if matches else None

    def find_unit(self, name: str, key: str, *, check_scope: bool = True):
        """The unit a cell names, which the importing user must be allowed to report for."""
        try:
            unit = self.lookup_unit(name)
        except RowError as error:
            raise RowError(key, error.message) from error
        if unit is None:
            raise RowError(key, _("未找到单位“{name}”").format(name=name))
        if check_scope and self.allowed_unit_ids is not None and unit.pk not in self.allowed_unit_ids:
            if self.unit_role:
                own = self.user.unit.name if self.user.unit_id else ""
                raise RowError(
                    key,
                    _("只能导入本单位({own})的数据,不能导入“{name}”的数据").format(own=own, name=unit.name),
                )
            raise RowError(key, _("单位“{name}”不在您的管辖范围内").format(name=unit.name))
        return unit

    def find_region(self, text: str, key: str):
        from zhaoshang.organisation.models import Region

        if "regions" not in self.cache:
            by_code, by_name = {}, {}
            for region in Region.objects.all():
                by_code[region.code] = region
                by_name.setdefault(cells.choice_key(region.name), []).append(region)
            self.cache["regions"] = (by_code, by_name)
        by_code, by_name = self.cache["regions"]
        code = cells.parse_code(text)
        if code in by_code:
            return by_code[code]
        matches = by_name.get(cells.choice_key(text), [])
        if len(matches) > 1:
            raise RowError(key, _("区划名称“{name}”有重名,请填写区划代码").format(name=text))
        if not matches:
            raise RowError(key, _("未找到区划“{name}”").format(name=text))
        return matches[0]

    def remember_region(self, region) -> None:
        if "regions" in self.cache:
            by_code, by_name = self.cache["regions"]
            by_code[region.code] = region
            names = by_name.setdefault(cells.choice_key(region.name), [])
            if region not in names:
                names.append(region)

    def find_industry(self, name: str, key: str, kinds: Iterable[str] | None = None):
        from zhaoshang.organisation.models import Industry

        if "industries" not in self.cache:
            index: dict[str, list[Any]] = {}
            for industry in Industry.objects.all():
                index.setdefault(cells.choice_key(industry.name), []).append(industry)
            self.cache["industries"] = index
        found = self.cache["industries"].get(cells.choice_key(name), [])
        if kinds is not None:
            kinds = list(kinds)
            found = sorted((i for i in found if i.kind in kinds), key=lambda i: kinds.index(i.kind))
        if not found:
            raise RowError(key, _("未找到产业“{name}”(请填写系统中已配置的产业名称)").format(name=name))
        return found[0]

    def enterprise_index(self) -> tuple[dict[str, tuple], dict[str, tuple]]:
        from zhaoshang.enterprises.models import Enterprise

        if "enterprise_index" not in self.cache:
            by_code: dict[str, tuple] = {}
            by_name: dict[str, tuple] = {}
            rows = (
                Enterprise.objects.filter(is_deleted=False)
                .order_by("pk")
                .values_list("pk", "name", "credit_code")
            )
            for entry in rows.iterator(chunk_size=10000):
                if entry[2]:
                    by_code[entry[2]] = entry
                by_name.setdefault(entry[1], entry)
            self.cache["enterprise_index"] = (by_code, by_name)
        return self.cache["enterprise_index"]

    @staticmethod
    def _enterprise(entry: tuple):
        """A stand-in for an enterprise known from the index: enough to refer to it and name it."""
        from zhaoshang.enterprises.models import Enterprise

        pk, name, code = entry
        enterprise = Enterprise(id=pk, name=name, credit_code=code)
        enterprise._state.adding = False
        enterprise._state.db = "default"
        return enterprise

    def find_enterprise(self, name: str, code: str, *, name_key: str, code_key: str | None):
        """An investor by credit code or name, created if new (``enterprise_resolve``'s rules: a known
        code wins over the name typed; without a code, the exact name)."""
        from zhaoshang.enterprises.services import enterprise_resolve
        from zhaoshang.enterprises.validators import normalise_credit_code, validate_credit_code

        name = " ".join(name.split())
        code = normalise_credit_code(code or "")
        try:
            validate_credit_code(code)
        except ValidationError as error:
            raise RowError(code_key or name_key, "".join(error.messages)) from error
        by_code, by_name = self.enterprise_index()
        if code and code in by_code:
            return self._enterprise(by_code[code])
        known = by_name.get(name)
        if known is not None and (not code or known[2] == code):
            return self._enterprise(known)
        if known is None:
            found = self._enterprise_create(name, code, name_key=name_key, code_key=code_key)
        else:  # a code for a name known without one (or with another): enterprise_resolve decides
            try:
                found = enterprise_resolve(user=self.user, name=name, credit_code=code)
            except ValidationError as error:
                raise RowError(code_key or name_key, "".join(error.messages)) from error
        entry = (found.pk, found.name, found.credit_code)
        self.cache.setdefault("row_enterprises", []).append((entry, by_name.get(found.name)))
        if found.credit_code:
            by_code[found.credit_code] = entry
        by_name[found.name] = entry
        return found

    def _enterprise_create(self, name: str, code: str, *, name_key: str, code_key: str | None):
        """A new investor (neither its code nor its name is on file: the index says so without asking
        the database again), audited like one added on the page."""
        from zhaoshang.enterprises.models import Enterprise

        enterprise = Enterprise(name=name, credit_code=code)
        keys = {"name": name_key, "credit_code": code_key or name_key}
        clean_record(enterprise, keys)
        save_record(enterprise, keys)
        audit_record(action=AuditAction.CREATE, obj=enterprise, after=snapshot(enterprise), user=self.user)
        return enterprise

    def row_done(self, ok: bool) -> None:
        """After each row: a rolled-back row's new or changed enterprises leave the index."""
        touched = self.cache.pop("row_enterprises", [])
        if ok or "enterprise_index" not in self.cache:
            return
        by_code, by_name = self.cache["enterprise_index"]
        for entry, previous in reversed(touched):
            if entry[2] and by_code.get(entry[2]) == entry:
                del by_code[entry[2]]
            if previous is None:
                by_name.pop(entry[1], None)
            else:
                by_name[entry[1]] = previous
                if previous[2]:
                    by_code[previous[2]] = previous

    def may_change(self, obj: models.Model) -> bool:
        if self.user is None:
            return True
        try:
            return access.restrict(
                type(obj)._default_manager.filter(pk=obj.pk), self.user, access.CHANGE
            ).exists()
        except LookupError:  # configuration models: the kind decides who may import them at all
            return True


# --- writing a row --------------------------------------------------------------------------------

# Bookkeeping fields: a row that differs only in these has not changed.
_NOT_DATA = {
    "id", "version", "review_status", "submitted_at", "recognised_at", "recognised_by", "return_reason",
    "created_by", "is_deleted", "created_at", "updated_at", "path", "password", "last_login",
}  # fmt: skip


def _field_value(obj: models.Model, name: str):
    f = obj._meta.get_field(name)
    return getattr(obj, f.attname)


def _plain_value(obj_field: models.Field, value):
    if isinstance(obj_field, models.ForeignKey):
        return value.pk if isinstance(value, models.Model) else value
    if isinstance(obj_field, models.DecimalField) and value is not None:
        quantum = Decimal(1).scaleb(-obj_field.decimal_places)
        return Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    return value


def simple_values(row: Row, model: type[models.Model], columns: Iterable[Column]) -> dict[str, Any]:
    """Model field values of the ``auto`` columns present in the row; a blank cell gives the field's
    empty value (None, "", False) or its default."""
    values: dict[str, Any] = {}
    for column in columns:
        if not column.auto or not column.field or not row.has(column.key):
            continue
        value = row.values[column.key]
        model_field = model._meta.get_field(column.field)
        if value is None or value == "":
            if model_field.has_default():
                value = model_field.get_default()
            elif model_field.null:
                value = None
            elif isinstance(model_field, models.CharField | models.TextField):
                value = ""
            elif isinstance(model_field, models.BooleanField):
                value = False
        values[column.field] = value
    return values


def _differs(old, new) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return old is not new
        return Decimal(old) != Decimal(new)
    if isinstance(old, datetime.datetime) and isinstance(new, datetime.date):
        return old.date() != new
    return old != new


def clean_record(obj: models.Model, field_to_key: dict[str, str]) -> None:
    """``full_clean`` with the first error turned into a RowError naming its column.

    Two checks are left out because each costs a query a row and cannot fail here: the model's check
    constraints are left to the database (``save_record`` reports them with their own message), and
    foreign keys that are set came from the import's own look-ups.
    """
    known = [
        f.name
        for f in obj._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and getattr(obj, f.attname) is not None
    ]
    try:
        obj.full_clean(exclude=known, validate_constraints=False)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                messages = [m for e in errors for m in e.messages]
                key = field_to_key.get(name)
                if key is None and name not in ("__all__",):
                    label = str(obj._meta.get_field(name).verbose_name) if _has_field(obj, name) else name
                    raise RowError(None, f"{label}: {''.join(messages)}") from error
                raise RowError(key, "".join(messages)) from error
        raise RowError(None, "".join(error.messages)) from error


def _condition_fields(condition) -> list[str]:
    names = []
    for child in getattr(condition, "children", []):
        if isinstance(child, tuple):
            names.append(child[0].split("__")[0])
        else:
            names.extend(_condition_fields(child))
    return names


def save_record(obj: models.Model, field_to_key: dict[str, str]) -> None:
    """Save; a violated database constraint becomes a RowError with the constraint's own message,
    naming the column of the first field it tests."""
    try:
        obj.save()  # inside the row's savepoint, which a RowError rolls back
    except IntegrityError as error:
        text = str(error)
        for constraint in obj._meta.constraints:
            if constraint.name in text:
                message = str(constraint.violation_error_message).replace("%(name)s", constraint.name)
                fields = list(getattr(constraint, "fields", ())) or _condition_fields(
                    getattr(constraint, "condition", None)
                )
                key = next((field_to_key[f] for f in fields if f in field_to_key), None)
                raise RowError(key, message.rstrip("。")) from error
        raise RowError(None, _("数据库拒绝保存该行:{error}").format(error=text)) from error


def _has_field(obj: models.Model, name: str) -> bool:
    try:
        obj._meta.get_field(name)
    except Exception:  # FieldDoesNotExist
        return False
    return True


@dataclass
class Extra:
    """A related part of a record compared and written by the kind itself (an enterprise's contacts):
    ``changed`` says whether the row changes it, ``before``/``after`` are what the audit row shows of
    it (personal data masked), ``write`` runs after the record is saved."""

    name: str
    changed: bool
    before: Any
    after: Any
    write: Callable[[models.Model], None]


def upsert(
    ctx: ImportContext,
    *,
    model: type[models.Model],
    existing: models.Model | None,
    values: dict[str, Any],
    field_to_key: dict[str, str],
    label: str,
    m2m: dict[str, Iterable[Any]] | None = None,
    extras: Iterable[Extra] = (),
    stamp: bool = True,
    audit_exclude: Iterable[str] = (),
) -> Outcome:
    """Create the record or bring ``existing`` to ``values``; unchanged rows write nothing at all.

    A change is validated (``full_clean``), saved with its version moved on and its review status set
    by the context, and written to the audit trail with its before/after snapshot, so that it shows in
    the record's history like an edit made on the page.
    """
    m2m = {name: {getattr(v, "pk", v) for v in items} for name, items in (m2m or {}).items()}
    extras = list(extras)
    fields = {name: model._meta.get_field(name) for name in values}
    instances = {name: value for name, value in values.items() if isinstance(value, models.Model)}
    values = {name: _plain_value(fields[name], value) for name, value in values.items()}

    def assign(obj, name):
        if name in instances:
            setattr(obj, name, instances[name])  # keeps the related object: no query to read it back
        else:
            setattr(obj, fields[name].attname, values[name])

    def audit_snapshot(obj):
        data = snapshot(obj)
        for extra in extras:
            data[extra.name] = extra.after
        for name in audit_exclude:
            data.pop(name, None)
        return data

    if existing is None:
        obj = model()
        for name in values:
            assign(obj, name)
        if stamp:
            ctx.stamp(obj, new=True)
        clean_record(obj, field_to_key)
        save_record(obj, field_to_key)
        for name, ids in m2m.items():
            getattr(obj, name).set(ids)
        for extra in extras:
            extra.write(obj)
        audit_record(action=AuditAction.CREATE, obj=obj, after=audit_snapshot(obj), user=ctx.user)
        return Outcome("created", label, obj=obj)

    changed = [
        name
        for name, value in values.items()
        if name not in _NOT_DATA and _differs(getattr(existing, fields[name].attname), value)
    ]
    changed_m2m = [name for name, ids in m2m.items() if {o.pk for o in getattr(existing, name).all()} != ids]
    changed_extras = [extra for extra in extras if extra.changed]
    if not changed and not changed_m2m and not changed_extras:
        return Outcome("unchanged", label, obj=existing)
    if not ctx.may_change(existing):
        if getattr(existing, "review_status", None) == ReviewStatus.RECOGNISED:
            raise RowError(None, _("该记录已认定,不能再通过导入修改(如需修改请联系招商局退回)"))
        raise RowError(None, _("您没有权限修改该记录"))
    before = snapshot(existing)
    for extra in extras:
        before[extra.name] = extra.before
    for name in audit_exclude:
        before.pop(name, None)
    for name in changed:
        assign(existing, name)
    if stamp:
        ctx.stamp(existing, new=False)
    if hasattr(existing, "version"):
        existing.version += 1
    clean_record(existing, field_to_key)
    save_record(existing, field_to_key)
    for name in changed_m2m:
        getattr(existing, name).set(m2m[name])
    for extra in changed_extras:
        extra.write(existing)
    audit_record(
        action=AuditAction.UPDATE, obj=existing, before=before, after=audit_snapshot(existing), user=ctx.user
    )
    labels = [str(fields[name].verbose_name) for name in changed]
    labels += [str(model._meta.get_field(name).verbose_name) for name in changed_m2m]
    labels += [extra.name for extra in changed_extras]
    return Outcome("updated", label, changes=labels, obj=existing)


def normalise_company(name: str) -> str:
    """An investor's name reduced for duplicate spotting: full-width folded, spaces, brackets and the
    company-form suffix removed (``荆州 XX 汽车零部件（集团）有限公司`` ~ ``荆州XX汽车零部件``)."""
    text = unicodedata.normalize("NFKC", name or "")
    text = "".join(text.split())
    for bracket in ("(", ")"):
        text = text.replace(bracket, "")
    for suffix in ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司", "集团", "厂"):
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            text = text[: -len(suffix)]
            break
    return text.lower()
