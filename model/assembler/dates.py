"""Dates as reports write them, repaired where scraping dropped characters.

`20211月10日` lost its 年, `2013129` lost 年, 月 and 日. A broken date can have several
readings (`2013129`: 2013-1-29 or 2013-12-9); the reading chosen is the one a report on
`year` can have: published after the year ends and, by the rules in force, by
31 January (2019 onward) or 31 March (before) of the next year, or soon after.
"""

from __future__ import annotations

import datetime as dt
import re

from nianbao.model.templates import cn_number

_CN_DATE = re.compile(
    r"([〇○零一二三四五六七八九]{4})\s*年\s*([元正一二三四五六七八九十]{1,3})\s*月"
    r"\s*([一二三四五六七八九十]{1,3})\s*[日号]"
)
_FULL = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
_NO_YEAR_MARK = re.compile(r"(\d{4})(\d{1,2})月(\d{1,2})日?")
_DIGITS = re.compile(r"^(\d{4})(\d{2,4})$")


def parse_date(text: str, year: int | None = None) -> tuple[str | None, bool]:
    """The ISO date written in `text`, and whether the reading was ambiguous."""
    text = text.strip()
    m = _CN_DATE.search(text)  # 二○一○年四月十日, 二○一一年元月二十日 (signatures of older reports)
    if m:
        numbers = (cn_number(g) for g in m.groups())
        return _iso(*numbers), False
    m = _FULL.search(text)
    if m:
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3))), False
    m = _NO_YEAR_MARK.search(text)
    if m:
        return _best([(int(m.group(1)), int(m.group(2)), int(m.group(3)))], year)
    m = _DIGITS.match(re.sub(r"\s", "", text))
    if m:
        y, rest = int(m.group(1)), m.group(2)
        readings = [(y, int(rest[:k]), int(rest[k:])) for k in (1, 2) if k < len(rest)]
        return _best(readings, year)
    return None, False


def _best(readings: list[tuple[int, int, int]], year: int | None) -> tuple[str | None, bool]:
    valid = [r for r in readings if _iso(*r)]
    if not valid:
        return None, False
    if len(valid) == 1:
        return _iso(*valid[0]), False
    ranked = sorted(valid, key=lambda r: _implausibility(r, year))
    best, second = ranked[0], ranked[1]
    ambiguous = _implausibility(best, year) == _implausibility(second, year)
    return _iso(*best), ambiguous


def _implausibility(reading: tuple[int, int, int], year: int | None) -> int:
    """0 for a date within the publication deadline of a report on `year`, more the later."""
    if year is None:
        return 0
    date = dt.date(*reading)
    deadline = dt.date(year + 1, 1, 31) if year >= 2019 else dt.date(year + 1, 3, 31)
    if dt.date(year, 12, 31) < date <= deadline:
        return 0
    if date.year == year + 1:
        return 1 + (date - deadline).days // 30
    return 100


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None
