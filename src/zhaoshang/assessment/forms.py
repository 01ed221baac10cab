from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.assessment.models import Finding
from zhaoshang.assessment.periods import AssessmentPeriod, parse
from zhaoshang.core import access
from zhaoshang.core.forms import RecordForm
from zhaoshang.metrics.indicators import Basis
from zhaoshang.projects.models import Project


class RunForm(forms.Form):
    """计算考核结果: the period (YYYY-MM, YYYY-Qn, YYYY-H1/H2, YYYY) and the basis."""

    period = forms.CharField(
        label=_("考核期间"),
        max_length=10,
        help_text=_("如 2022-07(月考核)、2022-Q2(季评比)、2022-H1、2022"),
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": "2022-07"}),
    )
    basis = forms.ChoiceField(
        label=_("口径"),
        choices=Basis.choices,
        initial=Basis.RECOGNISED,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def clean_period(self) -> AssessmentPeriod:
        try:
            return parse(self.cleaned_data["period"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


class FindingForm(RecordForm):
    unit_fields = ("unit",)

    class Meta:
        model = Finding
        fields = ["unit", "kind", "project", "found_on", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None:
            self.fields["project"].queryset = access.restrict(
                Project.objects.select_related("introducing_unit"), self.user
            ).order_by("-signed_on", "name")
