from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthState(models.TextChoices):
    """Where a month stands in the reporting cycle (SPEC §4)."""

    OPEN = "open", _("未到期")  # up to and including the deadline day
    DUE = "due", _("已逾期待关账")  # deadline passed, the bureau has not closed it
    CLOSED = "closed", _("已关账")
    UNKNOWN = "unknown", _("未知")  # the calendar lacks the deadline's year (see cycle.calendar)
