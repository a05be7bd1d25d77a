"""Annotated documents for training and evaluation, from Label Studio exports on disk."""

from __future__ import annotations

import sys
from pathlib import Path

from annotations.labelstudio import AnnotatedDocument, annotated_document, load_export

ANNOTATIONS_DIR = Path(__file__).resolve().parent.parent / "annotations" / "data"


def load_annotated(directory: str | Path = ANNOTATIONS_DIR) -> list[AnnotatedDocument]:
    """Every fully labelled document in the exports under `directory`.

    Export files are read in name order (snapshot names start with their UTC time), and
    a document that appears again in a later export is replaced by the later version:
    the most recent correction is the one that counts.
    """
    paths = sorted(Path(directory).rglob("*.json"))
    if not paths:
        raise FileNotFoundError(f"no Label Studio exports (*.json) under {directory}")
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
