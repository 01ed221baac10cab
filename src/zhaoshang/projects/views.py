from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from zhaoshang.core import access
from zhaoshang.core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    display_value,
)
from zhaoshang.projects import services
from zhaoshang.projects.choices import ComplaintStatus, DuplicateStatus, ProblemStatus
from zhaoshang.projects.filtersets import (
    ComplaintFilterSet,
    DuplicateCandidateFilterSet,
    FundsRecordFilterSet,
    PreReviewMeetingFilterSet,
    ProjectFilterSet,
    ProjectProblemFilterSet,
)
from zhaoshang.projects.forms import (
    CloseComplaintForm,
    ComplaintForm,
    FundsRecordForm,
    MeetingForm,
    PreReviewMeetingForm,
    ProblemForm,
    ProgressForm,
    ProjectForm,
    ResolveDuplicateForm,
    ResolveProblemForm,
    RespondComplaintForm,
)
from zhaoshang.projects.models import (
    Complaint,
    CoordinationMeeting,
    DuplicateCandidate,
    FundsRecord,
    PreReviewMeeting,
    Project,
    ProjectProblem,
)
from zhaoshang.projects.tables import (
    ComplaintTable,
    DuplicateCandidateTable,
    FundsRecordTable,
    PreReviewMeetingTable,
    ProjectProblemTable,
    ProjectTable,
)


class ProjectMixin:
    model = Project
    url_base = "projects"

    def base_queryset(self):
        return Project.objects.select_related("investor", "introducing_unit", "industry", "region")


class ProjectListView(ProjectMixin, ObjectListView):
    filterset_class = ProjectFilterSet
    table_class = ProjectTable
    empty_hint = _("还没有招商项目。")


class ProjectDetailView(ProjectMixin, ObjectDetailView):
    template_name = "projects/project_detail.html"
    detail_fields = [
        "investor",
        "introducing_unit",
        "helper_units",
        "region",
        "landing_unit",
        "industry",
        "chain",
        "strategic_category",
        "sector",
        "kind",
        "total_investment_wan",
        "added_investment_wan",
        "foreign_currency",
        "foreign_amount",
        "foreign_usd_wan",
        "stage",
        "negotiated_on",
        "prereview_passed_on",
        "signed_on",
        "agreed_start_on",
        "commenced_on",
        "in_production_on",
        "effective_on",
        "ended_on",
        "end_reason",
        "land_mode",
        "land_area_mu",
        "is_leading_industry",
        "is_chain",
        "is_industrial",
        "is_manufacturing",
        "is_strategic_emerging",
        "is_private",
        "is_headquarters",
        "expected_tax_wan",
        "city_dispatch",
        "is_major",
        "is_local_investor",
        "is_public_infrastructure",
        "is_real_estate",
        "is_later_phase",
        "is_local_relocation",
        "leader_in_charge",
        "negotiating_leader",
        "lead_unit",
        "service_team",
        "chief_service_officer",
        "note",
        "created_by",
        "recognised_by",
        "recognised_at",
    ]

    def extra_context(self, obj):
        from zhaoshang.projects.selectors import extreme_value_flags
        from zhaoshang.supervision.selectors import instructions_for
        from zhaoshang.supervision.services import may_instruct

        user = self.request.user
        funds = access.restrict(obj.funds.all(), user).order_by("month")
        verdicts = obj.prereview_verdicts.select_related("meeting").order_by("meeting__held_on")
        today = timezone.localdate()
        may_report = services.may_report_on(user, obj)
        return {
            "funds": funds,
            "verdicts": verdicts,
            "may_add_funds": access.can(user, access.ADD, FundsRecord),
            # 重大项目服务
            "progress": access.restrict(obj.progress_updates.select_related("reported_by"), user),
            "meetings": access.restrict(obj.coordination_meetings.all(), user),
            "problems": access.restrict(obj.problems.select_related("owner_unit", "meeting"), user),
            "complaints": access.restrict(obj.complaints.select_related("enterprise", "owner_unit"), user),
            "instructions": instructions_for(obj),
            "may_report": may_report,
            "may_meet": may_report and access.can(user, access.ADD, CoordinationMeeting),
            "may_complain": access.can(user, access.ADD, Complaint),
            "may_instruct": may_instruct(user),
            "progress_form": ProgressForm(user=user, initial={"reported_on": today}),
            "meeting_form": MeetingForm(
                user=user, initial={"held_on": today, "leader": obj.leader_in_charge}
            ),
            "problem_form": ProblemForm(user=user, project=obj, initial={"raised_on": today}),
            "complaint_form": ComplaintForm(user=user, project=obj, initial={"received_on": today}),
            # 防水分
            "flags": extreme_value_flags(projects=Project.objects.filter(pk=obj.pk), today=today),
            "open_duplicates": access.restrict(
                DuplicateCandidate.objects.filter(status=DuplicateStatus.OPEN).filter(
                    Q(project=obj) | Q(other=obj)
                ),
                user,
            ).exists()
            and user.role in access.REGION_VIEWERS,
        }


class ProjectEditView(ProjectMixin, ObjectEditView):
    form_class = ProjectForm
    template_name = "projects/project_form.html"
    create_service = services.project_create
    update_service = services.project_update


class ProjectDeleteView(ProjectMixin, ObjectDeleteView):
    pass


class FundsMixin:
    model = FundsRecord
    url_base = "funds"

    def base_queryset(self):
        return FundsRecord.objects.select_related("project", "project__introducing_unit")


class FundsListView(FundsMixin, ObjectListView):
    filterset_class = FundsRecordFilterSet
    table_class = FundsRecordTable
    empty_hint = _("还没有到位资金记录。到位资金按项目按月填报。")


class FundsDetailView(FundsMixin, ObjectDetailView):
    detail_fields = [
        "project",
        "month",
        "amount_wan",
        "outside_province_wan",
        "outside_city_wan",
        "foreign_usd_wan",
        "foreign_cash_usd_wan",
        "recognised_amount_wan",
        "created_by",
    ]


class FundsEditView(FundsMixin, ObjectEditView):
    form_class = FundsRecordForm
    create_service = services.funds_create
    update_service = services.funds_update


class FundsDeleteView(FundsMixin, ObjectDeleteView):
    pass


class PreReviewMixin:
    model = PreReviewMeeting
    url_base = "prereviews"

    def base_queryset(self):
        return PreReviewMeeting.objects.select_related("region")


class PreReviewListView(PreReviewMixin, ObjectListView):
    filterset_class = PreReviewMeetingFilterSet
    table_class = PreReviewMeetingTable
    empty_hint = _("还没有预审会记录。")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(
                judged=Count("verdicts", distinct=True),
                passed=Count("verdicts", filter=Q(verdicts__verdict="passed"), distinct=True),
            )
            .order_by("-held_on", "-id")
        )


class PreReviewDetailView(PreReviewMixin, ObjectDetailView):
    template_name = "projects/prereview_detail.html"
    detail_fields = ["title", "held_on", "region", "departments", "minutes"]

    def extra_context(self, obj):
        verdicts = access.restrict(
            obj.verdicts.select_related("project", "project__introducing_unit"), self.request.user
        )
        return {"verdicts": verdicts}


class PreReviewEditView(PreReviewMixin, ObjectEditView):
    form_class = PreReviewMeetingForm
    template_name = "projects/prereview_form.html"
    create_service = services.prereview_create
    update_service = services.prereview_update


class PreReviewDeleteView(PreReviewMixin, ObjectDeleteView):
    pass


# --- major-project service (重大项目服务): records posted from the project's page --------------------


def _errors(form) -> str:
    return ";".join(
        f"{form.fields[k].label if k in form.fields else ''}{' '.join(v)}" for k, v in form.errors.items()
    )


class ProjectRecordView(LoginRequiredMixin, View):
    """Add a progress update, a coordination meeting, a problem or a complaint from the project's
    page: the project must be visible (404 otherwise), the service checks the role."""

    form_class: type
    tab = ""

    def perform(self, project, data):
        raise NotImplementedError

    def post(self, request, pk):
        project = access.get_restricted_or_404(ProjectMixin().base_queryset(), request.user, pk)
        form = self.form_class(data=request.POST, user=request.user, project=project)
        if form.is_valid():
            try:
                data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("_")}
                saved = self.perform(project, data)
                messages.success(request, _("已保存“{obj}”。").format(obj=saved))
            except ValidationError as error:
                messages.error(request, "".join(error.messages))
        else:
            messages.error(request, _("未保存:{errors}").format(errors=_errors(form)))
        return HttpResponseRedirect(f"{project.get_absolute_url()}#tab-{self.tab}")


class _ProjectForm:
    """Adapts the sub-record forms (which do not take ``project``) to ``ProjectRecordView``."""

    def __init__(self, form_class):
        self.form_class = form_class

    def __call__(self, *, project, **kwargs):
        return self.form_class(**kwargs)


class ProgressAddView(ProjectRecordView):
    form_class = _ProjectForm(ProgressForm)
    tab = "progress"

    def perform(self, project, data):
        return services.progress_add(
            user=self.request.user, project=project, reported_on=data["reported_on"], text=data["text"]
        )


class MeetingAddView(ProjectRecordView):
    form_class = _ProjectForm(MeetingForm)
    tab = "meetings"

    def perform(self, project, data):
        return services.meeting_record(user=self.request.user, project=project, **data)


class ProblemAddView(ProjectRecordView):
    form_class = ProblemForm
    tab = "problems"

    def perform(self, project, data):
        return services.problem_raise(user=self.request.user, project=project, **data)


class ComplaintAddView(ProjectRecordView):
    form_class = ComplaintForm
    tab = "complaints"

    def perform(self, project, data):
        return services.complaint_receive(user=self.request.user, project=project, **data)


# --- problems and complaints: lists for the owner units, answers, closure ---------------------------


class ProblemMixin:
    model = ProjectProblem
    url_base = "problems"

    def base_queryset(self):
        return ProjectProblem.objects.select_related("project", "owner_unit", "meeting")


class ProblemListView(ProblemMixin, ObjectListView):
    filterset_class = ProjectProblemFilterSet
    table_class = ProjectProblemTable
    empty_hint = _("还没有项目问题。问题在项目页面或协调会上提出,交责任单位限期解决。")


class ProblemDetailView(ProblemMixin, ObjectDetailView):
    template_name = "projects/problem_detail.html"
    detail_fields = [
        "project",
        "raised_on",
        "description",
        "owner_unit",
        "deadline",
        "meeting",
        "status",
        "resolution",
        "resolved_on",
        "raised_by",
        "resolved_by",
    ]

    def extra_context(self, obj):
        may_resolve = obj.status == ProblemStatus.OPEN and services._may_answer(
            self.request.user, obj.owner_unit_id, ProjectProblem, obj.pk
        )
        return {
            "may_resolve": may_resolve,
            "resolve_form": ResolveProblemForm(initial={"resolved_on": timezone.localdate()}),
        }


class ProblemEditView(ProblemMixin, ObjectEditView):
    form_class = ProblemForm
    create_service = services.problem_create
    update_service = services.problem_update


class ProblemDeleteView(ProblemMixin, ObjectDeleteView):
    pass


def problem_resolve(request, pk):
    if request.method != "POST":
        raise Http404
    problem = access.get_restricted_or_404(ProblemMixin().base_queryset(), request.user, pk)
    form = ResolveProblemForm(data=request.POST)
    if form.is_valid():
        try:
            services.problem_resolve(user=request.user, problem=problem, **form.cleaned_data)
            messages.success(request, _("已办结该问题。"))
        except ValidationError as error:
            messages.error(request, "".join(error.messages))
    else:
        messages.error(request, _("未保存:{errors}").format(errors=_errors(form)))
    return redirect(problem.get_absolute_url())


class ComplaintMixin:
    model = Complaint
    url_base = "complaints"

    def base_queryset(self):
        return Complaint.objects.select_related("enterprise", "project", "owner_unit")


class ComplaintListView(ComplaintMixin, ObjectListView):
    filterset_class = ComplaintFilterSet
    table_class = ComplaintTable
    empty_hint = _("还没有客商投诉。件件有着落、事事有回音。")


class ComplaintDetailView(ComplaintMixin, ObjectDetailView):
    template_name = "projects/complaint_detail.html"
    detail_fields = [
        "enterprise",
        "project",
        "received_on",
        "content",
        "owner_unit",
        "deadline",
        "status",
        "response",
        "responded_on",
        "closed_on",
        "closing_note",
        "created_by",
    ]

    def extra_context(self, obj):
        user = self.request.user
        today = timezone.localdate()
        may_respond = obj.status != ComplaintStatus.CLOSED and services._may_answer(
            user, obj.owner_unit_id, Complaint, obj.pk
        )
        may_close = (
            obj.status == ComplaintStatus.RESPONDED
            and access.restrict(Complaint.objects.filter(pk=obj.pk), user, access.CHANGE).exists()
        )
        return {
            "may_respond": may_respond,
            "may_close": may_close,
            "respond_form": RespondComplaintForm(initial={"responded_on": today, "response": obj.response}),
            "close_form": CloseComplaintForm(initial={"closed_on": today}),
        }


class ComplaintEditView(ComplaintMixin, ObjectEditView):
    form_class = ComplaintForm
    create_service = services.complaint_create
    update_service = services.complaint_update


class ComplaintDeleteView(ComplaintMixin, ObjectDeleteView):
    pass


def complaint_action(request, pk, action):
    """Answer (the owner unit) or close (the bureau) a complaint."""
    if request.method != "POST" or action not in ("respond", "close"):
        raise Http404
    complaint = access.get_restricted_or_404(ComplaintMixin().base_queryset(), request.user, pk)
    form = (RespondComplaintForm if action == "respond" else CloseComplaintForm)(data=request.POST)
    if form.is_valid():
        try:
            if action == "respond":
                services.complaint_respond(user=request.user, complaint=complaint, **form.cleaned_data)
                messages.success(request, _("已答复该投诉。"))
            else:
                services.complaint_close(user=request.user, complaint=complaint, **form.cleaned_data)
                messages.success(request, _("已办结该投诉。"))
        except ValidationError as error:
            messages.error(request, "".join(error.messages))
    else:
        messages.error(request, _("未保存:{errors}").format(errors=_errors(form)))
    return redirect(complaint.get_absolute_url())


# --- 防水分: the possible-duplicate pool (the bureau's) ----------------------------------------------


class DuplicateMixin:
    model = DuplicateCandidate
    url_base = "duplicates"

    def base_queryset(self):
        return DuplicateCandidate.objects.select_related(
            "project__introducing_unit", "project__investor", "other__introducing_unit", "other__investor"
        )

    def dispatch(self, request, *args, **kwargs):
        # The pool compares two units' records: it is for the bureau, the leaders and supervision.
        user = request.user
        if user.is_authenticated and not user.is_superuser and user.role not in access.REGION_VIEWERS:
            raise PermissionDenied(_("疑似重复项目池仅供招商局核查。"))
        return super().dispatch(request, *args, **kwargs)


class DuplicateListView(DuplicateMixin, ObjectListView):
    filterset_class = DuplicateCandidateFilterSet
    table_class = DuplicateCandidateTable
    empty_hint = _("疑似重复项目池是空的。新报项目与已有项目投资方、名称、金额、区划相近时自动进入此池。")

    def get_queryset(self):
        return super().get_queryset().order_by("status", "-found_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = False  # pairs enter the pool by screening, never by hand
        return context


class DuplicateDetailView(DuplicateMixin, ObjectDetailView):
    template_name = "projects/duplicate_detail.html"
    detail_fields = ["status", "kept", "note", "found_at", "resolved_by", "resolved_at"]

    def extra_context(self, obj):
        may_resolve = (
            obj.status == DuplicateStatus.OPEN
            and access.restrict(
                DuplicateCandidate.objects.filter(pk=obj.pk), self.request.user, access.RECOGNISE
            ).exists()
        )
        rows = [
            (
                field,
                display_value(obj.other, Project._meta.get_field(field)),
                display_value(obj.project, Project._meta.get_field(field)),
            )
            for field in (
                "name",
                "investor",
                "introducing_unit",
                "region",
                "total_investment_wan",
                "stage",
                "signed_on",
                "review_status",
            )
        ]
        labels = {f: Project._meta.get_field(f).verbose_name for f, _a, _b in rows}
        return {
            "compare": [(labels[f], a, b) for f, a, b in rows],
            "may_resolve": may_resolve,
            "resolve_form": ResolveDuplicateForm(candidate=obj),
            "may_change": False,
            "may_delete": False,
        }


def duplicate_resolve(request, pk):
    if request.method != "POST":
        raise Http404
    view = DuplicateMixin()
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    candidate = access.get_restricted_or_404(view.base_queryset(), request.user, pk)
    form = ResolveDuplicateForm(data=request.POST, candidate=candidate)
    if form.is_valid():
        data = form.cleaned_data
        same = data["decision"] == "same"
        keep = None
        if same:
            keep = candidate.project if data["keep"] == candidate.project_id else candidate.other
        try:
            services.duplicate_resolve(
                user=request.user, candidate=candidate, same=same, keep=keep, note=data["note"]
            )
            messages.success(request, _("已核查:{result}。").format(result=candidate.get_status_display()))
        except ValidationError as error:
            messages.error(request, "".join(error.messages))
    else:
        messages.error(request, _("未保存:{errors}").format(errors=_errors(form)))
    return redirect(candidate.get_absolute_url())
