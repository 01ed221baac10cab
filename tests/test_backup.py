"""A verified backup restores into an empty database with every table's count and checksum equal."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from factories import FundsRecordFactory, LeadFactory, ProjectFactory
from zhaoshang.core.backup import BackupError, backup, restore, verify_archive
from zhaoshang.core.models import Attachment
from zhaoshang.organisation.models import User
from zhaoshang.projects.models import FundsRecord, Project

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def data(units, make_user):
    from django.contrib.contenttypes.models import ContentType

    user = make_user("bureau", region=units.chuandian.region, username="stat")
    project = ProjectFactory(
        introducing_unit=units.chuandian,
        name="备份测试项目",
        stage="signed",
        signed_on=datetime.date(2022, 3, 1),
        total_investment_wan=Decimal("12345.6789"),
    )
    project.helper_units.add(units.mashan)
    FundsRecordFactory(project=project, month=datetime.date(2022, 4, 1), amount_wan=Decimal("321.0001"))
    LeadFactory(unit=units.mashan, title="备份测试信息")
    attachment = Attachment(
        content_type=ContentType.objects.get_for_model(Project),
        object_id=project.pk,
        title="合同",
        uploaded_by=user,
    )
    attachment.file.save("合同.pdf", ContentFile(b"%PDF-1.4 backup"), save=True)
    return project


def test_backup_then_restore_into_an_empty_database(data, tmp_path):
    path = tmp_path / "zhaoshang.zip"
    out = io.StringIO()
    call_command("backup", "-o", str(path), stdout=out)
    assert "备份完成并已校验" in out.getvalue()
    before = {
        "projects": Project.objects.count(),
        "funds": FundsRecord.objects.count(),
        "users": User.objects.count(),
    }

    call_command("flush", interactive=False, verbosity=0)
    (tmp_path / "media").rename(tmp_path / "media-old")
    assert not Project.objects.exists()

    out = io.StringIO()
    call_command("restore", str(path), stdout=out)
    assert "均与备份一致" in out.getvalue()
    assert {
        "projects": Project.objects.count(),
        "funds": FundsRecord.objects.count(),
        "users": User.objects.count(),
    } == before
    project = Project.objects.get(name="备份测试项目")
    assert project.total_investment_wan == Decimal("12345.6789")
    assert [u.name for u in project.helper_units.all()] == ["马山镇"]
    attachment = Attachment.objects.get()
    assert attachment.target == project
    assert attachment.file.read() == b"%PDF-1.4 backup"
    assert User.objects.get(username="stat").check_password("Zhaoshang@2022")


def test_restore_refuses_a_non_empty_database(data, tmp_path):
    path = tmp_path / "b.zip"
    backup(path)
    with pytest.raises(BackupError, match="不是空库"):
        restore(path)


def test_a_damaged_or_interrupted_backup_is_refused(data, tmp_path):
    path = tmp_path / "b.zip"
    backup(path)
    # Interrupted: no completion marker.
    cut = tmp_path / "cut.zip"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(cut, "w") as dst:
        for item in src.infolist():
            if item.filename != "COMPLETE":
                dst.writestr(item, src.read(item.filename))
    with pytest.raises(BackupError, match="不完整"):
        verify_archive(cut)
    # Tampered: one table's content changed.
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "tables/projects.project.jsonl":
                content = content.replace("备份测试项目".encode(), "被改过的项目".encode())
            dst.writestr(item, content)
    with pytest.raises(BackupError, match="校验失败"):
        verify_archive(bad)
    with pytest.raises(CommandError):
        call_command("restore", str(bad))


def test_timestamps_keep_their_microseconds(data, tmp_path):
    # 500 µs: Django's own JSON encoder writes ".000" and a restore would read a whole second.
    stamp = datetime.datetime(2022, 4, 1, 8, 30, 5, 500, tzinfo=datetime.UTC)
    other = datetime.datetime(2022, 4, 1, 8, 30, 5, 123456, tzinfo=datetime.UTC)
    Project.objects.filter(pk=data.pk).update(created_at=stamp, updated_at=other)
    path = tmp_path / "b.zip"
    backup(path)
    call_command("flush", interactive=False, verbosity=0)
    checks = restore(path)
    assert [c.label for c in checks if not c.matches] == []
    restored = Project.objects.get(name="备份测试项目")
    assert (restored.created_at, restored.updated_at) == (stamp, other)


def test_an_archive_of_the_first_format_still_restores(data, tmp_path, monkeypatch):
    """Written before timestamps kept their microseconds (Django's encoder, milliseconds): it is
    checked the way it was written, and restores with every table equal to it."""
    from zhaoshang.core import backup as backups

    Project.objects.filter(pk=data.pk).update(
        created_at=datetime.datetime(2022, 4, 1, 8, 30, 5, 123456, tzinfo=datetime.UTC)
    )
    monkeypatch.setattr(backups, "FORMAT", "zhaoshang-backup/1")
    path = tmp_path / "old.zip"
    assert backup(path)["format"] == "zhaoshang-backup/1"
    monkeypatch.undo()
    call_command("flush", interactive=False, verbosity=0)
    checks = restore(path)
    assert [c.label for c in checks if not c.matches] == []
    restored = Project.objects.get(name="备份测试项目")
    assert restored.created_at == datetime.datetime(2022, 4, 1, 8, 30, 5, 123000, tzinfo=datetime.UTC)
