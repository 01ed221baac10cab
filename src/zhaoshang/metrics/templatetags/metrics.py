from django import template

from zhaoshang.core.formatting import plain, wan_to_yi
from zhaoshang.metrics.formatting import pct, yoy_text

register = template.Library()


@register.filter
def figure(value, indicator):
    """A value in its indicator's unit: 万元 amounts in 亿元."""
    return wan_to_yi(value) if indicator.money and indicator.unit == "万元" else plain(value)


@register.filter
def percent(fraction):
    return "—" if fraction is None else f"{pct(fraction)}%"


@register.filter
def yoy(growth):
    return yoy_text(growth)
