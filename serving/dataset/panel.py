"""One report per body and year, out of every copy the documents hold, and the checks
across years.

A report is scraped many times (a mirror, the HTML page and its PDF, a re-scrape with
other page furniture). Copies of one body's report for one year agree when their template
is the same and no cell that both give differs; agreeing copies are one report, kept as
its most complete copy (most cells, then the most confident) with every source listed.
Copies that disagree are kept apart: the largest group of agreeing copies gives the row,
and the others are named in a failing `copies_agree` check with each differing cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from nianbao.model.templates import (
    APPLICANT_COLUMNS,
    T2_COLUMNS,
    T2_ROWS,
    T3_COLUMNS,
    T3_ROWS,
    table2_columns,
)

# Table 2's rows that count documents in force (the 2021 template's 现行有效 column).
IN_FORCE_ROWS = tuple(r for r, cs in table2_columns("2021").items() if "in_force" in cs)


@dataclass
class Copy:
    """One report as one document gives it: only what the panel needs, so that ten
    thousand documents' records are not held in memory (their rows are read again when
    `reports.parquet` is written)."""

    source: dict  # path, sha256, format, report_index, line_span
    organization: str | None  # as the report names it
    body: str | None  # the canonical body, once the names are resolved
    year: int | None
    template: str | None
    confidence: float | None
    cells: dict[str, float | int]  # every cell the copy gives, by dotted path
    cell_lines: dict[str, int]
    cell_pages: dict[str, int]
    checks: list[dict]

    @classmethod
    def of(cls, record: dict, index: int) -> Copy:
        report = record["reports"][index]
        cells = dict(_leaves(report.get("tables") or {}, "tables"))
        source = record.get("source", {})
        lines, pages = report.get("cell_lines") or {}, report.get("cell_pages") or {}
        return cls(
            source={
                "path": source.get("path"),
                "sha256": source.get("sha256"),
                "format": source.get("format"),
                "report_index": index,
                "line_span": report.get("line_span"),
            },
            organization=report.get("organization"),
            body=None,
            year=report.get("year"),
            template=report.get("template"),
            confidence=report.get("confidence"),
            cells=cells,
            cell_lines={k: v for k, v in lines.items() if k in cells},
            cell_pages={k: v for k, v in pages.items() if k in cells},
            checks=report.get("checks") or [],
        )

    @property
    def key(self) -> tuple[str | None, str | None, int]:
        """Which document's which report: (path, sha256, index)."""
        return (self.source["path"], self.source["sha256"], self.source["report_index"])

    def rank(self) -> tuple:
        """Most complete first: cells given, then confidence, then the path (stable)."""
        return (-len(self.cells), -(self.confidence or 0), self.source["path"] or "")


@dataclass
class PanelReport:
    """A body's report for a year: the copy that stands for it, and every copy behind it."""

    id: str
    body: str | None
    year: int | None
    chosen: Copy
    copies: list[Copy]  # agreeing with the chosen one, the chosen one first
    disagreeing: list[list[Copy]] = field(default_factory=list)

    def conflicts(self) -> list[dict]:
        """Each cell another group of copies gives otherwise, with both values."""
        mine = self.chosen.cells
        out = []
        for group in self.disagreeing:
            other = group[0]
            if other.template != self.chosen.template:
                out.append(
                    {
                        "cell": "template",
                        "value": self.chosen.template,
                        "other_value": other.template,
                        "other_source": other.source["path"],
                    }
                )
            for cell, value in other.cells.items():
                if cell in mine and mine[cell] != value:
                    out.append(
                        {
                            "cell": cell,
                            "value": mine[cell],
                            "other_value": value,
                            "other_source": other.source["path"],
                        }
                    )
        return out


def _leaves(node: dict, prefix: str) -> Iterator[tuple[str, float | int]]:
    for key, value in node.items():
        path = f"{prefix}.{key}"
        if isinstance(value, dict):
            yield from _leaves(value, path)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            yield path, value  # a cell (rows a report adds, `extra_rows`, are not cells)


def agree(a: Copy, b: Copy) -> bool:
    if a.template != b.template:
        return False
    mine = a.cells
    return all(mine[cell] == value for cell, value in b.cells.items() if cell in mine)


def one_per_body_and_year(copies: Iterable[Copy]) -> list[PanelReport]:
    """Placed copies (body and year known) grouped into reports; every other copy is a
    report of its own, so nothing the documents hold is dropped."""
    by_key: dict[tuple[str, int], list[Copy]] = {}
    out: list[PanelReport] = []
    for copy in copies:
        if copy.body is None or copy.year is None:
            sha = (copy.source["sha256"] or copy.source["path"] or "")[:12]
            out.append(
                PanelReport(
                    f"unplaced:{sha}#{copy.source['report_index']}",
                    copy.body,
                    copy.year,
                    copy,
                    [copy],
                )
            )
        else:
            by_key.setdefault((copy.body, copy.year), []).append(copy)
    for (body, year), group in by_key.items():
        clusters: list[list[Copy]] = []
        for copy in sorted(group, key=Copy.rank):
            home = next((c for c in clusters if agree(c[0], copy)), None)
            if home is None:
                clusters.append([copy])
            else:
                home.append(copy)
        clusters.sort(key=lambda c: (-len(c), c[0].rank()))
        first, *others = clusters
        out.append(PanelReport(f"{body}|{year}", body, year, first[0], first, others))
    return sorted(out, key=lambda r: (r.body is None, r.body or "", r.year or 0, r.id))


# --- checks across years ---------------------------------------------------------------


def _cell(report: PanelReport, table: str, row: str, column: str):
    return report.chosen.cells.get(f"tables.{table}.{row}.{column}")


def cross_year_checks(reports: list[PanelReport]) -> list[dict]:
    """Per body: year Y's `carried_over` against Y-1's `carried_forward` (each applicant
    column and the total), table 2's `in_force` against Y-1's plus `issued` minus
    `repealed` (a warning: reports
    legitimately revise), and the years missing inside the body's span."""
    by_body: dict[str, dict[int, PanelReport]] = {}
    for r in reports:
        if r.body is not None and r.year is not None:
            by_body.setdefault(r.body, {})[r.year] = r
    checks = []
    carried_in, carried_out = T3_ROWS["carried_over"], T3_ROWS["carried_forward"]
    for body, years in sorted(by_body.items()):
        for year in sorted(years):
            now, before = years[year], years.get(year - 1)
            if before is None:
                continue
            for column in (*APPLICANT_COLUMNS, "total"):
                a = _cell(now, "applications", "carried_over", column)
                b = _cell(before, "applications", "carried_forward", column)
                if a is None or b is None:
                    continue
                checks.append(
                    _check(
                        now,
                        f"cross_year.carried_over.{column}",
                        a == b,
                        "error",
                        f"{year} {carried_in.words} ({T3_COLUMNS[column].header}) {a};"
                        f" {year - 1} {carried_out.words} {b}",
                        a,
                        b,
                    )
                )
            for row in IN_FORCE_ROWS:
                in_force = _cell(now, "active_disclosure", row, "in_force")
                issued = _cell(now, "active_disclosure", row, "issued")
                repealed = _cell(now, "active_disclosure", row, "repealed")
                previous = _cell(before, "active_disclosure", row, "in_force")
                if None in (in_force, issued, repealed, previous):
                    continue
                expected = previous + issued - repealed
                checks.append(
                    _check(
                        now,
                        f"cross_year.in_force.{row}",
                        in_force == expected,
                        "warning",
                        f"{year} {T2_ROWS[row].printed} {T2_COLUMNS['in_force'].header} {in_force};"
                        f" {year - 1} {previous} + {T2_COLUMNS['issued'].header} {issued}"
                        f" - {T2_COLUMNS['repealed'].header} {repealed} = {expected}",
                        in_force,
                        expected,
                    )
                )
        span = range(min(years), max(years) + 1)
        for year in span:
            if year not in years:
                checks.append(
                    {
                        "report_id": None,
                        "body": body,
                        "year": year,
                        "kind": "cross-year",
                        "name": "cross_year.missing_year",
                        "ok": False,
                        "severity": "warning",
                        "detail": f"no report of {body} for {year} (it has {min(years)}-{max(years)})",
                        "value": None,
                        "expected": None,
                    }
                )
    return checks


def copy_checks(reports: list[PanelReport]) -> list[dict]:
    """Within-report checks of each chosen copy, and whether its copies agree."""
    out = []
    for r in reports:
        for check in r.chosen.checks:
            out.append(
                {
                    **_check(r, check["name"], check["ok"], "error", check.get("detail", "")),
                    "kind": "within-report",
                }
            )
        if len(r.copies) > 1 or r.disagreeing:
            conflicts = r.conflicts()
            detail = "; ".join(
                f"{c['cell']}: {c['value']} here, {c['other_value']} in {c['other_source']}"
                for c in conflicts
            )
            agreed = f"{len(r.copies)} copies agree"
            out.append(
                {
                    **_check(r, "copies_agree", not r.disagreeing, "error", detail or agreed),
                    "kind": "copies",
                }
            )
    return out


def _check(
    report: PanelReport, name: str, ok: bool, severity: str, detail: str, value=None, expected=None
) -> dict:
    return {
        "report_id": report.id,
        "body": report.body,
        "year": report.year,
        "kind": "cross-year",
        "name": name,
        "ok": bool(ok),
        "severity": severity,
        "detail": detail,
        "value": value,
        "expected": expected,
    }
