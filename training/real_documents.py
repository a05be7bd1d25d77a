"""Where the real documents live, which gold values and annotations belong to which, and
which documents are near-duplicates of each other.

The project's own pages (the seeds in `examples/`) are in the repository. Documents that
come from other public repositories (a real portal's pages, sample PDFs) are read from the
shared folder beside the checkout (`../shared/`, or `NIANBAO_SHARED`), never copied in.
Annotations are read from every annotation folder (the project's own snapshots in
`annotations/data/`, and `../shared/annotations/` for the samples' texts); gold values from
`annotations/gold/`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from nianbao.model.read import SUPPORTED_SUFFIXES
from nianbao.model.settings import settings

REPO = Path(__file__).resolve().parent.parent
GOLD_DIR = REPO / "annotations" / "gold"
OWN_ANNOTATIONS = REPO / "annotations" / "data"
SEEDS_DIR = REPO / "examples"


def shared_dir() -> Path:
    """The shared folder of real documents: NIANBAO_SHARED, else `../shared` beside the repo."""
    return settings().shared or REPO.parent / "shared"


def corpus_dir() -> Path:
    return shared_dir() / "corpus"


def samples_dir() -> Path:
    return shared_dir() / "samples"


def annotation_dirs() -> list[Path]:
    """Every folder of annotations the shipped model is trained on."""
    return [OWN_ANNOTATIONS, shared_dir() / "annotations"]


# Source groups of the scorecard, by where a document lives.
SEEDS, SAMPLES, CORPUS = "seeds", "samples", "corpus"


@dataclass(frozen=True)
class RealFile:
    name: str  # file name: the key annotations and gold values use
    group: str
    path: Path


def real_files() -> dict[str, RealFile]:
    """Every real document the project can read, by file name."""
    found: dict[str, RealFile] = {}
    for group, root in ((SEEDS, SEEDS_DIR), (SAMPLES, samples_dir()), (CORPUS, corpus_dir())):
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES - {".md"}:
                found.setdefault(path.name, RealFile(path.name, group, path))
    return found


def corpus_pages() -> list[Path]:
    """The corpus's text pages (one per report or non-report page; html/ holds renderings)."""
    return sorted(p for p in corpus_dir().glob("*/*.txt"))


# --- gold values ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Gold:
    """The gold values of one page (annotations/gold/README.md)."""

    names: tuple[str, ...]  # the page's file name, then others the same values apply to
    reports: list[dict]
    group: str  # the gold folder's first part: seeds, samples or corpus

    @property
    def name(self) -> str:
        return self.names[0]


def load_gold(directory: str | Path = GOLD_DIR) -> dict[str, Gold]:
    """File name -> its gold, for every name a gold file applies to."""
    gold: dict[str, Gold] = {}
    root = Path(directory)
    for path in sorted(root.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        group = path.relative_to(root).parts[0] if path.parent != root else SEEDS
        entry = Gold((data["source"], *data.get("also", [])), data["reports"], group)
        for name in entry.names:
            gold[name] = entry
    return gold


# --- near-duplicates -------------------------------------------------------------------------

_SHINGLE = 8
_SAME_TEXT = 0.5  # Jaccard of 8-character shingles above which two texts are one text
_CONTAINED = 0.8  # share of the smaller text's shingles found in the larger one


def shingles(text: str) -> set[str]:
    """Character 8-grams of the text without white space: two renderings of one report
    (text and HTML, a PDF and its extracted text) share most of theirs."""
    compact = re.sub(r"[\s\u3000]+", "", text)
    return {compact[i : i + _SHINGLE] for i in range(max(len(compact) - _SHINGLE + 1, 0))}


def similar(a: set[str], b: set[str]) -> bool:
    if not a or not b:
        return False
    common = len(a & b)
    return common / len(a | b) >= _SAME_TEXT or common / min(len(a), len(b)) >= _CONTAINED


def near_duplicate_clusters(
    texts: dict[str, str], linked: Iterable[Sequence[str]] = ()
) -> list[list[str]]:
    """Names grouped so that near-duplicates (the same text under another body's name, the
    same report in another rendering, a fragment of a document) share a group; `linked`
    names are put together whatever their texts. Shingles found in many documents are
    the templates' own wording and say nothing about duplication: they are left out."""
    names = list(texts)
    parent = {n: n for n in names}

    def find(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    sets = {n: shingles(texts[n]) for n in names}
    frequency: dict[str, int] = {}
    for shingle_set in sets.values():
        for s in shingle_set:
            frequency[s] = frequency.get(s, 0) + 1
    common_to_many = max(3, len(names) // 5)  # template wording every report shares
    sets = {n: {s for s in ss if frequency[s] < common_to_many} for n, ss in sets.items()}
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if similar(sets[a], sets[b]):
                union(a, b)
    for group in linked:
        present = [n for n in group if n in parent]
        for other in present[1:]:
            union(present[0], other)
    clusters: dict[str, list[str]] = {}
    for n in names:
        clusters.setdefault(find(n), []).append(n)
    return list(clusters.values())
