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
            "is_valuable",
            "status",
            "assigned_unit",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Whether a lead is valuable is the bureau's judgement (SPEC §5), not the reporting unit's.
        if self.user is not None and not self.user.is_superuser and self.user.role != Role.BUREAU:
            for name in ("is_valuable", "assigned_unit"):
                self.fields.pop(name, None)
        if "enterprise" in self.fields:
            self.fields["enterprise"].queryset = self.fields["enterprise"].queryset.filter(is_deleted=False)
