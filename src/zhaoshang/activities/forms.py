from zhaoshang.activities.models import Activity
from zhaoshang.core.access import restrict
from zhaoshang.core.forms import RecordForm
from zhaoshang.projects.models import Project


class ActivityForm(RecordForm):
    unit_fields = ("unit",)

    class Meta:
        model = Activity
        fields = [
            "kind",
            "unit",
            "started_on",
            "ended_on",
            "destination",
            "out_of_province",
            "enterprises",
            "enterprise_count",
            "batches",
            "partner_units",
            "signed_projects",
            "leaders",
            "outcome",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprises"].queryset = self.fields["enterprises"].queryset.filter(is_deleted=False)
        self.fields["enterprises"].widget.attrs["size"] = 6
        self.fields["partner_units"].widget.attrs["size"] = 4
        self.fields["signed_projects"].widget.attrs["size"] = 4
        if self.user is not None:
            self.fields["signed_projects"].queryset = restrict(Project.objects.all(), self.user).order_by(
                "name"
            )

    def clean(self):
        data = super().clean()
        # 拜访企业 counts enterprises (家): default to the number linked when not typed.
        if data.get("enterprise_count") in (None, 0) and data.get("enterprises") is not None:
            data["enterprise_count"] = len(data["enterprises"])
            self.instance.enterprise_count = data["enterprise_count"]
        return data
