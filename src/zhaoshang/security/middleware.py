"""Sends a signed-in user to the password change or second-factor page while either is due."""

from django.shortcuts import redirect
from django.urls import reverse

from zhaoshang.security import services
from zhaoshang.security.views import OTP_SESSION_KEY

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz")


class AccountPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and services.policy_enforced()
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            if services.password_change_due(user):
                return redirect(f"{reverse('password_change')}?next={request.path}")
            if services.second_factor_required(user) and not request.session.get(OTP_SESSION_KEY):
                return redirect(f"{reverse('second_factor')}?next={request.path}")
        return self.get_response(request)
