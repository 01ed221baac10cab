from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "zhaoshang.metrics"
    verbose_name = _("指标口径")

    def ready(self) -> None:
        from django.core.signals import request_started
        from django.db.models.signals import post_delete, post_migrate, post_save

        from zhaoshang.metrics import options

        post_migrate.connect(_ensure_triggers, sender=self)
        # The counting options are read once per request (metrics.options): forget them when a
        # request starts (another process may have changed them) and when one is saved here.
        request_started.connect(options.clear_cache, dispatch_uid="counting_options_request")
        rules = self.get_model("CountingRules")
        post_save.connect(options.clear_cache, sender=rules, dispatch_uid="counting_options_save")
        post_delete.connect(options.clear_cache, sender=rules, dispatch_uid="counting_options_delete")


def _ensure_triggers(sender, using="default", **kwargs) -> None:
    """A migration that rebuilds a table on SQLite drops its triggers: put the summary's back. Then
    bring the summary up to date now, during ``migrate``, so that after an upgrade (which may ask
    for a rebuild: minutes at province scale) no web request waits for it."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from zhaoshang.metrics import rollup

    rollup.ensure_triggers(connections[using])
    if using == DEFAULT_DB_ALIAS:
        rollup.settle()
        rollup.ensure_watermarks()
