"""A report as it is generated: Markdown text with a few conventions, plus the data of its charts.

Conventions the renderers rely on (and that survive the bureau's edits):

- ``# 标题`` is the title; a paragraph right after it wholly in full-width brackets is the subtitle
  (what the title does not say, e.g. a week's dates); the basis is stated once, in the last 注 line;
- ``## 一、…`` a first-level heading (黑体), ``### （一）…`` a second-level heading (楷体),
  ``#### 1．…`` a third-level heading;
- a paragraph "表1　…" right before a table is the table's caption (and the Excel sheet's name);
- ``![图1　…](chart:NAME)`` is a chart drawn from ``charts[NAME]``;
- a paragraph starting with "注：" is a note (smaller type);
- ``[66个](/projects/?…)`` links a figure to its records: shown in the HTML view, dropped as text
  in the exports.
"""

from dataclasses import dataclass, field
from datetime import date

from zhaoshang.reports.render.blocks import Block, parse, table_rows
from zhaoshang.reports.text import md


@dataclass
class Meta:
    """The 公文 elements around the text (SPEC §6)."""

    title: str
    classification: str = "内部资料"  # 密级
    doc_number: str = ""  # 文号
    issuer: str = ""  # 发文单位
    issued_on: date | None = None  # 成文日期
    watermark: str = ""  # the viewer's name and the time, on every page


@dataclass
class Report:
    """A generated (or edited) report ready to render."""

    kind: str
    title: str
    markdown: str
    charts: dict = field(default_factory=dict)
    period_label: str = ""
    basis: str = "recognised"
    # The Doc the report was just generated from (None for a kept or edited report): its blocks are
    # had without parsing the text back (``blocks``).
    doc: "Doc | None" = field(default=None, repr=False, compare=False)

    def blocks(self) -> list[Block]:
        """The blocks of ``markdown``, as ``parse`` gives them."""
        return self.doc.blocks() if self.doc is not None else parse(self.markdown)


class Doc:
    """Builds the Markdown of a report, numbering tables and charts."""

    def __init__(self, title: str, subtitle: str = ""):
        self.title = title
        self.parts: list[str] = [f"# {md(title)}"]
        if subtitle:
            self.parts.append(subtitle)
        self.charts: dict[str, dict] = {}
        # The closing 注 line stating the basis (added last by the generator).
        self.closing_note = ""
        self.tables = 0
        self.figures = 0
        # Each table's body as cell texts, by its index in ``parts`` (what ``blocks`` reads).
        self._bodies: dict[int, list[list[str]]] = {}

    def h1(self, text: str) -> None:
        self.parts.append(f"## {text}")

    def h2(self, text: str) -> None:
        self.parts.append(f"### {text}")

    def h3(self, text: str) -> None:
        self.parts.append(f"#### {text}")

    def p(self, text: str) -> None:
        if text:
            self.parts.append(text)

    def note(self, text: str) -> None:
        if text:
            self.parts.append(text if text.startswith("注：") else f"注：{text}")

    def table(
        self, caption: str, header: list[str], rows: list[list[str]], *, align: list[str] | None = None
    ):
        """A table with its caption "表N　…"; ``align`` per column: "l", "c" or "r" (default centred,
        the first text column left)."""
        if not rows:
            return
        self.tables += 1
        self.parts.append(f"表{self.tables}　{caption}")
        align = align or ["c"] * len(header)
        marks = {"l": ":---", "c": ":---:", "r": "---:"}
        head = [
            "| " + " | ".join(_cell(h) for h in header) + " |",
            "| " + " | ".join(marks[a] for a in align) + " |",
        ]
        body = [[_cell(c) for c in row] for row in rows]
        self._bodies[len(self.parts)] = body
        self.parts.append("\n".join([*head, *("| " + " | ".join(row) + " |" for row in body)]))

    def chart(self, name: str, caption: str, spec: dict) -> None:
        """A chart: ``spec`` = {"type": "bar"|"barh"|"line", "categories": [...],
        "series": [{"name": ..., "values": [...]}], "unit": "亿元"}."""
        self.figures += 1
        self.charts[name] = {**spec, "caption": f"图{self.figures}　{caption}"}
        self.parts.append(f"![图{self.figures}　{md(caption)}](chart:{name})")

    def markdown(self) -> str:
        return "\n\n".join(self.parts) + "\n"

    def blocks(self) -> list[Block]:
        """The blocks ``parse(self.markdown())`` gives, without parsing the tables' bodies back: the
        text is parsed with each table cut to its header (a bulletin's tables hold some 60 000
        cells, which the Markdown parser takes seconds to split), and each body's cells are read
        as the parser reads a table row's (``blocks.table_rows``)."""
        skeleton = [
            "\n".join(part.split("\n", 2)[:2]) if index in self._bodies else part
            for index, part in enumerate(self.parts)
        ]
        env: dict = {}
        blocks = parse("\n\n".join(skeleton) + "\n", env)
        tables = [block for block in blocks if block.kind == "table"]
        if env.get("references") or len(tables) != len(self._bodies):
            return parse(self.markdown())  # the text does not read as it was written: parse it all
        for block, (_index, body) in zip(tables, sorted(self._bodies.items()), strict=True):
            rows = table_rows(body, len(block.header))
            if rows is None:  # cells the row splitter reads its own way (rare): parse it all
                return parse(self.markdown())
            block.rows = rows
        return blocks


def _cell(text) -> str:
    # A pipe would end the cell; the data is escaped already (``text.md``), line breaks are not
    # allowed in a Markdown table cell.
    return str(text).replace("\n", " ").strip() or " "
