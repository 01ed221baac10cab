"""Writes of the supervision area (STYLE: actions change state atomically and audit in the same
transaction): notifications, supervision tickets (督办单) and leaders' instructions (批示).

Tickets: the supervision office (督查) or the bureau opens one for a unit with a deadline → the owner
unit answers → the supervisor or the bureau verifies and closes it (核查销号), or sends it back; a
ticket past its deadline is flagged and listed to the leaders (逾期升级). Leaders write only 批示.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit.models import AuditAction
from zhaoshang.audit.services import audit_record, snapshot
from zhaoshang.core import access
from zhaoshang.core.services import record_update
from zhaoshang.organisation.choices import UNIT_ROLES, Role
from zhaoshang.organisation.models import Unit, User
from zhaoshang.supervision.choices import TicketStatus
from zhaoshang.supervision.models import Instruction, Notification, SupervisionTicket

# --- notifications --------------------------------------------------------------------------------


def email_enabled() -> bool:
    """The optional e-mail channel: off unless the deployment sets ``ZHAOSHANG_EMAIL_NOTIFICATIONS``."""
    return bool(getattr(settings, "ZHAOSHANG_EMAIL_NOTIFICATIONS", False))


def notify(*, users, text: str, link: str = "") -> list[Notification]:
    """Put ``text`` in each user's in-app inbox; with the e-mail channel on, also mail those who have
    an address, once the transaction commits (a rolled-back change sends nothing)."""
    recipients = {u.pk: u for u in users if u is not None and u.is_active}
    rows = Notification.objects.bulk_create(
        [Notification(user=u, text=text[:300], link=link[:200]) for u in recipients.values()]
    )
    if email_enabled():
        addresses = [u.email for u in recipients.values() if u.email]
        if addresses:
            subject = _("【{name}】{text}").format(name=settings.ZHAOSHANG["DEPLOYMENT_NAME"], text=text[:60])
            body = text + (f"\n\n{link}" if link else "")
            transaction.on_commit(
                lambda: send_mail(subject, body, None, addresses, fail_silently=True)  # one mail per event
            )
    return rows


def unit_users(unit_ids) -> models.QuerySet:
    """The staff (reporters and heads) of the given units."""
    return User.objects.filter(unit_id__in=[u for u in unit_ids if u], role__in=UNIT_ROLES, is_active=True)


def notify_unit(*, unit_id, text: str, link: str = "") -> None:
    notify(users=list(unit_users([unit_id])), text=text, link=link)


def region_users(*, roles, region) -> list[User]:
    """Users of ``roles`` whose region covers ``region`` (a city leader covers its counties)."""
    people = User.objects.filter(role__in=roles, is_active=True).select_related("region", "unit__region")
    return [u for u in people if u.scope_region is not None and region.path.startswith(u.scope_region.path)]


def notifications_mark_read(*, user, pks: list[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread ones when ``pks`` is None)."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if pks is not None:
        qs = qs.filter(pk__in=pks)
    return qs.update(read_at=timezone.now())


# --- tickets --------------------------------------------------------------------------------------


def ticket_deadline(today: datetime.date) -> datetime.date:
    """The default time a unit has to answer a ticket: ``ZHAOSHANG["TICKET_DAYS"]`` days (7)."""
    days = int(getattr(settings, "ZHAOSHANG", {}).get("TICKET_DAYS", 7))
    return today + datetime.timedelta(days=days)


def _may_open_for(user, unit: Unit) -> bool:
    if user is None:  # the daily run (command line) acts for the bureau
        return True
    if not access.can(user, access.ADD, SupervisionTicket):
        return False
    return access.unit_choices_for(user, Unit.objects.filter(pk=unit.pk)).exists()


def ticket_open(
    *,
    user,
    title: str,
    owner_unit: Unit,
    deadline: datetime.date,
    description: str = "",
    source_rule: str = "",
    source_key: str = "",
    subject: models.Model | None = None,
) -> SupervisionTicket:
    """Open a 督办单 for ``owner_unit`` and tell its staff. Supervisors and the bureau open tickets for
    the units of their region; ``user=None`` is the daily run."""
    if not _may_open_for(user, owner_unit):
        raise PermissionDenied(_("您没有权限向该单位开具督办单。"))
    with transaction.atomic():
        ticket = SupervisionTicket(
            title=title[:200],
            description=description,
            owner_unit=owner_unit,
            deadline=deadline,
            source_rule=source_rule,
            source_key=source_key[:120],
            opened_by=user if user is not None and user.pk else None,
        )
        if subject is not None:
            ticket.subject_type = ContentType.objects.get_for_model(subject)
            ticket.subject_id = subject.pk
        ticket.full_clean()
        ticket.save()
        audit_record(action=AuditAction.CREATE, obj=ticket, after=snapshot(ticket), user=user)
        notify_unit(
            unit_id=owner_unit.pk,
            text=_("您单位收到督办单:{title},请于{deadline}前办理并反馈。").format(
                title=ticket.title, deadline=f"{deadline:%Y-%m-%d}"
            ),
            link=ticket.get_absolute_url(),
        )
    return ticket


def ticket_create(*, user, form, submit: bool = False) -> SupervisionTicket:
    """A ticket opened by hand from its form (the edit view's create service)."""
    data = form.cleaned_data
    return ticket_open(
        user=user,
        title=data["title"],
        description=data.get("description", ""),
        owner_unit=data["owner_unit"],
        deadline=data["deadline"],
    )


def ticket_update(*, user, form, read_version: int | None) -> SupervisionTicket:
    if form.instance.status == TicketStatus.CLOSED:
        raise ValidationError(_("已销号的督办单不能再修改。"))
    return record_update(user=user, instance=form.instance, read_version=read_version)


def _move(ticket: SupervisionTicket, *, user, source: tuple[str, ...], changes: dict) -> SupervisionTicket:
    """One conditional UPDATE (``WHERE status IN source``) with its audit row, so that two people
    acting at once cannot both move the same ticket."""
    previous = snapshot(ticket)
    before = {k: previous.get(k) for k in changes}
    updated = SupervisionTicket.objects.filter(pk=ticket.pk, status__in=source).update(
        **changes, version=F("version") + 1
    )
    if not updated:
        raise ValidationError(_("该督办单的状态已变化,请刷新后重试。"))
    ticket.refresh_from_db()
    current = snapshot(ticket)
    after = {k: current.get(k) for k in changes}
    audit_record(action=AuditAction.UPDATE, obj=ticket, before=before, after=after, user=user)
    return ticket


def may_respond(user, ticket: SupervisionTicket) -> bool:
    """The owner unit's staff answer their own tickets."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or (user.role in UNIT_ROLES and user.unit_id == ticket.owner_unit_id)


def may_verify(user, ticket: SupervisionTicket) -> bool:
    """The supervision office and the bureau verify and close (核查销号) the tickets of their region."""
    qs = SupervisionTicket.objects.filter(pk=ticket.pk)
    return access.restrict(qs, user, access.RECOGNISE).exists()


def may_instruct(user) -> bool:
    return user is not None and user.is_authenticated and (user.is_superuser or user.role == Role.LEADER)


def ticket_respond(*, user, ticket: SupervisionTicket, response: str) -> SupervisionTicket:
    """The owner unit reports how it dealt with the ticket (办理情况)."""
    if not may_respond(user, ticket):
        raise PermissionDenied(_("只有责任单位可以反馈办理情况。"))
    if not response.strip():
        raise ValidationError(_("请填写办理情况。"))
    with transaction.atomic():
        ticket = _move(
            ticket,
            user=user,
            source=(TicketStatus.OPEN,),
            changes={
                "status": TicketStatus.RESPONDED,
                "response": response.strip(),
                "responded_at": timezone.now(),
                "responded_by": user,
            },
        )
        followers = [ticket.opened_by] if ticket.opened_by_id else []
        followers += region_users(roles=(Role.SUPERVISOR,), region=ticket.owner_unit.region)
        notify(
            users=followers,
            text=_("{unit}已反馈督办单“{title}”的办理情况,请核查。").format(
                unit=ticket.owner_unit, title=ticket.title
            ),
            link=ticket.get_absolute_url(),
        )
    return ticket


def ticket_verify(*, user, ticket: SupervisionTicket, passed: bool, note: str = "") -> SupervisionTicket:
    """核查销号: after checking the unit's answer, close the ticket; or send it back to the unit with
    the reason (退回重办)."""
    if not may_verify(user, ticket):
        raise PermissionDenied(_("只有督查人员或招商局可以核查销号。"))
    note = note.strip()
    if not passed and not note:
        raise ValidationError(_("退回重办时必须填写核查意见。"))
    with transaction.atomic():
        if passed:
            changes = {
                "status": TicketStatus.CLOSED,
                "verification": note[:500],
                "closed_at": timezone.now(),
                "closed_by": user,
            }
            text = _("督办单“{title}”已核查销号。")
        else:
            changes = {"status": TicketStatus.OPEN, "verification": note[:500]}
            text = _("督办单“{title}”核查未通过,已退回重办:{note}")
        ticket = _move(ticket, user=user, source=(TicketStatus.RESPONDED,), changes=changes)
        notify_unit(
            unit_id=ticket.owner_unit_id,
            text=text.format(title=ticket.title, note=note),
            link=ticket.get_absolute_url(),
        )
    return ticket


def tickets_escalate_overdue(*, today: datetime.date) -> list[SupervisionTicket]:
    """逾期升级: flag every ticket past its deadline and not closed, once, and tell the owner unit,
    the supervision office and the leaders of its region."""
    overdue = SupervisionTicket.objects.filter(deadline__lt=today, escalated_at__isnull=True).exclude(
        status=TicketStatus.CLOSED
    )
    escalated = []
    for ticket in overdue.select_related("owner_unit__region").order_by("pk"):
        with transaction.atomic():
            now = timezone.now()
            if not SupervisionTicket.objects.filter(pk=ticket.pk, escalated_at__isnull=True).update(
                escalated_at=now, version=F("version") + 1
            ):
                continue
            ticket.escalated_at = now
            audit_record(
                action=AuditAction.UPDATE,
                obj=ticket,
                before={"escalated_at": None},
                after={"escalated_at": now.isoformat()},
            )
            text = _("督办单“{title}”({unit})已超过办结时限{deadline},已逾期升级。").format(
                title=ticket.title, unit=ticket.owner_unit, deadline=f"{ticket.deadline:%Y-%m-%d}"
            )
            link = ticket.get_absolute_url()
            notify_unit(unit_id=ticket.owner_unit_id, text=text, link=link)
            notify(
                users=region_users(roles=(Role.LEADER, Role.SUPERVISOR), region=ticket.owner_unit.region),
                text=text,
                link=link,
            )
        escalated.append(ticket)
    return escalated


# --- instructions (批示) ---------------------------------------------------------------------------


def instruction_add(*, user, obj: models.Model, text: str) -> Instruction:
    """A leader's 批示 on a ticket, a project or a lead they may see; the record's unit is told."""
    if not may_instruct(user):
        raise PermissionDenied(_("只有领导可以作出批示。"))
    model = type(obj)
    if not access.restrict(model._default_manager.filter(pk=obj.pk), user, access.VIEW).exists():
        raise PermissionDenied(_("您没有权限对该记录作出批示。"))
    if not text.strip():
        raise ValidationError(_("请填写批示内容。"))
    with transaction.atomic():
        instruction = Instruction.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            text=text.strip(),
            author=user,
        )
        audit_record(
            action=AuditAction.CREATE,
            obj=instruction,
            after={"target": f"{obj._meta.label_lower}:{obj.pk}", "text": instruction.text},
            user=user,
            object_repr=f"{obj}:{_('批示')}",
        )
        unit_path = access.scope_of(model).unit
        unit_ids = list(model._default_manager.filter(pk=obj.pk).values_list(unit_path, flat=True))
        message = _("{leader}对“{obj}”作出批示:{text}").format(leader=user, obj=obj, text=instruction.text)
        link = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
        recipients = list(unit_users(unit_ids))
        if isinstance(obj, SupervisionTicket) and obj.opened_by_id:
            recipients.append(obj.opened_by)
        notify(users=recipients, text=message, link=link)
    return instruction


# --- from findings to tickets ---------------------------------------------------------------------


def findings_open_tickets(*, user, results, today: datetime.date) -> list[SupervisionTicket]:
    """开具督办单 for every finding that has an owner unit and no ticket yet (one ticket per finding,
    whether the earlier one is still open or already closed)."""
    keys = [f.key for r in results if r.rule.ticketable for f in r.findings if f.owner_unit is not None]
    taken = set(SupervisionTicket.objects.filter(source_key__in=keys).values_list("source_key", flat=True))
    opened = []
    for result in results:
        if not result.rule.ticketable:
            continue
        for finding in result.findings:
            if finding.owner_unit is None or finding.key in taken:
                continue
            opened.append(
                ticket_open(
                    user=user,
                    title=finding.text,
                    description=_("{rule}。口径:{definition}").format(
                        rule=result.title, definition=result.rule.definition
                    ),
                    owner_unit=finding.owner_unit,
                    deadline=ticket_deadline(today),
                    source_rule=result.rule.code,
                    source_key=finding.key,
                    subject=finding.subject,
                )
            )
            taken.add(finding.key)
    return opened


def finding_open_ticket(*, user, rule_code: str, key: str, today: datetime.date) -> SupervisionTicket:
    """Open the ticket for one finding picked on the findings page. The rule runs again in the
    user's region, so only a real finding the user may see becomes a ticket."""
    from zhaoshang.supervision.rules import RULES, run_rules

    if rule_code not in RULES or not access.can(user, access.ADD, SupervisionTicket):
        raise PermissionDenied(_("您没有权限开具督办单。"))
    region = None if user.is_superuser else user.scope_region
    if region is None and not user.is_superuser:
        raise PermissionDenied(_("您没有权限开具督办单。"))
    results = run_rules(today=today, region=region, codes=[rule_code])
    for result in results:
        for finding in result.findings:
            if finding.key == key:
                opened = findings_open_tickets(
                    user=user, results=[type(result)(result.rule, result.threshold, [finding])], today=today
                )
                if not opened:
                    raise ValidationError(_("该问题已开具督办单。"))
                return opened[0]
    raise ValidationError(_("该问题已不存在(可能已整改),无需督办。"))
