"""Supervision pages: tickets (督办单), the rules' findings, leaders' 批示, the notification inbox.

Thin views: parse, check access (``core.access``; another unit's ticket answers 404), call a service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhaoshang.core import access
from zhaoshang.core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from zhaoshang.supervision import selectors, services
from zhaoshang.supervision.choices import TicketStatus
from zhaoshang.supervision.filtersets import TicketFilterSet
from zhaoshang.supervision.forms import InstructionForm, RespondForm, TicketForm, VerifyForm
from zhaoshang.supervision.models import Notification, SupervisionTicket
from zhaoshang.supervision.rules import run_rules
from zhaoshang.supervision.tables import TicketTable


class TicketMixin:
    model = SupervisionTicket
    url_base = "tickets"

    def base_queryset(self):
        return SupervisionTicket.objects.select_related("owner_unit", "opened_by")


class TicketListView(TicketMixin, ObjectListView):
    filterset_class = TicketFilterSet
    table_class = TicketTable
    empty_hint = _("没有督办单。督办单由督查室或招商局根据督查规则发现的问题开具。")
    template_name = "supervision/ticket_list.html"


class TicketDetailView(TicketMixin, ObjectDetailView):
    template_name = "supervision/ticket_detail.html"
    detail_fields = [
        "title",
        "description",
        "owner_unit",
        "deadline",
        "status",
        "opened_by",
        "created_at",
        "response",
        "responded_by",
        "responded_at",
        "verification",
        "closed_by",
        "closed_at",
        "escalated_at",
    ]

    def extra_context(self, obj):
        user = self.request.user
        subject = obj.subject if obj.subject_type_id else None
        subject_link = ""
        if subject is not None and hasattr(subject, "get_absolute_url"):
            try:
                visible = access.restrict(type(subject)._default_manager.filter(pk=subject.pk), user).exists()
            except LookupError:
                visible = False
            subject_link = subject.get_absolute_url() if visible else ""
        return {
            "subject": subject,
            "subject_link": subject_link,
            "may_respond": obj.status == TicketStatus.OPEN and services.may_respond(user, obj),
            "may_verify": obj.status == TicketStatus.RESPONDED and services.may_verify(user, obj),
            "may_instruct": services.may_instruct(user),
            "instructions": selectors.instructions_for(obj),
            "respond_form": RespondForm(initial={"response": obj.response}),
            "verify_form": VerifyForm(),
            "instruction_form": InstructionForm(),
            "content_type_id": ContentType.objects.get_for_model(obj).pk,
            # A closed ticket is no longer edited.
            "may_change": obj.status != TicketStatus.CLOSED
            and access.restrict(SupervisionTicket.objects.filter(pk=obj.pk), user, access.CHANGE).exists(),
            "may_delete": False,
        }


class TicketEditView(TicketMixin, ObjectEditView):
    form_class = TicketForm
    create_service = services.ticket_create
    update_service = services.ticket_update

    def get_instance(self, pk):
        instance = super().get_instance(pk)
        if instance is not None and instance.status == TicketStatus.CLOSED:
            raise PermissionDenied(_("已销号的督办单不能再修改。"))
        return instance


class TicketDeleteView(TicketMixin, ObjectDeleteView):
    """Tickets are never deleted (no role has the right); kept so the addresses match every area."""


@require_POST
@login_required
def ticket_action(request, pk, action):
    """Answer (the owner unit) or verify (核查销号 / 退回重办: supervision and the bureau) a ticket."""
    ticket = access.get_restricted_or_404(TicketMixin().base_queryset(), request.user, pk)
    form = (RespondForm if action == "respond" else VerifyForm)(data=request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写完整后再提交。"))
        return redirect(ticket.get_absolute_url())
    try:
        if action == "respond":
            services.ticket_respond(user=request.user, ticket=ticket, response=form.cleaned_data["response"])
            messages.success(request, _("已反馈办理情况。"))
        else:
            data = form.cleaned_data
            services.ticket_verify(user=request.user, ticket=ticket, passed=data["passed"], note=data["note"])
            messages.success(request, _("已核查销号。") if data["passed"] else _("已退回重办。"))
    except ValidationError as error:
        messages.error(request, "".join(error.messages))
    return redirect(ticket.get_absolute_url())


@login_required
def findings(request):
    """The rules run now over the user's region; each finding can become a ticket."""
    user = request.user
    if not (user.is_superuser or user.role in access.REGION_VIEWERS):
        raise PermissionDenied(_("督查规则检查结果仅供督查室、招商局和领导查看。"))
    region = None if user.is_superuser else user.scope_region
    if region is None and not user.is_superuser:
        raise PermissionDenied(_("您的账号没有管辖区划。"))
    today = timezone.localdate()
    results = run_rules(today=today, region=region)
    keys = [f.key for r in results for f in r.findings]
    ticketed = dict(SupervisionTicket.objects.filter(source_key__in=keys).values_list("source_key", "pk"))
    sections = [(r, [(f, ticketed.get(f.key)) for f in r.findings]) for r in results]
    return render(
        request,
        "supervision/findings.html",
        {
            "sections": sections,
            "today": today,
            "ticketed": ticketed,
            "may_open": access.can(user, access.ADD, SupervisionTicket),
            "breadcrumbs": True,
        },
    )


@require_POST
@login_required
def finding_open(request):
    try:
        ticket = services.finding_open_ticket(
            user=request.user,
            rule_code=request.POST.get("rule", ""),
            key=request.POST.get("key", ""),
            today=timezone.localdate(),
        )
    except ValidationError as error:
        messages.error(request, "".join(error.messages))
        return redirect("tickets:findings")
    messages.success(request, _("已开具{ticket}。").format(ticket=ticket))
    return redirect(ticket.get_absolute_url())


# --- 批示 ------------------------------------------------------------------------------------------


@require_POST
@login_required
def instruction_add(request, content_type_id, object_id):
    """A leader's 批示 on a record they may see (404 for one they may not)."""
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type else None
    if model is None:
        raise Http404
    try:
        access.scope_of(model)
    except LookupError as exc:
        raise Http404 from exc
    obj = access.get_restricted_or_404(model._default_manager.all(), request.user, object_id)
    form = InstructionForm(data=request.POST)
    if form.is_valid():
        try:
            services.instruction_add(user=request.user, obj=obj, text=form.cleaned_data["text"])
            messages.success(request, _("已批示。"))
        except ValidationError as error:
            messages.error(request, "".join(error.messages))
    else:
        messages.error(request, _("请填写批示内容。"))
    back = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "/"
    return HttpResponseRedirect(back)


# --- notifications --------------------------------------------------------------------------------


@login_required
def notification_list(request):
    items = list(selectors.notifications_for(request.user)[:200])
    return render(request, "supervision/notifications.html", {"items": items, "breadcrumbs": True})


@login_required
def notification_badge(request):
    """The unread count for the bell (loaded by htmx after the page)."""
    return render(request, "supervision/badge.html", {"unread": selectors.unread_count(request.user)})


@login_required
def notification_open(request, pk):
    """Open one's own notification: mark it read and go to what it is about."""
    notification = Notification.objects.filter(pk=pk, user=request.user).first()
    if notification is None:
        raise Http404
    services.notifications_mark_read(user=request.user, pks=[notification.pk])
    link = notification.link
    if not link.startswith("/") or link.startswith("//"):
        link = reverse("notifications:list")
    return HttpResponseRedirect(link)


@require_POST
@login_required
def notification_read_all(request):
    services.notifications_mark_read(user=request.user)
    return redirect("notifications:list")
