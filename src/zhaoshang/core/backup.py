"""Verified backups (等保 2.0: 数据备份与恢复).

A backup is one zip file: every table serialised as JSON lines (ordered by primary key), the
attachments, and a manifest with each table's row count and SHA-256 and each file's SHA-256. The
manifest is written last, followed by a completion marker: an archive without the marker is an
interrupted backup and is refused. A restore goes into an empty (freshly migrated) database in one
transaction and then re-reads every table and compares counts and checksums with the manifest.
"""

import datetime
import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

# Format 2 keeps timestamps to the microsecond (``_LosslessEncoder``); archives of format 1, written
# with Django's encoder (milliseconds), still restore and are checked the way they were written.
FORMAT = "zhaoshang-backup/2"
MARKER = "COMPLETE"
# Besides Django's own bookkeeping: the monthly summary and its marks are derived from the records
# (metrics.rollup) and rebuilt after a restore rather than carried in the archive.
EXCLUDED = {
    "sessions.session",
    "contenttypes.contenttype",
    "auth.permission",
    "admin.logentry",
    "metrics.monthlyfigure",
    "metrics.rollupmark",
    # The job queue: a restored queue would run yesterday's jobs again.
    "django_tasks_database.dbtaskresult",
    "core.scheduledrun",
}


class BackupError(Exception):
    pass


def backed_up_models() -> list:
    models = [m for m in apps.get_models() if m._meta.label_lower not in EXCLUDED and not m._meta.proxy]
    app_list = {}
    for model in models:
        app_list.setdefault(apps.get_app_config(model._meta.app_label), []).append(model)
    return serializers.sort_dependencies(app_list.items(), allow_cycles=True)


class _LosslessEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes and times to milliseconds (ECMA-262). A restore would lose
    the microseconds, and a value with 1 to 999 of them would come back as a whole second, unequal
    to its own checksum. Keep every digit."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time) and o.utcoffset() is None:
            return o.isoformat()
        return super().default(o)


ENCODERS = {"zhaoshang-backup/1": DjangoJSONEncoder, "zhaoshang-backup/2": _LosslessEncoder}


def _table_lines(model, encoder):
    """One JSON line per row, by primary key; foreign keys to content types by natural key. Every
    row: the base manager, not the default one, which hides rows such as recognised versions."""
    queryset = model._base_manager.order_by("pk")
    for obj in queryset.iterator(chunk_size=2000):
        yield serializers.serialize("json", [obj], use_natural_foreign_keys=True, cls=encoder)[1:-1].strip()


def _digest_lines(lines) -> tuple[int, str]:
    digest, count = hashlib.sha256(), 0
    for line in lines:
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
        count += 1
    return count, digest.hexdigest()


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def backup(path: Path) -> dict:
    """Write a backup to ``path`` and verify it by reading it back."""
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "tables": {},
        "files": {},
    }
    tmp = path.with_suffix(path.suffix + ".partial")
    with transaction.atomic(), zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # One transaction: every table read from the same snapshot (PostgreSQL) / under one lock (SQLite).
        for model in backed_up_models():
            label = model._meta.label_lower
            digest, count = hashlib.sha256(), 0
            with archive.open(f"tables/{label}.jsonl", "w") as out:
                for line in _table_lines(model, ENCODERS[FORMAT]):
                    data = line.encode("utf-8") + b"\n"
                    out.write(data)
                    digest.update(data)
                    count += 1
            manifest["tables"][label] = {"rows": count, "sha256": digest.hexdigest()}
        root = Path(settings.MEDIA_ROOT)
        for file in _media_files():
            name = file.relative_to(root).as_posix()
            data = file.read_bytes()
            archive.writestr(f"media/{name}", data)
            manifest["files"][name] = hashlib.sha256(data).hexdigest()
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        archive.writestr(MARKER, hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest())
    verify_archive(tmp)
    tmp.replace(path)
    return manifest


def verify_archive(path: Path) -> dict:
    """The manifest, after checking the marker and every checksum in the archive."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, FileNotFoundError) as exc:
        raise BackupError(_("不是有效的备份文件:{e}").format(e=exc)) from exc
    with archive:
        names = set(archive.namelist())
        if MARKER not in names or "manifest.json" not in names:
            raise BackupError(_("备份文件不完整(缺少完成标记),可能是中断的备份。"))
        manifest = json.loads(archive.read("manifest.json"))
        seal = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()
        if archive.read(MARKER).decode() != seal or manifest.get("format") not in ENCODERS:
            raise BackupError(_("备份文件的清单与完成标记不符。"))
        for label, expected in manifest["tables"].items():
            with archive.open(f"tables/{label}.jsonl") as stream:
                lines = (raw.decode("utf-8").rstrip("\n") for raw in stream)
                count, digest = _digest_lines(lines)
            if (count, digest) != (expected["rows"], expected["sha256"]):
                raise BackupError(_("备份文件中的表{t}校验失败。").format(t=label))
        for name, expected in manifest["files"].items():
            if hashlib.sha256(archive.read(f"media/{name}")).hexdigest() != expected:
                raise BackupError(_("备份文件中的附件{f}校验失败。").format(f=name))
    return manifest


@dataclass
class TableCheck:
    label: str
    rows: int
    expected_rows: int
    matches: bool


def _database_is_empty() -> bool:
    from zhaoshang.organisation.models import Region, User
    from zhaoshang.projects.models import Project

    return not (Region.objects.exists() or User.objects.exists() or Project.objects.exists())


def restore(path: Path) -> list[TableCheck]:
    """Load a verified backup into an empty database; compare every table with the manifest."""
    manifest = verify_archive(path)
    if not _database_is_empty():
        raise BackupError(_("目标数据库不是空库:请先新建数据库并执行 zhaoshang migrate,再恢复。"))
    known = {m._meta.label_lower: m for m in backed_up_models()}
    missing = set(manifest["tables"]) - set(known)
    if missing:
        raise BackupError(_("备份中的表在当前版本中不存在:{t}").format(t="、".join(sorted(missing))))
    with zipfile.ZipFile(path) as archive, transaction.atomic():
        with connection.constraint_checks_disabled():
            for label in manifest["tables"]:
                known[label]._default_manager.all().delete()  # rows made by migrations (e.g. tags)
                with archive.open(f"tables/{label}.jsonl") as stream:
                    for raw in stream:
                        text = raw.decode("utf-8").strip()
                        if text:
                            for obj in serializers.deserialize(
                                "json", f"[{text}]", handle_forward_references=True
                            ):
                                obj.save()
        connection.check_constraints()
        _reset_sequences(known.values())
        # The triggers marked every restored record; one mark has the first read rebuild instead.
        from zhaoshang.metrics.models import RollupMark

        RollupMark.objects.all().delete()
        RollupMark.objects.create(kind="all")
        root = Path(settings.MEDIA_ROOT)
        for name in manifest["files"]:
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(f"media/{name}"))
    checks = []
    for label, expected in manifest["tables"].items():
        count, digest = _digest_lines(_table_lines(known[label], ENCODERS[manifest["format"]]))
        checks.append(
            TableCheck(
                label, count, expected["rows"], (count, digest) == (expected["rows"], expected["sha256"])
            )
        )
    return checks


def _reset_sequences(models) -> None:
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def backup_directory() -> Path:
    return Path(getattr(settings, "ZHAOSHANG_BACKUP_DIR", "") or Path(settings.VAR_DIR) / "backups")


def backup_files(directory: Path | None = None) -> list[Path]:
    """The scheduled backups in ``directory``, oldest first (their names sort by time)."""
    directory = directory or backup_directory()
    return sorted(directory.glob("zhaoshang-*.zip")) if directory.exists() else []


def backup_rotate(*, directory: Path | None = None, keep: int | None = None) -> tuple[Path, list[Path]]:
    """The nightly backup: a verified backup named by its time in ``directory``
    (ZHAOSHANG_BACKUP_DIR), then the oldest removed so that ``keep`` (ZHAOSHANG_BACKUP_KEEP) remain.
    Old backups are removed only after the new one has been verified."""
    directory = directory or backup_directory()
    keep = keep if keep is not None else int(getattr(settings, "ZHAOSHANG_BACKUP_KEEP", 14))
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"zhaoshang-{timezone.localtime():%Y%m%d-%H%M%S-%f}.zip"
    backup(path)
    files = backup_files(directory)
    removed = files[: max(len(files) - max(keep, 1), 0)]
    for old in removed:
        old.unlink()
    return path, removed
