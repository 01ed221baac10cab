from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "zhaoshang.supervision"
    verbose_name = _("督查督办")

    def ready(self) -> None:
        from zhaoshang.supervision import signals  # noqa: F401 - connects the receivers
