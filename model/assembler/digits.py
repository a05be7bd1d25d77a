"""Digit runs: a row's cells glued into one number (`640020470` = 64, 0, 0, 2, 0, 4, 70).

Pages that lost their line breaks glue a row's values together. The ways to cut a run
into the row's number of cells are enumerated (a sign starts a cell; no cell has a leading
zero), and only the cuts that satisfy the template's accounting identities are kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from model.limits import check_time

Check = Callable[[list[float]], bool]
MAX_CELL_DIGITS = 7
MAX_CANDIDATES = 50

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
