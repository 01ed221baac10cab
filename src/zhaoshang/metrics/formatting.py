"""Writing figures the way the seeds write them (SPEC §3)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from zhaoshang.core.formatting import plain, wan_to_yi
from zhaoshang.metrics.periods import percent


def pct(fraction: Decimal | None, places: int = 1) -> str:
    """48.4 (no % sign), half-up, a trailing ".0" dropped: 0.53 → "53"."""
    if fraction is None:
        return "—"
    return plain(percent(fraction, places), places)


def yoy_text(growth: Decimal | None, places: int = 1) -> str:
    """ "同比增长40.4%" / "同比下降3.1%" / "与上年同期持平" / "上年同期为0" (a growth that rounds to
    0 is written as level, never "同比增长0%")."""
    if growth is None:
        return _("上年同期为0")
    if pct(growth, places) in ("0", "-0"):
        return _("与上年同期持平")
    if growth >= 0:
        return _("同比增长{p}%").format(p=pct(growth, places))
    return _("同比下降{p}%").format(p=pct(-growth, places))


def gap_text(points: Decimal | None) -> str:
    """ "超序时进度3.1个百分点" / "低于序时进度2个百分点" / "与序时进度持平" (never "超序时进度0个百分点")."""
    if points is None:
        return ""
    if points == 0:
        return _("与序时进度持平")
    if points > 0:
        return _("超序时进度{p}个百分点").format(p=plain(points, 1))
    return _("低于序时进度{p}个百分点").format(p=plain(-points, 1))


def amount_text(value: Decimal, unit: str) -> str:
    """万元 amounts as 亿元 (at most two decimals); counts as plain numbers."""
    if unit == "万元":
        return f"{wan_to_yi(value)}亿元"
    return f"{plain(value)}{unit}"
