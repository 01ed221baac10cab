"""The token page: a signed-in user creates and revokes their own API tokens (the key shown once)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhaoshang.api import services
from zhaoshang.api.models import ApiToken
from zhaoshang.organisation.choices import Role


def _manageable(user):
    """One's own tokens; the security administrator (安全管理员) sees and revokes everyone's."""
    tokens = ApiToken.objects.select_related("user")
    if user.role == Role.SECADMIN or user.is_superuser:
        return tokens
    return tokens.filter(user=user)


@login_required
def tokens(request):
    new_key = None
    manager = request.user.role == Role.SECADMIN
    if request.method == "POST" and not manager:
        try:
            token, new_key = services.token_create(user=request.user, name=request.POST.get("name", ""))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("已创建令牌“{name}”。").format(name=token.name))
    return render(
        request,
        "api/tokens.html",
        {"tokens": _manageable(request.user), "new_key": new_key, "manager": manager},
    )


@login_required
@require_POST
def token_revoke(request, pk):
    # Another user's token is "not found", as everywhere (except for the security administrator).
    token = get_object_or_404(_manageable(request.user), pk=pk)
    services.token_revoke(token=token, actor=request.user)
    messages.success(request, _("已吊销令牌“{name}”。").format(name=token.name))
    return redirect("api:tokens")
