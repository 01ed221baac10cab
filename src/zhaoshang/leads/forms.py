from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.forms import RecordForm
from zhaoshang.leads.models import Lead
from zhaoshang.organisation.choices import Role


class LeadForm(RecordForm):
    unit_fields = ("unit",)

    class Meta:
        model = Lead
        fields = [
            "title",
            "unit",
            "reported_on",
            "enterprise",
            "industry",
            "intended_investment_wan",
            "provided_by_leader",
            "is_valuable",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Whether a lead is valuable is the bureau's judgement (SPEC §5), not the reporting unit's.
        # Its status and the unit it is pushed to move only through the closed loop (buttons on the
        # lead's page, ``leads.services``), never by editing the form.
        if self.user is not None and not self.user.is_superuser and self.user.role != Role.BUREAU:
            self.fields.pop("is_valuable", None)
        if "enterprise" in self.fields:
            self.fields["enterprise"].queryset = self.fields["enterprise"].queryset.filter(is_deleted=False)


class LoopForm(forms.Form):
    """The fields of the closed-loop steps, each step using the ones it needs."""

    text = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    valuable = forms.TypedChoiceField(
        label=_("研判结论"),
        choices=[("1", _("有价值")), ("0", _("无价值"))],
        coerce=lambda v: v == "1",
        required=False,
    )
    unit = forms.ModelChoiceField(label=_("推送至"), queryset=None, required=False)
    deadline = forms.DateField(
        label=_("反馈时限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    project = forms.ModelChoiceField(label=_("转化项目"), queryset=None, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from zhaoshang.core.access import restrict, unit_choices_for
        from zhaoshang.organisation.models import Unit
        from zhaoshang.projects.models import Project

        self.fields["unit"].queryset = unit_choices_for(user, Unit.objects.filter(is_active=True))
        self.fields["project"].queryset = restrict(Project.objects.exclude(stage="withdrawn"), user).order_by(
            "name"
        )
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if hasattr(field.widget, "choices")
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)
