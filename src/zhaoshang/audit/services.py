"""Writing the audit trail. Services call ``audit_record`` inside their own transaction, so a change
and its audit row commit or roll back together."""

import datetime
import decimal
import hashlib
import json
from collections.abc import Callable
from operator import attrgetter
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from zhaoshang.audit.context import current_actor
from zhaoshang.audit.models import AuditAction, AuditChainState, AuditEntry
from zhaoshang.core.fields import mask

_CHAIN_LOCK_KEY = 0x5A4853  # advisory lock id on PostgreSQL ("ZHS")


_AS_IS = (str, int, bool, type(None))


def _plain(value: Any) -> Any:
    if type(value) in _AS_IS:  # most values: no conversion (checked first, a bulk import snapshots many)
        return value
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return value.name or ""
    return value


_SNAPSHOT_PLANS: dict[type, tuple[tuple[str, ...], Callable[[Any], tuple], tuple[str, ...]]] = {}


def _snapshot_plan(model: type[models.Model]):
    """The names of the fields a snapshot holds, how to read their values at once, and which of
    them are personal data; worked out once per model (a bulk import snapshots thousands)."""
    plan = _SNAPSHOT_PLANS.get(model)
    if plan is None:
        fields = [f for f in model._meta.concrete_fields if f.name not in ("created_at", "updated_at")]
        if len(fields) > 1 and all(
            type(f).value_from_object is models.Field.value_from_object for f in fields
        ):
            getter = attrgetter(*(f.attname for f in fields))  # what value_from_object reads, in one call
        else:
            readers = [f.value_from_object for f in fields]

            def getter(obj, readers=readers):
                return tuple(read(obj) for read in readers)

        personal = tuple(f.name for f in fields if getattr(f, "personal", False))
        plan = _SNAPSHOT_PLANS[model] = (tuple(f.name for f in fields), getter, personal)
    return plan


def snapshot(obj: models.Model, *, many_to_many: dict[str, Any] | None = None) -> dict[str, Any]:
    """The record as plain JSON: concrete fields by name, many-to-many as sorted ids.

    ``many_to_many`` gives the ids of relations the caller already knows (it has just written them),
    so that a bulk write does not cost a query per record and relation.
    """
    names, getter, personal = _snapshot_plan(type(obj))
    data: dict[str, Any] = {
        name: value if type(value) in _AS_IS else _plain(value)
        for name, value in zip(names, getter(obj), strict=True)
    }
    for name in personal:
        if data[name]:
            data[name] = mask(data[name])  # personal data never enters the audit trail in clear
    if obj.pk:
        for field in obj._meta.many_to_many:
            if many_to_many is not None and field.name in many_to_many:
                data[field.name] = sorted(many_to_many[field.name])
            else:
                data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return data


def _digest(entry: AuditEntry) -> str:
    payload = json.dumps(
        [
            entry.prev_hash,
            entry.at.isoformat(),
            entry.user_id,
            entry.username,
            entry.address,
            entry.action,
            entry.model,
            entry.object_id,
            entry.object_repr,
            entry.before,
            entry.after,
            entry.result,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _new_entry(
    *,
    action: str,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    result: str = "success",
    user=None,
    object_repr: str = "",
) -> AuditEntry:
    """An audit row, not yet chained (no ``prev_hash``/``hash``) nor saved."""
    actor = current_actor()
    if user is None and actor and (actor.user_id or actor.username):
        user_id, username = actor.user_id, actor.username
    elif user is not None:
        user_id, username = user.pk, user.get_username()
    else:
        user_id, username = None, ""
    return AuditEntry(
        at=timezone.now().replace(microsecond=0),
        user_id=user_id,
        username=username,
        address=actor.address if actor else None,
        action=action,
        model=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        before=before,
        after=after,
        result=result,
    )


def _lock_chain() -> str:
    """Take the chain (PostgreSQL: an advisory lock held to the end of the transaction; SQLite writes
    one at a time anyway) and return the hash of its newest row."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    return AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first() or ""


def audit_record(
    *,
    action: str,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    result: str = "success",
    user=None,
    object_repr: str = "",
) -> AuditEntry:
    """Append one row to the hash-chained audit trail."""
    entry = _new_entry(
        action=action,
        obj=obj,
        before=before,
        after=after,
        result=result,
        user=user,
        object_repr=object_repr,
    )
    with transaction.atomic():
        entry.prev_hash = _lock_chain()
        entry.hash = _digest(entry)
        entry.save()
        AuditChainState.objects.update_or_create(
            pk=1, defaults={"head_id": entry.pk, "head_hash": entry.hash}
        )
    return entry


def audit_record_many(
    records: list[dict[str, Any]], *, insert: Callable[[type, list], None] | None = None
) -> list[AuditEntry]:
    """Append many rows at once, in the order given: ``records`` are ``audit_record``'s keyword
    arguments. For bulk writers (an import of 10 000 rows): one read of the chain's head, rows
    inserted in batches, one update of the recorded head — instead of three queries a row.

    The rows are chained exactly as one ``audit_record`` call after another would chain them, under
    the same lock. ``insert(AuditEntry, entries)`` inserts them and sets their ids (``bulk_create``
    unless the caller has a faster way). Each row still sends ``post_save`` (a bulk insert does
    not), so that receivers of audit rows see these too.
    """
    from django.db.models.signals import post_save

    entries = [_new_entry(**record) for record in records]
    if not entries:
        return entries
    with transaction.atomic():
        prev = _lock_chain()
        for entry in entries:
            entry.prev_hash = prev
            entry.hash = prev = _digest(entry)
        if insert is None:
            AuditEntry.objects.bulk_create(entries, batch_size=500)
        else:
            insert(AuditEntry, entries)
        if entries[-1].pk is None:  # a backend that returns no ids from a bulk insert: ours are newest
            entries[-1].pk = AuditEntry.objects.order_by("-id").values_list("pk", flat=True).first()
        AuditChainState.objects.update_or_create(
            pk=1, defaults={"head_id": entries[-1].pk, "head_hash": entries[-1].hash}
        )
        using = AuditEntry.objects.db
        for entry in entries:
            post_save.send(
                sender=AuditEntry, instance=entry, created=True, update_fields=None, raw=False, using=using
            )
    return entries


class ChainBroken(Exception):
    """The newest rows of the chain are missing (the recorded head is gone)."""


def audit_verify() -> AuditEntry | None:
    """The first row whose hash does not match its content or its predecessor, or None.

    The chain starts at the anchor left by the last purge; deleting the newest rows is found by
    comparing with the recorded head (raises ``ChainBroken``).
    """
    state = AuditChainState.objects.filter(pk=1).first()
    prev = state.anchor_hash if state else ""
    last = None
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev or entry.hash != _digest(entry):
            return entry
        prev = entry.hash
        last = entry
    if state and state.head_id and (last is None or (last.pk, last.hash) != (state.head_id, state.head_hash)):
        raise ChainBroken(state.head_id)
    return None


RETENTION = datetime.timedelta(days=180)


def audit_purge(*, before: datetime.date, user=None) -> int:
    """Delete the oldest rows written before ``before``, never any younger than 180 days
    (等保 2.0: 审计记录保存不少于6个月). The hash of the last purged row becomes the chain's anchor."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    limit = timezone.localdate() - RETENTION
    if before > limit:
        raise ValidationError(_("审计日志至少保存180天,只能清理{d}之前的记录。").format(d=limit.isoformat()))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        cutoff = timezone.make_aware(datetime.datetime.combine(before, datetime.time.min))
        # Only a prefix of the chain can go: the rows up to the first one that is young enough.
        first_kept = (
            AuditEntry.objects.filter(at__gte=cutoff).order_by("id").values_list("id", flat=True).first()
        )
        doomed = (
            AuditEntry.objects.all() if first_kept is None else AuditEntry.objects.filter(id__lt=first_kept)
        )
        last = doomed.order_by("-id").first()
        if last is None:
            return 0
        count = doomed.count()
        state, _created = AuditChainState.objects.get_or_create(pk=1)
        state.anchor_hash, state.purged_through_id = last.hash, last.pk
        state.purged_count += count
        state.save()
        doomed.delete()
    audit_record(
        action=AuditAction.DELETE,
        user=user,
        object_repr=_("清理审计日志{n}条(至编号{id})").format(n=count, id=last.pk),
        after={"before": before.isoformat(), "count": count},
    )
    return count


__all__ = ["AuditAction", "audit_record", "audit_record_many", "audit_verify", "snapshot"]
