from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "zhaoshang.leads"
    verbose_name = _("招商信息")
