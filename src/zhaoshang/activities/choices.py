from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    TRIP = "trip", _("外出招商")
    VISIT = "visit", _("拜访企业")
    INSPECTION = "inspection", _("来访考察")
    PROMOTION = "promotion", _("招商推介会")
    ONLINE = "online", _("线上洽谈")
    SIGNING = "signing", _("集中签约")
