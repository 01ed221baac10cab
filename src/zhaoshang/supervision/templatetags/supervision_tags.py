"""The notification bell of the nav bar: ``{% load supervision_tags %}{% notification_bell %}``.

A template tag rather than a context processor, so that no setting has to change. The unread count
is fetched by htmx after the page has loaded (``/notifications/badge/``), so that no page pays a
query for it and pages with pinned query counts stay as they are."""

from django import template

from zhaoshang.supervision.selectors import instructions_for

register = template.Library()


@register.inclusion_tag("supervision/bell.html")
def notification_bell():
    return {}


@register.inclusion_tag("supervision/instructions.html", takes_context=True)
def instructions_block(context, obj, may_instruct=False):
    """The 批示 on a record and, for a leader, the form to write one."""
    from django.contrib.contenttypes.models import ContentType

    return {
        "instructions": instructions_for(obj),
        "may_instruct": may_instruct,
        "object": obj,
        "content_type_id": ContentType.objects.get_for_model(obj).pk,
        "csrf_token": context.get("csrf_token"),
    }
