"""The first-run form (/setup/): where the deployment is, its bureau, the four first passwords."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.organisation.models import Division
from zhaoshang.organisation.selectors import division_find

_INPUT = {"class": "form-control"}


class SetupForm(forms.Form):
    region = forms.CharField(
        label=_("本地区划"),
        max_length=60,
        help_text=_("输入区划代码或名称查找(全国行政区划,省、地、县三级),如 421003 或 荆州区"),
        widget=forms.TextInput(attrs={**_INPUT, "list": "zs-divisions", "autocomplete": "off"}),
    )
    bureau = forms.CharField(
        label=_("招商局名称"),
        max_length=80,
        help_text=_("如 荆州区招商局、荆州市投资促进局"),
        widget=forms.TextInput(attrs=_INPUT),
    )
    bureau_password = forms.CharField(
        label=_("招商局账号 bureau 的密码"), widget=forms.PasswordInput(attrs=_INPUT)
    )
    sysadmin_password = forms.CharField(
        label=_("系统管理员 sysadmin 的密码"), widget=forms.PasswordInput(attrs=_INPUT)
    )
    secadmin_password = forms.CharField(
        label=_("安全管理员 secadmin 的密码"), widget=forms.PasswordInput(attrs=_INPUT)
    )
    auditor_password = forms.CharField(
        label=_("审计员 auditor 的密码"), widget=forms.PasswordInput(attrs=_INPUT)
    )

    def clean_region(self) -> Division:
        text = self.cleaned_data["region"]
        # A datalist entry reads "421003 湖北省荆州市荆州区": the code is what counts.
        division = division_find(text.split()[0] if text.split() else text)
        if division is None:
            raise forms.ValidationError(
                _("未找到区划“{text}”,请输入6位区划代码或唯一的区划名称。").format(text=text)
            )
        return division

    def passwords(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"{name}_password"]
            for name in ("bureau", "sysadmin", "secadmin", "auditor")
        }
