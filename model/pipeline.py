"""The whole job for one document: read -> lines -> tags -> reports (schema.md)."""

from __future__ import annotations

import re
from pathlib import Path

from model.assembler import assemble
from model.labeller import Labeller
from model.lines import split_lines
from model.reader import Document, ReadError, read_document

SCHEMA_VERSION = 1


def extract_document(doc: Document, labeller: Labeller) -> dict:
    tagged = labeller.tag(split_lines(doc.text))
    reports, warnings = assemble(tagged)
    return {
        "schema_version": SCHEMA_VERSION,
        "source": _source(doc),
        "model_version": labeller.version,
        "reports": reports,
        "warnings": warnings,
        "error": None,
    }


def extract_path(path: str | Path, labeller: Labeller) -> dict:
    """Extract one file; a file that cannot be read gives a record with its error."""
    try:
        doc = read_document(path)
    except ReadError as e:
        return error_record(str(path), str(e), labeller.version)
    return extract_document(doc, labeller)


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
