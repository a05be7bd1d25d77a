"""Annotated documents for training and evaluation, from Label Studio exports on disk."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from nianbao.annotations.labelstudio import AnnotatedDocument, annotated_document, load_export
from nianbao.training.real_documents import annotation_dirs


def load_annotated(
    directories: str | Path | Sequence[str | Path] | None = None,
) -> list[AnnotatedDocument]:
    """Every fully labelled document in the exports under `directories` (default: every
    annotation folder the shipped model is trained on).

    Export files are read in name order (snapshot names start with their UTC time), and
    a document that appears again in a later export is replaced by the later version:
    the most recent correction is the one that counts.
    """
    if isinstance(directories, (str, Path)):
        directories = [directories]
    directories = [Path(d) for d in (directories or annotation_dirs())]
    for directory in directories:
        if not directory.is_dir():
            raise FileNotFoundError(f"no annotation folder {directory}")
    paths = sorted(
        (p for d in directories for p in d.rglob("*.json")), key=lambda p: (p.name, str(p))
    )
    if not paths:
        raise FileNotFoundError(
            "no Label Studio exports (*.json) under " + ", ".join(map(str, directories))
        )
    by_id: dict[str, AnnotatedDocument] = {}
    for path in paths:
        for task in load_export(path):
            doc = annotated_document(task)
            if doc is None:
                print(
                    f"nianbao: skipping task {task.get('id')} of {path.name}: "
                    "no annotation labels every line",
                    file=sys.stderr,
                )
                continue
            by_id.pop(doc.doc_id, None)
            by_id[doc.doc_id] = doc
    return list(by_id.values())


def document_text(doc: AnnotatedDocument) -> str:
    """The source text of a document known only by its annotation (a PDF's extracted text
    kept in ../shared/annotations): each line at its number, the pieces of a cut line
    joined by a space."""
    lines: dict[int, list[str]] = {}
    for line in doc.lines:
        lines.setdefault(line.no, []).append(line.raw)
    last = max(lines, default=0)
    return "\n".join(" ".join(lines.get(no, [])) for no in range(1, last + 1)) + "\n"
