"""Blocks → PDF with WeasyPrint (HTML and CSS → PDF through Pango): 公文 page layout (A4, margins
37/35/28/26 mm, page numbers "— 1 —" right on odd pages, left on even ones), free CJK fonts (Noto
Serif / Sans CJK SC, Debian ``fonts-noto-cjk``) subset and embedded so that the text extracts as
Chinese; charts embedded as PNG.

Nothing is fetched while rendering: the only resources are the chart images, passed as data URIs,
and every other address is refused (an edited draft is user input).
"""

import base64

from django.utils.html import escape

from zhaoshang.reports.document import Meta
from zhaoshang.reports.render import htmlbody
from zhaoshang.reports.render.blocks import Block
from zhaoshang.reports.text import full_date

# Free fonts first, so that a PDF looks the same wherever it is made.
SERIF = '"Noto Serif CJK SC", "Source Han Serif SC", "FangSong", serif'
SANS = '"Noto Sans CJK SC", "Source Han Sans SC", "SimHei", sans-serif'

CSS = f"""
@page {{
  size: A4;
  margin: 37mm 26mm 35mm 28mm;
}}
@page :right {{
  @bottom-right {{ content: "— " counter(page) " —"; font-family: {SERIF}; font-size: 14pt;
                   padding-right: 14pt; vertical-align: top; padding-top: 7mm; }}
}}
@page :left {{
  @bottom-left {{ content: "— " counter(page) " —"; font-family: {SERIF}; font-size: 14pt;
                  padding-left: 14pt; vertical-align: top; padding-top: 7mm; }}
}}
html {{ font-family: {SERIF}; font-size: 16pt; line-height: 28pt; color: #000; }}
body {{ margin: 0; }}
p {{ margin: 0; text-indent: 2em; text-align: justify; }}
.classification {{ font-family: {SANS}; text-indent: 0; }}
.masthead {{ font-family: {SERIF}; font-weight: 700; color: #c00000; font-size: 24pt; line-height: 40pt;
             text-align: center; text-indent: 0; margin-top: 6pt; }}
.doc-number {{ text-align: center; text-indent: 0; padding-bottom: 10pt; border-bottom: 2.5pt solid #c00000;
               margin-bottom: 18pt; }}
h1.doc-title {{ font-family: {SERIF}; font-weight: 700; font-size: 22pt; line-height: 36pt; text-align: center;
                margin: 0 0 14pt; }}
p.doc-subtitle {{ text-align: center; text-indent: 0; margin-bottom: 14pt; }}
h2, h3, h4 {{ font-size: 16pt; line-height: 28pt; margin: 0; text-indent: 2em; font-weight: normal;
              page-break-after: avoid; }}
h2.doc-h1 {{ font-family: {SANS}; }}
h3.doc-h2 {{ font-family: {SERIF}; font-weight: 700; }}
h4.doc-h3 {{ font-family: {SERIF}; font-weight: 700; }}
p.doc-note {{ font-size: 12pt; line-height: 20pt; text-indent: 0; margin: 2pt 0 8pt; }}
p.doc-caption {{ font-family: {SANS}; font-size: 13pt; line-height: 22pt; text-align: center; text-indent: 0;
                 margin-top: 8pt; page-break-after: avoid; }}
table.doc-table {{ width: 100%; border-collapse: collapse; font-size: 10.5pt; line-height: 14pt; margin: 4pt 0; }}
/* A table too wide for the portrait text block (156 mm) goes, with its caption and 注, on a landscape
   page (text block 225 mm), as in the Word export; a smaller type is set on the block when needed. */
@page landscape {{ size: A4 landscape; margin: 28mm 37mm 26mm 35mm; }}
div.doc-landscape {{ page: landscape; }}
/* Everything else on portrait pages again (a box's "page: auto" would stay on the landscape one). */
body > :not(.doc-landscape) {{ page: portrait; }}
@page portrait {{ size: A4; }}
div.doc-landscape table.doc-table {{ font-size: inherit; line-height: 1.35; }}
table.doc-table th, table.doc-table td {{ border: 0.75pt solid #000; padding: 2pt 3pt; }}
table.doc-table th {{ font-family: {SANS}; font-weight: normal; text-align: center; }}
table.doc-table tr {{ page-break-inside: avoid; }}
figure.doc-chart {{ margin: 8pt 0; text-align: center; page-break-inside: avoid; }}
figure.doc-chart img {{ width: 150mm; }}
figure.doc-chart figcaption {{ font-size: 12pt; line-height: 20pt; }}
.closing {{ text-align: right; text-indent: 0; padding-right: 4em; }}
.closing-first {{ margin-top: 28pt; }}
.watermark {{ position: fixed; top: 95mm; left: -20mm; width: 200mm; text-align: center; transform: rotate(-30deg);
              font-family: {SANS}; font-size: 24pt; color: rgba(0, 0, 0, 0.07); line-height: 60mm; }}
"""


def table_layout(block: Block) -> tuple[bool, float | None]:
    """(landscape?, type size) by the Word export's rule (``docx._layout``): numbers never narrower
    than their widest cell, a table whose minimum exceeds the portrait width on a landscape page,
    one too wide for that in a smaller type (down to 小六)."""
    from zhaoshang.reports.render.docx import TABLE_SIZE, _layout

    columns = max([len(block.header), *(len(row) for row in block.rows)], default=0)
    if not columns:
        return False, None
    _widths, landscape, _numeric, size = _layout(block, columns)
    return landscape, (size if size < TABLE_SIZE.pt else None)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def document_html(blocks: list[Block], meta: Meta, charts: dict[str, bytes]) -> str:
    parts = [
        f'<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>{escape(meta.title)}</title>'
    ]
    parts.append(f"<style>{CSS}</style></head><body>")
    if meta.watermark:
        lines = "<br>".join([escape(meta.watermark)] * 3)
        parts.append(f'<div class="watermark" aria-hidden="true">{lines}</div>')
    if meta.classification:
        parts.append(f'<p class="classification">{escape(meta.classification)}</p>')
    if meta.doc_number:
        if meta.issuer:
            parts.append(f'<p class="masthead">{escape(meta.issuer)}</p>')
        parts.append(f'<p class="doc-number">{escape(meta.doc_number)}</p>')
    parts.append(
        htmlbody.render(
            blocks,
            links=False,
            chart_src=lambda name: _data_uri(charts[name]) if name in charts else None,
            table_layout=table_layout,
        )
    )
    closing = [meta.issuer] if meta.issuer else []
    if meta.issued_on:
        closing.append(full_date(meta.issued_on))
    for index, line in enumerate(closing):
        css = "closing closing-first" if index == 0 else "closing"
        parts.append(f'<p class="{css}">{escape(line)}</p>')
    parts.append("</body></html>")
    return "".join(parts)


def render(blocks: list[Block], meta: Meta, charts: dict[str, bytes]) -> bytes:
    import weasyprint
    from weasyprint.urls import URLFetcher

    source = document_html(blocks, meta, charts)
    # data: URIs only; any other address (http, file …) is refused and left out.
    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=1)
    return weasyprint.HTML(string=source, url_fetcher=fetcher).write_pdf()
