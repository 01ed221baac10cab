from django import forms

from zhaoshang.core.forms import RecordForm
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.enterprises.validators import normalise_credit_code


class EnterpriseForm(RecordForm):
    class Meta:
        model = Enterprise
        fields = ["name", "credit_code", "location", "tags", "stock_code", "note"]
        widgets = {"tags": forms.CheckboxSelectMultiple}

    def clean_credit_code(self):
        return normalise_credit_code(self.cleaned_data.get("credit_code", ""))

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())
