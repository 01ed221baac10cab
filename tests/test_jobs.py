"""Background jobs (core.jobs): the import page's check and import run in a separate worker process
(``zhaoshang db_worker``) while the page polls the progress; the schedule enqueues each job once a
day; nightly backups keep the configured number."""

import datetime
import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from test_deploy_server import _database_url
from test_exchange_support import write_xlsx
from zhaoshang.core.backup import backup_files, backup_rotate, verify_archive
from zhaoshang.core.jobs import SCHEDULE, enqueue_due
from zhaoshang.exchange.models import ImportJob
from zhaoshang.leads.models import Lead
from zhaoshang.organisation.choices import Role

REPO = Path(__file__).resolve().parents[1]
HTMX = {"HTTP_HX_REQUEST": "true"}
SHANGHAI = ZoneInfo("Asia/Shanghai")
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _run_worker(tmp_path) -> subprocess.Popen:
    """``zhaoshang db_worker --batch`` in its own process, on this test's database, media and cache:
    it runs what is queued and exits."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
        "DATABASE_URL": _database_url(),
        "ZHAOSHANG_VAR": str(tmp_path),
        "ZHAOSHANG_CACHE_DIR": django_settings.CACHES["default"]["LOCATION"],
        "ZHAOSHANG_FIELD_KEY": django_settings.FIELD_KEY,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "zhaoshang.manage",
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--interval",
            "0.1",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _poll_until_done(client, job, worker) -> tuple[str, list[tuple[int, int]]]:
    """Poll the progress as the page does (every 0.2 s here) until it answers 286 with the result;
    the result fragment and every partial count the polls showed."""
    seen = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        response = client.get(f"/exchange/jobs/{job.pk}/progress/", **HTMX)
        body = response.content.decode()
        if response.status_code == 286:
            assert response["HX-Retarget"] == "#job-result"
            worker.wait(timeout=60)
            return body, seen
        seen += [(int(a), int(b)) for a, b in re.findall(r"(\d+)/(\d+) 行", body)]
        if worker.poll() is not None and worker.returncode != 0:
            raise AssertionError(worker.stdout.read())
        time.sleep(0.2)
    worker.kill()
    raise AssertionError("the worker did not finish the job in 5 minutes")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_import_of_10k_rows_runs_in_the_worker_while_the_page_shows_progress(
    tmp_path, settings, units, region_tree, make_user, client_as
):
    settings.TASKS = DATABASE_BACKEND
    settings.MEDIA_ROOT = tmp_path / "media"
    bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)
    client = client_as(bureau)
    rows = [["信息名称", "上报单位", "上报日期", "是否有价值"]]
    rows += [[f"信息{i}", "川店镇" if i % 2 else "马山镇", "2022-03-01", "是"] for i in range(10_000)]
    path = write_xlsx(tmp_path / "leads.xlsx", rows)
    with open(path, "rb") as handle:
        client.post("/exchange/import/leads/", {"file": SimpleUploadedFile(path.name, handle.read())})
    job = ImportJob.objects.get()

    # The check is queued, not run in the request: the page shows it waiting for the worker.
    fragment = client.post(f"/exchange/jobs/{job.pk}/check/", **HTMX).content.decode()
    assert "已加入后台任务队列" in fragment and 'hx-trigger="every 1s"' in fragment
    job.refresh_from_db()
    assert job.status == "checking" and Lead.objects.count() == 0

    result, seen_check = _poll_until_done(client, job, _run_worker(tmp_path))
    assert "检查通过(未写入)招商信息:将新增10000条" in result and "确认导入" in result
    assert Lead.objects.count() == 0

    fragment = client.post(f"/exchange/jobs/{job.pk}/confirm/", **HTMX).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    result, seen_import = _poll_until_done(client, job, _run_worker(tmp_path))
    assert "已导入招商信息:新增10000条" in result
    assert Lead.objects.count() == 10_000
    job.refresh_from_db()
    assert job.status == "imported"
    # While the worker ran, the polls showed it part way (the importer reports every half second).
    partial = [(done, total) for done, total in seen_check + seen_import if 0 < done < total]
    assert partial, (seen_check, seen_import)
    assert all(total == 10_000 for _, total in partial)


@pytest.mark.django_db(transaction=True)
def test_schedule_enqueues_each_job_once_a_day_and_the_worker_runs_them(tmp_path, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_BACKEND
    settings.ZHAOSHANG_BACKUP_DIR = str(tmp_path / "backups")
    settings.MEDIA_ROOT = tmp_path / "media"
    at = {job.name: job.at for job in SCHEDULE}
    assert at == {
        "backup": datetime.time(2, 30),
        "compact": datetime.time(3, 0),
        "prune": datetime.time(3, 30),
        "supervise": datetime.time(7, 0),
        "remind": datetime.time(8, 30),
    }

    morning = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=SHANGHAI)
    # At 08:00 backup (02:30), compact (03:00), prune (03:30) and supervise (07:00) are due; remind
    # (08:30) is not.
    assert enqueue_due(now=morning) == ["backup", "supervise", "compact", "prune"]
    assert enqueue_due(now=morning + datetime.timedelta(minutes=5)) == []
    assert enqueue_due(now=morning + datetime.timedelta(hours=1)) == ["remind"]
    # The next day everything again.
    assert len(enqueue_due(now=morning + datetime.timedelta(days=1))) == 4
    # 9 scheduled jobs + 4 heartbeats, one per enqueue_due run.
    assert DBTaskResult.objects.count() == 13
    assert DBTaskResult.objects.filter(task_path__endswith="heartbeat_task").count() == 4

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    statuses = set(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == {"SUCCESSFUL"}, list(DBTaskResult.objects.values_list("task_path", "traceback"))
    backups = backup_files(tmp_path / "backups")
    assert len(backups) == 2  # two days' backup jobs
    verify_archive(backups[-1])


@pytest.mark.django_db
def test_nightly_backup_keeps_the_newest(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    made = [backup_rotate(directory=tmp_path, keep=2)[0] for _ in range(3)]
    assert backup_files(tmp_path) == made[1:]
    assert not made[0].exists()


@pytest.mark.django_db(transaction=True)
def test_a_report_started_on_the_page_is_generated_by_the_worker(settings, region_tree, make_user, client_as):
    from zhaoshang.reports.models import ReportDraft

    settings.TASKS = DATABASE_BACKEND
    bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)
    client = client_as(bureau)
    data = {"kind": "summary", "start": "2022-01", "end": "2022-07", "basis": "recognised", "fmt": "docx"}
    response = client.post("/reports/", data)
    assert response.status_code == 302 and response["Location"].startswith("/reports/jobs/")
    waiting = client.get(response["Location"])
    page = waiting.content.decode()
    assert waiting.status_code == 200 and "已加入后台任务队列" in page and 'http-equiv="refresh"' in page
    assert not ReportDraft.objects.exists()
    # Someone else's job is not theirs to follow.
    other = client_as(make_user(Role.BUREAU, region=region_tree.jingzhou))
    assert other.get(response["Location"]).status_code == 404

    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", stdout=io.StringIO())
    draft = ReportDraft.objects.get()
    assert (draft.kind, draft.period_label, draft.created_by) == ("summary", "2022年1至7月", bureau)
    done = client.get(response["Location"])
    assert done.status_code == 302 and done["Location"] == f"/reports/{draft.pk}/"

    # "Download" goes straight to the file once the draft is there.
    response = client.post("/reports/", {**data, "download": "1"})
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", stdout=io.StringIO())
    newest = ReportDraft.objects.latest("pk")
    assert client.get(response["Location"])["Location"] == f"/reports/{newest.pk}/download/docx/"
