from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "zhaoshang.assessment"
    verbose_name = _("考核评比")

    def ready(self) -> None:
        from zhaoshang.assessment.indicators import register_extra_indicators

        register_extra_indicators()
