"""JSONL outputs that survive being killed and can be resumed: `nianbao extract`'s records
(`RecordsFile`, one line per document) and `nianbao label`'s (`LabelsFile`, one block of
lines per document).

Each document's output is written whole and flushed before the next is made, so a run
killed at any moment (kill -9 included: the bytes are already the kernel's) leaves every
earlier document complete and at most the last one cut. Opening the file again removes
that cut part, and what is there says which documents are done. Nothing else in the file
is touched, and a file that is not such an output is refused, never appended to.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path


class RecordsFileError(Exception):
    """The file holds something that is not a record of ours; we will not append to it."""


class OutputError(Exception):
    """The output cannot be written (disk full, file too large, permissions): one line."""


class _WholeWrites:
    """Appends that land whole or not at all: a write that fails half-way (the disk filled,
    a file-size limit, an I/O error) is cut back to where it began, so the file keeps only
    whole records and a rerun resumes from them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as e:
            raise OutputError(f"cannot write {path}: {e.strerror or e}") from None

    def write(self, data: bytes) -> None:
        start = os.fstat(self._fd).st_size
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._fd, view) :]
        except OSError as e:
            try:
                os.ftruncate(self._fd, start)
            except OSError:
                pass
            raise OutputError(
                f"cannot write {self.path}: {e.strerror or e}; it keeps every whole record,"
                " so running the same command again resumes"
            ) from None

    def close(self) -> None:
        os.close(self._fd)


Key = tuple[str, str | None]  # (source path, sha256 of its bytes)


def record_key(record: dict) -> Key:
    source = record.get("source", {})
    return (source.get("path"), source.get("sha256"))


class RecordsFile:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.done: dict[Key, dict] = {}  # key -> {"error": ..., "model_version": ...}
        self.dropped_partial = False
        self._out: _WholeWrites | None = None
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
            self._out = _WholeWrites(self.path)
        self._out.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
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


class LabelsFile:
    """`nianbao label` output: each document's line records (or its one error record) as
    one block of lines, in input order.

    The records hold no content hash, so a document is done when its path's block is in
    the file and another block follows it. The last block may be cut (kill -9 between two
    writes of a long block), so opening the file removes it and that document is redone.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.done: dict[str, bool] = {}  # path -> its block is an error record
        self.redo: str | None = None  # the document whose block was removed
        self._out: _WholeWrites | None = None
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        data = self.path.read_bytes()
        start = offset = 0
        last: str | None = None
        for n, line in enumerate(data.split(b"\n")[:-1], 1):  # a cut last line is not one
            try:
                record = json.loads(line)
                path = source_path(record)
            except (json.JSONDecodeError, UnicodeDecodeError, TypeError, KeyError):
                raise RecordsFileError(
                    f"{self.path} line {n} is not a nianbao label record; not appending to it"
                ) from None
            if path != last:
                start, last = offset, path
                self.done[path] = "error" in record
            offset += len(line) + 1
        if last is not None:
            del self.done[last]
            self.redo = last
            with open(self.path, "r+b") as f:
                f.truncate(start)
        elif data:  # one cut line and nothing else
            with open(self.path, "r+b") as f:
                f.truncate(0)

    def append(self, records: list[dict]) -> None:
        if self._out is None:
            self._out = _WholeWrites(self.path)
        block = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        self._out.write(block.encode("utf-8"))

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None


def source_path(record: dict) -> str:
    """The document a label record belongs to: `source` is its path, or for an error record
    `{"path", "sha256"}` as in extract's records."""
    source = record["source"]
    return source["path"] if isinstance(source, dict) else source


def each_record(path: Path) -> Iterator[dict]:
    """An extract output's records, one at a time: ten thousand do not fit in memory as
    dicts. Each document is in it once (a resumed run never writes a finished one again)."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)
