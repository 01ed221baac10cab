"""Importing from the page: upload, a check that previews what will be created and updated (every
problem listed), confirm; progress polled with htmx; one's own imports only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from test_exchange_support import write_xlsx
from zhaoshang.core.choices import ReviewStatus
from zhaoshang.exchange.models import ImportJob
from zhaoshang.leads.models import Lead
from zhaoshang.organisation.choices import Role

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, kind, path, **data):
    with open(path, "rb") as handle:
        file = SimpleUploadedFile(path.name, handle.read())
    return client.post(f"/exchange/import/{kind}/", {"file": file, **data})


def leads_file(tmp_path, *units):
    rows = [["信息名称", "上报单位", "上报日期", "是否有价值"]]
    rows += [[f"信息{i}", unit, "2022-03-01", "是"] for i, unit in enumerate(units)]
    return write_xlsx(tmp_path / "leads.xlsx", rows)


def test_bureau_uploads_checks_and_confirms(tmp_path, units, region_tree, make_user, client_as):
    bureau = make_user(Role.BUREAU, region=region_tree.jingzhou)
    client = client_as(bureau)
    assert client.get("/exchange/").status_code == 200
    assert client.get("/exchange/import/leads/").status_code == 200

    response = upload(client, "leads", leads_file(tmp_path, "川店镇", "马山镇"))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exchange/jobs/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="load"' in page and 'hx-trigger="every 1s"' in page

    fragment = client.post(f"/exchange/jobs/{job.pk}/check/", **HTMX).content.decode()
    assert "检查通过(未写入)招商信息:将新增2条" in fragment
    assert "确认导入" in fragment
    assert Lead.objects.count() == 0
    progress = client.get(f"/exchange/jobs/{job.pk}/progress/")
    assert progress.status_code == 286  # htmx: stop polling, the check is over

    fragment = client.post(f"/exchange/jobs/{job.pk}/confirm/", **HTMX).content.decode()
    assert "已导入招商信息:新增2条" in fragment
    assert Lead.objects.count() == 2
    assert set(Lead.objects.values_list("review_status", flat=True)) == {ReviewStatus.RECOGNISED}
    assert set(Lead.objects.values_list("recognised_by", flat=True)) == {bureau.pk}
    job.refresh_from_db()
    assert job.status == "imported"
    # A second confirm (a double click) imports nothing more.
    client.post(f"/exchange/jobs/{job.pk}/confirm/")
    assert Lead.objects.count() == 2


def test_bureau_may_import_as_reported(tmp_path, units, region_tree, make_user, client_as):
    client = client_as(make_user(Role.BUREAU, region=region_tree.jingzhou))
    upload(client, "leads", leads_file(tmp_path, "川店镇"), as_reported="on")
    job = ImportJob.objects.get()
    client.post(f"/exchange/jobs/{job.pk}/check/")
    client.post(f"/exchange/jobs/{job.pk}/confirm/")
    assert Lead.objects.get().review_status == ReviewStatus.SUBMITTED


def test_reporter_file_with_another_units_row_is_refused(tmp_path, units, make_user, client_as):
    reporter = make_user(Role.REPORTER, unit=units.chuandian)
    client = client_as(reporter)
    upload(client, "leads", leads_file(tmp_path, "川店镇", "马山镇"))
    job = ImportJob.objects.get()
    response = client.post(f"/exchange/jobs/{job.pk}/check/")
    assert response.status_code == 302
    page = client.get(f"/exchange/jobs/{job.pk}/").content.decode()
    assert "第3行 〈上报单位〉: 只能导入本单位(川店镇)的数据,不能导入“马山镇”的数据" in page
    assert "确认导入" not in page
    client.post(f"/exchange/jobs/{job.pk}/confirm/")  # refused: the check did not pass
    assert Lead.objects.count() == 0
    job.refresh_from_db()
    assert job.status == "failed"


def test_reporter_rows_come_in_as_drafts(tmp_path, units, make_user, client_as):
    reporter = make_user(Role.REPORTER, unit=units.chuandian)
    client = client_as(reporter)
    upload(client, "leads", leads_file(tmp_path, "川店镇"))
    job = ImportJob.objects.get()
    client.post(f"/exchange/jobs/{job.pk}/check/")
    client.post(f"/exchange/jobs/{job.pk}/confirm/")
    lead = Lead.objects.get()
    assert (lead.review_status, lead.is_valuable, lead.created_by) == (ReviewStatus.DRAFT, None, reporter)


def test_jobs_are_their_owners_only(tmp_path, units, make_user, client_as):
    owner = make_user(Role.REPORTER, unit=units.chuandian)
    upload(client_as(owner), "leads", leads_file(tmp_path, "川店镇"))
    job = ImportJob.objects.get()
    other = client_as(make_user(Role.REPORTER, unit=units.chuandian))
    assert other.get(f"/exchange/jobs/{job.pk}/").status_code == 404
    assert other.post(f"/exchange/jobs/{job.pk}/confirm/").status_code == 404
    assert other.get(f"/exchange/jobs/{job.pk}/progress/").status_code == 404


def test_who_may_import_what(tmp_path, units, make_user, client_as):
    reporter = client_as(make_user(Role.REPORTER, unit=units.chuandian))
    assert reporter.get("/exchange/import/units/").status_code == 403
    assert reporter.get("/exchange/import/targets/").status_code == 403
    assert reporter.get("/exchange/import/nothing/").status_code == 404
    sysadmin = client_as(make_user(Role.SYSADMIN))
    assert sysadmin.get("/exchange/import/projects/").status_code == 403
    assert sysadmin.get("/exchange/import/units/").status_code == 200
    leader = client_as(make_user(Role.LEADER, region=units.chuandian.region))
    assert leader.get("/exchange/import/leads/").status_code == 403


def test_upload_refuses_other_files(tmp_path, units, make_user, client_as):
    client = client_as(make_user(Role.REPORTER, unit=units.chuandian))
    path = tmp_path / "notes.txt"
    path.write_text("x")
    response = upload(client, "leads", path)
    assert response.status_code == 400
    assert "请上传 .xlsx、.xls 或 .csv 文件" in response.content.decode()
    assert not ImportJob.objects.exists()
