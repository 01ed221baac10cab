from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadStatus(models.TextChoices):
    """The closed loop of a lead (SPEC §4): 搜集 → 筛选 → 研判 → 推送 → 跟进 → 转化 or 关闭."""

    COLLECTED = "collected", _("搜集")
    SCREENED = "screened", _("筛选")
    JUDGED = "judged", _("研判")
    PUSHED = "pushed", _("推送")
    FOLLOWING = "following", _("跟进")
    CONVERTED = "converted", _("已转化为项目")
    CLOSED = "closed", _("关闭")
