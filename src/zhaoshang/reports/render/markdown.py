"""Blocks → Markdown as sent (the ``md`` format): the 公文 elements around the text, figures as
plain text (the links belong to the HTML view)."""

from zhaoshang.reports.document import Meta
from zhaoshang.reports.render.blocks import Block, plain
from zhaoshang.reports.text import full_date, md

ALIGN = {"l": ":---", "c": ":---:", "r": "---:"}


def render(blocks: list[Block], meta: Meta) -> str:
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
            out.append(f"![{md(block.caption)}](chart:{block.chart})")
        elif kind == "table":
            header = "| " + " | ".join(md(plain(c)) for c in block.header) + " |"
            marks = "| " + " | ".join(ALIGN.get(a, ":---:") for a in block.align) + " |"
            rows = ["| " + " | ".join(md(plain(c)) or " " for c in row) + " |" for row in block.rows]
            out.append("\n".join([header, marks, *rows]))
    closing = [md(meta.issuer)] if meta.issuer else []
    if meta.issued_on:
        closing.append(full_date(meta.issued_on))
    if closing:
        out.append("  \n".join(closing))
    return "\n\n".join(out) + "\n"
