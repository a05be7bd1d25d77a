"""`nianbao dataset`: thousands of scraped pages in, one checked panel of reports out.

The flow, top to bottom: every input's record (`extract` JSONL given, or extracted now into
`DIR/records.jsonl`, resumable, only what has no record yet) -> the names of the bodies
resolved into canonical bodies (`bodies.py`) -> one report per body and year out of every
copy, the checks within and across years (`panel.py`) -> the tables, the DuckDB file and
the summary page (`outputs.py`, `summary.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nianbao.serving.corpus import JobError, Run, expand_inputs, extract_corpus
from nianbao.serving.dataset.bodies import Aliases
from nianbao.serving.dataset.outputs import write_outputs
from nianbao.serving.dataset.panel import (
    Copy,
    copy_checks,
    cross_year_checks,
    one_per_body_and_year,
)
from nianbao.serving.records_file import RecordsFile, RecordsFileError, each_record

RECORDS = "records.jsonl"
BODIES = "bodies.csv"


@dataclass
class DatasetSummary:
    documents: int
    copies: int
    reports: int  # one per body and year, plus the copies that could not be placed
    failing_checks: int
    out_dir: Path

    def line(self) -> str:
        return (
            f"{self.documents} documents, {self.copies} report copies -> {self.reports}"
            f" reports (one per body and year); {self.failing_checks} checks failing;"
            f" wrote {self.out_dir}"
        )


def build_dataset(inputs: list[str], out_dir: Path, run: Run) -> DatasetSummary:
    out_dir.mkdir(parents=True, exist_ok=True)
    records_path = out_dir / RECORDS
    given = [p for p in inputs if p.endswith(".jsonl") and Path(p).is_file()]
    documents = (
        expand_inputs([p for p in inputs if p not in given]) if len(given) < len(inputs) else []
    )
    _take_records(given, records_path)
    if documents:
        extract_corpus(documents, str(records_path), run)
    copies, n_documents = _copies(records_path)
    aliases = Aliases.load(out_dir / BODIES)
    for copy in copies:
        if copy.organization:
            aliases.add(copy.organization)
    canonical = aliases.resolve()
    for copy in copies:
        copy.body = canonical.get(copy.organization)
    reports = one_per_body_and_year(copies)
    checks = copy_checks(reports) + cross_year_checks(reports)
    write_outputs(out_dir, records_path, reports, checks, aliases.rows(canonical))
    failing = sum(1 for c in checks if not c["ok"])
    return DatasetSummary(n_documents, len(copies), len(reports), failing, out_dir)


def _take_records(paths: list[str], records_path: Path) -> None:
    """Records of earlier `extract` runs join the dataset's own records file (the given
    files are only read); what is already there is not added twice."""
    if not paths:
        return
    mine = RecordsFile(records_path)
    for path in paths:
        try:
            theirs = RecordsFile(path)
        except RecordsFileError as e:
            raise JobError(str(e)) from e
        for record in theirs.records():
            key = (record.get("source", {}).get("path"), record.get("source", {}).get("sha256"))
            if key not in mine.done:
                mine.append(record)
    mine.close()


def _copies(path: Path) -> tuple[list[Copy], int]:
    """Every report copy of the records file, and how many documents it holds."""
    copies, documents = [], 0
    for record in each_record(path) if path.exists() else ():
        documents += 1
        copies += [Copy.of(record, i) for i in range(len(record.get("reports") or []))]
    return copies, documents
