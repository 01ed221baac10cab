from zhaoshang.audit.context import Actor, reset_actor, set_actor


def client_address(request) -> str | None:
    # Behind the bureau's reverse proxy the address comes in X-Forwarded-For; its first entry is the
    # client. Only trusted when the deployment says it runs behind a proxy.
    from django.conf import settings

    if getattr(settings, "ZHAOSHANG_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        authenticated = bool(user and user.is_authenticated)
        token = set_actor(
            Actor(
                user_id=user.pk if authenticated else None,
                username=user.get_username() if authenticated else "",
                address=client_address(request),
            )
        )
        try:
            return self.get_response(request)
        finally:
            reset_actor(token)
