from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.access import restrict
from zhaoshang.core.forms import RecordForm
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.enterprises.validators import normalise_credit_code, validate_credit_code
from zhaoshang.organisation.models import Region
from zhaoshang.projects.models import (
    Complaint,
    CoordinationMeeting,
    FundsRecord,
    PreReviewMeeting,
    PreReviewVerdict,
    Project,
    ProjectProblem,
    ProjectProgress,
)


class ProjectForm(RecordForm):
    """The investor is typed as on the Excel template (投资方 + 统一社会信用代码) and matched or
    created by the service, rather than picked from a list of thousands."""

    investor_name = forms.CharField(
        label=_("投资方"), max_length=120, widget=forms.TextInput(attrs={"list": "enterprise-names"})
    )
    investor_credit_code = forms.CharField(
        label=_("统一社会信用代码"), max_length=30, required=False, help_text=_("18位,填写后按代码匹配企业")
    )
    unit_fields = ("introducing_unit", "lead_unit")

    class Meta:
        model = Project
        fields = [
            "name",
            "investor_name",
            "investor_credit_code",
            "introducing_unit",
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
            "is_intention_agreement",
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
            "helper_units",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.investor_id:
            self.fields["investor_name"].initial = self.instance.investor.name
            self.fields["investor_credit_code"].initial = self.instance.investor.credit_code
        region = self.user.scope_region if self.user is not None else None
        regions = Region.objects.all()
        if region is not None and not self.user.is_superuser:
            regions = region.subtree()
        self.fields["region"].queryset = regions
        self.fields["region"].required = False
        self.fields["region"].help_text = _("不填则为引进单位所在区划")
        self.fields["helper_units"].widget.attrs["size"] = 4
        self.enterprise_names = list(
            Enterprise.objects.filter(is_deleted=False).order_by("name").values_list("name", flat=True)[:2000]
        )

    def clean_investor_credit_code(self):
        code = normalise_credit_code(self.cleaned_data.get("investor_credit_code", ""))
        validate_credit_code(code)
        return code

    def clean_investor_name(self):
        return " ".join(self.cleaned_data["investor_name"].split())


class FundsRecordForm(RecordForm):
    month = forms.DateField(
        label=_("月份"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )

    class Meta:
        model = FundsRecord
        fields = [
            "project",
            "month",
            "amount_wan",
            "outside_province_wan",
            "outside_city_wan",
            "foreign_usd_wan",
            "foreign_cash_usd_wan",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].widget = forms.DateInput(
            attrs={"type": "month", "class": "form-control"}, format="%Y-%m"
        )
        if self.user is not None:
            self.fields["project"].queryset = restrict(
                Project.objects.exclude(stage="withdrawn").select_related("introducing_unit"),
                self.user,
                "change",
            ).order_by("name")

    def clean_month(self):
        month = self.cleaned_data["month"]
        return month.replace(day=1)


class PreReviewMeetingForm(RecordForm):
    """The meeting and, inline, the verdict on each project it judged."""

    class Meta:
        model = PreReviewMeeting
        fields = ["title", "held_on", "region", "departments", "minutes"]

    def __init__(self, *args, data=None, **kwargs):
        super().__init__(*args, data=data, **kwargs)
        region = self.user.scope_region if self.user is not None else None
        if region is not None and not self.user.is_superuser:
            self.fields["region"].queryset = region.subtree()
            self.fields["region"].initial = region
        projects = Project.objects.none()
        if self.user is not None:
            projects = restrict(Project.objects.exclude(stage="withdrawn"), self.user, "view").order_by(
                "name"
            )
        self.verdicts = VerdictFormSet(
            data=data, instance=self.instance, prefix="verdicts", form_kwargs={"projects": projects}
        )

    def is_valid(self) -> bool:
        return super().is_valid() & self.verdicts.is_valid()

    def save_verdicts(self, meeting: PreReviewMeeting) -> None:
        self.verdicts.instance = meeting
        self.verdicts.save()


class VerdictForm(forms.ModelForm):
    class Meta:
        model = PreReviewVerdict
        fields = ["project", "verdict", "opinions"]
        widgets = {"opinions": forms.TextInput()}

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        if projects is not None:
            self.fields["project"].queryset = projects
        for name, field in self.fields.items():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm" if name != "opinions" else "form-control form-control-sm",
            )


VerdictFormSet = inlineformset_factory(
    PreReviewMeeting, PreReviewVerdict, form=VerdictForm, extra=3, can_delete=True
)


# --- major-project service (重大项目服务) --------------------------------------------------------------


def _region_units(user):
    """Units a problem or complaint may be handed to: those of the user's region (a unit reporter
    hands a problem to, say, the natural-resources bureau of its county)."""
    from zhaoshang.organisation.models import Unit

    units = Unit.objects.filter(is_active=True).select_related("region")
    if user is None or user.is_superuser:
        return units
    region = user.scope_region
    return units.filter(region__path__startswith=region.path) if region is not None else units.none()


class ProgressForm(RecordForm):
    class Meta:
        model = ProjectProgress
        fields = ["reported_on", "text"]


class MeetingForm(RecordForm):
    class Meta:
        model = CoordinationMeeting
        fields = ["held_on", "leader", "attendees", "decisions"]


class ProblemForm(RecordForm):
    """A problem raised on a project; on the project's page the project is fixed."""

    class Meta:
        model = ProjectProblem
        fields = ["project", "raised_on", "description", "owner_unit", "deadline", "meeting"]

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = _region_units(self.user)
        if project is None and self.instance.pk:
            project = self.instance.project
        if project is not None:
            self.fields.pop("project", None)
            self.fields["meeting"].queryset = project.coordination_meetings.all()
        else:
            projects = Project.objects.none()
            if self.user is not None:
                projects = restrict(Project.objects.exclude(stage="withdrawn"), self.user).order_by("name")
            self.fields["project"].queryset = projects
            self.fields["meeting"].queryset = restrict(CoordinationMeeting.objects.all(), self.user)


class ResolveProblemForm(forms.Form):
    resolution = forms.CharField(
        label=_("解决情况"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )
    resolved_on = forms.DateField(
        label=_("解决日期"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )


class ComplaintForm(RecordForm):
    class Meta:
        model = Complaint
        fields = ["enterprise", "project", "received_on", "content", "owner_unit", "deadline"]

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = _region_units(self.user)
        self.fields["enterprise"].queryset = Enterprise.objects.filter(is_deleted=False).order_by("name")
        if project is not None:
            self.fields.pop("project")
            self.fields["enterprise"].initial = project.investor_id
        else:
            projects = Project.objects.none()
            if self.user is not None:
                projects = restrict(Project.objects.exclude(stage="withdrawn"), self.user).order_by("name")
            self.fields["project"].queryset = projects
        if self.instance.pk:
            self.fields.pop("project", None)


class RespondComplaintForm(forms.Form):
    response = forms.CharField(
        label=_("答复情况"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )
    responded_on = forms.DateField(
        label=_("答复日期"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )


class CloseComplaintForm(forms.Form):
    closed_on = forms.DateField(
        label=_("办结日期"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    note = forms.CharField(
        label=_("回访意见"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class ResolveDuplicateForm(forms.Form):
    """The bureau's verdict on a pair: the same project (keep one) or different projects."""

    decision = forms.ChoiceField(
        label=_("核查结论"),
        choices=[("same", _("同一项目:保留一个,另一个退库")), ("different", _("不同项目:放行"))],
        widget=forms.RadioSelect,
    )
    keep = forms.TypedChoiceField(label=_("保留项目"), coerce=int, required=False)
    note = forms.CharField(
        label=_("核查意见"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, candidate=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidate is not None:
            self.fields["keep"].choices = [
                (p.pk, f"{p}({p.introducing_unit})") for p in (candidate.other, candidate.project)
            ]
        self.fields["keep"].widget.attrs["class"] = "form-select"

    def clean(self):
        data = super().clean()
        if data.get("decision") == "same" and not data.get("keep"):
            self.add_error("keep", _("请选择保留哪一个项目。"))
        return data
