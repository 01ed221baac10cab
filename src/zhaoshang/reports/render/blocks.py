"""Markdown (as generated or as edited) → a flat list of blocks every renderer walks.

The parser is markdown-it-py with raw HTML switched off (an edited draft is user input) and GFM
tables on. The conventions of ``reports.document`` are recognised here: title, subtitle, headings
by level, table captions, charts, notes. Links are kept only when they point inside the site
(``/…``); images only when they name a chart (``chart:NAME``).
"""

import re
from dataclasses import dataclass, field
from types import SimpleNamespace

from markdown_it import MarkdownIt
from markdown_it.common.utils import mdTrim
from markdown_it.rules_core.text_join import text_join
from markdown_it.token import Token

_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

# Inline text no inline rule acts on (no escape, code, emphasis, link, image, autolink, entity or
# line break), and a link to such text with a plain destination: what a generated report's table
# cells are. A bulletin has some 60 000 of them; markdown-it's inline parser takes ~100µs each.
_PLAIN = re.compile(r"[^\\`*_\[\]!<>&~\n]*")
_PLAIN_LINK = re.compile(r"\[([^\\`*_\[\]!<>&~\n]+)\]\(([^\s()<>\\;`\"']+)\)")

_ASCII_PATH = re.compile(r"/[A-Za-z0-9/?=&_.\-]*")


def _simple_inline(content: str, md: MarkdownIt) -> list[Token] | None:
    """The tokens markdown-it makes for ``content`` when it is plain text or one plain link; None
    for anything else (the inline parser reads it)."""
    if _PLAIN.fullmatch(content):
        return [Token("text", "", 0, content=content)] if content else []
    match = _PLAIN_LINK.fullmatch(content)
    if match is None:
        return None
    # A site path of plain ASCII is its own normalised form (mdurl keeps these characters as they are).
    href = match[2] if _ASCII_PATH.fullmatch(match[2]) else md.normalizeLink(match[2])
    if not md.validateLink(href):
        return None
    return [
        Token("link_open", "a", 1, attrs={"href": href}, markup=""),
        Token("text", "", 0, content=match[1]),
        Token("link_close", "a", -1, markup=""),
    ]


def _inline(state) -> None:
    """markdown-it's core ``inline`` rule, with plain text and plain links taken the short way."""
    md = state.md
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            simple = _simple_inline(token.content, md)
            if simple is None:
                md.inline.parse(token.content, md, state.env, token.children)
            else:
                token.children.extend(simple)


_PARSER.core.ruler.at("inline", _inline)
_CAPTION = re.compile(r"^表\s*\d+")
# What a table cell must not hold for ``table_rows`` to read it as the parser does.
_SPLIT = re.compile(r"[|\n\r\0]")


@dataclass
class Span:
    text: str
    href: str | None = None
    bold: bool = False


@dataclass
class Block:
    kind: str  # title, subtitle, heading, paragraph, note, caption, table, chart
    spans: list[Span] = field(default_factory=list)
    level: int = 0  # headings: 1 (一、), 2 (（一）), 3
    header: list[list[Span]] = field(default_factory=list)  # tables
    rows: list[list[list[Span]]] = field(default_factory=list)
    align: list[str] = field(default_factory=list)
    caption: str = ""  # tables and charts
    chart: str = ""

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


def plain(spans: list[Span]) -> str:
    return "".join(s.text for s in spans)


def _safe_href(href: str | None) -> str | None:
    # Site-relative links only: no scheme, no protocol-relative "//host".
    if href and href.startswith("/") and not href.startswith("//"):
        return href
    return None


def _spans(token) -> list[Span]:
    out: list[Span] = []
    href: str | None = None
    bold = 0
    for child in token.children or []:
        kind = child.type
        if kind == "text" or kind == "code_inline":
            out.append(Span(child.content, href, bold > 0))
        elif kind in ("softbreak", "hardbreak"):
            out.append(Span("" if kind == "softbreak" else "\n", href, bold > 0))
        elif kind == "link_open":
            href = _safe_href(child.attrGet("href"))
        elif kind == "link_close":
            href = None
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "image":
            out.append(Span(child.content or "", None, bold > 0))
    # Merge neighbours with the same link and weight.
    merged: list[Span] = []
    for span in out:
        if merged and merged[-1].href == span.href and merged[-1].bold == span.bold:
            merged[-1] = Span(merged[-1].text + span.text, span.href, span.bold)
        elif span.text:
            merged.append(span)
    return merged


def _chart(token) -> tuple[str, str] | None:
    """A paragraph that is exactly one chart image: (name, caption)."""
    children = [c for c in (token.children or []) if not (c.type == "text" and not c.content.strip())]
    if len(children) == 1 and children[0].type == "image":
        src = children[0].attrGet("src") or ""
        if src.startswith("chart:"):
            return src[len("chart:") :], children[0].content or ""
    return None


def parse(markdown: str, env: dict | None = None) -> list[Block]:
    tokens = _PARSER.parse(markdown or "", env)
    blocks: list[Block] = []
    i = 0
    list_depth = 0
    ordered_counters: list[int] = []
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "heading_open":
            level = int(token.tag[1])
            spans = _spans(tokens[i + 1])
            if level == 1 and not any(b.kind == "title" for b in blocks):
                blocks.append(Block("title", spans))
            else:
                blocks.append(Block("heading", spans, level=max(1, level - 1)))
            i += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
            ordered_counters.append(0 if kind == "ordered_list_open" else -1)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
            ordered_counters.pop()
        elif kind == "paragraph_open":
            inline = tokens[i + 1]
            chart = _chart(inline)
            if chart:
                blocks.append(Block("chart", chart=chart[0], caption=chart[1]))
            else:
                spans = _spans(inline)
                if list_depth and ordered_counters:
                    if ordered_counters[-1] >= 0:
                        ordered_counters[-1] += 1
                        prefix = f"{ordered_counters[-1]}．"
                    else:
                        prefix = "· "
                    spans = [Span(prefix), *spans]
                text = plain(spans)
                previous = blocks[-1] if blocks else None
                nxt = tokens[i + 3] if i + 3 < len(tokens) else None
                if (
                    previous is not None
                    and previous.kind == "title"
                    and text.startswith("（")
                    and text.endswith("）")
                ):
                    blocks.append(Block("subtitle", spans))
                elif _CAPTION.match(text) and nxt is not None and nxt.type == "table_open":
                    blocks.append(Block("caption", spans, caption=text))
                elif text.startswith("注：") or text.startswith("注:"):
                    blocks.append(Block("note", spans))
                else:
                    blocks.append(Block("paragraph", spans))
            i += 3
            continue
        elif kind == "table_open":
            i, table = _table(tokens, i)
            if blocks and blocks[-1].kind == "caption":
                table.caption = blocks[-1].caption
            blocks.append(table)
            continue
        elif kind in ("fence", "code_block"):
            for line in token.content.splitlines():
                blocks.append(Block("paragraph", [Span(line)]))
        i += 1
    return blocks


def _cell_spans(content: str) -> list[Span]:
    """A table cell's spans, as ``parse`` reads an inline token of this content."""
    # Plain text and one plain link (most cells) straight to their spans: what ``_spans`` makes of
    # the tokens ``_simple_inline`` gives.
    if _PLAIN.fullmatch(content):
        return [Span(content)] if content else []
    match = _PLAIN_LINK.fullmatch(content)
    if match is not None:
        href = match[2] if _ASCII_PATH.fullmatch(match[2]) else _PARSER.normalizeLink(match[2])
        if _PARSER.validateLink(href):
            return [Span(match[1], _safe_href(href))]
    token = Token("inline", "", 0, content=content, children=[])
    simple = _simple_inline(content, _PARSER)
    if simple is None:
        _PARSER.inline.parse(content, _PARSER, {}, token.children)
        text_join(SimpleNamespace(tokens=[token]))  # the core rule after ``inline``: escapes → text
    else:
        token.children.extend(simple)
    return _spans(token)


def table_rows(body: list[list[str]], columns: int) -> list[list[list[Span]]] | None:
    """The rows ``parse`` makes of a GFM table's body lines ``| c1 | c2 |`` (a table of
    ``columns`` columns) written from these cell texts; None when a cell holds a pipe (the row
    splitter's business), a line break (or what the parser's normalisation makes one, or a NUL) or
    a row has not ``columns`` cells."""
    rows = []
    for row in body:
        if len(row) != columns or any(_SPLIT.search(cell) for cell in row):
            return None
        rows.append([_cell_spans(mdTrim(cell)) for cell in row])
    return rows


def _align(token) -> str:
    style = token.attrGet("style") or ""
    if "right" in style:
        return "r"
    if "left" in style:
        return "l"
    return "c"


def _table(tokens, i: int) -> tuple[int, Block]:
    table = Block("table")
    row: list[list[Span]] | None = None
    in_head = False
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            if in_head:
                table.header = row or []
            else:
                table.rows.append(row or [])
        elif kind in ("th_open", "td_open"):
            if in_head:
                table.align.append(_align(token))
            row.append(_spans(tokens[i + 1]))
            i += 2
        elif kind == "table_close":
            return i + 1, table
        i += 1
    return i, table
