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


# Where the loop ends: a lead converted or closed takes no more steps.
FINAL_STATUSES = (LeadStatus.CONVERTED, LeadStatus.CLOSED)


class FeedbackKind(models.TextChoices):
    """One line of a lead's follow-up record."""

    FOLLOW_UP = "follow_up", _("跟进反馈")
    ESCALATION = "escalation", _("提请领导协调")
    CONVERSION = "conversion", _("转化为项目")
    CLOSURE = "closure", _("关闭")
    JUDGEMENT = "judgement", _("研判意见")
