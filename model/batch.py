"""Many documents at once: in input order, on every core or on a Dask cluster.

The main process reads each file (to key it by its content hash and skip what an earlier
run finished), hands the bytes to a worker, and yields the results in input order. At
most a few documents per worker are in flight, so memory does not grow with the corpus.
A worker loads the labeller once and keeps it for every document it gets.
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from model.labeller import Labeller
from model.pipeline import error_record, extract_document
from model.reader import ReadError, read_bytes

# Below this many documents per worker, starting workers costs more than it saves.
DOCUMENTS_PER_WORKER = 16
IN_FLIGHT_PER_WORKER = 4


@dataclass(frozen=True)
class Job:
    """One input file as the main process read it."""

    path: str
    data: bytes | None  # None when the file could not be read at all
    sha256: str | None
    read_error: str | None = None


def read_job(path: str | Path) -> Job:
    p = Path(path)
    try:
        data = p.read_bytes()
    except IsADirectoryError:
        return Job(str(p), None, None, f"{p} is a directory, not a document")
    except OSError as e:
        return Job(str(p), None, None, f"cannot read {p}: {e.strerror or e}")
    return Job(str(p), data, hashlib.sha256(data).hexdigest())


def extract_bytes(path: str, data: bytes, model: Labeller | str | None) -> dict:
    """The whole job for one file's bytes; never raises (an error is a record)."""
    labeller = model if isinstance(model, Labeller) else labeller_for(model)
    try:
        doc = read_bytes(data, path=path, suffix=Path(path).suffix.lower())
        return extract_document(doc, labeller)
    except ReadError as e:
        message = str(e)
    except Exception as e:  # one bad document must not cost the others their results
        message = f"internal error ({type(e).__name__}): {e}"
    return error_record(path, message, labeller.version, hashlib.sha256(data).hexdigest())


@lru_cache(maxsize=4)
def labeller_for(model_dir: str | None) -> Labeller:
    """One labeller per process and model, loaded on a worker's first document."""
    return Labeller.load(model_dir)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def extract_all(
    jobs: Iterable[Job],
    n_documents: int,
    model_dir: str | None,
    n_jobs: int = 1,
    dask_address: str | None = None,
) -> Iterator[dict]:
    """Records of `jobs` in their order; unreadable files become error records."""
    version = labeller_for(model_dir).version  # fail here, once, if the model is missing
    readable = _readable(jobs, version)
    if dask_address:
        results = _on_dask(readable, model_dir, dask_address)
    else:
        workers = max(1, min(n_jobs, n_documents // DOCUMENTS_PER_WORKER))
        results = _on_joblib(readable, model_dir, workers)
    yield from results


def _readable(jobs: Iterable[Job], version: str) -> Iterator[Job | dict]:
    """Jobs with bytes pass on; a file that could not be read is already its record."""
    for job in jobs:
        if job.data is None:
            yield error_record(job.path, job.read_error or "cannot read", version)
        else:
            yield job


def _on_joblib(items: Iterable[Job | dict], model_dir: str | None, workers: int) -> Iterator[dict]:
    if workers == 1:
        for item in items:
            yield item if isinstance(item, dict) else extract_bytes(item.path, item.data, model_dir)
        return
    from joblib import Parallel, delayed

    parallel = Parallel(
        n_jobs=workers,
        return_as="generator",
        pre_dispatch=f"{IN_FLIGHT_PER_WORKER}*n_jobs",
        batch_size=1,
    )
    yield from parallel(delayed(_passthrough_or_extract)(item, model_dir) for item in items)


def _passthrough_or_extract(item: Job | dict, model_dir: str | None) -> dict:
    return item if isinstance(item, dict) else extract_bytes(item.path, item.data, model_dir)


def _on_dask(items: Iterable[Job | dict], model_dir: str | None, address: str) -> Iterator[dict]:
    """Submit to an existing Dask cluster, a bounded window of documents at a time.

    The labeller is sent to every worker once (the workers need nianbao installed, not
    the model files); each document's bytes travel with its task.
    """
    from distributed import Client

    with Client(address, timeout="10s") as client:
        threads = sum(client.nthreads().values()) or 1
        model = client.scatter(labeller_for(model_dir), broadcast=True)
        window: deque = deque()
        for item in items:
            if isinstance(item, dict):
                window.append(item)
            else:
                window.append(client.submit(extract_bytes, item.path, item.data, model, pure=False))
            while len(window) > IN_FLIGHT_PER_WORKER * threads:
                yield _result(window.popleft())
        while window:
            yield _result(window.popleft())


def _result(item) -> dict:
    return item if isinstance(item, dict) else item.result()
