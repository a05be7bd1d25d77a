"""A table row as one line of text, the same for PDF, Word and HTML readers.

Cells are separated by tabs, so the assembler can align values with their columns; a
row with a single filled cell (a box drawn around prose, a banner like 第二十条第（一）项
across the table) is a plain line; a cell's own line breaks go, without a space between
Chinese characters (`商业\\n企业` is 商业企业), as a browser renders HTML.
"""

from __future__ import annotations

import re

_CJK = r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]"
_CJK_WRAP = re.compile(rf"(?<={_CJK})[ \t]*[\r\n][ \t\r\n]*(?={_CJK})")
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u3000]+")


def inline_text(s: str | None) -> str:
    """Text on one line, the way a browser renders source whitespace: a line break
    between Chinese characters goes, other whitespace runs become one space."""
    if not s:
        return ""
    return _SPACES.sub(" ", _CJK_WRAP.sub("", s)).strip()


def row_line(cells: list[str]) -> str:
    filled = [c for c in cells if c]
    return filled[0] if len(filled) == 1 else "\t".join(cells)
