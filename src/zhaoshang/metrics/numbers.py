"""The one place where numbers are rounded (SPEC §3: "All rounding is half-up on exact decimals").

Python's ``round()`` and ``Decimal.quantize`` without a rounding mode both round half to even
(0.25 → 0.2), and a ``:.1f`` format spec rounds the binary float (2.675 → 2.67). Every rounding in
the code goes through ``round_half_up`` (a value) or ``fixed`` (a text with exactly N decimals);
``tests/test_no_bare_rounding.py`` fails on any other.
"""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def as_decimal(value: Decimal | int | float | str) -> Decimal:
    """An exact decimal; a float is read through its shortest repr (0.1 → Decimal("0.1"))."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def round_half_up(value: Decimal | Fraction | int | float | str, places: int = 0) -> Decimal:
    """``value`` rounded half-up to ``places`` decimals (negative: to tens, hundreds …):
    0.25 → 0.3, 0.125 (2) → 0.13, −0.25 → −0.3 (half away from zero). An exact ``Fraction``
    (the assessment's scores) is rounded in integer arithmetic, never through a 28-digit quotient."""
    if isinstance(value, Fraction):
        return round_ratio_half_up(value.numerator, value.denominator, places)
    quantum = Decimal(1).scaleb(-places)
    rounded = as_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    if places < 0:
        # quantize keeps the exponent (1.2E+3); give back an ordinary number.
        rounded = rounded.quantize(Decimal(1))
    return rounded


def round_ratio_half_up(n: int, d: int, places: int = 0) -> Decimal:
    """The exact ratio ``n / d`` (integers, ``d`` ≠ 0, need not be in lowest terms) rounded half-up
    to ``places`` decimals, in integer arithmetic: what ``round_half_up(Fraction(n, d), places)``
    gives, without building the fraction (the assessment scores tens of thousands of items)."""
    if d < 0:
        n, d = -n, -d
    if places >= 0:
        whole = (abs(n) * 10**places * 2 + d) // (2 * d)
        result = Decimal(whole).scaleb(-places)
    else:
        scale = 10**-places
        result = Decimal((abs(n) * 2 + d * scale) // (2 * d * scale) * scale)
    return -result if n < 0 else result


def round_int(value: Decimal | int | float | str) -> int:
    """``value`` rounded half-up to a whole number: 2.5 → 3."""
    return int(round_half_up(value, 0))


def fixed(value: Decimal | int | float | str, places: int, *, grouping: bool = False) -> str:
    """A text with exactly ``places`` decimals, half-up: ``fixed(1.25, 1)`` → "1.3" (what ``:.1f``
    would write as "1.2"); ``grouping`` adds thousands separators (12,345)."""
    return format(round_half_up(value, places), ",f" if grouping else "f")
