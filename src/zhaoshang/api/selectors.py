"""Reads for the API that the access module has no model scope for: units and regions."""

from django.db import models

from zhaoshang.core import access
from zhaoshang.organisation.choices import ADMIN_ROLES
from zhaoshang.organisation.models import Region, Unit


def _no_business_data(user) -> bool:
    return not user.is_authenticated or (user.role in ADMIN_ROLES and not user.is_superuser)


def units_visible(user) -> models.QuerySet[Unit]:
    """A unit account sees its own unit; a bureau, leader or supervisor every unit in its region's
    subtree (a city bureau the units of every county)."""
    queryset = Unit.objects.select_related("region").order_by("order", "id")
    if _no_business_data(user):
        return queryset.none()
    return access.unit_choices_for(user, queryset)


def regions_visible(user) -> models.QuerySet[Region]:
    """The user's region and everything below it."""
    queryset = Region.objects.order_by("path")
    if _no_business_data(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    region = user.scope_region
    if region is None:
        return queryset.none()
    return queryset.filter(path__startswith=region.path)
