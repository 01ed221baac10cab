"""Writes to leads (STYLE: services own the writes, audit in the same transaction).

The closed loop of a lead (SPEC §4): 搜集 → 筛选 → 研判 → 推送 (to a unit or 专班) → 跟进 →
转化为项目 or 关闭. The bureau screens, judges and pushes (分派); the unit it was pushed to sees the
lead, reports back (反馈), converts it into a project or asks for it to be closed, and may ask a
leader to step in (提请领导协调). Each step is one conditional UPDATE (``WHERE status IN …``), so two
people acting at once cannot both move the same lead.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit.models import AuditAction
from zhaoshang.audit.services import audit_record, snapshot
from zhaoshang.core import access
from zhaoshang.core.services import record_create, record_update
from zhaoshang.leads.choices import FINAL_STATUSES, FeedbackKind, LeadStatus
from zhaoshang.leads.models import Lead, LeadAssignment, LeadFeedback
from zhaoshang.metrics import rollup
from zhaoshang.organisation.choices import UNIT_ROLES, Role
from zhaoshang.organisation.models import Unit


def lead_create(*, user, form, submit: bool = False) -> Lead:
    return record_create(user=user, instance=form.instance, submit=submit)


def lead_update(*, user, form, read_version: int | None) -> Lead:
    return record_update(user=user, instance=form.instance, read_version=read_version)


# --- who may take which step ----------------------------------------------------------------------

_ACTIVE = (LeadStatus.PUSHED, LeadStatus.FOLLOWING)
# step → the statuses it starts from
LOOP_SOURCES = {
    "screen": (LeadStatus.COLLECTED,),
    "judge": (LeadStatus.COLLECTED, LeadStatus.SCREENED),
    "push": (LeadStatus.JUDGED, LeadStatus.PUSHED, LeadStatus.FOLLOWING),
    "feedback": _ACTIVE,
    "convert": _ACTIVE,
    "escalate": _ACTIVE,
    "close": (
        LeadStatus.COLLECTED,
        LeadStatus.SCREENED,
        LeadStatus.JUDGED,
        LeadStatus.PUSHED,
        LeadStatus.FOLLOWING,
    ),
}
LOOP_LABELS = {
    "screen": _("筛选"),
    "judge": _("研判"),
    "push": _("推送"),
    "feedback": _("反馈"),
    "convert": _("转化为项目"),
    "escalate": _("提请领导协调"),
    "close": _("关闭"),
}


def _is_bureau_for(user, lead: Lead) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if not (user.is_superuser or user.role == Role.BUREAU):
        return False
    return access.restrict(Lead.objects.filter(pk=lead.pk), user, access.VIEW).exists()


def _is_assignee(user, lead: Lead, *, head_only: bool = False) -> bool:
    """The staff of the unit the lead was pushed to (for some steps only its head)."""
    if user is None or not user.is_authenticated or not lead.assigned_unit_id:
        return False
    roles = (Role.UNIT_HEAD,) if head_only else UNIT_ROLES
    return user.role in roles and user.unit_id == lead.assigned_unit_id


def lead_steps(user, lead: Lead) -> list[str]:
    """The steps ``user`` may take on ``lead`` now (the buttons on its page)."""
    steps = []
    bureau = _is_bureau_for(user, lead)
    for step, sources in LOOP_SOURCES.items():
        if lead.status not in sources:
            continue
        if step in ("screen", "judge"):
            allowed = bureau
        elif step == "push":
            allowed = bureau and lead.is_valuable is True
        elif step in ("feedback", "convert"):
            allowed = bureau or _is_assignee(user, lead)
        elif step == "escalate":
            allowed = lead.escalated_at is None and (bureau or _is_assignee(user, lead, head_only=True))
        else:  # close: the bureau at any step, the assigned unit's head once it follows the lead
            allowed = bureau or (lead.status in _ACTIVE and _is_assignee(user, lead, head_only=True))
        if allowed:
            steps.append(step)
    return steps


def _check(user, lead: Lead, step: str) -> None:
    if step not in lead_steps(user, lead):
        if not access.restrict(Lead.objects.filter(pk=lead.pk), user, access.VIEW).exists():
            raise PermissionDenied(_("记录不存在。"))
        if lead.status not in LOOP_SOURCES[step] or lead.status in FINAL_STATUSES:
            raise ValidationError(
                _("该信息当前为“{status}”,不能{step}。").format(
                    status=lead.get_status_display(), step=LOOP_LABELS[step]
                )
            )
        raise PermissionDenied(_("您没有权限对该信息执行“{step}”。").format(step=LOOP_LABELS[step]))


def _move(lead: Lead, *, user, step: str, changes: dict, **condition) -> Lead:
    """The conditional UPDATE and its audit row (before/after of the fields that moved)."""
    previous = snapshot(lead)
    updated = Lead.objects.filter(pk=lead.pk, status__in=LOOP_SOURCES[step], **condition).update(
        **changes, version=F("version") + 1
    )
    if not updated:
        raise ValidationError(_("该信息的状态已变化(可能已被他人处理),请刷新后重试。"))
    lead.refresh_from_db()
    current = snapshot(lead)
    audit_record(
        action=AuditAction.UPDATE,
        obj=lead,
        before={k: previous.get(k) for k in changes},
        after={k: current.get(k) for k in changes},
        user=user,
    )
    rollup.upkeep()  # the monthly summary's cells, in this transaction (metrics.rollup)
    return lead


def _note(*, user, lead: Lead, kind: str, text: str) -> LeadFeedback:
    current = lead.assignments.filter(is_current=True).first()
    feedback = LeadFeedback.objects.create(
        lead=lead,
        assignment=current,
        kind=kind,
        unit=user.unit if user is not None and user.unit_id else None,
        author=user if user is not None and user.pk else None,
        text=text,
    )
    audit_record(action=AuditAction.CREATE, obj=feedback, after=snapshot(feedback), user=user)
    return feedback


# --- the steps ------------------------------------------------------------------------------------


def lead_screen(*, user, lead: Lead) -> Lead:
    """筛选: the bureau takes a collected lead into consideration."""
    _check(user, lead, "screen")
    with transaction.atomic():
        return _move(lead, user=user, step="screen", changes={"status": LeadStatus.SCREENED})


def lead_judge(*, user, lead: Lead, valuable: bool, opinion: str = "") -> Lead:
    """研判: the bureau judges the lead valuable (有价值) or not; a lead of no value is closed."""
    _check(user, lead, "judge")
    with transaction.atomic():
        status = LeadStatus.JUDGED if valuable else LeadStatus.CLOSED
        lead = _move(lead, user=user, step="judge", changes={"status": status, "is_valuable": valuable})
        if opinion.strip():
            _note(user=user, lead=lead, kind=FeedbackKind.JUDGEMENT, text=opinion.strip())
    return lead


def lead_push(
    *, user, lead: Lead, unit: Unit, deadline: datetime.date | None = None, instructions: str = ""
) -> LeadAssignment:
    """推送/分派: the bureau hands a valuable lead to a unit or task force of its region, which is told
    and from then on sees the lead; pushing again moves it to another unit."""
    _check(user, lead, "push")
    if not access.unit_choices_for(user, Unit.objects.filter(pk=unit.pk, is_active=True)).exists():
        raise ValidationError(_("只能推送给本辖区的任务单位。"))
    if deadline is not None and deadline < timezone.localdate():
        raise ValidationError(_("反馈时限不能早于今天。"))
    with transaction.atomic():
        lead.assignments.filter(is_current=True).update(is_current=False)
        assignment = LeadAssignment.objects.create(
            lead=lead, unit=unit, instructions=instructions.strip(), deadline=deadline, assigned_by=user
        )
        audit_record(action=AuditAction.CREATE, obj=assignment, after=snapshot(assignment), user=user)
        lead = _move(
            lead, user=user, step="push", changes={"status": LeadStatus.PUSHED, "assigned_unit": unit}
        )
        from zhaoshang.supervision.services import notify_unit

        text = _("招商局向您单位推送招商信息“{lead}”,请跟进并反馈。").format(lead=lead)
        if deadline:
            text = _("招商局向您单位推送招商信息“{lead}”,请于{deadline}前反馈。").format(
                lead=lead, deadline=f"{deadline:%Y-%m-%d}"
            )
        notify_unit(unit_id=unit.pk, text=text, link=lead.get_absolute_url())
    return assignment


def lead_feedback(*, user, lead: Lead, text: str) -> LeadFeedback:
    """反馈/跟进: the assigned unit reports what it did; the lead is then being followed up."""
    _check(user, lead, "feedback")
    if not text.strip():
        raise ValidationError(_("请填写反馈内容。"))
    with transaction.atomic():
        if lead.status != LeadStatus.FOLLOWING:
            lead = _move(lead, user=user, step="feedback", changes={"status": LeadStatus.FOLLOWING})
        feedback = _note(user=user, lead=lead, kind=FeedbackKind.FOLLOW_UP, text=text.strip())
        if (
            feedback.assignment
            and feedback.assignment.assigned_by_id
            and feedback.assignment.assigned_by != user
        ):
            from zhaoshang.supervision.services import notify

            notify(
                users=[feedback.assignment.assigned_by],
                text=_("{unit}反馈了招商信息“{lead}”的跟进情况。").format(unit=user.unit or user, lead=lead),
                link=lead.get_absolute_url(),
            )
    return feedback


def lead_convert(*, user, lead: Lead, project) -> Lead:
    """转化: the lead became a project (one the user may see); the lead links to it."""
    _check(user, lead, "convert")
    from zhaoshang.projects.models import Project

    visible = access.restrict(Project.objects.filter(pk=project.pk), user, access.VIEW)
    if not visible.exclude(stage="withdrawn").exists():
        raise ValidationError(_("请选择本单位可见且未退库的项目。"))
    with transaction.atomic():
        lead = _move(
            lead, user=user, step="convert", changes={"status": LeadStatus.CONVERTED, "project": project}
        )
        _note(
            user=user,
            lead=lead,
            kind=FeedbackKind.CONVERSION,
            text=_("已转化为项目“{project}”。").format(project=project),
        )
    return lead


def lead_close(*, user, lead: Lead, reason: str) -> Lead:
    """关闭: the lead leads nowhere; the reason is kept on its record."""
    _check(user, lead, "close")
    if not reason.strip():
        raise ValidationError(_("关闭信息时必须填写原因。"))
    with transaction.atomic():
        lead = _move(lead, user=user, step="close", changes={"status": LeadStatus.CLOSED})
        _note(user=user, lead=lead, kind=FeedbackKind.CLOSURE, text=reason.strip())
    return lead


def lead_escalate(*, user, lead: Lead, reason: str) -> Lead:
    """提请领导协调: the bureau or the assigned unit's head asks the leaders to step in; the leaders of
    the lead's region are told and may write a 批示 on it."""
    _check(user, lead, "escalate")
    if not reason.strip():
        raise ValidationError(_("请说明需要领导协调的事项。"))
    with transaction.atomic():
        lead = _move(
            lead,
            user=user,
            step="escalate",
            changes={"escalated_at": timezone.now()},
            escalated_at__isnull=True,
        )
        _note(user=user, lead=lead, kind=FeedbackKind.ESCALATION, text=reason.strip())
        from zhaoshang.supervision.services import notify, region_users

        notify(
            users=region_users(roles=(Role.LEADER,), region=lead.unit.region),
            text=_("招商信息“{lead}”提请领导协调:{reason}").format(lead=lead, reason=reason.strip()),
            link=lead.get_absolute_url(),
        )
    return lead
