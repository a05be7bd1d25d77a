"""Many documents at once: in input order, on every core or on a Dask cluster.

The main process reads each file (to key it by its content hash and skip what an earlier
run finished), hands the bytes to a worker, and yields the results in input order. At
most a few documents per worker are in flight, so memory does not grow with the corpus.

Start-up is paid once: the main process loads the labeller (model and tokenizer) and the
workers are forked from it, so they start with it in memory (copy-on-write) instead of
each importing and loading it again, which made two workers only 1.3x one. Where fork
does not exist (Windows, macOS's default) each worker loads it once on start.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from model import pipeline
from model.labeller import Labeller, load_model
from model.limits import LimitExceeded, Limits

# Below this many documents per worker, starting workers costs more than it saves.
DOCUMENTS_PER_WORKER = 8
IN_FLIGHT_PER_WORKER = 4


@dataclass(frozen=True)
class Job:
    """One input file as the main process read it."""

    path: str
    data: bytes | None  # None when the file could not be read at all
    sha256: str | None
    read_error: str | None = None


def read_job(path: str | Path, limits: Limits) -> Job:
    p = Path(path)
    try:
        limits.check_size(p.stat().st_size)  # before reading: a 5 GB file is never read
        data = p.read_bytes()
    except LimitExceeded as e:
        return Job(str(p), None, None, str(e))
    except IsADirectoryError:
        return Job(str(p), None, None, f"{p} is a directory, not a document")
    except OSError as e:
        return Job(str(p), None, None, f"cannot read {p}: {e.strerror or e}")
    return Job(str(p), data, hashlib.sha256(data).hexdigest())


@lru_cache(maxsize=4)
def labeller_for(model_dir: str | None) -> Labeller:
    """One labeller per process and model, loaded on a worker's first document."""
    return load_model(model_dir)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def extract_all(
    jobs: Iterable[Job],
    n_documents: int,
    model_dir: str | None,
    limits: Limits,
    n_jobs: int = 1,
    dask_address: str | None = None,
) -> Iterator[dict]:
    """Records of `jobs` in their order; unreadable files become error records."""
    version = labeller_for(model_dir).version  # fail here, once, if the model is missing
    readable = _readable(jobs, version)
    if dask_address:
        yield from _on_dask(readable, model_dir, limits, dask_address)
        return
    workers = max(1, min(n_jobs, n_documents // DOCUMENTS_PER_WORKER))
    if workers == 1:
        yield from (_done_or_extract(item, model_dir, limits) for item in readable)
        return
    yield from _on_processes(readable, model_dir, limits, workers)


def _on_processes(
    items: Iterable[Job | dict], model_dir: str | None, limits: Limits, workers: int
) -> Iterator[dict]:
    """Worker processes forked from this one with the labeller loaded, a bounded window."""
    from concurrent.futures import ProcessPoolExecutor

    labeller_for(model_dir).warm_up()  # the tokenizer's dictionary too, before the fork
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=labeller_for, initargs=(model_dir,)
    ) as pool:
        window: deque = deque()
        for item in items:
            window.append(
                item
                if isinstance(item, dict)
                else pool.submit(_done_or_extract, item, model_dir, limits)
            )
            while len(window) > IN_FLIGHT_PER_WORKER * workers:
                yield _result(window.popleft())
        while window:
            yield _result(window.popleft())


def _readable(jobs: Iterable[Job], version: str) -> Iterator[Job | dict]:
    """Jobs with bytes pass on; a file that could not be read is already its record."""
    for job in jobs:
        if job.data is None:
            yield pipeline.error_record(job.path, job.read_error or "cannot read", version)
        else:
            yield job


def _done_or_extract(item: Job | dict, model: Labeller | str | None, limits: Limits) -> dict:
    """A record already made, or the whole job for one file's bytes; never raises."""
    if isinstance(item, dict):
        return item
    labeller = model if isinstance(model, Labeller) else labeller_for(model)
    try:
        return pipeline.extract_bytes(item.data, item.path, labeller, limits)
    except Exception as e:  # one bad document must not cost the others their results
        message = f"internal error ({type(e).__name__}): {e}"
        return pipeline.error_record(item.path, message, labeller.version, item.sha256)


def _on_dask(
    items: Iterable[Job | dict], model_dir: str | None, limits: Limits, address: str
) -> Iterator[dict]:
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
            window.append(
                item
                if isinstance(item, dict)
                else client.submit(_done_or_extract, item, model, limits, pure=False)
            )
            while len(window) > IN_FLIGHT_PER_WORKER * threads:
                yield _result(window.popleft())
        while window:
            yield _result(window.popleft())


def _result(item) -> dict:
    return item if isinstance(item, dict) else item.result()
