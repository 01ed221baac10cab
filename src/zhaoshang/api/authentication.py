"""``Authorization: Token <key>`` against the digests of ``ApiToken``."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from zhaoshang.api.models import ApiToken
from zhaoshang.api.services import token_digest


class ApiTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user", "user__unit__region", "user__region")
            .filter(digest=token_digest(key), revoked_at__isnull=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("令牌无效或已吊销。"))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("该用户已停用。"))
        now = timezone.now()
        # One write a minute at most: the "last used" column is a hint, not a log.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
