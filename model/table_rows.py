"""A table row as one line of text, the same for PDF, Word and HTML readers.

Cells are separated by tabs, so the assembler can align values with their columns; a
row with a single filled cell (a box drawn around prose, a banner like 第二十条第（一）项
across the table) is a plain line; a cell's own line breaks go, without a space between
Chinese characters (`商业\\n企业` is 商业企业).
"""

from __future__ import annotations

import re

_CJK = r"[\u3000-\u9fff\uff00-\uffef]"
_CJK_BREAK = re.compile(rf"(?<={_CJK})\s*\n\s*(?={_CJK})")


def cell_text(text: str | None) -> str:
    if not text:
        return ""
    return " ".join(_CJK_BREAK.sub("", text).split())


def row_line(cells: list[str]) -> str:
    filled = [c for c in cells if c]
    return filled[0] if len(filled) == 1 else "\t".join(cells)
