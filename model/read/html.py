"""HTML page -> text with one paragraph, or one table row, per line.

Data tables keep their structure: one row per line, cells separated by tabs, blank
cells kept as empty fields, so the assembler can align values with their columns.
Layout tables (tables holding other tables) are read as ordinary blocks. Scripts,
styles, forms controls, navigation and hidden elements never become lines.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html
from nianbao.model.read.table_rows import inline_text

SKIPPED_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "head",
    "iframe",
    "svg",
    "canvas",
    "select",
    "option",
    "button",
    "input",
    "textarea",
    "object",
    "embed",
    "map",
    "area",
}
BLOCK_TAGS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "blockquote",
    "pre",
    "center",
    "address",
    "hr",
    "figure",
    "figcaption",
    "caption",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "td",
    "th",
    "form",
    "fieldset",
    "legend",
    "body",
    "html",
}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def html_to_text(markup: str) -> str:
    """Return the page's visible text, one block or table row per line."""
    root = _parse(markup)
    if root is None:
        return ""
    writer = _LineWriter()
    _walk(root, writer)
    return "\n".join(writer.finish())


def _parse(markup: str) -> etree._Element | None:
    # Safe settings: no network, no entity expansion beyond HTML's own, no huge trees.
    parser = lxml_html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, huge_tree=False, recover=True
    )
    markup = re.sub(r"^\s*<\?xml[^>]*>", "", markup)  # lxml refuses str with an encoding decl
    if not markup.strip():
        return None
    try:
        return lxml_html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError):
        return None


class _LineWriter:
    """Collects inline text and breaks it into lines at block boundaries."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._buf: list[str] = []

    def text(self, s: str | None) -> None:
        if s:
            self._buf.append(s)

    def newline(self) -> None:
        if self._buf:
            line = inline_text("".join(self._buf))
            self._buf.clear()
            if line:
                self.lines.append(line)

    def line(self, s: str) -> None:
        self.newline()
        if s.strip():
            self.lines.append(s)

    def finish(self) -> list[str]:
        self.newline()
        return self.lines


def _is_skipped(el: etree._Element) -> bool:
    if el.tag in SKIPPED_TAGS:
        return True
    if (el.get("role") or "").lower() == "navigation" or el.get("hidden") is not None:
        return True
    return bool(_HIDDEN_STYLE.search(el.get("style") or ""))


def _walk(root: etree._Element, w: _LineWriter) -> None:
    """Depth-first walk without recursion (deeply nested pages must not blow the stack)."""
    walker = etree.iterwalk(root, events=("start", "end"))
    skipped: set[int] = set()
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if _is_skipped(el):
                skipped.add(id(el))
                walker.skip_subtree()
                continue
            if tag == "br":
                w.newline()
            elif tag == "table" and _is_data_table(el):
                for row in _table_rows(el):
                    w.line(row)
                skipped.add(id(el))
                walker.skip_subtree()
                continue
            elif tag in BLOCK_TAGS:
                w.newline()
            w.text(el.text)
        else:
            if id(el) not in skipped and tag in BLOCK_TAGS:
                w.newline()
            skipped.discard(id(el))
            w.text(el.tail)


def _is_data_table(table: etree._Element) -> bool:
    return not table.xpath(".//td//table | .//th//table")


def _table_rows(table: etree._Element) -> list[str]:
    rows = []
    for tr in table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr"):
        cells = [_cell_text(c) for c in tr.xpath("./td | ./th") if not _is_skipped(c)]
        if any(cells):
            rows.append("\t".join(cells))
    return rows


def _cell_text(cell: etree._Element) -> str:
    """A cell's text on one line: its own paragraphs joined by spaces."""
    w = _LineWriter()
    _walk(cell, w)
    return " ".join(w.finish())
