"""``zhaoshang health``: what monitoring asks of a running deployment, each check with its verdict.

- database: answers, and every migration of this release is applied;
- worker: a heartbeat job (core.jobs.heartbeat_task, queued by every `jobs enqueue-due` run) finished
  within ZHAOSHANG_HEALTH_WORKER_MINUTES, and no queued job has waited longer than that;
- disk: at least ZHAOSHANG_HEALTH_MIN_FREE_MB free where the data (ZHAOSHANG_VAR) and the backups live;
- audit: the audit log's hash chain is intact (audit.services.audit_verify);
- backup: the newest nightly backup is at most ZHAOSHANG_HEALTH_BACKUP_HOURS old and complete.
"""

import datetime
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _minutes(setting: str, default: int) -> int:
    return int(getattr(settings, setting, default))


def check_database() -> Check:
    from django.db.migrations.executor import MigrationExecutor

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:  # any failure to reach the database is the finding itself
        return Check("database", False, _("数据库无法访问:{e}").format(e=error))
    if pending:
        return Check("database", False, _("有{n}个迁移尚未执行(zhaoshang migrate)").format(n=len(pending)))
    return Check("database", True, _("{vendor},迁移已全部执行").format(vendor=connection.vendor))


def check_worker(*, now: datetime.datetime | None = None) -> Check:
    from django_tasks_db.models import DBTaskResult

    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db"):
        return Check("worker", True, _("后台任务在提交它的进程中运行(未使用任务队列)"))
    now = now or timezone.now()
    limit = datetime.timedelta(minutes=_minutes("ZHAOSHANG_HEALTH_WORKER_MINUTES", 20))
    beat = (
        DBTaskResult.objects.successful()
        .filter(task_path__endswith=".heartbeat_task")
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    ready = DBTaskResult.objects.ready()
    waiting = ready.count()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    failed = DBTaskResult.objects.failed().filter(finished_at__gte=now - datetime.timedelta(days=1)).count()
    queue = _("队列中{n}个,近24小时失败{f}个").format(n=waiting, f=failed)
    if oldest is not None and now - oldest > limit:
        minutes = int((now - oldest).total_seconds() // 60)
        return Check(
            "worker",
            False,
            _("有任务已等待{m}分钟未处理,后台任务进程可能未运行;{q}").format(m=minutes, q=queue),
        )
    if beat is None:
        return Check(
            "worker",
            False,
            _("后台任务进程从未完成心跳任务(zhaoshang db_worker 是否在运行?);{q}").format(q=queue),
        )
    if now - beat > limit:
        minutes = int((now - beat).total_seconds() // 60)
        return Check("worker", False, _("后台任务进程{m}分钟没有心跳;{q}").format(m=minutes, q=queue))
    return Check(
        "worker", True, _("最近心跳{t};{q}").format(t=timezone.localtime(beat).strftime("%H:%M"), q=queue)
    )


def check_disk() -> Check:
    from zhaoshang.core.backup import backup_directory

    need = int(getattr(settings, "ZHAOSHANG_HEALTH_MIN_FREE_MB", 1024))
    places = []
    for path in {Path(settings.VAR_DIR), backup_directory()}:
        existing = path
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        places.append((path, shutil.disk_usage(existing).free // (1024 * 1024)))
    low = [(p, free) for p, free in places if free < need]
    text = ";".join(_("{p} 剩余{mb}MB").format(p=p, mb=free) for p, free in sorted(places))
    if low:
        return Check("disk", False, _("磁盘空间不足(至少需要{need}MB):{t}").format(need=need, t=text))
    return Check("disk", True, text)


def check_audit() -> Check:
    from zhaoshang.audit.services import ChainBroken, audit_verify

    try:
        broken = audit_verify()
    except ChainBroken as error:
        return Check("audit", False, _("审计日志最新的记录被删除(记录头{id}不符)").format(id=error))
    if broken is not None:
        return Check("audit", False, _("审计日志第{id}条被改动或其前的记录被删除").format(id=broken.pk))
    return Check("audit", True, _("审计日志哈希链完整"))


def check_backup(*, now: datetime.datetime | None = None) -> Check:
    from zhaoshang.core.backup import MARKER, backup_directory, backup_files

    hours = _minutes("ZHAOSHANG_HEALTH_BACKUP_HOURS", 26)
    files = backup_files()
    if not files:
        return Check("backup", False, _("{d} 中没有备份").format(d=backup_directory()))
    newest = files[-1]
    now = now or timezone.now()
    made = datetime.datetime.fromtimestamp(newest.stat().st_mtime, tz=datetime.UTC)
    age = now - made
    try:
        with zipfile.ZipFile(newest) as archive:
            complete = MARKER in archive.namelist()
    except zipfile.BadZipFile:
        complete = False
    if not complete:
        return Check("backup", False, _("最新备份 {f} 不完整").format(f=newest.name))
    if age > datetime.timedelta(hours=hours):
        return Check(
            "backup",
            False,
            _("最新备份 {f} 已是{h}小时前").format(f=newest.name, h=int(age.total_seconds() // 3600)),
        )
    return Check(
        "backup", True, _("最新备份 {f}({h}小时前)").format(f=newest.name, h=int(age.total_seconds() // 3600))
    )


CHECKS: dict[str, Callable[[], Check]] = {
    "database": check_database,
    "worker": check_worker,
    "disk": check_disk,
    "audit": check_audit,
    "backup": check_backup,
}


def run_checks(*, skip: set[str] = frozenset()) -> list[Check]:
    results = [CHECKS["database"]()]
    if not results[0].ok:
        return results  # nothing else can be read
    return results + [check() for name, check in CHECKS.items() if name != "database" and name not in skip]
