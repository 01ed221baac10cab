"""Sends a signed-in user to the password change or second-factor page while either is due."""

from urllib.parse import urlsplit

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from zhaoshang.security import services
from zhaoshang.security.views import OTP_SESSION_KEY

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz")


def _send_to(request, name: str):
    """A redirect to the page ``name``, coming back to the page afterwards. An htmx request (the bell's
    badge, a job's progress …) is a fragment of the page the browser shows: redirected, htmx would swap
    the whole password page into it. It is told to load that page instead (``HX-Redirect``), or nothing
    (204) when the browser is on that page already."""
    target = reverse(name)
    if not request.headers.get("HX-Request"):
        return redirect(f"{target}?next={request.path}")
    current = urlsplit(request.headers.get("HX-Current-URL", "")).path
    response = HttpResponse(status=204)
    if current != target:
        response["HX-Redirect"] = f"{target}?next={current or '/'}"
    return response


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
                return _send_to(request, "password_change")
            if services.second_factor_required(user) and not request.session.get(OTP_SESSION_KEY):
                return _send_to(request, "second_factor")
        return self.get_response(request)
