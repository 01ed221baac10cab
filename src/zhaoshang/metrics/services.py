"""Writes of the metrics area: the counting options (口径选项) of a year.

Saving options changes what figures count, so the same transaction asks the monthly summary to be
rebuilt (``RollupMark`` kind "all"; the next read does it) and writes the audit row.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from zhaoshang.core import access
from zhaoshang.core.services import record_create, record_update
from zhaoshang.metrics.models import CountingRules, RollupMark
from zhaoshang.organisation.selectors import home_region


def may_set_counting_rules(user) -> bool:
    """The bureau of the deployment's home region (a county bureau in a city deployment may not change
    how the whole city counts); the command line (``user`` None) acts for the bureau."""
    if user is None or user.is_superuser:
        return True
    if not access.can(user, access.CHANGE, CountingRules):
        return False
    home = home_region()
    region = user.scope_region
    return home is None or (region is not None and region.pk == home.pk)


def counting_rules_save(*, user, rules: CountingRules, read_version: int | None = None) -> CountingRules:
    """Create or change a year's counting options (validated by ``full_clean``), audited; the
    summary rebuilds at the next read. ``user`` None is the command line (acting for the bureau)."""
    if not may_set_counting_rules(user):
        raise PermissionDenied(_("只有招商局可以调整口径选项。"))
    with transaction.atomic():
        if rules.pk is None:
            record_create(user=user, instance=rules)
        else:
            record_update(user=user, instance=rules, read_version=read_version)
        RollupMark.objects.create(kind="all")
    return rules
