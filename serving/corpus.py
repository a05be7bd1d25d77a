"""Whole corpora in one call: `extract_corpus` and `label_corpus`, what `nianbao extract` and
`nianbao label` run.

Both take the inputs a user names (files, folders, globs), read each file once (its bytes
keyed by their sha256, the size limit checked before reading), write one JSON line per
record, and answer an unreadable document with the same error record
(`{"source": {"path", "sha256"}, "reports": [], "error": "…"}`) while the run goes on.
`extract_corpus` also runs on every core or a Dask cluster and resumes an interrupted
output file (`serving/records_file.py`).
"""

from __future__ import annotations

import glob
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from model.labeller import load_model
from model.limits import LimitExceeded, Limits
from model.pipeline import error_record, label_bytes
from model.read import SUPPORTED_SUFFIXES, ReadError
from serving.batch import extract_all, labeller_for, read_job
from serving.records_file import RecordsFile, RecordsFileError
from serving.redact import redact as redact_personal_data

OUTPUT_SUFFIXES = (".jsonl", ".json", ".parquet", ".csv")


class JobError(Exception):
    """The job cannot start or go on (no such input, an output we will not write to, no
    model, an unreachable cluster): one sentence."""


@dataclass
class Summary:
    total: int
    failed: int  # documents answered with an error record

    def line(self) -> str | None:
        if self.failed:
            return f"{self.failed} of {self.total} documents could not be read"
        return None


Notify = Callable[[str], None]


def _stderr(message: str) -> None:
    print(f"nianbao: {message}", file=sys.stderr)


def expand_inputs(patterns: Iterable[str]) -> list[Path]:
    """Files, folders (recursively, supported suffixes only) and globs, in a stable order."""
    found: list[Path] = []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
        elif path.exists():
            found.append(path)
        elif glob.has_magic(pattern):
            matches = sorted(Path(m) for m in glob.glob(pattern, recursive=True))
            if not matches:
                raise JobError(f"no file matches {pattern}")
            found += [m for m in matches if m.is_file()]
        else:
            raise JobError(f"no such file or directory: {pattern}")
    return list(dict.fromkeys(found))


def extract_corpus(
    paths: list[Path],
    output: str | None,
    model_dir: str | None,
    limits: Limits,
    jobs: int = 1,
    dask: str | None = None,
    redact: bool = False,
    progress: bool = True,
    notify: Notify = _stderr,
) -> Summary:
    """Extract every document; stdout without `output`, else JSONL, Parquet or CSV."""
    from serving.tabular import report_rows, write_table

    suffix = Path(output).suffix.lower() if output else ".jsonl"
    if suffix not in OUTPUT_SUFFIXES:
        raise JobError(f"unknown output format {suffix!r}: use .jsonl, .parquet or .csv")
    if jobs < 1:
        raise JobError(f"--jobs must be at least 1, not {jobs}")
    version = _model_version(model_dir)
    tabular = suffix in (".parquet", ".csv")
    # A table is written whole at the end; until then its records go to a journal.
    journal = _records_file(output + ".partial.jsonl" if tabular else output)
    done = journal.done if journal else {}
    if journal and (done or journal.dropped_partial):
        _note_resume(journal, version, notify)
    bar = _progress(len(paths), "nianbao extract", progress)
    failed = 0

    def to_do():
        nonlocal failed
        for path in paths:
            job = read_job(path, limits)
            earlier = done.get((job.path, job.sha256))
            if earlier is None:
                yield job
            else:  # finished by an earlier run
                failed += bool(earlier["error"])
                bar.update()

    try:
        for record in extract_all(to_do(), len(paths), model_dir, limits, jobs, dask):
            bar.update()
            if record["error"]:
                failed += 1
                notify(f"{record['source']['path']}: {record['error']}")
            record = redact_personal_data(record) if redact else record
            if journal:
                journal.append(record)
            else:
                _write_line(sys.stdout, record)
    except BrokenPipeError:
        raise
    except OSError as e:  # the Dask scheduler cannot be reached, or the output disk is full
        raise JobError(f"{type(e).__name__}: {e}") from e
    finally:
        bar.close()
        if journal:
            journal.close()
    if tabular:
        write_table((row for r in journal.records() for row in report_rows(r)), output)
        journal.remove()
    return Summary(len(paths), failed)


def label_corpus(
    paths: list[Path],
    output: str | None,
    model_dir: str | None,
    limits: Limits,
    redact: bool = False,
    notify: Notify = _stderr,
) -> Summary:
    """One JSON line per non-blank line of every document (stdout without `output`)."""
    try:
        labeller = load_model(model_dir)
    except FileNotFoundError as e:
        raise JobError(str(e)) from e
    out = _open(output)
    failed = 0
    try:
        for path in paths:
            records = list(_label_document(path, labeller, limits))
            if records and "error" in records[0]:
                failed += 1
                notify(f"{records[0]['source']['path']}: {records[0]['error']}")
            for record in records:
                _write_line(out, redact_personal_data(record) if redact else record, flush=False)
            out.flush()
    finally:
        if out is not sys.stdout:
            out.close()
    return Summary(len(paths), failed)


def _label_document(path: Path, labeller, limits: Limits) -> Iterator[dict]:
    """A document's line records, or its one error record; never raises."""
    job = read_job(path, limits)  # the size limit is checked before the file is read
    if job.data is None:
        yield error_record(job.path, job.read_error or "cannot read", labeller.version)
        return
    try:
        yield from label_bytes(job.data, job.path, labeller, limits)
    except (ReadError, LimitExceeded) as e:
        yield error_record(job.path, str(e), labeller.version, job.sha256)
    except Exception as e:  # one bad document must not cost the others their results
        message = f"internal error ({type(e).__name__}): {e}"
        yield error_record(job.path, message, labeller.version, job.sha256)


def _model_version(model_dir: str | None) -> str:
    try:
        return labeller_for(model_dir).version
    except FileNotFoundError as e:
        raise JobError(str(e)) from e


def _records_file(path: str | None) -> RecordsFile | None:
    if path is None:
        return None
    try:
        return RecordsFile(path)
    except RecordsFileError as e:
        raise JobError(str(e)) from e
    except OSError as e:
        raise JobError(f"cannot write {path}: {e.strerror}") from e


def _open(path: str | None) -> TextIO:
    if path is None:
        return sys.stdout
    try:
        return open(path, "w", encoding="utf-8")
    except OSError as e:
        raise JobError(f"cannot write {path}: {e.strerror}") from e


def _note_resume(journal: RecordsFile, version: str, notify: Notify) -> None:
    if journal.dropped_partial:
        notify(f"{journal.path}: dropped the half-written last record of an interrupted run")
    older = sum(1 for d in journal.done.values() if d["model_version"] != version)
    notify(
        f"{journal.path}: resuming; {len(journal.done)} documents already done"
        + (f", {older} of them by another model (delete the file to redo them)" if older else "")
    )


def _write_line(out: TextIO, record: dict, flush: bool = True) -> None:
    out.write(json.dumps(record, ensure_ascii=False) + "\n")
    if flush:  # a whole record is out before the next is made: kill-safe, pipe-friendly
        out.flush()


def _progress(total: int, desc: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc=desc,
        unit="doc",
        file=sys.stderr,
        disable=not enabled or total < 2 or None,
        leave=False,
    )
