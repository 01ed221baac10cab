"""Blocks → HTML: the body of the HTML view (figures linked to their records) and of the PDF."""

import re
from collections.abc import Callable

from django.utils.html import escape

from zhaoshang.reports.render.blocks import Block, Span

ALIGN = {"l": "left", "c": "center", "r": "right"}
SHORT_CELL = 6
# A number (12345, -8.3, 1212.12%) or a dash: never broken across lines, however long.
NUMBER = re.compile(r"^[-+]?[\d.,]+%?$|^—$")
# How the PDF sets a wide table: (on a landscape page?, type size in points or None for the default).
TableLayout = Callable[[Block], tuple[bool, float | None]]


def spans_html(spans: list[Span], *, links: bool) -> str:
    out = []
    for span in spans:
        text = escape(span.text).replace("\n", "<br>")
        if span.bold:
            text = f"<strong>{text}</strong>"
        if links and span.href:
            text = f'<a href="{escape(span.href)}" class="zs-figure" title="查看统计明细">{text}</a>'
        out.append(text)
    return "".join(out)


def _landscape_from(
    blocks: list[Block], table_layout: TableLayout | None
) -> dict[int, tuple[int, float | None]]:
    """{index of the first block: (index of the last block, type size)} for each wide table that goes
    on a landscape page together with its caption before it and its 注 after it."""
    spans: dict[int, tuple[int, float | None]] = {}
    if table_layout is None:
        return spans
    for i, block in enumerate(blocks):
        if block.kind != "table":
            continue
        landscape, size = table_layout(block)
        if not landscape:
            continue
        first = i - 1 if i and blocks[i - 1].kind == "caption" else i
        last = i + 1 if i + 1 < len(blocks) and blocks[i + 1].kind == "note" else i
        spans[first] = (last, size)
    return spans


def render(
    blocks: list[Block],
    *,
    links: bool,
    chart_src: Callable[[str], str | None],
    table_layout: TableLayout | None = None,
) -> str:
    """``chart_src(name)`` gives an image address (a data: URI for the PDF, the chart view's URL
    for the page); a chart it does not know is left out. ``table_layout`` (the PDF's) puts a table
    too wide for a portrait page, with its caption and 注, on a landscape page, in a smaller type
    when even that is too narrow."""
    html = []
    landscape = _landscape_from(blocks, table_layout)
    closing_at = None
    for index, block in enumerate(blocks):
        if index in landscape:
            closing_at, size = landscape[index]
            style = f' style="font-size:{size}pt"' if size else ""
            html.append(f'<div class="doc-landscape"{style}>')
        kind = block.kind
        if kind == "title":
            html.append(f'<h1 class="doc-title">{spans_html(block.spans, links=links)}</h1>')
        elif kind == "subtitle":
            html.append(f'<p class="doc-subtitle">{spans_html(block.spans, links=links)}</p>')
        elif kind == "heading":
            level = min(block.level, 3)
            html.append(
                f'<h{level + 1} class="doc-h{level}">{spans_html(block.spans, links=links)}</h{level + 1}>'
            )
        elif kind == "paragraph":
            html.append(f"<p>{spans_html(block.spans, links=links)}</p>")
        elif kind == "note":
            html.append(f'<p class="doc-note">{spans_html(block.spans, links=links)}</p>')
        elif kind == "caption":
            html.append(f'<p class="doc-caption">{spans_html(block.spans, links=links)}</p>')
        elif kind == "table":
            html.append(_table(block, links=links))
        elif kind == "chart":
            src = chart_src(block.chart)
            if src:
                html.append(
                    f'<figure class="doc-chart"><img src="{escape(src)}" alt="{escape(block.caption)}">'
                    f"<figcaption>{escape(block.caption)}</figcaption></figure>"
                )
        if index == closing_at:
            html.append("</div>")
            closing_at = None
    return "\n".join(html)


def _table(block: Block, *, links: bool) -> str:
    def style(index: int, cell: list[Span]) -> str:
        align = block.align[index] if index < len(block.align) else "c"
        # Numbers, whatever their length, and short cells (dates, 有价值) keep to one line; names wrap.
        text = "".join(s.text for s in cell).strip()
        nowrap = ";white-space:nowrap" if len(text) <= SHORT_CELL or NUMBER.match(text) else ""
        return f' style="text-align:{ALIGN[align]}{nowrap}"'

    head = "".join(f"<th>{spans_html(cell, links=links)}</th>" for cell in block.header)
    body = []
    for row in block.rows:
        cells = "".join(
            f"<td{style(i, cell)}>{spans_html(cell, links=links)}</td>" for i, cell in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return f'<table class="doc-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
