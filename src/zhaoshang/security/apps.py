from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "zhaoshang.security"
    verbose_name = _("安全策略")

    def ready(self) -> None:
        from zhaoshang.security import checks  # noqa: F401  (registers the deployment checks)
