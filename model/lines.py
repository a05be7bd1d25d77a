"""Source text -> the lines the labeller tags, and the labels it gives them.

Line numbers count ALL lines of the source text, blank ones included (labels.md), so a
label always points back to the exact source line; a line that lost its line breaks is
cut into the pieces it had (`resegment`), each with its span in the source line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.model import resegment

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Line:
    """One non-blank source line, or one piece of a source line that lost its line breaks.

    `no` is its 1-based number among all lines of the source text, blank ones included;
    `text` is stripped of surrounding whitespace; `raw` keeps it, because trailing
    spaces or tabs after a row label are blank table cells. `span` is set on the pieces
    of a re-segmented line: their [start, end) character offsets within source line `no`.
    """

    no: int
    text: str
    raw: str
    span: tuple[int, int] | None = None


# The line labels of the contract (labels.md, version 1).
LABELS: tuple[str, ...] = (
    "NOISE",
    "META",
    "TITLE",
    "HEADING",
    "NARRATIVE",
    "TABLE_HEADER",
    "TABLE_LABEL",
    "TABLE_VALUE",
    "TABLE_ROW",
    "CAPTION",
    "SIGNATURE",
)


@dataclass(frozen=True)
class TaggedLine:
    line: Line
    label: str
    confidence: float  # the CRF's marginal probability of `label` on this line


def split_lines(text: str) -> list[Line]:
    """Split on \\r\\n, \\r and \\n only; keep the non-blank lines with their numbers, and cut
    a line that holds a whole report (line breaks lost) into the lines it had."""
    lines = []
    for i, raw in enumerate(source_lines(text), start=1):
        lines += cut_line(i, raw)
    return lines


def source_lines(text: str) -> list[str]:
    """Every line of the source text, blank ones included: line `n` is item `n - 1`."""
    return _LINE_BREAK.split(text)


def cut_line(no: int, raw: str) -> list[Line]:
    """Source line `no` as the labeller sees it: nothing if blank, itself, or the pieces of a
    line that lost its line breaks (each with its span in the source line)."""
    stripped = raw.strip()
    if not stripped:
        return []
    if resegment.needs_cutting(stripped):
        return [
            Line(no=no, text=raw[a:b], raw=raw[a:b], span=(a, b)) for a, b in resegment.cut(raw)
        ]
    return [Line(no=no, text=stripped, raw=raw)]
