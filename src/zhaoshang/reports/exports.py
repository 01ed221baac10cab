"""A report's Markdown (generated or edited) → the file a bureau sends: md, docx, xlsx or pdf."""

import re

from zhaoshang.reports.choices import ExportFormat
from zhaoshang.reports.document import Meta
from zhaoshang.reports.render.blocks import Block, parse


def export(*, text: str, charts: dict, meta: Meta, fmt: str, blocks: list[Block] | None = None) -> bytes:
    """``blocks``: the text's blocks when the caller has them (a report just generated,
    ``Report.blocks``); the text is parsed otherwise."""
    if blocks is None:
        blocks = parse(text)
    # Each format's renderer imported when asked for (openpyxl alone takes half a second to load).
    if fmt == ExportFormat.MD:
        from zhaoshang.reports.render import markdown

        return markdown.render(blocks, meta, charts).encode("utf-8")
    if fmt == ExportFormat.XLSX:
        from zhaoshang.reports.render import xlsx

        return xlsx.render(blocks, meta)
    from zhaoshang.reports.render import charts as chart_renderer

    used = {b.chart for b in blocks if b.kind == "chart"}
    pngs = chart_renderer.render_all({name: spec for name, spec in (charts or {}).items() if name in used})
    if fmt == ExportFormat.DOCX:
        from zhaoshang.reports.render import docx

        return docx.render(blocks, meta, pngs)
    if fmt == ExportFormat.PDF:
        from zhaoshang.reports.render import pdf

        return pdf.render(blocks, meta, pngs)
    raise ValueError(fmt)


def filename(title: str, fmt: str) -> str:
    """The title as a file name (characters Windows refuses removed)."""
    safe = re.sub(r'[\\/:*?"<>|\s]+', "", title)[:80] or "report"
    return f"{safe}.{fmt}"
