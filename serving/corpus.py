"""Whole corpora in one call: `extract_corpus` and `label_corpus`, what `nianbao extract` and
`nianbao label` run.

Both take the inputs a user names (files, folders, globs), read each file once (its bytes
keyed by their sha256, the size limit checked before reading), write one JSON line per
record, and answer an unreadable document with the same error record
(`{"source": {"path", "sha256"}, "reports": [], "error": "…"}`) while the run goes on.
Both run on every core or a Dask cluster, keep the input order, and resume an interrupted
output file (`serving/records_file.py`).
"""

from __future__ import annotations

import glob
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from nianbao.model.limits import Limits
from nianbao.model.read import SUPPORTED_SUFFIXES
from nianbao.serving.batch import (
    ClusterError,
    extract_job,
    label_job,
    labeller_for,
    read_job,
    run_all,
)
from nianbao.serving.records_file import LabelsFile, OutputError, RecordsFile, RecordsFileError
from nianbao.serving.redact import redact as redact_personal_data

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


def say(message: str) -> None:
    """What a run tells its user, on stderr (stdout is its output)."""
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


@dataclass(frozen=True)
class Run:
    """How a run over documents goes, whatever it makes of them: which model, within which
    limits, on which workers, masked or not, and where it tells its user what happens."""

    model_dir: str | None = None
    limits: Limits = field(default_factory=Limits)
    jobs: int = 1
    dask: str | None = None
    redact: bool = False
    progress: bool = True
    notify: Notify = say


def extract_corpus(paths: list[Path], output: str | None, run: Run) -> Summary:
    """Extract every document; stdout without `output`, else JSONL, Parquet or CSV."""
    from nianbao.serving.tabular import report_rows, write_table

    suffix = Path(output).suffix.lower() if output else ".jsonl"
    if suffix not in OUTPUT_SUFFIXES:
        raise JobError(f"unknown output format {suffix!r}: use .jsonl, .parquet or .csv")
    version = _start(run)
    tabular = suffix in (".parquet", ".csv")
    # A table is written whole at the end; until then its records go to a journal.
    if tabular and Path(output).is_file() and not Path(output + ".partial.jsonl").exists():
        raise JobError(
            f"{output} exists: an output is never overwritten (a JSONL output is resumed,"
            " a finished table is not); remove it or name another output"
        )
    journal = _output_file(RecordsFile, output + ".partial.jsonl" if tabular else output)
    done = journal.done if journal else {}
    if journal and journal.dropped_partial:
        run.notify(f"{journal.path}: dropped the half-written last record of an interrupted run")
    if journal and done:
        older = sum(1 for d in done.values() if d["model_version"] != version)
        _note_resume(journal.path, {path for path, _ in done}, paths, older, run.notify)
    failed = 0

    def earlier_error(job) -> bool | None:
        earlier = done.get((job.path, job.sha256))
        return None if earlier is None else bool(earlier["error"])

    skipped = Skipped()
    try:
        for record in _results(extract_job, paths, earlier_error, skipped, run):
            if record["error"]:
                failed += 1
                run.notify(f"{record['source']['path']}: {record['error']}")
            record = redact_personal_data(record) if run.redact else record
            if journal:
                journal.append(record)
            else:
                _write_records(sys.stdout, [record])
    finally:
        if journal:
            journal.close()
    if tabular:
        write_table((row for r in journal.records() for row in report_rows(r)), output)
        journal.remove()
    return Summary(len(paths), failed + skipped.errors)


def label_corpus(paths: list[Path], output: str | None, run: Run) -> Summary:
    """One JSON line per non-blank line of every document (stdout without `output`)."""
    if output and Path(output).suffix.lower() != ".jsonl":
        raise JobError(f"nianbao label writes JSONL: name the output x.jsonl, not {output}")
    _start(run)
    out = _output_file(LabelsFile, output)
    done = out.done if out else {}
    if out and (done or out.redo):
        _note_resume(out.path, set(done), paths, 0, run.notify)
    if out and out.redo:
        run.notify(f"{out.path}: {out.redo} is labelled again (its lines may have been cut)")
    failed = 0
    skipped = Skipped()
    try:
        for records in _results(label_job, paths, lambda job: done.get(job.path), skipped, run):
            if "error" in records[0]:
                failed += 1
                run.notify(f"{records[0]['source']['path']}: {records[0]['error']}")
            records = [redact_personal_data(r) for r in records] if run.redact else records
            if out:
                out.append(records)
            else:
                _write_records(sys.stdout, records)
    finally:
        if out:
            out.close()
    return Summary(len(paths), failed + skipped.errors)


def _start(run: Run) -> str:
    """Refuse a run that cannot start (no model, no workers); the model's version."""
    if run.jobs < 1:
        raise JobError(f"--jobs must be at least 1, not {run.jobs}")
    try:
        version = labeller_for(run.model_dir).version
    except FileNotFoundError as e:
        raise JobError(str(e)) from e
    if run.dask:  # connecting can take the whole timeout (10 s): say what is waited for
        run.notify(f"connecting to the Dask scheduler at {run.dask}")
    return version


@dataclass
class Skipped:
    """Documents an earlier run finished, with an error: they count as failed again."""

    errors: int = 0


def _results(work, paths: list[Path], earlier, skipped: Skipped, run: Run) -> Iterator:
    """`work` on every document an earlier run did not finish, results in input order.
    `earlier(job)` is None for a document to do, else whether it ended in an error."""
    bar = _progress(len(paths), f"nianbao {work.__name__.removesuffix('_job')}", run.progress)

    def to_do():
        for path in paths:
            job = read_job(path, run.limits)
            error = earlier(job)
            if error is None:
                yield job
            else:
                skipped.errors += error
                bar.update()

    try:
        for result in run_all(
            work, to_do(), len(paths), run.model_dir, run.limits, run.jobs, run.dask
        ):
            bar.update()
            yield result
    except ClusterError as e:
        raise JobError(str(e)) from e
    except BrokenPipeError:
        raise
    except OSError as e:  # writing stdout failed (a full disk under a redirect)
        raise OutputError(f"cannot write the output: {e.strerror or e}") from None
    finally:
        bar.close()


def _output_file(kind: type, path: str | None):
    """The resumable output at `path` (None: stdout), or a JobError saying why not."""
    if path is None:
        return None
    try:
        return kind(path)
    except RecordsFileError as e:
        raise JobError(str(e)) from e
    except OSError as e:
        raise JobError(f"cannot write {path}: {e.strerror}") from e


def _note_resume(
    path: Path, done_paths: set[str], inputs: list[Path], older: int, notify: Notify
) -> None:
    """What an existing output holds, counted against these inputs: an output made from
    other documents says so instead of claiming them done."""
    wanted = {str(p) for p in inputs}
    mine = len(done_paths & wanted)
    others = len(done_paths - wanted)
    notify(
        f"{path}: resuming; {mine} of these {len(inputs)} documents already done"
        + (f"; it also holds {others} documents that are not among them" if others else "")
        + (f"; {older} done by another model (delete the file to redo them)" if older else "")
    )


def _write_records(out: TextIO, records: list[dict]) -> None:
    """A document's records, whole, before the next is made: kill-safe, pipe-friendly."""
    out.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    out.flush()


def _progress(total: int, desc: str, enabled: bool):
    """A tqdm bar on a terminal; elsewhere (a pipe, a log, CI) nothing, and no tqdm import."""
    if not (enabled and total > 1 and sys.stderr.isatty()):
        return _NoProgress()
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="doc", file=sys.stderr, leave=False)


class _NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass
