from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from zhaoshang.organisation.selectors import has_accounts
from zhaoshang.security import services
from zhaoshang.security.forms import LockoutAuthenticationForm, TotpForm

OTP_SESSION_KEY = "zhaoshang_otp_ok"


class LoginView(auth_views.LoginView):
    form_class = LockoutAuthenticationForm

    def dispatch(self, request, *args, **kwargs):
        # A deployment with no account at all has nobody to log in: its first-run page comes first.
        if not has_accounts():
            return redirect("organisation:setup")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        services.login_succeeded(form.get_user())
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services.logged_out(request.user)
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "security/password_change.html"
    success_url = reverse_lazy("dashboard:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(self.request.user)
        messages.success(self.request, _("密码已修改。"))
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["due"] = services.password_change_due(self.request.user)
        return context


@login_required
def second_factor(request):
    """Bind (first time) or verify the TOTP second factor."""
    secret, uri = services.totp_provisioning(request.user)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_verify(request.user, form.cleaned_data["code"]):
            request.session[OTP_SESSION_KEY] = True
            return redirect(request.GET.get("next") or "/")
        form.add_error("code", _("动态口令不正确或已过期。"))
    confirmed = services.security_of(request.user).totp_confirmed
    return render(
        request,
        "security/second_factor.html",
        {"form": form, "secret": None if confirmed else secret, "uri": None if confirmed else uri},
    )
