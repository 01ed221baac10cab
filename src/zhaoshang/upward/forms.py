from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.metrics import periods
from zhaoshang.metrics.indicators import Basis
from zhaoshang.upward.choices import Platform, PlatformStatus


class PeriodForm(forms.Form):
    platform = forms.ChoiceField(label=_("上级平台"), choices=Platform.choices, initial=Platform.PROVINCE)
    period = forms.CharField(label=_("期间"), help_text=_("YYYY-MM、YYYY-Qn、YYYY-H1/H2 或 YYYY"))
    basis = forms.ChoiceField(
        label=_("口径"), choices=Basis.choices, initial=Basis.RECOGNISED, required=False
    )
    differing = forms.BooleanField(label=_("只看有差异的"), required=False)

    def clean_period(self):
        try:
            return periods.parse(self.cleaned_data["period"])
        except ValueError as exc:
            raise forms.ValidationError(_("期间格式应为 YYYY-MM、YYYY-Qn、YYYY-H1/H2 或 YYYY。")) from exc


class ImportForm(forms.Form):
    platform = forms.ChoiceField(label=_("上级平台"), choices=Platform.choices)
    file = forms.FileField(label=_("上级平台认定数文件"), help_text=_(".xlsx、.xls 或 .csv"))


class RegistrationForm(forms.Form):
    code = forms.CharField(label=_("平台项目编号"), max_length=40, required=False)
    status = forms.ChoiceField(label=_("平台状态"), choices=PlatformStatus.choices)
    refusal_reason = forms.CharField(label=_("不予认定原因"), max_length=300, required=False)
