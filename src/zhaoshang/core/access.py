"""The one permission choke point (STYLE: NetBox's ``restrict``).

Every view and every query that shows records goes through ``restrict(queryset, user, action)``.
A record outside the result is answered with 404, the same as one that does not exist.

Who sees what (SPEC §1):
- 填报员 / 单位负责人: their own unit's records only;
- 招商局统计员 / 领导 / 督查: every record in their region's subtree (a county bureau its county, a
  city bureau every county in it); leaders and supervision read only;
- the three administrator roles: no business data at all (等保 2.0 separation of duties).
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from zhaoshang.core.choices import ReviewStatus
from zhaoshang.organisation.choices import Role

VIEW, ADD, CHANGE, DELETE, SUBMIT, RECOGNISE = "view", "add", "change", "delete", "submit", "recognise"


@dataclass(frozen=True)
class Scope:
    """How a model's rows belong to a unit and to a region (lookup paths)."""

    unit: str | None
    region: str | None
    # Extra unit paths that may *view* the record (e.g. partner units of a joint activity).
    also_viewed_by: tuple[str, ...] = ()
    # Roles allowed each write action; reporters never delete, unit heads do.
    writers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Whether the record is locked once recognised (unit roles may then not change it).
    locks_when_recognised: bool = True
    # The unit path crosses a to-many relation: filter through a subquery so rows are not repeated.
    unit_path_is_multi: bool = False


_DEFAULT_WRITERS = {
    ADD: (Role.REPORTER, Role.UNIT_HEAD, Role.BUREAU),
    CHANGE: (Role.REPORTER, Role.UNIT_HEAD, Role.BUREAU),
    DELETE: (Role.UNIT_HEAD, Role.BUREAU),
    # The unit head submits the unit's records (a reporter only drafts); the bureau recognises.
    SUBMIT: (Role.UNIT_HEAD, Role.BUREAU),
    RECOGNISE: (Role.BUREAU,),
}
BUREAU_ONLY = {
    ADD: (Role.BUREAU,),
    CHANGE: (Role.BUREAU,),
    DELETE: (Role.BUREAU,),
    SUBMIT: (Role.BUREAU,),
    RECOGNISE: (Role.BUREAU,),
}
VIEW_ROLES = (Role.REPORTER, Role.UNIT_HEAD, Role.BUREAU, Role.LEADER, Role.SUPERVISOR)
REGION_VIEWERS = (Role.BUREAU, Role.LEADER, Role.SUPERVISOR)

_SCOPES: dict[type[models.Model], Scope] = {}


def register_scope(model: type[models.Model], scope: Scope) -> None:
    _SCOPES[model] = scope


def scope_of(model: type[models.Model]) -> Scope:
    try:
        return _SCOPES[model]
    except KeyError as exc:  # a model with no declared scope is a programming error, never "all"
        raise LookupError(f"{model.__name__} has no access scope registered") from exc


def roles_for(model: type[models.Model], action: str) -> tuple[str, ...]:
    if action == VIEW:
        return VIEW_ROLES
    scope = scope_of(model)
    return (scope.writers or _DEFAULT_WRITERS).get(action, ())


def restrict(queryset: models.QuerySet, user, action: str = VIEW) -> models.QuerySet:
    """The rows of ``queryset`` that ``user`` may perform ``action`` on."""
    model = queryset.model
    scope = scope_of(model)
    if not user or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if user.role not in roles_for(model, action):
        return queryset.none()
    if hasattr(model, "is_deleted"):
        queryset = queryset.filter(is_deleted=False)
    if scope.unit is None and scope.region is None:
        return queryset  # shared master data (enterprises, campaigns)
    if user.role in REGION_VIEWERS:
        region = user.scope_region
        if region is None or scope.region is None:
            return queryset.none()
        return queryset.filter(**{f"{scope.region}__path__startswith": region.path})
    # Unit roles.
    if scope.unit is None:
        # Region-level data with no unit (e.g. region targets): units see their own region's.
        region = user.scope_region
        if region is None:
            return queryset.none()
        return queryset.filter(**{f"{scope.region}__path__startswith": region.path})
    if not user.unit_id:
        return queryset.none()
    condition = Q(**{scope.unit: user.unit_id})
    if scope.unit_path_is_multi:
        condition = Q(pk__in=model._default_manager.filter(condition).values("pk"))
    if action == VIEW:
        for path in scope.also_viewed_by:
            ids = model._default_manager.filter(**{path: user.unit_id}).values("pk")
            condition |= Q(pk__in=ids)
    elif (
        scope.locks_when_recognised and action in (CHANGE, DELETE, SUBMIT) and hasattr(model, "review_status")
    ):
        # A recognised record is locked for the unit; a change has to be reopened by the bureau.
        condition &= ~Q(review_status=ReviewStatus.RECOGNISED)
    return queryset.filter(condition)


def can(user, action: str, model: type[models.Model]) -> bool:
    """Whether ``user`` may perform ``action`` on some record of ``model`` at all (menus, buttons)."""
    if not user or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.role in roles_for(model, action)


def get_restricted_or_404(queryset: models.QuerySet, user, pk, action: str = VIEW):
    """The record if ``user`` may see it; 404 if it does not exist *or* is not theirs; 403 if the user
    may see it but not perform ``action`` on it."""
    from django.http import Http404

    visible = restrict(queryset, user, VIEW)
    try:
        obj = visible.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("记录不存在。")) from exc
    if action != VIEW and not restrict(queryset, user, action).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("您没有权限对该记录执行此操作。"))
    return obj


def unit_choices_for(user, queryset: models.QuerySet) -> models.QuerySet:
    """The units ``user`` may report for (form drop-downs)."""
    if user.is_superuser:
        return queryset
    if user.role in (Role.REPORTER, Role.UNIT_HEAD):
        return queryset.filter(pk=user.unit_id)
    region = user.scope_region
    if region is None:
        return queryset.none()
    return queryset.filter(region__path__startswith=region.path)
