"""``zhaoshang health`` (core.health): each check passes on a working deployment and fails, with the
exit code monitoring reads, when its part breaks."""

import datetime
import io
import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhaoshang.audit.models import AuditAction, AuditEntry
from zhaoshang.audit.services import audit_record
from zhaoshang.core.health import check_audit, check_backup, check_disk, check_worker, run_checks
from zhaoshang.core.jobs import enqueue_due

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def deployment(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.ZHAOSHANG_BACKUP_DIR = str(tmp_path / "backups")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path
    return tmp_path


def _health(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("health", *args, stdout=out)
    except SystemExit as exit:
        return exit.code, out.getvalue()
    return 0, out.getvalue()


def test_a_fresh_deployment_without_worker_or_backup_is_unhealthy_until_both_run(deployment):
    code, out = _health()
    assert code == 1
    assert "异常  worker" in out and "从未完成心跳任务" in out
    assert "异常  backup" in out and "没有备份" in out
    assert "正常  database" in out and "正常  audit" in out and "正常  disk" in out

    # The timer's run queues the heartbeat and (after 02:30) the backup; the worker runs them.
    enqueue_due(now=timezone.localtime().replace(hour=9, minute=0))
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", stdout=io.StringIO())
    code, out = _health()
    assert code == 0, out
    assert [c.ok for c in run_checks()] == [True] * 5


def test_worker_check_sees_a_stale_heartbeat_and_a_waiting_job(deployment):
    from django_tasks_db.models import DBTaskResult

    from zhaoshang.core.jobs import heartbeat_task

    heartbeat_task.enqueue()
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", stdout=io.StringIO())
    now = timezone.now()
    assert check_worker(now=now).ok
    # 21 minutes later without another heartbeat (the limit is 20).
    late = check_worker(now=now + datetime.timedelta(minutes=21))
    assert not late.ok and "21分钟没有心跳" in late.detail
    # A job queued 30 minutes ago and never picked up.
    result = heartbeat_task.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=now - datetime.timedelta(minutes=30))
    waiting = check_worker(now=now)
    assert not waiting.ok and "已等待30分钟" in waiting.detail and "队列中1个" in waiting.detail


def test_backup_check_sees_an_old_or_incomplete_backup(deployment):
    from zhaoshang.core.backup import backup_rotate

    path, _ = backup_rotate()
    assert check_backup().ok
    old = timezone.now() - datetime.timedelta(hours=27)
    os.utime(path, (old.timestamp(), old.timestamp()))
    stale = check_backup()
    assert not stale.ok and "27小时前" in stale.detail
    broken = path.with_name("zhaoshang-99991231-000000-000000.zip")  # the newest by name
    broken.write_bytes(path.read_bytes()[:100])
    assert not check_backup().ok


def test_audit_check_sees_a_changed_row(deployment):
    audit_record(action=AuditAction.LOGIN, object_repr="第一条")
    audit_record(action=AuditAction.LOGOUT, object_repr="第二条")
    assert check_audit().ok
    first = AuditEntry.objects.order_by("id").first()
    AuditEntry.objects.filter(pk=first.pk).update(object_repr="改过")
    changed = check_audit()
    assert not changed.ok and str(first.pk) in changed.detail
    code, out = _health("--skip", "worker", "--skip", "backup")
    assert code == 1 and "异常  audit" in out and "worker" not in out


def test_disk_check_wants_the_configured_free_space(deployment, settings):
    assert check_disk().ok
    settings.ZHAOSHANG_HEALTH_MIN_FREE_MB = 10**12  # an exabyte
    low = check_disk()
    assert not low.ok and "磁盘空间不足" in low.detail
