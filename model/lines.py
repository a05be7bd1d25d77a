"""Source text -> the lines the labeller tags (labels.md: numbering over ALL lines)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Line:
    """One non-blank source line.

    `no` is its 1-based number among all lines of the source text, blank ones included;
    `text` is stripped of surrounding whitespace; `raw` keeps it, because trailing
    spaces or tabs after a row label are blank table cells.
    """

    no: int
    text: str
    raw: str


def split_lines(text: str) -> list[Line]:
    """Split on \\r\\n, \\r and \\n only, and keep the non-blank lines with their numbers."""
    lines = []
    for i, raw in enumerate(_LINE_BREAK.split(text), start=1):
        stripped = raw.strip()
        if stripped:
            lines.append(Line(no=i, text=stripped, raw=raw))
    return lines
