"""How figures are written (SPEC §3): 亿元 with at most two decimals, trailing zeros dropped,
half-up rounding on exact decimals (1250万元 → 0.13亿元)."""

from decimal import Decimal

from zhaoshang.metrics.numbers import round_half_up


def _trim(value: Decimal, places: int) -> str:
    text = format(round_half_up(value, places), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def wan_to_yi(amount_wan: Decimal | int | None, places: int = 2) -> str:
    """万元 → "345.7" (亿元), at most ``places`` decimals, trailing zeros dropped."""
    if amount_wan is None:
        return "—"
    return _trim(Decimal(amount_wan) / Decimal(10000), places)


def plain(amount: Decimal | int | None, places: int = 4) -> str:
    """A decimal without trailing zeros: 12000.0000 → "12000"."""
    if amount is None:
        return "—"
    return _trim(Decimal(amount), places)
