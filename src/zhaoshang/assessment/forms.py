from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.assessment.models import SCHEME_ITEM_FIELDS, Finding, Scheme, SchemeItem
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


_SMALL = {"class": "form-control form-control-sm"}
_SMALL_SELECT = {"class": "form-select form-select-sm"}


class SchemeItemForm(forms.ModelForm):
    """One item of a scheme as the bureau adjusts it: indicator, rule, 分值, 封顶系数, points, veto."""

    class Meta:
        model = SchemeItem
        fields = SCHEME_ITEM_FIELDS
        widgets = {
            "order": forms.NumberInput(attrs={**_SMALL, "style": "width:5em"}),
            "kind": forms.Select(attrs=_SMALL_SELECT),
            "indicator": forms.Select(attrs=_SMALL_SELECT),
            "label": forms.TextInput(attrs=_SMALL),
            "rule": forms.Select(attrs=_SMALL_SELECT),
            "weight": forms.NumberInput(attrs={**_SMALL, "step": "0.01", "style": "width:6em"}),
            "cap": forms.NumberInput(attrs={**_SMALL, "step": "0.01", "style": "width:5em"}),
            "step": forms.NumberInput(attrs={**_SMALL, "step": "0.01", "style": "width:5em"}),
            "points_per_item": forms.NumberInput(attrs={**_SMALL, "step": "0.01", "style": "width:5em"}),
            "veto": forms.Select(attrs=_SMALL_SELECT),
        }


SchemeItemFormSet = forms.inlineformset_factory(
    Scheme, SchemeItem, form=SchemeItemForm, extra=1, can_delete=True
)


class SchemeVersionForm(forms.Form):
    """The version of the scheme the page was read at (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class SchemeInitForm(forms.Form):
    """建立年度考核办法: the year, and optionally the earlier year to copy."""

    year = forms.IntegerField(
        label=_("年度"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=_SMALL)
    )
    from_year = forms.IntegerField(
        label=_("复制年度"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("留空则建立默认考核办法"),
        widget=forms.NumberInput(attrs=_SMALL),
    )
