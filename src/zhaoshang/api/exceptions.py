"""Errors in Chinese, the same for "does not exist" and "not yours" (STYLE: Zulip's access helpers)."""

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("记录不存在。"))
    elif isinstance(exc, exceptions.Throttled):
        exc = exceptions.Throttled(wait=exc.wait, detail=_("操作过于频繁,请稍后再试。"))
    return drf_exception_handler(exc, context)
