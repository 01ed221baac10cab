"""Blocks → HTML: the body of the HTML view (figures linked to their records) and of the PDF."""

from collections.abc import Callable

from django.utils.html import escape

from zhaoshang.reports.render.blocks import Block, Span

ALIGN = {"l": "left", "c": "center", "r": "right"}
SHORT_CELL = 6


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


def render(blocks: list[Block], *, links: bool, chart_src: Callable[[str], str | None]) -> str:
    """``chart_src(name)`` gives an image address (a data: URI for the PDF, the chart view's URL
    for the page); a chart it does not know is left out."""
    html = []
    for block in blocks:
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
    return "\n".join(html)


def _table(block: Block, *, links: bool) -> str:
    def style(index: int, cell: list[Span]) -> str:
        align = block.align[index] if index < len(block.align) else "c"
        # Short cells (numbers, dates, 有价值) keep to one line; long names wrap.
        nowrap = ";white-space:nowrap" if len("".join(s.text for s in cell)) <= SHORT_CELL else ""
        return f' style="text-align:{ALIGN[align]}{nowrap}"'

    head = "".join(f"<th>{spans_html(cell, links=links)}</th>" for cell in block.header)
    body = []
    for row in block.rows:
        cells = "".join(
            f"<td{style(i, cell)}>{spans_html(cell, links=links)}</td>" for i, cell in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return f'<table class="doc-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
