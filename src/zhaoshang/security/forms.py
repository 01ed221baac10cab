from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.security import services


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's login form plus the per-account lockout (5 failures → 30 minutes) and dormancy."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy("用户名或密码不正确,请重新输入。"),
        "inactive": gettext_lazy("该账号已停用,请联系系统管理员。"),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        account = get_user_model().objects.filter(username=username).first()
        if account is not None:
            until = services.is_locked(account)
            if until:
                services.login_refused_locked(account)
                raise ValidationError(services.lock_message(until), code="locked")
            if account.is_active and services.dormant(account):
                services.disable_dormant(account)
                raise ValidationError(_("账号超过90天未使用,已停用,请联系系统管理员。"), code="dormant")
        try:
            return super().clean()
        except ValidationError:
            if services.login_failed(user=account, username=username) and account is not None:
                raise ValidationError(
                    services.lock_message(services.is_locked(account)), code="locked"
                ) from None
            raise


class TotpForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("动态口令"),
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "form-control",
                "autofocus": True,
            }
        ),
    )
