"""A JSONL file of extraction records that survives being killed and can be resumed.

Each record is written as one whole line and flushed, so a run killed at any moment
(kill -9 included: the bytes are already the kernel's) leaves complete records and at
most one half-written last line. Opening the file again drops that half line, and the
records already there say which documents are done: a document is done when a record
with its path and content hash is in the file. Nothing else in the file is touched.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TextIO


class RecordsFileError(Exception):
    """The file holds something that is not a record of ours; we will not append to it."""


Key = tuple[str, str | None]  # (source path, sha256 of its bytes)


def record_key(record: dict) -> Key:
    source = record.get("source", {})
    return (source.get("path"), source.get("sha256"))


class RecordsFile:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.done: dict[Key, dict] = {}  # key -> {"error": ..., "model_version": ...}
        self.dropped_partial = False
        self._out: TextIO | None = None
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        data = self.path.read_bytes()
        complete = data[: data.rfind(b"\n") + 1]
        if len(complete) < len(data):  # the last line was cut by an interrupted run
            with open(self.path, "r+b") as f:
                f.truncate(len(complete))
            self.dropped_partial = True
        for n, line in enumerate(complete.decode("utf-8", errors="replace").splitlines(), 1):
            if not line.strip():
                continue
            try:
                self._remember(json.loads(line))
            except (json.JSONDecodeError, AttributeError):
                raise RecordsFileError(
                    f"{self.path} line {n} is not a nianbao record; not appending to it"
                ) from None

    def append(self, record: dict) -> None:
        if self._out is None:
            self._out = open(self.path, "a", encoding="utf-8")
        self._out.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._out.flush()
        self._remember(record)

    def _remember(self, record: dict) -> None:
        self.done[record_key(record)] = {
            "error": record.get("error"),
            "model_version": record.get("model_version"),
        }

    def records(self) -> list[dict]:
        self.close()
        with open(self.path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None

    def remove(self) -> None:
        self.close()
        os.unlink(self.path)
