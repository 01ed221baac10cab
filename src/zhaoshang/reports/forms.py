import re

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.metrics.indicators import Basis
from zhaoshang.organisation.models import Region
from zhaoshang.reports.choices import ExportFormat, ReportKind
from zhaoshang.reports.models import ReportDraft
from zhaoshang.targets.models import Campaign

_MONTH = re.compile(r"^\d{4}-\d{2}$")
_WEEK = re.compile(r"^\d{4}-W\d{2}$")


class ReportForm(forms.Form):
    """What the reports page asks: kind, period (months, a week or a campaign), basis, format."""

    kind = forms.ChoiceField(label=_("报告类型"), choices=ReportKind.choices)
    start = forms.CharField(
        label=_("起始月份"), required=False, widget=forms.TextInput(attrs={"type": "month"})
    )
    end = forms.CharField(
        label=_("截止月份"), required=False, widget=forms.TextInput(attrs={"type": "month"})
    )
    week = forms.CharField(
        label=_("周次(周报)"), required=False, widget=forms.TextInput(attrs={"type": "week"})
    )
    campaign = forms.ModelChoiceField(
        label=_("专项行动"),
        queryset=Campaign.objects.all(),
        required=False,
        empty_label=_("(专项行动总结时选择)"),
    )
    basis = forms.ChoiceField(label=_("口径"), choices=Basis.choices, initial=Basis.RECOGNISED)
    fmt = forms.ChoiceField(label=_("下载格式"), choices=ExportFormat.choices, initial=ExportFormat.DOCX)
    region = forms.ModelChoiceField(label=_("区划"), queryset=Region.objects.all(), required=False)

    def __init__(self, *args, show_region: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_region:
            del self.fields["region"]
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)

    def clean_start(self):
        return self._month("start")

    def clean_end(self):
        return self._month("end")

    def _month(self, name):
        value = (self.cleaned_data.get(name) or "").strip()
        if value and not _MONTH.match(value):
            raise forms.ValidationError(_("月份格式应为 YYYY-MM,例如 2022-07。"))
        return value

    def clean_week(self):
        value = (self.cleaned_data.get("week") or "").strip().upper()
        if value and not _WEEK.match(value):
            raise forms.ValidationError(_("周次格式应为 YYYY-Www,例如 2022-W30。"))
        return value

    def clean(self):
        data = super().clean()
        if data.get("kind") == ReportKind.CAMPAIGN and not data.get("campaign"):
            self.add_error("campaign", _("专项行动总结需要选择专项行动。"))
        return data


class DraftEditForm(forms.ModelForm):
    """The bureau edits the text (Markdown) and the 公文 elements; ``version`` is the one read."""

    text = forms.CharField(
        label=_("正文(Markdown)"),
        widget=forms.Textarea(attrs={"rows": 30, "class": "form-control font-monospace zs-draft-editor"}),
        required=True,
    )
    read_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ReportDraft
        fields = ["doc_number", "classification", "issuer", "issued_on"]
        widgets = {"issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("doc_number", "classification", "issuer", "issued_on"):
            self.fields[name].widget.attrs.setdefault("class", "form-control form-control-sm")
        if not self.is_bound:
            self.initial.setdefault("text", self.instance.markdown)
            self.initial.setdefault("read_version", self.instance.version)
