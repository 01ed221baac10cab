"""SQLite forgets a table's planner statistics when a migration rebuilds the table: ``migrate``
(core's post_migrate) analyses such tables again, where the database was analysed once."""

import pytest
from django.db import connection

from zhaoshang.core.apps import _restore_statistics

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's sqlite_stat1")


def _analysed(cursor) -> set[str]:
    cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
    return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_tables_that_lost_their_statistics_are_analysed_again(units):
    from zhaoshang.organisation.models import Unit

    table = Unit._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        assert table in _analysed(cursor)
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = %s", [table])  # as a table rebuild does
        assert table not in _analysed(cursor)
        _restore_statistics(sender=None, using="default")
        assert table in _analysed(cursor)


@pytest.mark.django_db
def test_a_database_never_analysed_stays_so():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is not None:
            pytest.skip("this test database was analysed already")
        _restore_statistics(sender=None, using="default")
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone() is None
