from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UpwardConfig(AppConfig):
    name = "zhaoshang.upward"
    label = "upward"
    verbose_name = _("向上报送")
