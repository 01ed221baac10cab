from django import template

from zhaoshang.core.formatting import plain, wan_to_yi

register = template.Library()


@register.filter
def yi(amount_wan):
    """万元 → 亿元 text, e.g. 3457000 → 345.7."""
    return wan_to_yi(amount_wan)


@register.filter
def num(amount):
    return plain(amount)


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced (filters stay in the URL)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()
