from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketStatus(models.TextChoices):
    """A supervision ticket (督办单): opened → answered by its owner unit → verified and closed
    (核查销号) by the supervision office or the bureau; a verification that fails sends it back."""

    OPEN = "open", _("待办理")
    RESPONDED = "responded", _("已反馈")
    CLOSED = "closed", _("已销号")
