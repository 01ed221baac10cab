"""A committed import on SQLite leaves the write-ahead log's checkpoint to a thread of its own, so
that the user does not wait for it; the connection's automatic checkpoint comes back afterwards."""

import threading

import pytest
from django.db import connection, transaction

from test_exchange_support import write_xlsx
from zhaoshang.exchange import services
from zhaoshang.leads.models import Lead

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write-ahead log only"),
]


def _rows(n):
    return [["信息名称*", "上报单位*", "上报日期*"]] + [
        [f"招商信息{i}", "川店镇", "2022-03-01"] for i in range(n)
    ]


@pytest.fixture
def checkpoints(monkeypatch):
    """Each checkpoint run: ``(database, thread, leads its own connection sees)``; the real
    checkpoint runs after, in the same thread."""
    seen, real = [], services._checkpoint

    def spy(name):
        import sqlite3

        with sqlite3.connect(name) as db:
            (count,) = db.execute("SELECT COUNT(*) FROM leads_lead").fetchone()
        seen.append((name, threading.current_thread().name, count))
        real(name)

    monkeypatch.setattr(services, "_checkpoint", spy)
    return seen


def _join():
    for thread in threading.enumerate():
        if thread.name == "sqlite-checkpoint":
            thread.join(10)


def _autocheckpoint():
    connection.ensure_connection()
    return connection.connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0]


def test_the_checkpoint_runs_after_the_commit_in_another_thread(tmp_path, units, checkpoints):
    before = _autocheckpoint()
    assert before > 0
    report = services.import_file(user=None, kind="leads", path=write_xlsx(tmp_path / "l.xlsx", _rows(30)))
    assert report.committed and Lead.objects.count() == 30
    assert _autocheckpoint() == before
    _join()
    # The thread saw the 30 committed rows from its own connection: it ran after the commit.
    assert checkpoints == [(connection.settings_dict["NAME"], "sqlite-checkpoint", 30)]


def test_inside_a_callers_transaction_nothing_changes(tmp_path, units, checkpoints):
    with transaction.atomic():
        services.import_file(user=None, kind="leads", path=write_xlsx(tmp_path / "l.xlsx", _rows(3)))
        assert _autocheckpoint() > 0
    _join()
    assert checkpoints == []
