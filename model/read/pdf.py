"""PDF -> text lines in reading order, each with the page it was printed on.

Most annual reports are published as PDF attachments. Ruled tables are taken from the
PDF's own structure (pdfplumber finds their cells from the drawn lines), so a cell's
value does not depend on spacing: each table row becomes one line, cells separated by
tabs, as HTML tables do. The text between tables comes one printed line per line; page
numbers (`- 2 -`) and running headers stay lines of their own, outside every table, for
the labeller to mark as page furniture.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from nianbao.model.limits import check_time
from nianbao.model.read.document import ReadError
from nianbao.model.read.table_rows import inline_text, row_line


@dataclass(frozen=True)
class PdfText:
    lines: list[str]
    pages: list[int]  # the 1-based page of each line


def pdf_lines(raw: bytes) -> PdfText:
    """Lines and their pages; ReadError for a PDF of scanned images (no text to read)."""
    import pdfplumber

    lines: list[str] = []
    pages: list[int] = []
    with pdfplumber.open(io.BytesIO(raw)) as pdf:
        has_text = False
        for number, page in enumerate(pdf.pages, start=1):
            check_time()
            has_text = has_text or bool(page.chars)
            for line in _page_lines(page):
                lines.append(line)
                pages.append(number)
            page.flush_cache()  # keep memory to one page at a time
    if not has_text:
        raise ReadError(
            "the PDF has no text layer (scanned images?); it needs OCR, which nianbao does not do"
        )
    return PdfText(lines, pages)


def _page_lines(page) -> list[str]:
    """Text bands and tables of one page, top to bottom."""
    tables = [t for t in page.find_tables() if _is_data_table(t)]
    tables.sort(key=lambda t: t.bbox[1])
    out: list[str] = []
    top = page.bbox[1]
    for table in tables:
        out += _text_between(page, top, table.bbox[1])
        out += [_row_line(row) for row in table.extract() if any(c and c.strip() for c in row)]
        top = max(top, table.bbox[3])
    out += _text_between(page, top, page.bbox[3])
    return out


def _is_data_table(table) -> bool:
    """Two columns and two rows at least: a box drawn around a paragraph is not a table."""
    rows = table.rows
    return len(rows) >= 2 and max(len(r.cells) for r in rows) >= 2


def _text_between(page, top: float, bottom: float) -> list[str]:
    if bottom - top < 1:
        return []
    band = page.crop((page.bbox[0], top, page.bbox[2], bottom), strict=False)
    text = band.extract_text() or ""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _row_line(row: list[str | None]) -> str:
    """pdfplumber gives None where a merged cell extends: a merged cell is read once, as
    an HTML colspan/rowspan cell is; an empty cell stays an empty field."""
    return row_line([inline_text(c) for c in row if c is not None])
