from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from zhaoshang.supervision.models import RuleSetting
from zhaoshang.supervision.rules import RULES


@admin.register(RuleSetting)
class RuleSettingAdmin(admin.ModelAdmin):
    """系统配置 › 督查规则设置: a deployment turns rules off or changes their thresholds here."""

    list_display = ("code", "rule_name", "enabled", "threshold")
    list_editable = ("enabled", "threshold")

    @admin.display(description=_("规则"))
    def rule_name(self, obj):
        rule = RULES.get(obj.code)
        return rule.title(obj.threshold) if rule else obj.code
