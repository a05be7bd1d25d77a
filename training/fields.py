"""Field-level scoring of `extract` against gold schema values written by hand."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

GOLD_DIR = Path(__file__).resolve().parent.parent / "annotations" / "gold"
FIELDS = ("title", "organization", "year", "report_date", "published_date", "template")


def load_gold(directory: str | Path = GOLD_DIR) -> dict[str, list[dict]]:
    """Source file name -> its gold reports, in page order."""
    gold = {}
    for path in sorted(Path(directory).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        gold[data["source"]] = data["reports"]
    return gold


def compare(gold: Sequence[dict], found: Sequence[dict]) -> Counter:
    """Counts of right and total per field; reports are paired in page order.

    Table cells are compared exactly, 0 and null being different answers; a gold cell
    the extraction lacks is wrong. Figures are compared where gold or extraction has one.
    """
    counts: Counter = Counter()
    counts["reports.total"] += len(gold)
    counts["reports.right"] += min(len(gold), len(found))
    for i, expected in enumerate(gold):
        got = found[i] if i < len(found) else {}
        for name in FIELDS:
            counts[f"{name}.total"] += 1
            counts[f"{name}.right"] += got.get(name) == expected.get(name)
        for path, value in _leaves(expected.get("tables", {})):
            counts["cells.total"] += 1
            counts["cells.right"] += _same(_lookup(got.get("tables", {}), path), value)
        expected_figures, got_figures = expected.get("figures", {}), got.get("figures", {})
        for key in set(expected_figures) | set(got_figures):
            counts["figures.total"] += 1
            counts["figures.right"] += _same(got_figures.get(key), expected_figures.get(key))
    return counts


def accuracy(counts: Counter) -> dict[str, float]:
    names = sorted({k.rsplit(".", 1)[0] for k in counts})
    return {
        n: round(counts[f"{n}.right"] / counts[f"{n}.total"], 4)
        for n in names
        if counts[f"{n}.total"]
    }


_MISSING = object()


def _same(got, expected) -> bool:
    if got is _MISSING or (got is None) != (expected is None):
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
