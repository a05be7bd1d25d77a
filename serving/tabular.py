"""Extraction results as a table: one row per report, every cell a dotted-path column."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from nianbao.serving.records_file import OutputError

# Lists and free-form maps stay whole, as JSON text, in one column each.
JSON_COLUMNS = ("sections", "checks", "warnings", "line_span", "pages", "cell_lines", "cell_pages")


def report_rows(result: dict) -> list[dict]:
    """Rows of one document's result; a document without reports still gets one row."""
    base = {
        "source.path": result["source"].get("path"),
        "source.sha256": result["source"].get("sha256"),
        "source.encoding": result["source"].get("encoding"),
        "source.format": result["source"].get("format"),
        "model_version": result.get("model_version"),
        "document_warnings": json.dumps(result.get("warnings", []), ensure_ascii=False),
        "error": result.get("error"),
    }
    if not result.get("reports"):
        return [{**base, "report_index": None}]
    rows = []
    for index, report in enumerate(result["reports"]):
        row = {**base, "report_index": index}
        for key, value in report.items():
            if key in JSON_COLUMNS:
                row[key] = json.dumps(value, ensure_ascii=False)
            elif isinstance(value, dict):
                row.update(_flatten(value, key))
            else:
                row[key] = value
        rows.append(row)
    return rows


def _flatten(node: dict, prefix: str) -> dict:
    out = {}
    for key, value in node.items():
        path = f"{prefix}.{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, path))
        elif isinstance(value, list):
            out[path] = json.dumps(value, ensure_ascii=False)
        else:
            out[path] = value
    return out


def write_table(rows: Iterable[dict], path: str | Path) -> None:
    """Parquet or CSV by suffix, written to a temporary file first: never half a file."""
    import pandas as pd  # 0.2 s to import: only a run that writes a table pays it

    write_frame(pd.DataFrame(list(rows)).convert_dtypes(), path)


def write_frame(frame, path: str | Path) -> None:
    """A pandas DataFrame as Parquet or CSV by suffix, through a temporary file."""
    path = Path(path)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        if path.suffix.lower() == ".parquet":
            frame.to_parquet(tmp, index=False)
        else:
            frame.to_csv(tmp, index=False, encoding="utf-8")
        os.chmod(tmp, 0o644)  # as any file the user writes (mkstemp makes 0600)
        os.replace(tmp, path)
    except OSError as e:  # disk full, a file-size limit, no such folder
        raise OutputError(
            f"cannot write {path}: {e.strerror or e}; its records are kept in the journal,"
            " so running the same command again writes it"
        ) from None
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
