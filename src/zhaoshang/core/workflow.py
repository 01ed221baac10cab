"""The recognition workflow (SPEC §4): the unit reporter drafts → the unit head submits → the
bureau recognises (认定) or returns it with a reason. A recognised record is locked for the unit;
the bureau may return it for a change (退回修改), and until the change is recognised the record keeps
counting at its recognised version on the 认定 basis (``zhaoshang.core.versions``).

Each transition is one conditional UPDATE (``WHERE review_status = <expected>``) inside a
transaction with its audit row, so two people acting at once cannot both move the same record.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit.models import AuditAction
from zhaoshang.audit.services import audit_record
from zhaoshang.core import access, versions
from zhaoshang.core.choices import ReviewStatus
from zhaoshang.metrics import rollup

# transition → (statuses it starts from, status it leads to, access action, audit action)
TRANSITIONS = {
    "submit": (
        (ReviewStatus.DRAFT, ReviewStatus.RETURNED),
        ReviewStatus.SUBMITTED,
        access.SUBMIT,
        AuditAction.SUBMIT,
    ),
    "recognise": (
        (ReviewStatus.SUBMITTED,),
        ReviewStatus.RECOGNISED,
        access.RECOGNISE,
        AuditAction.RECOGNISE,
    ),
    "return": (
        (ReviewStatus.SUBMITTED, ReviewStatus.RECOGNISED),
        ReviewStatus.RETURNED,
        access.RECOGNISE,
        AuditAction.RETURN,
    ),
}


def allowed_transitions(user, obj: models.Model) -> list[str]:
    """The transitions ``user`` may apply to ``obj`` now (for the buttons on its page)."""
    if not hasattr(obj, "review_status"):
        return []
    names = []
    for name, (sources, _target, action, _audit) in TRANSITIONS.items():
        if (
            obj.review_status in sources
            and access.restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()
        ):
            names.append(name)
    return names


def record_transition(
    *, user, model: type[models.Model], pks: list[int], transition: str, reason: str = ""
) -> int:
    """Apply ``transition`` to the records ``pks`` that ``user`` may act on and that are in a state it
    starts from; returns how many moved. Records not visible to the user are ignored (never revealed)."""
    sources, target, action, audit_action = TRANSITIONS[transition]
    if transition == "return" and not reason.strip():
        raise ValidationError(_("退回时必须填写退回原因。"))
    if not access.can(user, action, model):
        raise PermissionDenied(_("您没有权限执行此操作。"))
    now = timezone.now()
    changes: dict = {"review_status": target, "version": F("version") + 1}
    if transition == "submit":
        changes["submitted_at"] = now
    elif transition == "recognise":
        changes.update(recognised_at=now, recognised_by=user, return_reason="")
        # A project keeps the day each of its events was first recognised (日期口径, issue 13).
        if hasattr(model, "recognition_updates"):
            changes.update(model.recognition_updates(timezone.localdate(now)))
    else:
        changes["return_reason"] = reason.strip()[:500]
    moved = 0
    with transaction.atomic():
        candidates = access.restrict(model._default_manager.filter(pk__in=pks), user, action)
        for obj in candidates.filter(review_status__in=sources).order_by("pk"):
            if obj.review_status == ReviewStatus.RECOGNISED:
                versions.keep(model, [obj.pk])  # returned for a change: the recognised version counts on
            updated = model._default_manager.filter(pk=obj.pk, review_status=obj.review_status).update(
                **changes
            )
            if updated:
                moved += 1
                if transition == "recognise":
                    versions.drop(model, [obj.pk])  # the change is recognised: it counts from now
                after = {"review_status": str(target)}
                if transition == "return":
                    after["return_reason"] = changes["return_reason"]
                audit_record(
                    action=audit_action,
                    obj=obj,
                    before={"review_status": obj.review_status},
                    after=after,
                    user=user,
                )
        rollup.upkeep()  # the monthly summary's cells, in this transaction (metrics.rollup)
    return moved
