from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhaoshang.core"
    verbose_name = _("公共")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_restore_statistics, sender=self, dispatch_uid="core_restore_statistics")


def _restore_statistics(sender, using="default", **kwargs) -> None:
    """SQLite forgets a table's planner statistics (``sqlite_stat1``) when a migration rebuilds the
    table; without them the planner guesses, and at province scale it guesses badly (the export of
    100 000 projects read them through the introducing-unit index and sorted them: 3 times slower).
    Where the database was analysed once (the statistics table exists), analyse again each table
    that has rows but lost its statistics: seconds at province scale, only after such a rebuild."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return  # never analysed: the planner's defaults, as before
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT IN (SELECT tbl FROM sqlite_stat1)"
        )
        quote = connection.ops.quote_name
        for (table,) in cursor.fetchall():
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
            if cursor.fetchone() is not None:
                cursor.execute(f"ANALYZE {quote(table)}")
