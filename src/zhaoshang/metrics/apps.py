from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "zhaoshang.metrics"
    verbose_name = _("指标口径")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_triggers, sender=self)


def _ensure_triggers(sender, using="default", **kwargs) -> None:
    """A migration that rebuilds a table on SQLite drops its triggers: put the summary's back."""
    from django.db import connections

    from zhaoshang.metrics import rollup

    rollup.ensure_triggers(connections[using])
