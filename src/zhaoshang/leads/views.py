from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhaoshang.core import access
from zhaoshang.core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from zhaoshang.leads import services
from zhaoshang.leads.filtersets import LeadFilterSet
from zhaoshang.leads.forms import LeadForm, LoopForm
from zhaoshang.leads.models import Lead
from zhaoshang.leads.tables import LeadTable
from zhaoshang.projects.models import Project
from zhaoshang.supervision.services import may_instruct


class LeadMixin:
    model = Lead
    url_base = "leads"

    def base_queryset(self):
        return Lead.objects.select_related("unit", "enterprise", "industry")


class LeadListView(LeadMixin, ObjectListView):
    filterset_class = LeadFilterSet
    table_class = LeadTable
    empty_hint = _("还没有招商信息。")


class LeadDetailView(LeadMixin, ObjectDetailView):
    template_name = "leads/lead_detail.html"
    detail_fields = [
        "title",
        "unit",
        "reported_on",
        "enterprise",
        "industry",
        "intended_investment_wan",
        "provided_by_leader",
        "is_valuable",
        "status",
        "assigned_unit",
        "project",
        "note",
        "escalated_at",
        "created_by",
    ]

    def extra_context(self, obj):
        return _loop_context(self, obj)


class LeadEditView(LeadMixin, ObjectEditView):
    form_class = LeadForm
    create_service = services.lead_create
    update_service = services.lead_update


class LeadDeleteView(LeadMixin, ObjectDeleteView):
    pass


def _loop_context(view, obj):
    user = view.request.user
    steps = services.lead_steps(user, obj)
    return {
        "steps": [(step, services.LOOP_LABELS[step]) for step in steps],
        "loop_form": LoopForm(user=user) if steps else None,
        # A lead becomes a project of the unit it was pushed to (or that reported it).
        "convert_projects": access.restrict(
            Project.objects.filter(introducing_unit_id__in=[obj.unit_id, obj.assigned_unit_id])
            .exclude(stage="withdrawn")
            .order_by("-id"),
            user,
        )[:300]
        if "convert" in steps
        else [],
        "assignments": access.restrict(obj.assignments.select_related("unit", "assigned_by"), user),
        "feedback": access.restrict(obj.feedback.select_related("unit", "author"), user),
        "may_instruct": may_instruct(user),
    }


@require_POST
@login_required
def lead_step(request, pk, step):
    """One step of the lead's closed loop (筛选/研判/推送/反馈/转化/关闭/提请领导协调)."""
    if step not in services.LOOP_SOURCES:
        raise Http404
    lead = access.get_restricted_or_404(LeadMixin().base_queryset(), request.user, pk)
    form = LoopForm(data=request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("请按要求填写后再提交。"))
        return redirect(lead.get_absolute_url())
    data, user = form.cleaned_data, request.user
    text = data.get("text") or ""
    try:
        if step == "screen":
            services.lead_screen(user=user, lead=lead)
        elif step == "judge":
            if data.get("valuable") is None:
                raise ValidationError(_("请选择研判结论。"))
            services.lead_judge(user=user, lead=lead, valuable=data["valuable"], opinion=text)
        elif step == "push":
            if data.get("unit") is None:
                raise ValidationError(_("请选择推送的单位。"))
            services.lead_push(
                user=user, lead=lead, unit=data["unit"], deadline=data.get("deadline"), instructions=text
            )
        elif step == "feedback":
            services.lead_feedback(user=user, lead=lead, text=text)
        elif step == "convert":
            if data.get("project") is None:
                raise ValidationError(_("请选择转化的项目。"))
            services.lead_convert(user=user, lead=lead, project=data["project"])
        elif step == "close":
            services.lead_close(user=user, lead=lead, reason=text)
        else:
            services.lead_escalate(user=user, lead=lead, reason=text)
        messages.success(request, _("已{step}。").format(step=services.LOOP_LABELS[step]))
    except ValidationError as error:
        messages.error(request, "".join(error.messages))
    return redirect(lead.get_absolute_url())
