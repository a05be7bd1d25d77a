"""Field-level scoring of `extract` against gold values written by hand (annotations/gold/).

Only what a gold report states is scored: a key it leaves out (a cell with several
readings, a date the page does not give) counts neither way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

METADATA = ("title", "organization", "year", "report_date", "published_date", "template")
SCORED = ("report_count", "metadata", *METADATA, "sections", "cells", "figures")


def compare(gold: Sequence[dict], found: Sequence[dict]) -> Counter:
    """Counts of right and total per field for one document.

    `report_count` is right when the document yields as many reports as the gold; gold
    reports are then paired with found ones in page order, each with the one that agrees
    with it most (a spurious extra report does not shift the others). Table cells are
    compared exactly, 0 and null being different answers; a gold cell the extraction lacks
    is wrong. Figures and section keys are compared over what either side has.
    """
    counts: Counter = Counter()
    counts["report_count.total"] += 1
    counts["report_count.right"] += len(gold) == len(found)
    for expected, got in pair_reports(gold, found):
        for name in METADATA:
            if name in expected:
                right = _metadata_right(name, expected, got)
                for key in (name, "metadata"):
                    counts[f"{key}.total"] += 1
                    counts[f"{key}.right"] += right
        if "sections" in expected:
            want, have = set(expected["sections"]), {s["key"] for s in got.get("sections", [])}
            counts["sections.total"] += len(want | have)
            counts["sections.right"] += len(want & have)
        for path, value in _leaves(expected.get("tables", {})):
            counts["cells.total"] += 1
            counts["cells.right"] += _same(_lookup(got.get("tables", {}), path), value)
        if "figures" in expected:
            expected_figures, got_figures = expected["figures"], got.get("figures", {})
            for key in set(expected_figures) | set(got_figures):
                counts["figures.total"] += 1
                counts["figures.right"] += _same(
                    got_figures.get(key, _MISSING), expected_figures.get(key, _MISSING)
                )
    return counts


def pair_reports(gold: Sequence[dict], found: Sequence[dict]) -> list[tuple[dict, dict]]:
    """Each gold report with its found counterpart ({} when none), keeping page order:
    the alignment that maximises agreement (a dynamic programme over both sequences)."""
    n, m = len(gold), len(found)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best[i][j] = max(
                best[i + 1][j], best[i][j + 1], _agreement(gold[i], found[j]) + best[i + 1][j + 1]
            )
    pairs, i, j = [], 0, 0
    while i < n:
        if j < m and best[i][j] == _agreement(gold[i], found[j]) + best[i + 1][j + 1]:
            pairs.append((gold[i], found[j]))
            i, j = i + 1, j + 1
        elif j < m and best[i][j] == best[i][j + 1]:
            j += 1
        else:
            pairs.append((gold[i], {}))
            i += 1
    return pairs


def _agreement(expected: dict, got: dict) -> float:
    score = 0.1  # pairing beats leaving both unpaired
    score += sum(_metadata_right(k, expected, got) for k in METADATA if k in expected)
    cells = list(_leaves(expected.get("tables", {})))
    if cells:
        score += sum(_same(_lookup(got.get("tables", {}), p), v) for p, v in cells) / len(cells)
    return score


def _metadata_right(name: str, expected: dict, got: dict) -> bool:
    accepted = [expected[name], *expected.get(f"{name}_accepted", [])]
    return got.get(name, _MISSING) in accepted


def accuracy(counts: Counter) -> dict[str, float]:
    names = sorted({k.rsplit(".", 1)[0] for k in counts})
    return {
        n: round(counts[f"{n}.right"] / counts[f"{n}.total"], 4)
        for n in names
        if counts[f"{n}.total"]
    }


_MISSING = object()


def _same(got, expected) -> bool:
    if got is _MISSING or expected is _MISSING or (got is None) != (expected is None):
        return False
    if isinstance(expected, float) or isinstance(got, float):
        return abs(float(got) - float(expected)) < 1e-6
    return got == expected


def _leaves(node, path: tuple = ()) -> Iterator[tuple[tuple, object]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, (*path, i))
    else:
        yield path, node


def _lookup(node, path: tuple):
    for key in path:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return _MISSING
    return node
