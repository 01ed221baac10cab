from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    """The upper statistics platforms a bureau reports to (seed 002: 省、市招商引资统计平台)."""

    PROVINCE = "province", _("省招商引资项目管理系统")
    CITY = "city", _("市招商引资统计平台")


class PlatformStatus(models.TextChoices):
    NOT_REGISTERED = "not_registered", _("未登记")
    REGISTERED = "registered", _("已登记")
    RECOGNISED = "recognised", _("已认定")
    REFUSED = "refused", _("不予认定")


class Sheet(models.TextChoices):
    PROJECTS = "projects", _("项目")
    FUNDS = "funds", _("到位资金")
    RECOGNISED = "recognised", _("上级认定数")
