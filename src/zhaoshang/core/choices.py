from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    """Where a reported record stands in the recognition workflow (SPEC §4)."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已上报")
    RECOGNISED = "recognised", _("已认定")
    RETURNED = "returned", _("已退回")


# Statuses that count on the reported basis (上报口径): drafts and returned records excluded.
REPORTED_STATUSES = (ReviewStatus.SUBMITTED, ReviewStatus.RECOGNISED)
