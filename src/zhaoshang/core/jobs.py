"""Background jobs and the schedule: every job the worker runs, in one place.

Jobs are Django tasks (django-tasks, the backport of Django 6's ``django.tasks``) kept in the
application's own database by django-tasks-db: ``zhaoshang db_worker`` runs them
(deploy/systemd/zhaoshang-worker.service), on SQLite on one machine as on PostgreSQL at province
scale, with no broker server. Why this library: it is the interface Django itself adopted (moving
to Django 6 changes the import, not the jobs), its database backend needs nothing but the database
we already run, and it has an in-process backend (``ImmediateBackend``) for the test suite. It has
no scheduler; :data:`SCHEDULE` below and ``zhaoshang jobs enqueue-due`` (every five minutes from
zhaoshang-scheduler.timer) are ours, each job enqueued once a day (``ScheduledRun``'s unique key)
however many hosts run the timer.

Started from pages: ``import_job_task`` (the import page's check and import) and
``report_draft_task`` (a report generated on the reports page).

The schedule (README 部署 lists the same table):

======================  ======  ==================================================================
job                     time    what it does
======================  ======  ==================================================================
``backup``              02:30   verified backup to ZHAOSHANG_BACKUP_DIR, keeping ZHAOSHANG_BACKUP_KEEP
``supervise``           07:00   督查规则: opens 督办单 for new findings, escalates overdue ones,
                                pools possible duplicates (``zhaoshang supervise --open-tickets --pool``)
``remind``              08:30   催报 on and after each month's deadline day (``zhaoshang remind``)
``prune``               03:30   drops finished job records older than 14 days
``compact``             03:00   merges the monthly summary's appended rows (``zhaoshang rollup compact``)
``heartbeat``           every   enqueued by each ``enqueue-due`` run; ``zhaoshang health`` reads
                        run     when the worker last ran one (no heartbeat for 20 minutes: worker down)
======================  ======  ==================================================================
"""

import datetime
import io
from dataclasses import dataclass

from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

from zhaoshang.audit.context import Actor, reset_actor, set_actor


def _as(actor: Actor):
    """Jobs act for whoever started them; the audit trail says so."""
    return set_actor(actor)


@task()
def import_job_task(*, job_id: int, confirm: bool, username: str = "", address: str | None = None) -> dict:
    """Check or import a file uploaded on the import page (exchange.services.import_job_start)."""
    from zhaoshang.exchange.models import ImportJob
    from zhaoshang.exchange.services import import_job_execute

    user_id = ImportJob.objects.filter(pk=job_id).values_list("user_id", flat=True).first()
    token = _as(Actor(user_id=user_id, username=username, address=address))
    try:
        report = import_job_execute(job_id=job_id, confirm=confirm)
        if report is not None and report.committed:
            # Bring the monthly summary up to date with what came in, here rather than in the first
            # page that reads it afterwards (metrics.rollup).
            from zhaoshang.metrics import rollup

            rollup.settle()
    finally:
        reset_actor(token)
    return {"rows": report.rows, "problems": len(report.problems)} if report else {}


@task()
def report_draft_task(
    *,
    user_id: int,
    kind: str,
    region_id: int,
    basis: str,
    start: str | None,
    end: str | None,
    week: str | None,
    campaign_id: int | None,
    today: str,
    username: str = "",
    address: str | None = None,
) -> dict:
    """Generate a report draft started on the reports page (a province's takes a while):
    ``{"draft": pk}``, or ``{"errors": [...]}`` when the period or the data do not allow it."""
    from django.core.exceptions import ValidationError

    from zhaoshang.organisation.models import Region, User
    from zhaoshang.reports.services import report_draft_create
    from zhaoshang.targets.models import Campaign

    token = _as(Actor(user_id=user_id, username=username, address=address))
    try:
        draft = report_draft_create(
            user=User.objects.get(pk=user_id),
            kind=kind,
            region=Region.objects.get(pk=region_id),
            basis=basis,
            start=start,
            end=end,
            week=week,
            campaign=Campaign.objects.filter(pk=campaign_id).first() if campaign_id else None,
            today=datetime.date.fromisoformat(today),
        )
    except ValidationError as error:
        return {"errors": error.messages}
    finally:
        reset_actor(token)
    return {"draft": draft.pk}


def _command(name: str, *args: str) -> str:
    out = io.StringIO()
    token = _as(Actor(user_id=None, username=f"job:{name}", address=None))
    try:
        call_command(name, *args, stdout=out)
    finally:
        reset_actor(token)
    return out.getvalue()


@task()
def supervise_task() -> str:
    return _command("supervise", "--open-tickets", "--pool")


@task()
def remind_task() -> str:
    return _command("remind")


@task()
def backup_task() -> str:
    from zhaoshang.core.backup import backup_rotate

    path, removed = backup_rotate()
    return f"{path} (removed {len(removed)})"


@task()
def prune_task() -> str:
    return _command("prune_db_task_results", "--min-age-days", "14")


@task()
def compact_task() -> str:
    return _command("rollup", "compact")


@task()
def heartbeat_task() -> str:
    """Does nothing: its finishing time is the worker's heartbeat (core.health)."""
    return "ok"


@dataclass(frozen=True)
class Scheduled:
    name: str
    at: datetime.time  # local time (Asia/Shanghai), daily
    task: object
    label: str


SCHEDULE: list[Scheduled] = [
    Scheduled("backup", datetime.time(2, 30), backup_task, "每日备份(经校验,按保留份数清理旧备份)"),
    Scheduled("supervise", datetime.time(7, 0), supervise_task, "督查规则(开具与升级督办单、疑似重复入池)"),
    Scheduled("remind", datetime.time(8, 30), remind_task, "催报(截止日当天及以后)"),
    Scheduled("compact", datetime.time(3, 0), compact_task, "合并月度汇总追加的行"),
    Scheduled("prune", datetime.time(3, 30), prune_task, "清理14天以前的后台任务记录"),
]


def enqueue_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue each scheduled job whose time has come today and that was not enqueued today yet;
    the names enqueued. A missed time (the machine was off) is caught up at the next run that day.
    Every run also enqueues the worker's heartbeat."""
    from django.db import IntegrityError, transaction

    from zhaoshang.core.models import ScheduledRun

    now = timezone.localtime(now)
    heartbeat_task.enqueue()
    enqueued = []
    for job in SCHEDULE:
        if now.time() < job.at:
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=job.name, day=now.date())
                job.task.enqueue()
        except IntegrityError:
            continue  # another host (or an earlier run) enqueued it today
        enqueued.append(job.name)
    return enqueued
