"""The machinery every import kind shares: columns, parsed rows, problems, the import context (who
imports, with which status records come in) and ``upsert``, the one place where a row becomes a
created, updated or unchanged record with its audit row.
"""

import datetime
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from itertools import repeat
from operator import attrgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, models, transaction
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhaoshang.audit.models import AuditAction
from zhaoshang.audit.services import audit_record, audit_record_many, snapshot
from zhaoshang.core import access, versions
from zhaoshang.core.choices import ReviewStatus
from zhaoshang.core.fields import is_masked as fields_is_masked
from zhaoshang.core.fields import mask
from zhaoshang.exchange import cells
from zhaoshang.metrics.numbers import round_half_up
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
        self.today = timezone.localdate(self.now)  # (once: a time zone conversion a row costs 14 µs)
        self.warnings: list[Problem] = []
        self.cache: dict[str, Any] = {}
        self.seen: dict[Any, int] = {}
        self.headers: dict[str, str] = {}  # column key → header as written in the file
        # Set by ``import_file``: the Excel row being applied, whether new records are held back for
        # a bulk insert (``Sheet.defer_creates``) and whether audit rows are kept for ``flush``.
        self.row_number: int | None = None
        self.defer_creates = False
        self.keep_audit = False
        self.pending: list[PendingCreate] = []
        self.audit_log: list[dict[str, Any]] = []
        role = None if user is None else ("superuser" if user.is_superuser else user.role)
        self.acts_for_bureau = role in (None, "superuser", Role.BUREAU)
        self.unit_role = role in (Role.REPORTER, Role.UNIT_HEAD)
        self.allowed_unit_ids: set[int] | None = None
        if user is not None and not user.is_superuser:
            self.allowed_unit_ids = set(
                access.unit_choices_for(user, Unit.objects.all()).values_list("pk", flat=True)
            )

    # -- writing in bulk --

    def audit(self, *, action: str, obj: models.Model, before: dict | None = None, after=None) -> dict:
        """The audit row of a change this import makes. While ``keep_audit`` is on, rows are kept in
        order and written by ``flush`` in one go (``audit_record_many``), chained as if written one
        by one; ``after`` may be a callable, for a record whose id is known only once it is inserted."""
        record = {"action": action, "obj": obj, "before": before, "after": after, "user": self.user}
        if self.keep_audit:
            self.audit_log.append(record)
        else:
            record["after"] = after() if callable(after) else after
            audit_record(**record)
        return record

    def mark(self) -> tuple[int, int]:
        """Where the held-back writes stand before a row (``rewind`` drops what a failed row added)."""
        return len(self.pending), len(self.audit_log)

    def rewind(self, mark: tuple[int, int]) -> None:
        del self.pending[mark[0] :]
        del self.audit_log[mark[1] :]

    BULK_BATCH = 500

    def flush(self) -> list[tuple[int, "RowError"]]:
        """Insert the records held back (``insert_many``; many-to-many links in bulk too), then
        write the audit rows kept so far. Returns the rows whose record the database refused, with
        the reason: the batch is then retried record by record, each in its savepoint, to name them."""
        pending, self.pending = self.pending, []
        failed: list[tuple[int, RowError]] = []
        by_model: dict[type[models.Model], list[PendingCreate]] = {}
        for item in pending:
            by_model.setdefault(type(item.obj), []).append(item)
        for model, items in by_model.items():
            failed += self._insert(model, items)
        links: dict[tuple[type[models.Model], str], list[tuple[int, Any]]] = {}
        for item in pending:
            if item.failed:
                continue
            for name, ids in item.m2m.items():
                links.setdefault((type(item.obj), name), []).extend((item.obj.pk, i) for i in ids)
        for (model, name), pairs in links.items():
            m2m_field = model._meta.get_field(name)
            through = m2m_field.remote_field.through
            source, target = f"{m2m_field.m2m_field_name()}_id", f"{m2m_field.m2m_reverse_field_name()}_id"
            through._default_manager.bulk_create(
                [through(**{source: a, target: b}) for a, b in pairs], batch_size=self.BULK_BATCH
            )
        for item in pending:
            if not item.failed:
                for extra in item.extras:
                    extra.write(item.obj)
        self.flush_audit()
        return failed

    def _insert(
        self, model: type[models.Model], items: list["PendingCreate"]
    ) -> list[tuple[int, "RowError"]]:
        try:
            with transaction.atomic():
                insert_many(model, [item.obj for item in items])
            return []
        except DatabaseError:
            pass  # a check constraint (a negative amount …): find the rows at fault, one at a time
        failed = []
        for item in items:
            item.obj.pk = None  # a batch before the failing one got ids that were rolled back
            item.obj._state.adding = True
            try:
                with transaction.atomic():
                    save_record(item.obj, item.field_to_key)
            except (RowError, DatabaseError) as error:
                if not isinstance(error, RowError):
                    error = RowError(None, _("数据库拒绝保存该行:{error}").format(error=error))
                item.failed = True
                item.audit["dropped"] = True
                failed.append((item.row, error))
        return failed

    def flush_audit(self) -> None:
        """Write the audit rows kept so far, in order, on the chain (those of records the database
        refused are dropped; a new record's snapshot is taken now that it has its id)."""
        records, self.audit_log = self.audit_log, []
        rows = []
        for record in records:
            if record.pop("dropped", False):
                continue
            if callable(record["after"]):
                record["after"] = record["after"]()
            rows.append(record)
        audit_record_many(rows, insert=insert_many)

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
        was_recognised = not new and obj.review_status == ReviewStatus.RECOGNISED
        if self.recognising:
            obj.review_status = ReviewStatus.RECOGNISED
            obj.submitted_at = obj.submitted_at or self.now
            obj.recognised_at = self.now
            obj.recognised_by = self.user
            if hasattr(obj, "stamp_event_recognition"):
                obj.stamp_event_recognition(self.today)
            obj.return_reason = ""
            if not new and obj.pk in self.kept_versions(type(obj)):
                versions.drop(type(obj), [obj.pk])  # the change is recognised with the row
        elif self.acts_for_bureau or (self.user is not None and self.user.role == Role.UNIT_HEAD):
            obj.review_status = ReviewStatus.SUBMITTED
            obj.submitted_at = self.now
        elif new:
            obj.review_status = ReviewStatus.DRAFT
        if was_recognised and obj.review_status != ReviewStatus.RECOGNISED:
            # Changed without being recognised: the recognised version (still the stored row) keeps
            # counting on the 认定 basis until the change is (SPEC §3).
            versions.keep(type(obj), [obj.pk])

    def kept_versions(self, model: type[models.Model]) -> set[int]:
        """The records of ``model`` keeping a recognised version, read once per import."""
        name = f"versions:{model._meta.label}"
        if name not in self.cache:
            self.cache[name] = versions.with_versions(model)
        return self.cache[name]

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
            for *values, pk in self._alive(model).values_list(*fields, "pk").iterator(chunk_size=10000):
                index.setdefault(tuple(values), []).append(pk)
            self.cache[name] = index
            self.cache[f"order:{model._meta.label}"] = sorted(pk for pks in index.values() for pk in pks)
        else:
            loaded = self.cache.get(f"loaded:{name}")
            if loaded is not None and key[0] not in loaded:  # a row the look-ahead did not see
                self.prefetch_keys(model, fields, [key[0]])
        pks = index.get(key, [])
        if occurrence >= len(pks):
            return None
        return self.fetch(
            model, pks[occurrence], order=self.cache[f"order:{model._meta.label}"], prefetch=prefetch
        )

    @staticmethod
    def _alive(model: type[models.Model]) -> models.QuerySet:
        queryset = model._default_manager.order_by("pk")
        if hasattr(model, "is_deleted"):
            queryset = queryset.filter(is_deleted=False)
        return queryset

    def prefetch_keys(self, model: type[models.Model], fields: tuple[str, ...], values: Iterable) -> None:
        """Read ahead the keys (for ``existing``) of the records whose first key field is one of
        ``values`` — those a batch of rows names — rather than every record's key: a file of a few
        thousand rows costs a few indexed queries, whatever the size of the table."""
        name = f"keys:{model._meta.label}:{','.join(fields)}"
        index = self.cache.get(name)
        loaded = self.cache.get(f"loaded:{name}")
        if index is not None and loaded is None:
            return  # every key is known already
        if index is None:
            index, loaded = self.cache[name], self.cache[f"loaded:{name}"] = {}, set()
        wanted = sorted({v for v in values if v not in loaded}, key=str)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self._alive(model).filter(**{f"{fields[0]}__in": chunk}).values_list(*fields, "pk")
            for *key, pk in rows:  # a key's records in the order of their ids (``occurrence``)
                index.setdefault(tuple(key), []).append(pk)
            loaded.update(chunk)
        if wanted:
            self.cache[f"order:{model._meta.label}"] = sorted(pk for pks in index.values() for pk in pks)

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

    def choice_key(self, text: str) -> str:
        """``cells.choice_key``, remembered: rows name the same units and industries again and again."""
        keys = self.cache.setdefault("choice_keys", {})
        key = keys.get(text)
        if key is None:
            key = keys[text] = cells.choice_key(text)
        return key

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
        key = self.choice_key(name)
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
        matches = by_name.get(self.choice_key(text), [])
        if len(matches) > 1:
            raise RowError(key, _("区划名称“{name}”有重名,请填写区划代码").format(name=text))
        if not matches:
            region = self._region_from_catalogue(code or text)
            if region is None:
                raise RowError(key, _("未找到区划“{name}”").format(name=text))
            return region
        return matches[0]

    def _region_from_catalogue(self, text: str):
        """A division under the home region that the national catalogue holds but the deployment's
        tree does not yet: added to the tree (with its ancestors), as ``setup`` adds its own."""
        from zhaoshang.organisation.selectors import division_find, home_region
        from zhaoshang.organisation.services import regions_from_catalogue

        home = home_region()
        division = division_find(text, under=home) if home is not None else None
        if division is None:
            return None
        region = regions_from_catalogue(code=division.code, user=self.user)
        # A row rolled back takes the new regions with it: the index is then read again.
        self.cache["row_regions"] = True
        self.remember_region(region)
        return region

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
        kinds = None if kinds is None else tuple(kinds)
        chosen = self.cache.setdefault("industry_choices", {})
        found = chosen.get((name, kinds))
        if found is None:  # (rows name the same few industries: worked out once each)
            found = self.cache["industries"].get(self.choice_key(name), [])
            if kinds is not None:
                found = sorted((i for i in found if i.kind in kinds), key=lambda i: kinds.index(i.kind))
            chosen[(name, kinds)] = found
        if not found:
            raise RowError(key, _("未找到产业“{name}”(请填写系统中已配置的产业名称)").format(name=name))
        return found[0]

    def enterprise_index(self) -> tuple[dict[str, tuple], dict[str, tuple]]:
        from zhaoshang.enterprises.models import Enterprise

        if "enterprise_index" not in self.cache:
            by_code: dict[str, tuple] = {}
            by_name: dict[str, tuple] = {}
            # Deleted ones too, kept aside (``enterprise_rows``): projects may name them, and the
            # duplicate check of projects reads every investor once.
            everyone = []
            rows = Enterprise.objects.order_by("pk").values_list("pk", "name", "credit_code", "is_deleted")
            for row in rows.iterator(chunk_size=10000):
                entry = row[:3]
                everyone.append(entry)
                if row[3]:  # deleted
                    continue
                if entry[2]:
                    by_code[entry[2]] = entry
                by_name.setdefault(entry[1], entry)
            self.cache["enterprise_index"] = (by_code, by_name)
            self.cache["enterprise_rows"] = everyone
        return self.cache["enterprise_index"]

    def _enterprise(self, entry: tuple):
        """A stand-in for an enterprise known from the index: enough to refer to it and name it
        (one per enterprise and import: rows naming the same investor share it)."""
        from zhaoshang.enterprises.models import Enterprise

        stand_ins = self.cache.setdefault("stand_ins", {})
        enterprise = stand_ins.get(entry)
        if enterprise is None:
            enterprise = _new_instance(Enterprise)
            enterprise.id, enterprise.name, enterprise.credit_code = entry
            enterprise._state.adding = False
            enterprise._state.db = "default"
            stand_ins[entry] = enterprise
        return enterprise

    def find_enterprise(self, name: str, code: str, *, name_key: str, code_key: str | None):
        """An investor by credit code or name, created if new (``enterprise_resolve``'s rules: a known
        code wins over the name typed; without a code, the exact name)."""
        from zhaoshang.enterprises.services import enterprise_resolve
        from zhaoshang.enterprises.validators import normalise_credit_code, validate_credit_code

        name = " ".join(name.split())
        codes = self.cache.setdefault("credit_codes", {})  # as typed → (normalised, problem or None)
        checked = codes.get(code)
        if checked is None:
            # A code typed as stored (18 digits and capitals) needs no normalising.
            normalised = code if _CANONICAL_CODE.fullmatch(code or "") else normalise_credit_code(code or "")
            try:
                validate_credit_code(normalised)
                checked = codes[code] = (normalised, None)
            except ValidationError as error:
                checked = codes[code] = (normalised, "".join(error.messages))
        code, problem = checked
        if problem is not None:
            raise RowError(code_key or name_key, problem)
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
        clean_record(enterprise, keys, self.cache.setdefault("clean_memo", {}))
        save_record(enterprise, keys)
        self.audit(
            action=AuditAction.CREATE, obj=enterprise, after=snapshot(enterprise, many_to_many={"tags": []})
        )
        return enterprise

    def row_done(self, ok: bool) -> None:
        """After each row: a rolled-back row's new or changed enterprises leave the index."""
        touched = self.cache.pop("row_enterprises", [])
        if self.cache.pop("row_regions", False) and not ok:
            self.cache.pop("regions", None)
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
    "signing_recognised_on", "commencement_recognised_on",
}  # fmt: skip


def _field_value(obj: models.Model, name: str):
    f = obj._meta.get_field(name)
    return getattr(obj, f.attname)


def _plain_value(obj_field: models.Field, value):
    if isinstance(obj_field, models.ForeignKey):
        return value.pk if isinstance(value, models.Model) else value
    if isinstance(obj_field, models.DecimalField) and value is not None:
        return round_half_up(Decimal(value), obj_field.decimal_places)
    return value


_FIELD_PLANS: dict[tuple[type, str], tuple[models.Field, Callable[[Any], Any]]] = {}


def _field_plan(model: type[models.Model], name: str) -> tuple[models.Field, Callable[[Any], Any]]:
    """A field and how a value for it becomes the plain value stored (``_plain_value``), worked out
    once per field rather than for every cell."""
    plan = _FIELD_PLANS.get((model, name))
    if plan is None:
        model_field = model._meta.get_field(name)
        if isinstance(model_field, models.ForeignKey | models.DecimalField):
            plan = (model_field, partial(_plain_value, model_field))
        else:
            plan = (model_field, _same)
        _FIELD_PLANS[(model, name)] = plan
    return plan


def _same(value):
    return value


_CANONICAL_CODE = re.compile("[0-9A-Z]{18}")
_BLANK_INSTANCES: dict[type, dict[str, Any] | None] = {}
_IMMUTABLE = (str, int, float, Decimal, datetime.date, datetime.time, datetime.timedelta, type(None))


def _new_instance(model: type[models.Model]) -> models.Model:
    """``model()``: a new record with every field at its default. Where no default is computed (a
    callable) and nothing listens to the model's init signals, the defaults are worked out once
    and copied, rather than asked of each of 60 fields for every row of an import."""
    from django.db.models.base import ModelState
    from django.db.models.signals import post_init, pre_init

    blank = _BLANK_INSTANCES.get(model, False)
    if blank is False:
        blank = None
        fields = model._meta.concrete_fields
        if not any(f.has_default() and callable(f.default) for f in fields) and not (
            pre_init.has_listeners(model) or post_init.has_listeners(model)
        ):
            blank = dict(model().__dict__)
            del blank["_state"]
            if not all(isinstance(v, _IMMUTABLE) for v in blank.values()):
                blank = None  # a shared mutable default would be shared by every record
        _BLANK_INSTANCES[model] = blank
    if blank is None:
        return model()
    obj = model.__new__(model)
    obj.__dict__.update(blank)
    obj._state = ModelState()
    return obj


_SIMPLE_PLANS: dict[tuple[type, int], list[tuple[str, str, models.Field]]] = {}


def simple_values(row: Row, model: type[models.Model], columns: Iterable[Column]) -> dict[str, Any]:
    """Model field values of the ``auto`` columns present in the row; a blank cell gives the field's
    empty value (None, "", False) or its default."""
    columns = list(columns) if not isinstance(columns, list) else columns
    plan = _SIMPLE_PLANS.get((model, id(columns)))
    if plan is None:  # (key, field, model field) of the auto columns, worked out once per sheet
        plan = [(c.key, c.field, model._meta.get_field(c.field)) for c in columns if c.auto and c.field]
        _SIMPLE_PLANS[(model, id(columns))] = plan
    values: dict[str, Any] = {}
    present = row.values
    for key, name, model_field in plan:
        if key not in present:
            continue
        value = present[key]
        if value is None or value == "":
            if model_field.has_default():
                value = model_field.get_default()
            elif model_field.null:
                value = None
            elif isinstance(model_field, models.CharField | models.TextField):
                value = ""
            elif isinstance(model_field, models.BooleanField):
                value = False
        values[name] = value
    return values


def _differs(old, new) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return old is not new
        return Decimal(old) != Decimal(new)
    if isinstance(old, datetime.datetime) and isinstance(new, datetime.date):
        return old.date() != new
    return old != new


_CLEAN_PLANS: dict[type, tuple[list[tuple[str, str]], bool]] = {}


def _clean_plan(model: type[models.Model]) -> tuple[list[tuple[str, str]], bool]:
    """A model's foreign keys (name, attname), and whether its only uniqueness check is its primary
    key's; worked out once per model."""
    plan = _CLEAN_PLANS.get(model)
    if plan is None:
        foreign_keys = [
            (f.name, f.attname) for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)
        ]
        unique_checks, date_checks = model()._get_unique_checks()
        pk_only = not date_checks and all(
            fields == (model._meta.pk.name,) for _model, fields in unique_checks
        )
        plan = _CLEAN_PLANS[model] = (foreign_keys, pk_only)
    return plan


# Django's own field types, whose check of a value (``Field.clean``: to_python, validate, the field's
# validators) depends on the value alone; a file repeats its dates, stages, flags and amounts on every
# row, and an import remembers what each field made of a value (``clean_record``'s ``memo``).
_PURE_CHECKS = frozenset(
    {
        models.CharField,
        models.TextField,
        models.BooleanField,
        models.DateField,
        models.DecimalField,
        models.IntegerField,
        models.BigIntegerField,
        models.SmallIntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.PositiveBigIntegerField,
        models.FloatField,
        models.EmailField,
        models.URLField,
        models.SlugField,
    }
)
MEMO_VALUES = 20_000  # checked values remembered per field and import
_MISSING = object()
_FIELD_CHECKS: dict[type, list[tuple]] = {}


def _field_checks(model: type[models.Model]) -> list[tuple] | None:
    """The fields ``clean_fields`` checks: (field, name, attname, blank, whether its check may be
    remembered); None when the model has its own ``full_clean`` or ``clean_fields`` (then those run
    as they are)."""
    if model.full_clean is not models.Model.full_clean or model.clean_fields is not models.Model.clean_fields:
        return None
    checks = _FIELD_CHECKS.get(model)
    if checks is None:
        checks = _FIELD_CHECKS[model] = [
            (f, f.name, f.attname, f.blank, type(f) in _PURE_CHECKS)
            for f in model._meta.fields
            if not f.generated
        ]
    return checks


def _clean_fields(obj: models.Model, checks, exclude: set[str], memo: dict) -> None:
    """``Model.clean_fields`` (the same fields skipped, the same checks, the same errors), a field's
    check of a value it has already passed in this import not run again (``memo``: field name →
    value → what the check made of it)."""
    from django.db.models.expressions import DatabaseDefault

    errors = {}
    values = obj.__dict__
    for f, name, attname, blank, pure in checks:
        if name in exclude:
            continue
        raw = values[attname] if attname in values else getattr(obj, attname)
        if blank and raw in f.empty_values:
            continue
        if isinstance(raw, DatabaseDefault):
            continue
        key = None
        if pure:
            # The value exactly: 1, 1.0 and True are equal keys otherwise, and so are 1.5 and 1.500
            # (which a field of two decimal places tells apart).
            kind = type(raw)
            key = (kind, raw.as_tuple() if kind is Decimal else repr(raw) if kind is float else raw)
            seen = memo.get(name)
            if seen is None:
                seen = memo[name] = {}
            try:
                cleaned = seen.get(key, _MISSING)
            except TypeError:  # an unhashable value: checked each time
                key, cleaned = None, _MISSING
            if cleaned is not _MISSING:
                values[attname] = cleaned
                continue
        try:
            cleaned = f.clean(raw, obj)
        except ValidationError as e:
            errors[name] = e.error_list
            continue
        setattr(obj, attname, cleaned)
        if key is not None and len(seen) < MEMO_VALUES:
            seen[key] = cleaned  # (a value that fails is checked again: its row reports it)
    if errors:
        raise ValidationError(errors)


def _full_clean(obj: models.Model, *, exclude: list[str], validate_unique: bool, memo: dict | None) -> None:
    """``obj.full_clean(exclude=…, validate_unique=…, validate_constraints=False)`` step by step as
    Django runs it (field checks, the model's ``clean``, uniqueness of the fields that passed), the
    field checks through ``_clean_fields`` with the import's ``memo``."""
    from django.core.exceptions import NON_FIELD_ERRORS

    checks = _field_checks(type(obj)) if memo is not None else None
    if checks is None:
        obj.full_clean(exclude=exclude, validate_constraints=False, validate_unique=validate_unique)
        return
    errors: dict = {}
    excluded = set(exclude)
    try:
        _clean_fields(obj, checks, excluded, memo)
    except ValidationError as e:
        errors = e.update_error_dict(errors)
    try:
        obj.clean()
    except ValidationError as e:
        errors = e.update_error_dict(errors)
    if validate_unique:
        excluded.update(name for name in errors if name != NON_FIELD_ERRORS)
        try:
            obj.validate_unique(exclude=excluded)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def clean_record(obj: models.Model, field_to_key: dict[str, str], memo: dict | None = None) -> None:
    """``full_clean`` with the first error turned into a RowError naming its column.

    Checks that cost a query a row and cannot fail here are left out: the model's check constraints
    are left to the database (``save_record`` and ``flush`` report them with their own message),
    foreign keys that are set came from the import's own look-ups, and a uniqueness check that could
    only be of the record's own primary key (assigned by the database, or its own) is skipped.
    ``memo`` (one per import) remembers the field checks of values already passed (``_clean_fields``).
    """
    foreign_keys, pk_only = _clean_plan(type(obj))
    known = [name for name, attname in foreign_keys if getattr(obj, attname) is not None]
    try:
        _full_clean(obj, exclude=known, validate_unique=not pk_only, memo=memo)
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


def insert_many(model: type[models.Model], objs: list[models.Model]) -> None:
    """``bulk_create`` for the new records of an import, at a fraction of its cost on a wide model.

    The ORM compiles an insert value by value through several layers (a project has 60 columns, an
    import 10 000 rows). Here the values are read a record at a time (``attrgetter``) and prepared a
    column at a time: a column whose values already have the type the database takes as it is
    (text, whole numbers, flags, ids) is passed on after one check of their types; the others go
    through the backend's adapter for dates and decimals, or their field's own ``get_db_prep_save``
    — what the ORM calls, so ``auto_now`` stamps, decimals, dates and encrypted fields are stored
    alike (``_prepared``). On SQLite one multi-row ``INSERT … RETURNING`` per batch, the same
    statement text every full batch (the driver reuses its prepared statement); on PostgreSQL one
    ``COPY`` stream (``_copy_many``). Models this does not cover go through ``bulk_create``.
    """
    from itertools import chain

    from django.db import connections, router

    using = router.db_for_write(model)
    connection = connections[using]
    opts = model._meta
    fields = [f for f in opts.concrete_fields if not f.primary_key]
    # A field with a database default is inserted like any other when every record has its value
    # (a Python ``default`` beside the ``db_default`` gives one); one left to the database's default
    # (an expression) goes through ``bulk_create``.
    defaulted = [f.attname for f in fields if f.has_db_default()]
    plain = (
        connection.features.can_return_rows_from_bulk_insert
        and not opts.parents
        and len(fields) > 1
        and all(not f.generated and not hasattr(f, "get_placeholder") for f in fields)
        and all(getattr(obj, opts.pk.attname) is None for obj in objs)
        and not any(hasattr(getattr(obj, name), "resolve_expression") for name in defaulted for obj in objs)
    )
    if not plain:
        model._default_manager.bulk_create(objs, batch_size=ImportContext.BULK_BATCH)
        return
    if connection.vendor == "postgresql" and isinstance(opts.pk, AutoFieldMixin):
        _copy_many(connection, model, objs, fields, using)
        return
    quote = connection.ops.quote_name
    returning, returning_params = connection.ops.return_insert_columns([opts.pk])
    head = f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per = max(1, min(500, _max_params(connection) // len(fields)))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per):
            batch = objs[start : start + per]
            params = list(chain.from_iterable(zip(*_prepared(batch, fields, connection), strict=True)))
            cursor.execute(
                f"{head}{', '.join([row] * len(batch))} {returning}", params + list(returning_params)
            )
            for obj, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                setattr(obj, opts.pk.attname, pk)
                obj._state.adding = False
                obj._state.db = using


def _copy_many(connection, model: type[models.Model], objs: list[models.Model], fields, using: str) -> None:
    """``insert_many`` on PostgreSQL: the ids taken from the table's sequence first (one query), then
    every row in one ``COPY`` stream, which the server reads without parsing a statement's
    literals. A multi-row ``INSERT … VALUES`` of 10 000 audit rows cost 1 s there (the driver
    binds on the client: a statement text of 10 000 JSON documents to parse), the stream 0.3 s.
    The values are prepared as the ORM prepares them (``_prepared``); a row the table refuses
    fails the stream, as it fails the statement."""
    opts = model._meta
    quote = connection.ops.quote_name
    table, pk = opts.db_table, opts.pk.column
    columns = ", ".join(quote(c) for c in [pk, *(f.column for f in fields)])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        prepared = _prepared(objs, fields, connection)
        # The driver's own cursor (Django's has no COPY); its errors made Django's, as a statement's.
        with (
            connection.wrap_database_errors,
            cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy,
        ):
            for row in zip(ids, *prepared, strict=True):
                copy.write_row(row)
    for obj, pk_value in zip(objs, ids, strict=True):
        setattr(obj, opts.pk.attname, pk_value)
        obj._state.adding = False
        obj._state.db = using


def _prepared(objs: list[models.Model], fields, connection) -> list[Sequence]:
    """The values of ``objs`` for ``fields``, a column at a time and as the ORM prepares them for
    the database (``_column_preparer``); fields whose ``pre_save`` does more than read the value
    (``auto_now`` …) stamp it first."""
    stamping = [f for f in fields if _stamps(f)]
    for obj in objs:
        for f in stamping:
            f.pre_save(obj, True)
    values = zip(*map(attrgetter(*(f.attname for f in fields)), objs), strict=True)  # column by column
    return [_column_preparer(f, connection)(column) for f, column in zip(fields, values, strict=True)]


def _max_params(connection) -> int:
    """Parameters one statement may carry. Django assumes SQLite's old default (999) everywhere;
    the library in use says its own limit (32 766 since 3.32), and fewer, larger statements insert
    faster."""
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        try:
            return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        except AttributeError:  # Python before 3.11
            pass
    return connection.features.max_query_params or 65535


def _stamps(field: models.Field) -> bool:
    if type(field).pre_save is models.Field.pre_save:
        return False
    if isinstance(field, models.DateField):  # DateTimeField too: it only stamps with auto_now(_add)
        return field.auto_now or field.auto_now_add
    return True


# Fields whose value goes to the database as it is when it already has this type (what their
# ``get_db_prep_save`` would return); anything else takes the field's own way.
_AS_IS = {
    models.CharField: str,
    models.TextField: str,
    models.BooleanField: bool,
    models.IntegerField: int,
    models.BigIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.SmallIntegerField: int,
}
_NONE = type(None)


def _column_preparer(field: models.Field, connection) -> Callable[[tuple], Sequence]:
    """How a column of values (one per record) becomes what the driver is given."""
    prep = field.get_db_prep_save

    def each(values):
        return [prep(value, connection) for value in values]

    target = field.target_field if isinstance(field, models.ForeignKey) else field
    kind = _AS_IS.get(type(target))
    if isinstance(target, models.AutoField | models.BigAutoField):
        kind = int
    ops = connection.ops
    if kind is not None:
        allowed = {kind, _NONE}
        return lambda values: values if set(map(type, values)) <= allowed else each(values)
    # Dates, decimals and aware times of the right type go straight to the backend's adapter (what
    # the field's own preparation ends in, after checks these values pass).
    if type(field) is models.DateField:
        dates = {datetime.date, _NONE}
        return lambda values: (
            list(map(ops.adapt_datefield_value, values)) if set(map(type, values)) <= dates else each(values)
        )
    if type(field) is models.DecimalField:
        decimals = {Decimal, _NONE}
        digits, places = repeat(field.max_digits), repeat(field.decimal_places)
        return lambda values: (
            list(map(ops.adapt_decimalfield_value, values, digits, places))
            if set(map(type, values)) <= decimals
            else each(values)
        )
    if type(field) is models.DateTimeField:

        def times(values):
            if set(map(type, values)) <= {datetime.datetime, _NONE} and all(
                v is None or v.tzinfo is not None for v in values
            ):
                return list(map(ops.adapt_datetimefield_value, values))
            return each(values)

        return times
    return each


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
class PendingCreate:
    """A new record validated and held back for ``ImportContext.flush``'s bulk insert, with what
    follows its insert: its many-to-many links (ids) and extras, and its audit row (whose snapshot
    waits for the id)."""

    row: int | None
    obj: models.Model
    m2m: dict[str, set]
    extras: list["Extra"]
    field_to_key: dict[str, str]
    audit: dict[str, Any]
    failed: bool = False


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
    fields: dict[str, models.Field] = {}
    instances: dict[str, models.Model] = {}
    plain: dict[str, Any] = {}
    for name, value in values.items():
        fields[name], to_plain = _field_plan(model, name)
        if isinstance(value, models.Model):
            instances[name] = value
        plain[name] = to_plain(value)
    values = plain

    def assign(obj, name):
        if name not in instances:
            setattr(obj, fields[name].attname, values[name])
        elif obj._state.adding and fields[name].many_to_one:
            # A new record gets the id and keeps the related object (no query to read it back), as
            # the descriptor would, without its checks for records moved between databases — a
            # tenth of the cost of a row with five relations.
            obj.__dict__[fields[name].attname] = values[name]
            fields[name].set_cached_value(obj, instances[name])
        else:
            setattr(obj, name, instances[name])  # keeps the related object: no query to read it back

    def audit_snapshot(obj, *, new: bool = False):
        # The links just written are known (a new record has no others): no query to read them back.
        known = {**{f.name: () for f in model._meta.many_to_many}, **m2m} if new else m2m
        data = snapshot(obj, many_to_many=known)
        for extra in extras:
            data[extra.name] = extra.after
        for name in audit_exclude:
            data.pop(name, None)
        return data

    if existing is None:
        obj = _new_instance(model)
        for name in values:
            assign(obj, name)
        if stamp:
            ctx.stamp(obj, new=True)
        clean_record(obj, field_to_key, ctx.cache.setdefault("clean_memo", {}))
        if ctx.defer_creates:
            # Validated now (problems are listed with their row), inserted in bulk by ``flush``;
            # the database's own checks run there, and name the row they refuse.
            record = ctx.audit(
                action=AuditAction.CREATE, obj=obj, after=lambda: audit_snapshot(obj, new=True)
            )
            ctx.pending.append(PendingCreate(ctx.row_number, obj, m2m, extras, field_to_key, record))
            return Outcome("created", label, obj=obj)
        save_record(obj, field_to_key)
        for name, ids in m2m.items():
            getattr(obj, name).set(ids)
        for extra in extras:
            extra.write(obj)
        ctx.audit(action=AuditAction.CREATE, obj=obj, after=audit_snapshot(obj, new=True))
        return Outcome("created", label, obj=obj)

    current_m2m = {name: {o.pk for o in getattr(existing, name).all()} for name in m2m}
    changed = [
        name
        for name, value in values.items()
        if name not in _NOT_DATA and _differs(getattr(existing, fields[name].attname), value)
    ]
    changed_m2m = [name for name, ids in m2m.items() if current_m2m[name] != ids]
    changed_extras = [extra for extra in extras if extra.changed]
    if not changed and not changed_m2m and not changed_extras:
        return Outcome("unchanged", label, obj=existing)
    if not ctx.may_change(existing):
        if getattr(existing, "review_status", None) == ReviewStatus.RECOGNISED:
            raise RowError(None, _("该记录已认定,不能再通过导入修改(如需修改请联系招商局退回)"))
        raise RowError(None, _("您没有权限修改该记录"))
    before = snapshot(existing, many_to_many=current_m2m)
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
    clean_record(existing, field_to_key, ctx.cache.setdefault("clean_memo", {}))
    save_record(existing, field_to_key)
    for name in changed_m2m:
        getattr(existing, name).set(m2m[name])
    for extra in changed_extras:
        extra.write(existing)
    ctx.audit(action=AuditAction.UPDATE, obj=existing, before=before, after=audit_snapshot(existing))
    labels = [str(fields[name].verbose_name) for name in changed]
    labels += [str(model._meta.get_field(name).verbose_name) for name in changed_m2m]
    labels += [extra.name for extra in changed_extras]
    return Outcome("updated", label, changes=labels, obj=existing)


# Cached: the duplicate check of an import asks for the same names again and again.
@functools.lru_cache(maxsize=65536)
def normalise_company(name: str) -> str:
    """An investor's name reduced for duplicate spotting: full-width folded, spaces, brackets and the
    company-form suffix removed (``荆州 XX 汽车零部件（集团）有限公司`` ~ ``荆州XX汽车零部件``)."""
    text = unicodedata.normalize("NFKC", name or "")
    text = "".join(text.split())
    if "(" in text or ")" in text:
        text = text.replace("(", "").replace(")", "")
    if text.endswith(_COMPANY_SUFFIXES):  # (one test for the names that end in none: an import reads 10 000s)
        for suffix in _COMPANY_SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix) + 1:
                text = text[: -len(suffix)]
                break
    return text.lower()


_COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司", "集团", "厂")
