from django import forms

from zhaoshang.metrics.models import CountingRules

_SMALL = {"class": "form-control form-control-sm"}

# What the bureau sets on a year's counting options (the page and the audit list the same fields).
COUNTING_RULES_FIELDS = [
    "threshold_wan",
    "foreign_threshold_usd_wan",
    "band_edges",
    "date_basis",
    "exclude_local_investors",
    "exclude_public_infrastructure",
    "exclude_real_estate",
    "exclude_later_phases",
    "exclude_local_relocations",
    "min_project_wan",
    "min_department_project_wan",
    "landing_share",
    "first_introducer",
    "note",
]


class CountingRulesForm(forms.ModelForm):
    """口径选项 of one year; ``version`` is the row's version the page was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CountingRules
        fields = COUNTING_RULES_FIELDS
        widgets = {
            "threshold_wan": forms.NumberInput(attrs={**_SMALL, "step": "0.0001"}),
            "foreign_threshold_usd_wan": forms.NumberInput(attrs={**_SMALL, "step": "0.0001"}),
            "band_edges": forms.TextInput(attrs=_SMALL),
            "date_basis": forms.Select(attrs={"class": "form-select form-select-sm"}),
            "note": forms.TextInput(attrs=_SMALL),
            "landing_share": forms.NumberInput(attrs={**_SMALL, "step": "0.0001"}),
            "min_project_wan": forms.NumberInput(attrs={**_SMALL, "step": "0.0001"}),
            "min_department_project_wan": forms.NumberInput(attrs={**_SMALL, "step": "0.0001"}),
        }
