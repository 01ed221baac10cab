from django import forms
from django.utils.translation import gettext_lazy as _


class ConfirmForm(forms.Form):
    note = forms.CharField(
        label=_("说明"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("如“本月无新增数据(零报告)”")}
        ),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("重新开账原因"),
        max_length=200,
        required=False,  # the service refuses an empty reason with its own message
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
