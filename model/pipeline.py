"""The whole job for one document: read -> lines -> tags -> reports (schema.md)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from nianbao.model.assembler import assemble
from nianbao.model.labeller import Labeller
from nianbao.model.limits import LimitExceeded, Limits, check_time, time_budget
from nianbao.model.lines import split_lines
from nianbao.model.read import Document, ReadError, read_bytes

SCHEMA_VERSION = 1  # of the records this writes; model/records.py describes them
T = TypeVar("T")


def extract_bytes(
    data: bytes,
    path: str,
    labeller: Labeller,
    limits: Limits | None = None,
    suffix: str | None = None,
) -> dict:
    """Extract one file's bytes; input that cannot be read or is over a limit gives a
    record with its error (schema.md) instead of an exception."""
    try:
        return _within_limits(data, path, limits, suffix, extract_document, labeller)
    except (ReadError, LimitExceeded) as e:
        return error_record(path, str(e), labeller.version, hashlib.sha256(data).hexdigest())


def label_bytes(
    data: bytes,
    path: str,
    labeller: Labeller,
    limits: Limits | None = None,
    suffix: str | None = None,
) -> list[dict]:
    """`nianbao label` for one file's bytes; ReadError or LimitExceeded say why not."""
    return _within_limits(data, path, limits, suffix, label_records, labeller)


def _within_limits(
    data: bytes,
    path: str,
    limits: Limits | None,
    suffix: str | None,
    work: Callable[[Document, Labeller, Limits], T],
    labeller: Labeller,
) -> T:
    """Read the bytes and do `work` on the document, all within the size and time limits."""
    limits = limits or Limits()
    limits.check_size(len(data))
    with time_budget(limits.seconds):
        suffix = Path(path).suffix.lower() if suffix is None else suffix
        return work(read_bytes(data, path=path, suffix=suffix), labeller, limits)


def extract_document(doc: Document, labeller: Labeller, limits: Limits | None = None) -> dict:
    tagged = label_document(doc, labeller, limits)
    reports, warnings = assemble(tagged)
    if doc.line_pages:
        for report in reports:
            _add_pages(report, doc.line_pages)
    return {
        "schema_version": SCHEMA_VERSION,
        "source": _source(doc),
        "model_version": labeller.version,
        "reports": reports,
        "warnings": warnings,
        "error": None,
    }


def label_document(doc: Document, labeller: Labeller, limits: Limits | None = None) -> list:
    """The document's lines with their labels; LimitExceeded past the line or time limit."""
    lines = split_lines(doc.text)
    (limits or Limits()).check_lines(len(lines))
    check_time()
    tagged = labeller.predict(lines)
    check_time()
    return tagged


def _add_pages(report: dict, line_pages: tuple[int, ...]) -> None:
    """Provenance in a PDF: the pages a report spans and the page of every number."""
    first, last = report["line_span"]
    report["pages"] = [line_pages[first - 1], line_pages[last - 1]]
    report["cell_pages"] = {path: line_pages[no - 1] for path, no in report["cell_lines"].items()}


def label_records(doc: Document, labeller: Labeller, limits: Limits | None = None) -> list[dict]:
    """What `nianbao label` and `POST /v1/label` answer: one record per tagged line."""
    records = []
    for t in label_document(doc, labeller, limits):
        record = {
            "source": doc.path,
            "line": t.line.no,
            "text": t.line.text,
            "label": t.label,
            "confidence": round(t.confidence, 4),
        }
        if t.line.span is not None:  # a piece of a line that had lost its line breaks
            record["span"] = list(t.line.span)
        if doc.line_pages:
            record["page"] = doc.line_pages[t.line.no - 1]
        records.append(record)
    return records


def error_record(path: str, message: str, model_version: str, sha256: str | None = None) -> dict:
    source = {"path": path} if sha256 is None else {"path": path, "sha256": sha256}
    return {
        "schema_version": SCHEMA_VERSION,
        "source": source,
        "model_version": model_version,
        "reports": [],
        "warnings": [],
        "error": " ".join(message.split()),
    }


def _source(doc: Document) -> dict:
    return {
        "path": doc.path,
        "sha256": doc.sha256,
        "encoding": doc.encoding,
        "format": doc.format,
        "n_lines": len(re.split(r"\r\n|\r|\n", doc.text)),
    }
