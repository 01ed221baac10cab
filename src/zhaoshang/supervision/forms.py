from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.forms import RecordForm
from zhaoshang.supervision.models import SupervisionTicket


class TicketForm(RecordForm):
    """A ticket opened by hand (most come from the rules' findings)."""

    unit_fields = ("owner_unit",)

    class Meta:
        model = SupervisionTicket
        fields = ["title", "description", "owner_unit", "deadline"]


class RespondForm(forms.Form):
    response = forms.CharField(
        label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )


class VerifyForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("核查结论"),
        choices=[("1", _("核查通过,销号")), ("0", _("核查未通过,退回重办"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("核查意见"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class InstructionForm(forms.Form):
    text = forms.CharField(
        label=_("批示内容"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )
