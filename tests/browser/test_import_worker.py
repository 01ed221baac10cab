"""The import page with the background worker, in a browser: the check and the import run in a
separate `zhaoshang db_worker` process; the page's htmx polls show the waiting state, and the last
poll (286 with HX-Retarget) replaces it with the preview, then with the result."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from test_deploy_server import _database_url
from test_exchange_support import write_xlsx
from zhaoshang.leads.models import Lead
from zhaoshang.organisation.choices import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
        "DATABASE_URL": _database_url(),
        "ZHAOSHANG_VAR": str(tmp_path),
        "ZHAOSHANG_CACHE_DIR": django_settings.CACHES["default"]["LOCATION"],
        "ZHAOSHANG_FIELD_KEY": django_settings.FIELD_KEY,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "zhaoshang.manage", "db_worker", "--no-startup-delay", "--interval", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield process
    process.terminate()
    process.wait(timeout=30)


def test_the_page_follows_the_worker_to_the_preview_and_the_result(
    live_server, page, login, units, region_tree, make_user, tmp_path, worker
):
    make_user(Role.BUREAU, region=region_tree.jingzhou, username="bureau")
    rows = [["信息名称", "上报单位", "上报日期", "是否有价值"]]
    rows += [[f"信息{i}", "川店镇" if i % 2 else "马山镇", "2022-03-01", "是"] for i in range(2000)]
    path = write_xlsx(tmp_path / "leads.xlsx", rows)
    base = live_server.url
    login("bureau")
    page.goto(f"{base}/exchange/import/leads/")
    page.set_input_files("#id_file", str(path))
    page.click("button[type=submit]:has-text('上传并检查')")
    page.wait_for_url(f"{base}/exchange/jobs/*/")

    summary = page.locator("#job-result .alert")
    summary.wait_for(timeout=120_000)
    assert "检查通过(未写入)招商信息:将新增2000条" in summary.inner_text()
    assert not Lead.objects.exists()

    page.click("button:has-text('确认导入')")
    page.locator("#job-result .alert-success").wait_for(timeout=120_000)
    assert "已导入招商信息:新增2000条" in page.locator("#job-result .alert-success").inner_text()
    assert Lead.objects.count() == 2000
