"""The recognised version a record keeps while a change to it is reviewed (SPEC §3).

"A recognised record being changed keeps counting at its last recognised version until the change
is recognised." ``keep`` copies the recognised rows of a selection before a change takes them out of
the 认定 basis (the bureau returns them for change, or an import changes them without recognising);
``drop`` removes the copies once the change is recognised or the record is deleted. The copies live
in the record's own table (``core.models.KeepsRecognisedVersion`` says why) and are read only by the
counting rules, the backup and the reviewer's comparison (``pending_version``).

Both are set-based — a few statements whatever the size of the selection — and run inside the
caller's transaction, so a figure never sees the change without the copy.
"""

from collections.abc import Iterable

from django.db import models
from django.db.models import Exists, OuterRef

from zhaoshang.core.choices import ReviewStatus
from zhaoshang.core.models import KeepsRecognisedVersion

BATCH = 500


def keeps_versions(model: type[models.Model]) -> bool:
    return issubclass(model, KeepsRecognisedVersion)


def keep(model: type[models.Model], pks: Iterable[int]) -> int:
    """Copy, as its recognised version, each record of ``pks`` that is recognised now and has no copy
    yet (a record returned twice keeps the version recognised first). Call before the change is
    written. Returns how many copies were made."""
    if not keeps_versions(model):
        return 0
    pks = sorted(set(pks))
    made = 0
    for start in range(0, len(pks), BATCH):
        chunk = pks[start : start + BATCH]
        has_copy = set(
            model.all_rows.filter(recognised_version_of__in=chunk).values_list(
                "recognised_version_of", flat=True
            )
        )
        rows = list(
            model.objects.filter(
                pk__in=chunk, review_status=ReviewStatus.RECOGNISED, is_deleted=False
            ).exclude(pk__in=has_copy)
        )
        if not rows:
            continue
        created = {row.pk: row.created_at for row in rows}
        for row in rows:
            row.recognised_version_of_id = row.pk
            row.pk = None
            row._state.adding = True
        copies = model.all_rows.bulk_create(rows)
        # ``created_at`` is set anew by bulk_create (auto_now_add): the copy keeps the record's own.
        for copy in copies:
            copy.created_at = created[copy.recognised_version_of_id]
        model.all_rows.bulk_update(copies, ["created_at"])
        made += len(copies)
    return made


def drop(model: type[models.Model], pks: Iterable[int]) -> int:
    """Remove the recognised versions of ``pks`` (the change is recognised, or the record deleted)."""
    if not keeps_versions(model):
        return 0
    pks = sorted(set(pks))
    removed = 0
    for start in range(0, len(pks), BATCH):
        removed += model.all_rows.filter(recognised_version_of__in=pks[start : start + BATCH]).delete()[0]
    return removed


def with_versions(model: type[models.Model]) -> set[int]:
    """The ids of the records of ``model`` that keep a recognised version now (a handful)."""
    if not keeps_versions(model):
        return set()
    return set(
        model.all_rows.filter(recognised_version_of__isnull=False).values_list(
            "recognised_version_of", flat=True
        )
    )


def kept_exists(model: type[models.Model]) -> Exists:
    """An annotation: whether the row keeps a recognised version (for list pages)."""
    return Exists(model.all_rows.filter(recognised_version_of=OuterRef("pk")))


def pending_version(obj: models.Model) -> models.Model | None:
    """The recognised version ``obj`` keeps while its change is reviewed, if any."""
    if not keeps_versions(type(obj)) or obj.pk is None:
        return None
    return type(obj).all_rows.filter(recognised_version_of=obj.pk).first()
