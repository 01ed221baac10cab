"""The audit trail: a hash chain that finds an edited or deleted row, and the generic writes of
core/services.py that record before/after, refuse stale edits and delete softly."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from factories import CampaignFactory, EnterpriseFactory, LeadFactory, ProjectFactory
from zhaoshang.audit.context import Actor, reset_actor, set_actor
from zhaoshang.audit.models import AuditAction, AuditEntry
from zhaoshang.audit.services import audit_record, audit_verify
from zhaoshang.core.choices import ReviewStatus
from zhaoshang.core.services import StaleEdit, record_create, record_delete, record_update
from zhaoshang.leads.models import Lead
from zhaoshang.organisation.choices import Role
from zhaoshang.projects.models import Project
from zhaoshang.targets.models import Campaign

pytestmark = pytest.mark.django_db


def tamper(sql: str, params: list) -> None:
    """Change the audit table behind the application's back, as someone with database access could."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), params)


@pytest.fixture
def chain() -> list[AuditEntry]:
    return [
        audit_record(action=AuditAction.LOGIN, object_repr="第一条"),
        audit_record(action=AuditAction.EXPORT, object_repr="第二条", after={"金额": "1250", "行数": 3}),
        audit_record(action=AuditAction.LOGOUT, object_repr="第三条"),
    ]


@pytest.fixture
def reporter(units, make_user):
    return make_user(Role.REPORTER, unit=units.chuandian, username="chuandian")


# ------------------------------------------------------------------------------------------ chain


def test_each_row_links_to_the_one_before(chain):
    first, second, third = chain
    assert first.prev_hash == ""
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert len({e.hash for e in chain}) == 3
    assert all(len(e.hash) == 64 for e in chain)


def test_a_good_chain_verifies(chain):
    assert audit_verify() is None


def test_an_empty_chain_verifies():
    assert audit_verify() is None


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("username", "someone-else"),
        ("object_repr", "改过的"),
        ("action", AuditAction.CREATE.value),
        ("after", json.dumps({"金额": "125", "行数": 3}, ensure_ascii=False)),
    ],
)
def test_an_edited_row_is_found(chain, column, value):
    second = chain[1]
    tamper(f"UPDATE {{table}} SET {connection.ops.quote_name(column)} = %s WHERE id = %s", [value, second.id])
    assert audit_verify() == second


@pytest.mark.parametrize("index", [0, 1])
def test_a_deleted_row_is_found_at_the_row_after_it(chain, index):
    tamper("DELETE FROM {table} WHERE id = %s", [chain[index].id])
    assert audit_verify() == chain[index + 1]


def test_a_row_rewritten_with_a_fresh_hash_breaks_the_next_link(chain):
    from zhaoshang.audit.services import _digest  # the forger knows the algorithm

    second = AuditEntry.objects.get(pk=chain[1].pk)
    second.object_repr = "伪造"
    forged = _digest(second)
    tamper("UPDATE {table} SET object_repr = %s, hash = %s WHERE id = %s", ["伪造", forged, second.id])
    assert audit_verify() == chain[2]


def test_the_actor_is_recorded(reporter):
    token = set_actor(Actor(user_id=reporter.pk, username=reporter.username, address="10.12.0.8"))
    try:
        entry = audit_record(action=AuditAction.LOGIN)
    finally:
        reset_actor(token)
    entry.refresh_from_db()
    assert (entry.user_id, entry.username, entry.address) == (reporter.pk, "chuandian", "10.12.0.8")
    assert audit_verify() is None


# ------------------------------------------------------------------------------ generic services


def entries_for(obj) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(model=obj._meta.label_lower, object_id=str(obj.pk)).order_by("id"))


def test_record_create_writes_the_after_image(units, reporter):
    project = ProjectFactory.build(
        name="年产10万吨新型建材项目",
        investor=EnterpriseFactory(),
        introducing_unit=units.chuandian,
        region=units.chuandian.region,
    )
    record_create(user=reporter, instance=project, submit=True)

    project.refresh_from_db()
    assert project.created_by == reporter
    assert project.review_status == ReviewStatus.DRAFT  # a reporter drafts; the unit head submits (SPEC §4)
    [entry] = entries_for(project)
    assert entry.action == AuditAction.CREATE
    assert (entry.user_id, entry.username) == (reporter.pk, "chuandian")
    assert entry.before is None
    assert entry.after["name"] == "年产10万吨新型建材项目"
    assert entry.after["total_investment_wan"] == "10000"
    assert entry.after["introducing_unit"] == units.chuandian.pk
    assert entry.after["helper_units"] == []
    assert audit_verify() is None


def test_record_update_writes_before_and_after(reporter):
    project = ProjectFactory(name="旧名称")
    assert project.version == 1
    project.name = "新名称"
    record_update(user=reporter, instance=project, read_version=1)

    project.refresh_from_db()
    assert (project.name, project.version) == ("新名称", 2)
    [entry] = entries_for(project)
    assert entry.action == AuditAction.UPDATE
    assert (entry.before["name"], entry.after["name"]) == ("旧名称", "新名称")
    assert (entry.before["version"], entry.after["version"]) == (1, 2)
    assert {f for f, _, _ in entry.changed_fields()} == {"name", "version"}
    assert audit_verify() is None


def test_record_update_refuses_an_edit_of_a_moved_version(reporter):
    project = ProjectFactory(name="原名称")
    mine = Project.objects.get(pk=project.pk)
    theirs = Project.objects.get(pk=project.pk)

    theirs.name = "他人的修改"
    record_update(user=reporter, instance=theirs, read_version=1)

    mine.name = "我的修改"
    with pytest.raises(StaleEdit) as exc:
        record_update(user=reporter, instance=mine, read_version=1)
    assert str(exc.value) == "该记录已被他人修改,请刷新后重新编辑。"
    assert exc.value.current.version == 2

    project.refresh_from_db()
    assert (project.name, project.version) == ("他人的修改", 2)
    assert len(entries_for(project)) == 1


def test_record_delete_is_soft_where_the_model_supports_it(reporter):
    lead = LeadFactory(title="某新能源企业拟投资电池项目")
    record_delete(user=reporter, instance=lead)

    row = Lead.objects.get(pk=lead.pk)  # the row stays: it may feed a published figure
    assert row.is_deleted is True
    assert row.version == 2
    assert not Lead.objects.alive().filter(pk=lead.pk).exists()
    [entry] = entries_for(lead)
    assert entry.action == AuditAction.DELETE
    assert entry.before["title"] == "某新能源企业拟投资电池项目"
    assert entry.before["is_deleted"] is False
    assert entry.after is None
    assert audit_verify() is None


def test_record_delete_removes_a_model_without_soft_delete(reporter):
    campaign = CampaignFactory(name="百日会战")
    record_delete(user=reporter, instance=campaign)

    assert not Campaign.objects.filter(name="百日会战").exists()
    entry = AuditEntry.objects.get(action=AuditAction.DELETE)
    assert entry.model == "targets.campaign"
    assert entry.object_repr == entry.before["name"] == "百日会战"


def test_record_delete_keeps_the_id_of_a_hard_deleted_record(reporter):
    campaign = CampaignFactory()
    campaign_id = campaign.pk
    record_delete(user=reporter, instance=campaign)
    assert AuditEntry.objects.get(action=AuditAction.DELETE).object_id == str(campaign_id)


# --------------------------------------------------------------------------- zhaoshang audit verify


def run_verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_audit_verify_command_on_a_good_chain(chain):
    assert run_verify() == (0, "审计日志哈希链完整,共3条\n", "")


def test_audit_verify_command_on_an_empty_chain():
    assert run_verify() == (0, "审计日志哈希链完整,共0条\n", "")


def test_audit_verify_command_names_the_first_bad_row(chain):
    tamper("UPDATE {table} SET username = %s WHERE id = %s", ["x", chain[1].id])
    tamper("UPDATE {table} SET username = %s WHERE id = %s", ["x", chain[2].id])
    assert run_verify() == (1, "", f"审计日志第2条(编号{chain[1].id})被篡改或删除\n")


def test_audit_verify_command_finds_a_deleted_row(chain):
    tamper("DELETE FROM {table} WHERE id = %s", [chain[0].id])
    # The first row left is the one whose link is broken.
    assert run_verify() == (1, "", f"审计日志第1条(编号{chain[1].id})被篡改或删除\n")


def test_a_save_that_changes_nothing_writes_no_audit_row(reporter):
    from factories import LeadFactory
    from zhaoshang.core.services import record_update

    lead = LeadFactory(unit=reporter.unit)
    record_update(user=reporter, instance=lead, read_version=lead.version)
    assert not AuditEntry.objects.filter(action=AuditAction.UPDATE).exists()


# --------------------------------------------------------------------------- retention and purge


def _rows(n, days_ago):
    from django.utils import timezone as tz

    from zhaoshang.audit.services import audit_record

    entries = [audit_record(action=AuditAction.LOGIN, object_repr=f"row{i}") for i in range(n)]
    AuditEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
        at=tz.now() - datetime.timedelta(days=days_ago)
    )
    return entries


def _rehash_all():
    """Re-seal the chain after the test moved timestamps (the fixture's own 'tampering')."""
    from zhaoshang.audit.models import AuditChainState
    from zhaoshang.audit.services import _digest

    prev = ""
    for entry in AuditEntry.objects.order_by("id"):
        entry.prev_hash = prev
        entry.hash = _digest(entry)
        entry.save(update_fields=["prev_hash", "hash"])
        prev = entry.hash
    AuditChainState.objects.update_or_create(pk=1, defaults={"head_id": entry.pk, "head_hash": entry.hash})


def test_purge_keeps_180_days_and_the_chain_still_verifies(db):
    from django.core.exceptions import ValidationError
    from django.utils import timezone as tz

    from zhaoshang.audit.services import audit_purge, audit_verify

    old = _rows(3, days_ago=400)
    young = _rows(2, days_ago=100)
    _rehash_all()
    with pytest.raises(ValidationError, match="至少保存180天"):
        audit_purge(before=tz.localdate() - datetime.timedelta(days=100))
    assert audit_purge(before=tz.localdate() - datetime.timedelta(days=200)) == 3
    remaining = set(AuditEntry.objects.values_list("pk", flat=True))
    assert not remaining & {e.pk for e in old}
    assert {e.pk for e in young} <= remaining
    assert audit_verify() is None


def test_deleting_the_newest_rows_is_found(db):
    from zhaoshang.audit.services import ChainBroken, audit_record, audit_verify

    for i in range(3):
        audit_record(action=AuditAction.LOGIN, object_repr=f"r{i}")
    AuditEntry.objects.filter(pk=AuditEntry.objects.order_by("-id").first().pk).delete()
    with pytest.raises(ChainBroken):
        audit_verify()
    code, _out, err = run_verify()
    assert code == 1 and "被删除" in err
