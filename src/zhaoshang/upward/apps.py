from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UpwardConfig(AppConfig):
    name = "zhaoshang.upward"
    label = "upward"
    verbose_name = _("向上报送")

    def ready(self) -> None:
        from zhaoshang.upward import indicators  # noqa: F401  (registers the platform indicators)
