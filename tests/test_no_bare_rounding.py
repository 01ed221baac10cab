"""Lint rule: every rounding goes through ``zhaoshang.metrics.numbers`` (SPEC §3: all rounding is
half-up on exact decimals).

Python's ``round()`` and ``Decimal.quantize`` without a rounding mode round half to even (a 专班's
0.25天 became 0.2), and a ``:.1f`` format spec rounds a binary float. The scanner below reads every
module of ``src/`` with ``ast`` and lists, as file:line, each

- call of the builtin ``round(…)``;
- ``.quantize(…)`` call that does not pass ``rounding=ROUND_HALF_UP``;
- format spec that rounds (``.2f``, ``,.0f``, ``.1%``, ``.3e``, ``.4g``) — in an f-string, in a
  ``str.format`` template, as ``format(x, ".2f")`` or as a ``%.2f`` template;

outside the helper module itself.
"""

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
HELPER = Path("zhaoshang/metrics/numbers.py")
# Roundings that are not figures and not ours to route (say why for each).
ALLOWED = {
    # Restores the exact four-place sum that SQLite returns as a binary float (records hold at most
    # four decimals, so no tie can occur); another engineer owns this module.
    Path("zhaoshang/metrics/rollup.py"),
    # The export's fast reader repeats the ORM's own conversion of a stored SQLite decimal (15
    # significant digits, the field's context), so the exported cell equals what the model gives.
    Path("zhaoshang/exchange/kinds.py"),
}

SPEC_AT_END = re.compile(r"\.\d+[fF%eEgG]$")
# "{x:.2f}" / "{:,.0f}" / "{0:>8.1f}" in a str.format template.
FORMAT_FIELD = re.compile(r"(?<!\{)\{[^{}:]*:[^{}]*\.\d+[fF%eEgG]\}")
# "%.2f" / "%5.1f" / "%(x).1f" in a printf-style template.
PRINTF = re.compile(r"(?<!%)%(\([^)]*\))?[-+ 0#]*\d*\.\d+[fFeEgG]")


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _text(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_template(node: ast.AST) -> bool:
    text = _text(node)
    return text is not None and bool(FORMAT_FIELD.search(text) or PRINTF.search(text))


def _is_half_up(node: ast.expr) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
    return name == "ROUND_HALF_UP"


def scan(source: str, filename: str = "<snippet>") -> list[str]:
    """The bare roundings in ``source``, as "filename:line: what"."""
    tree = ast.parse(source, filename)
    docstrings = _docstrings(tree)
    spec_parts: set[int] = set()  # the constants that make up an f-string's format spec
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            parts = node.format_spec.values if isinstance(node.format_spec, ast.JoinedStr) else []
            spec = "".join(p.value for p in parts if isinstance(p, ast.Constant) and isinstance(p.value, str))
            spec_parts.update(id(p) for p in parts)
            if SPEC_AT_END.search(spec):
                found.append((node.lineno, f"format spec ':{spec}'"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "round":
                found.append((node.lineno, "round()"))
            elif isinstance(func, ast.Attribute) and func.attr == "quantize":
                modes = [kw.value for kw in node.keywords if kw.arg == "rounding"] + node.args[1:2]
                if not any(_is_half_up(m) for m in modes):
                    found.append((node.lineno, ".quantize() without rounding=ROUND_HALF_UP"))
            elif isinstance(func, ast.Name) and func.id == "format" and len(node.args) >= 2:
                spec = node.args[1]
                if _text(spec) is not None and SPEC_AT_END.search(spec.value):
                    found.append((node.lineno, f"format(…, {spec.value!r})"))
        elif _is_template(node) and id(node) not in docstrings | spec_parts:
            found.append((node.lineno, f"format template {node.value[:40]!r}"))
    return [f"{filename}:{line}: {what}" for line, what in sorted(found)]


def test_no_bare_rounding_in_src():
    found = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC)
        if relative == HELPER or relative in ALLOWED or "migrations" in relative.parts:
            continue
        found += scan(path.read_text(encoding="utf-8"), str(relative))
    assert not found, "Round through zhaoshang.metrics.numbers (half-up):\n" + "\n".join(found)


@pytest.mark.parametrize(
    "snippet",
    [
        "x = round(value, 1)",
        "x = round(value)",
        "x = value.quantize(Decimal('0.1'))",
        "from decimal import ROUND_HALF_EVEN\nx = value.quantize(q, rounding=ROUND_HALF_EVEN)",
        "text = f'{value:.1f}天'",
        "text = f'{value:,.0f}'",
        "text = f'{share:.1%}'",
        "text = f'{value:>{width}.2f}'",
        "text = '{v:.2f}亿元'.format(v=value)",
        "text = _('用时{seconds:.1f}秒').format(seconds=s)",
        "text = '%.2f' % value",
        "text = '%(v).1f' % {'v': value}",
        "text = format(value, '.2f')",
    ],
)
def test_scanner_catches(snippet):
    assert len(scan(snippet)) == 1, snippet


@pytest.mark.parametrize(
    "snippet",
    [
        "x = round_half_up(value, 1)",
        "x = value.quantize(q, rounding=ROUND_HALF_UP)",
        "x = value.quantize(q, decimal.ROUND_HALF_UP)",
        "text = f'{value}天'",
        "text = f'{day:%Y-%m-%d}'",
        "text = f'{count:,}'",
        "text = f'{month:02d}'",
        "text = '{{literal:.2f}}'",
        "text = '100%'",
        "def f():\n    '''Writes ``:.1f`` as it should not.'''",
    ],
)
def test_scanner_lets_through(snippet):
    assert scan(snippet) == [], snippet


def test_helper_rounds_half_up():
    from fractions import Fraction

    from zhaoshang.metrics.numbers import fixed, round_half_up, round_int

    assert round_half_up("0.25", 1) == round_half_up(0.25, 1) == round_half_up(Fraction(1, 4), 1)
    assert str(round_half_up("0.25", 1)) == "0.3"  # half-even would give 0.2
    assert str(round_half_up("-0.25", 1)) == "-0.3"  # half away from zero
    assert str(round_half_up("0.125", 2)) == "0.13"
    assert str(round_half_up(Fraction(-1, 8), 2)) == "-0.13"
    assert round_half_up(1250, -2) == 1300 and round_half_up(Fraction(1250), -2) == 1300
    assert round_int(2.5) == 3 and round_int(Fraction(5, 2)) == 3  # round() gives 2
    assert fixed(2.675, 2) == "2.68"  # as written; ':.2f' gives 2.67 from the binary float
    assert fixed(12345.5, 0, grouping=True) == "12,346"
    assert fixed(3, 1) == "3.0"
