"""``{% load cycle_tags %}{% month_state period %}``: the reporting-cycle state of a period's last
month (未到期 / 已逾期待关账 / 已关账 / 未知) as a badge with the deadline in its title, wherever a
period is chosen. ``period`` is a ``Period``, a date or ``"YYYY-MM"``; anything else shows nothing."""

import datetime

from django import template
from django.template.loader import render_to_string
from django.utils import timezone

from zhaoshang.cycle.calendar import Calendar
from zhaoshang.cycle.selectors import month_state as state_of
from zhaoshang.cycle.selectors import parse_month
from zhaoshang.metrics.closing import closed_through

register = template.Library()


def _month(value) -> datetime.date | None:
    end = getattr(value, "end", value)
    if isinstance(end, datetime.date):
        return end.replace(day=1)
    try:
        return parse_month(str(value or "").strip())
    except ValueError:
        return None


@register.simple_tag(takes_context=True)
def month_state(context, period):
    month = _month(period)
    if month is None:
        return ""
    # One calendar and one read of the closed months per page, however many badges it shows.
    cache = context.render_context.setdefault("cycle_state", {})
    if "calendar" not in cache:
        cache["calendar"], cache["last"] = Calendar(), closed_through()
    state = state_of(month, today=timezone.localdate(), calendar=cache["calendar"], last_closed=cache["last"])
    return render_to_string("cycle/_state.html", {"s": state})
