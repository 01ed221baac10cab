from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CycleConfig(AppConfig):
    name = "zhaoshang.cycle"
    verbose_name = _("报送周期")
