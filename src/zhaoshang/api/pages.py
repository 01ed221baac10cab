"""The token page: a signed-in user creates and revokes their own API tokens (the key shown once)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhaoshang.api import services
from zhaoshang.api.models import ApiToken


@login_required
def tokens(request):
    new_key = None
    if request.method == "POST":
        try:
            token, new_key = services.token_create(user=request.user, name=request.POST.get("name", ""))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("已创建令牌“{name}”。").format(name=token.name))
    return render(
        request,
        "api/tokens.html",
        {"tokens": ApiToken.objects.filter(user=request.user), "new_key": new_key},
    )


@login_required
@require_POST
def token_revoke(request, pk):
    # Only one's own tokens: another user's token is "not found", as everywhere.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(token=token, actor=request.user)
    messages.success(request, _("已吊销令牌“{name}”。").format(name=token.name))
    return redirect("api:tokens")
