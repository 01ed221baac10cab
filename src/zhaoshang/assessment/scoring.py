"""The arithmetic of an assessment, on plain values (no database): points per item, ranks with ties.

Scores are computed on exact fractions and rounded half-up to two decimals once per item, so that
the item lines of a unit add up exactly to its total (SPEC §3: all rounding half-up on exact
decimals).
"""

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from zhaoshang.assessment.choices import ItemKind, ScoringRule, VetoRule
from zhaoshang.metrics.numbers import round_half_up, round_ratio_half_up

ZERO = Decimal(0)


def half_up(value: Fraction, places: int = 2) -> Decimal:
    """An exact fraction rounded half-up (away from zero) to ``places`` decimals (two by default)."""
    return round_half_up(value, places)


def exact_progress(time_progress: Decimal) -> Fraction:
    """序时进度 as the exact fraction it stands for (7/12, 212/365): ``Period.time_progress`` divides
    in ``Decimal`` and so rounds at 28 digits; every such fraction has a denominator of at most 366."""
    return Fraction(time_progress).limit_denominator(1000)


def competition_ranks(keys: Sequence[Any]) -> list[int]:
    """Standard competition ranking of ``keys`` (smaller is better): equal keys share a rank and the
    next rank is skipped — 1, 2, 2, 4 (SPEC §3)."""
    order = sorted(range(len(keys)), key=lambda i: keys[i])
    ranks = [0] * len(keys)
    for position, index in enumerate(order):
        if position and keys[index] == keys[order[position - 1]]:
            ranks[index] = ranks[order[position - 1]]
        else:
            ranks[index] = position + 1
    return ranks


def _text(value: Decimal | Fraction | None, places: int = 6) -> str | None:
    if value is None:
        return None
    if isinstance(value, Fraction):
        value = half_up(value, places)
    return format(value.normalize(), "f")


def _item_fields(item, progress: Fraction) -> dict[str, Any]:
    """What an item's line says whatever the unit: computed once per item and period, not per unit."""
    # Keyed by the item alone (hashing the fraction on every call costs more than the lookup).
    cached = _ITEM_FIELDS.get(id(item))
    if cached is None or cached[0] is not item or cached[1] != progress:
        fields = {
            "item": item.pk,
            "name": item.display_name,
            "code": item.indicator,
            "kind": item.kind,
            "rule": item.rule,
            "completion": None,
            "time_progress": _text(progress),
            "ratio": None,
            "capped": False,
            "rank": None,
            "low": None,
            "high": None,
            "weight": _text(item.weight) if item.weight is not None else None,
            "cap": _text(item.cap) if item.cap is not None else None,
            "step": _text(item.step) if item.step is not None else None,
            "per_item": _text(item.points_per_item) if item.points_per_item is not None else None,
            "no_target": False,
            "veto": False,
        }
        if len(_ITEM_FIELDS) > 1000:
            _ITEM_FIELDS.clear()
        cached = _ITEM_FIELDS[id(item)] = (item, progress, fields)
    return cached[2]


# id(item) → (item, progress, fields); the item is kept so that a recycled id never matches.
_ITEM_FIELDS: dict[int, tuple[Any, Fraction, dict[str, Any]]] = {}


def _pair(value) -> tuple[int, int]:
    """An exact number (``Decimal``, ``int``, ``Fraction``) as integers ``(n, d)``, ``d`` > 0."""
    return value.as_integer_ratio()


def _ratio_text(n: int, d: int, places: int = 6) -> str:
    """``_text`` of the exact ratio ``n / d``: what ``_text(Fraction(n, d), places)`` writes."""
    return format(round_ratio_half_up(n, d, places).normalize(), "f")


def _item_numbers(item) -> tuple:
    """The item's weight, cap, step and points per item as exact ``(n, d)`` pairs (None where
    unset), computed once per item rather than once per unit."""
    source = (item.weight, item.cap, item.step, item.points_per_item)
    cached = _ITEM_NUMBERS.get(id(item))
    if (
        cached is None
        or cached[0] is not item
        or any(a is not b for a, b in zip(cached[1], source, strict=True))
    ):
        numbers = tuple(None if v is None else _pair(v) for v in source)
        if len(_ITEM_NUMBERS) > 1000:
            _ITEM_NUMBERS.clear()
        cached = _ITEM_NUMBERS[id(item)] = (item, source, numbers)
    return cached[2]


# id(item) → (item, its four numbers as read, their pairs): an item whose fields were set anew
# (an edited scheme item in the same process) is converted again.
_ITEM_NUMBERS: dict[int, tuple[Any, tuple, tuple]] = {}


def score_item(
    item,
    *,
    value: Decimal,
    target: Decimal | None,
    progress: Fraction,
    rank: int | None,
    year_end: bool,
    spread: tuple[Decimal, Decimal] | None = None,
) -> dict[str, Any]:
    """One item for one unit: its points and everything needed to explain them.

    ``item`` is a ``SchemeItem`` (or anything with its fields); ``rank`` is the unit's place on this
    item's value (for 按名次计分); ``year_end`` whether the period ends on 31 December (for the
    "年度未完成目标" veto); ``spread`` the lowest and highest value of the item among the units
    assessed (for 功效系数法).

    Exact throughout: the two most common rules (完成率、每项计分), scored for every unit of a
    province, work on integer numerator/denominator pairs (``round_ratio_half_up``), the same
    arithmetic as ``Fraction`` without its cost per operation; the others on ``Fraction``.
    """
    entry: dict[str, Any] = {
        **_item_fields(item, progress),
        "value": _text(value),
        "target": _text(target) if target is not None else None,
    }
    weight, cap, _step, per_item = _item_numbers(item)
    deduct = item.kind == ItemKind.DEDUCTION
    points: tuple[int, int] = (0, 1)  # (n, d), d > 0
    if item.rule == ScoringRule.COMPLETION:
        # 分值 × min(完成率 ÷ 序时进度, 封顶系数); no target (or a zero one): no points.
        if target is None or target == 0:
            entry["no_target"] = True
        else:
            vn, vd = _pair(value)
            tn, td = _pair(target)
            cn, cd = vn * td, vd * tn  # completion = value ÷ target
            if cd < 0:
                cn, cd = -cn, -cd
            if progress:
                rn, rd = cn * progress.denominator, cd * progress.numerator
                if rd < 0:
                    rn, rd = -rn, -rd
            else:
                rn, rd = cap if cap is not None and item.cap else (1, 1)
            un, ud = rn, rd
            if cap is not None and rn * cap[1] > cap[0] * rd:
                un, ud = cap
                entry["capped"] = True
            points = (weight[0] * un, weight[1] * ud)
            entry["completion"] = _ratio_text(cn, cd)
            entry["ratio"] = _ratio_text(rn, rd)
    elif item.rule == ScoringRule.PER_ITEM:
        # 每个分值 × 完成值, at most 分值 when one is set.
        vn, vd = _pair(value)
        points = (per_item[0] * vn, per_item[1] * vd)
        if weight is not None and points[0] * weight[1] > weight[0] * points[1]:
            points = weight
            entry["capped"] = True
    else:
        fraction = Fraction(0)
        if item.rule == ScoringRule.RANK_POINTS:
            # First place the full 分值, each place below 每降一名扣分 less, never below 0; nothing done: 0.
            entry["rank"] = rank
            if value > 0 and rank is not None:
                fraction = max(Fraction(item.weight) - Fraction(item.step) * (rank - 1), Fraction(0))
        elif item.rule == ScoringRule.EFFICACY:
            fraction = efficacy_points(Fraction(item.weight), Fraction(value), *(Fraction(v) for v in spread))
            entry["low"], entry["high"] = _text(spread[0]), _text(spread[1])
        points = (fraction.numerator, fraction.denominator)
    if deduct:
        points = (-points[0], points[1])
    entry["points"] = _ratio_text(points[0], points[1], 2)
    if item.veto == VetoRule.OCCURRED:
        entry["veto"] = value >= 1
    elif item.veto == VetoRule.TARGET_MISSED:
        entry["veto"] = bool(year_end and target and value < target)
    return entry


EFFICACY_BASE = Fraction(60, 100)


def efficacy_points(weight: Fraction, value: Fraction, low: Fraction, high: Fraction) -> Fraction:
    """功效系数法 (三明, 高安): 60% × 分值 + 40% × 分值 × (value − low) ÷ (high − low), exact; the
    rounding happens once, on the item's points. ``low``/``high``: the lowest and highest value among
    the units assessed. All equal (high == low): the full 分值 when that value is above 0 (everyone
    is at the best value), the 60% base when it is 0 (see ``ScoringRule``)."""
    base = weight * EFFICACY_BASE
    if high == low:
        return weight if high > 0 else base
    return base + (weight - base) * (value - low) / (high - low)


def total(entries: Sequence[dict[str, Any]]) -> Decimal:
    """A unit's score: the sum of its item points (each already rounded), so the lines add up."""
    return round_half_up(sum((Decimal(e["points"]) for e in entries), ZERO), 2)
