from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.core import access
from zhaoshang.core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from zhaoshang.projects import services
from zhaoshang.projects.filtersets import FundsRecordFilterSet, PreReviewMeetingFilterSet, ProjectFilterSet
from zhaoshang.projects.forms import FundsRecordForm, PreReviewMeetingForm, ProjectForm
from zhaoshang.projects.models import FundsRecord, PreReviewMeeting, Project
from zhaoshang.projects.tables import FundsRecordTable, PreReviewMeetingTable, ProjectTable


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
        "city_dispatch",
        "is_major",
        "leader_in_charge",
        "lead_unit",
        "service_team",
        "chief_service_officer",
        "note",
        "created_by",
        "recognised_by",
        "recognised_at",
    ]

    def extra_context(self, obj):
        funds = access.restrict(obj.funds.all(), self.request.user).order_by("month")
        verdicts = obj.prereview_verdicts.select_related("meeting").order_by("meeting__held_on")
        return {
            "funds": funds,
            "verdicts": verdicts,
            "may_add_funds": access.can(self.request.user, access.ADD, FundsRecord),
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
