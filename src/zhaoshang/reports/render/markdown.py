"""Blocks → Markdown as sent (the ``md`` format): the 公文 elements around the text, figures as
plain text (the links belong to the HTML view)."""

from decimal import Decimal

from zhaoshang.core.formatting import plain
from zhaoshang.reports.document import Meta
from zhaoshang.reports.render.blocks import Block
from zhaoshang.reports.render.blocks import plain as plain_cell
from zhaoshang.reports.text import full_date, md

ALIGN = {"l": ":---", "c": ":---:", "r": "---:"}


def _chart_table(block: Block, spec: dict | None) -> list[str]:
    """A chart as Markdown: its caption and its data as a table (no image placeholder)."""
    if not spec or not spec.get("categories"):
        return []
    unit = spec.get("unit", "")
    series = spec.get("series", [])
    header = "| " + " | ".join(["", *(md(s["name"]) for s in series)]) + " |"
    marks = "| " + " | ".join([":---", *("---:" for _s in series)]) + " |"
    rows = []
    for i, category in enumerate(spec["categories"]):
        cells = [md(category)]
        for s in series:
            value = s["values"][i] if i < len(s["values"]) else None
            cells.append(plain_number(value) if value is not None else "—")
        rows.append("| " + " | ".join(cells) + " |")
    caption = md(block.caption) + (f"（{md(unit)}）" if unit and unit not in block.caption else "")
    return [caption, "\n".join([header, marks, *rows])]


def plain_number(value: float) -> str:
    """A chart value as the text writes it: at most two decimals, trailing zeros dropped."""
    return plain(Decimal(str(value)), 2)


def render(blocks: list[Block], meta: Meta, charts: dict | None = None) -> str:
    out: list[str] = []
    if meta.classification:
        out.append(md(meta.classification))
    if meta.doc_number:
        out.append(md(meta.doc_number))
    for block in blocks:
        kind = block.kind
        text = md(block.text)
        if kind == "title":
            out.append(f"# {text}")
        elif kind == "heading":
            out.append("#" * (block.level + 1) + f" {text}")
        elif kind in ("subtitle", "paragraph", "note", "caption"):
            out.append(text)
        elif kind == "chart":
            out += _chart_table(block, (charts or {}).get(block.chart))
        elif kind == "table":
            header = "| " + " | ".join(md(plain_cell(c)) for c in block.header) + " |"
            marks = "| " + " | ".join(ALIGN.get(a, ":---:") for a in block.align) + " |"
            rows = ["| " + " | ".join(md(plain_cell(c)) or " " for c in row) + " |" for row in block.rows]
            out.append("\n".join([header, marks, *rows]))
    closing = [md(meta.issuer)] if meta.issuer else []
    if meta.issued_on:
        closing.append(full_date(meta.issued_on))
    if closing:
        out.append("  \n".join(closing))
    return "\n\n".join(out) + "\n"
