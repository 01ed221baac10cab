from django.conf import settings
from django.utils import timezone


def zhaoshang(request):
    user = getattr(request, "user", None)
    return {
        "deployment_name": settings.ZHAOSHANG["DEPLOYMENT_NAME"],
        # Every screen carries a faint watermark with the viewer's name and the time (SPEC §6).
        "watermark": (
            f"{user.get_full_name() or user.get_username()} {timezone.localtime():%Y-%m-%d %H:%M}"
            if user is not None and user.is_authenticated
            else ""
        ),
    }
