"""Digit runs: a row's cells glued into one number (`640020470` = 64, 0, 0, 2, 0, 4, 70).

Pages that lost their line breaks glue a row's values together, sometimes keeping a space
or two that may or may not fall between cells (`1400000 14`, `1 0 0 0 0 01`). The ways to
cut a run into the row's number of cells are enumerated (a sign starts a cell; no cell has
a leading zero), only the cuts that satisfy the row's identity are kept, and among those
the ones that put fewest of the source's spaces inside a cell: spaces are weak evidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import accumulate

from nianbao.model.limits import check_time

Check = Callable[[list[float]], bool]
MAX_CELL_DIGITS = 7
MAX_CANDIDATES = 1000

_RUN = re.compile(r"^[+\-]?\d[\d.]*(?:[+\-]\d[\d.]*)*$")


def is_run(token: str) -> bool:
    return bool(_RUN.match(token))


def cuts(run: str, n: int, check: Check | None = None) -> list[list[str]]:
    """Every way to cut `run` into `n` cells that `check` accepts (at most MAX_CANDIDATES)."""
    found: list[list[str]] = []
    for parts in _cuts(run, n):
        check_time()  # a long run has millions of cuts
        if check is None or check([_number(p) for p in parts]):
            found.append(parts)
            if len(found) >= MAX_CANDIDATES:
                break
    return found


def readings(tokens: list[str], n: int, check: Check | None = None) -> list[list[str]]:
    """The best readings of value tokens glued from one row as `n` cells: the cuts of their
    digits that `check` accepts, keeping those that break the fewest spaces."""
    return _fewest_broken_spaces(tokens, cuts("".join(tokens), n, check))


def readings_in_blocks(tokens: list[str], blocks: int, size: int, check: Check) -> list[list[str]]:
    """`readings` for table 4: `blocks` groups of `size` cells, each passing `check`."""
    return _fewest_broken_spaces(tokens, cuts_in_blocks("".join(tokens), blocks, size, check))


def _fewest_broken_spaces(tokens: list[str], found: list[list[str]]) -> list[list[str]]:
    spaces = set(accumulate(len(t) for t in tokens[:-1]))

    def broken(parts: list[str]) -> int:
        return len(spaces - set(accumulate(len(p) for p in parts[:-1])))

    fewest = min((broken(p) for p in found), default=0)
    return [p for p in found if broken(p) == fewest]


def cuts_in_blocks(run: str, blocks: int, size: int, check: Check) -> list[list[str]]:
    """Table 4: `blocks` groups of `size` cells, each group passing `check` on its own."""
    found: list[list[str]] = []

    def walk(rest: str, done: list[str], left: int) -> None:
        if len(found) >= MAX_CANDIDATES:
            return
        if left == 0:
            if not rest:
                found.append(done)
            return
        for length in range(size, min(len(rest), size * MAX_CELL_DIGITS) + 1):
            check_time()
            head = rest[:length]
            if rest[length : length + 1] in ("", "+", "-") or rest[length : length + 1].isdigit():
                for parts in _cuts(head, size):
                    if check([_number(p) for p in parts]):
                        walk(rest[length:], done + parts, left - 1)

    walk(run, [], blocks)
    return found


def _cuts(run: str, n: int) -> Iterator[list[str]]:
    if n == 0:
        if not run:
            yield []
        return
    if not run:
        return
    sign = run[0] if run[0] in "+-" else ""
    body = run[len(sign) :]
    for length in range(1, min(len(body), MAX_CELL_DIGITS + 1) + 1):
        part, rest = body[:length], body[length:]
        if not _well_formed(part) or (rest and rest[0] == "."):
            continue
        for tail in _cuts(rest, n - 1):
            yield [sign + part, *tail]


def _well_formed(part: str) -> bool:
    if not part or part[-1] == "." or part.count(".") > 1 or any(c in "+-" for c in part):
        return False
    return not (len(part) > 1 and part[0] == "0" and part[1] != ".")


def _number(part: str) -> float:
    return float(part)


def row_sum(values: list[float]) -> bool:
    """The applicant columns add up to 总计."""
    return abs(sum(values[:-1]) - values[-1]) < 1e-9
