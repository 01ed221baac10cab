"""Attachments: only on records the user may change, type and size checked, served only to viewers."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from factories import ProjectFactory
from zhaoshang.core.models import Attachment
from zhaoshang.organisation.choices import Role
from zhaoshang.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload_url(project):
    return f"/attachments/add/{ContentType.objects.get_for_model(Project).pk}/{project.pk}/"


def test_upload_and_download_a_contract_scan(units, make_user, client_as):
    project = ProjectFactory(introducing_unit=units.chuandian)
    reporter = make_user(Role.REPORTER, unit=units.chuandian)
    pdf = SimpleUploadedFile("合同.pdf", b"%PDF-1.4 contract", content_type="application/pdf")
    response = client_as(reporter).post(upload_url(project), {"file": pdf, "title": "投资合同扫描件"})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.title == "投资合同扫描件"
    download = client_as(reporter).get(f"/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 contract"
    other = make_user(Role.REPORTER, unit=units.mashan)
    assert client_as(other).get(f"/attachments/{attachment.pk}/").status_code == 404


def test_disguised_file_is_refused(units, make_user, client_as):
    project = ProjectFactory(introducing_unit=units.chuandian)
    reporter = make_user(Role.REPORTER, unit=units.chuandian)
    fake = SimpleUploadedFile("合同.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_as(reporter).post(upload_url(project), {"file": fake}, follow=True)
    assert "文件内容与扩展名不符" in response.content.decode()
    exe = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client_as(reporter).post(upload_url(project), {"file": exe}, follow=True)
    assert "不支持该文件类型" in response.content.decode()
    assert not Attachment.objects.exists()


def test_other_unit_cannot_attach(units, make_user, client_as):
    project = ProjectFactory(introducing_unit=units.chuandian)
    other = make_user(Role.REPORTER, unit=units.mashan)
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4", content_type="application/pdf")
    assert client_as(other).post(upload_url(project), {"file": pdf}).status_code == 404
    leader = make_user(Role.LEADER, region=units.chuandian.region)
    assert client_as(leader).post(upload_url(project), {"file": pdf}).status_code == 403
    assert not Attachment.objects.exists()
