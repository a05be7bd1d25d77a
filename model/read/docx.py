"""Word (.docx) -> text lines: paragraphs and tables in document order.

A table row becomes one line, cells separated by tabs, as HTML tables do: a cell merged
across columns (gridSpan) or down rows (vMerge) is read once, in its first row and column,
as colspan and rowspan cells are in HTML; an empty cell is an empty field.
"""

from __future__ import annotations

import io

from nianbao.model.limits import check_time
from nianbao.model.read.table_rows import inline_text, row_line


def docx_lines(raw: bytes) -> list[str]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(raw))
    lines: list[str] = []
    for block in document.iter_inner_content():
        check_time()
        if isinstance(block, Paragraph):
            text = " ".join(block.text.split())
            if text:
                lines.append(text)
        elif isinstance(block, Table):
            lines += _table_lines(block)
    return lines


def _table_lines(table) -> list[str]:
    lines = []
    above: list = []  # the cell element at each grid column of the row above
    for row in table.rows:
        grid = [cell._tc for cell in row.cells]  # one entry per grid column, merged repeated
        texts = {id(cell._tc): cell.text for cell in row.cells}
        cells = []
        for column, element in enumerate(grid):
            if column > 0 and grid[column - 1] is element:  # merged across columns
                continue
            if column < len(above) and above[column] is element:  # merged down rows
                continue
            cells.append(inline_text(texts[id(element)]))
        above = grid
        if any(cells):
            lines.append(row_line(cells))
    return lines
