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
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import TypeVar

from nianbao.model import pipeline
from nianbao.model.labeller import Labeller, load_model
from nianbao.model.limits import LimitExceeded, Limits
from nianbao.model.read import ReadError

# Below this many documents per worker, starting workers costs more than it saves.
DOCUMENTS_PER_WORKER = 8
IN_FLIGHT_PER_WORKER = 4
DASK_BATCH = 8

R = TypeVar("R")


class ClusterError(Exception):
    """The Dask scheduler cannot be reached: one sentence naming it."""


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


# --- the work on one document: never raises -------------------------------------------------


def extract_job(job: Job, model: Labeller | str | None, limits: Limits) -> dict:
    """The document's record (schema.md), or its error record."""
    labeller = _labeller(model)
    if job.data is None:
        message = job.read_error or "cannot read"
        return pipeline.error_record(job.path, message, labeller.version, job.sha256)
    try:
        return pipeline.extract_bytes(job.data, job.path, labeller, limits)
    except Exception as e:  # one bad document must not cost the others their results
        message = f"internal error ({type(e).__name__}): {e}"
        return pipeline.error_record(job.path, message, labeller.version, job.sha256)


def label_job(job: Job, model: Labeller | str | None, limits: Limits) -> list[dict]:
    """The document's line records (`nianbao label`), or its one error record."""
    labeller = _labeller(model)
    if job.data is None:
        message = job.read_error or "cannot read"
        return [pipeline.error_record(job.path, message, labeller.version, job.sha256)]
    try:
        return pipeline.label_bytes(job.data, job.path, labeller, limits)
    except (ReadError, LimitExceeded) as e:
        message = str(e)
    except Exception as e:  # one bad document must not cost the others their results
        message = f"internal error ({type(e).__name__}): {e}"
    return [pipeline.error_record(job.path, message, labeller.version, job.sha256)]


def _labeller(model: Labeller | str | None) -> Labeller:
    return model if isinstance(model, Labeller) else labeller_for(model)


# --- many documents -------------------------------------------------------------------------


def run_all(
    work: Callable[[Job, Labeller | str | None, Limits], R],
    jobs: Iterable[Job],
    n_documents: int,
    model_dir: str | None,
    limits: Limits,
    n_jobs: int = 1,
    dask_address: str | None = None,
) -> Iterator[R]:
    """`work` (extract_job or label_job) on every job, results in the jobs' order."""
    labeller_for(model_dir)  # fail here, once, if the model is missing
    if dask_address:
        yield from _on_dask(work, jobs, model_dir, limits, dask_address)
        return
    workers = max(1, min(n_jobs, n_documents // DOCUMENTS_PER_WORKER))
    if workers == 1:
        yield from (work(job, model_dir, limits) for job in jobs)
    else:
        yield from _on_processes(work, jobs, model_dir, limits, workers)


def _on_processes(work, jobs: Iterable[Job], model_dir, limits, workers: int) -> Iterator:
    """Worker processes forked from this one with the labeller loaded, a bounded window.

    A worker that dies (killed, out of memory, a crash in C code) breaks the whole pool and
    every document in flight with it. The pool is started again; the first document of the
    window is then worked on alone, in a process of its own: if that process dies too, the
    document gets an error record naming how it died, and otherwise its result is kept as
    if nothing had happened. The rest of the window goes to the new pool.
    """
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    labeller_for(model_dir).warm_up()  # the tokenizer's dictionary too, before the fork
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            workers, mp_context=context, initializer=_worker_start, initargs=(model_dir,)
        )

    pool = new_pool()
    window: deque[tuple[Job, Future]] = deque()

    def next_result():
        nonlocal pool
        job, future = window.popleft()
        try:
            return future.result()
        except BrokenProcessPool:
            pool.shutdown(wait=True, cancel_futures=True)
            result = _alone(work, job, model_dir, limits, context)
            pool = new_pool()
            for _ in range(len(window)):  # the rest of the window, again, in order
                other, _lost = window.popleft()
                window.append((other, pool.submit(work, other, model_dir, limits)))
            return result

    try:
        for job in jobs:
            window.append((job, pool.submit(work, job, model_dir, limits)))
            while len(window) > IN_FLIGHT_PER_WORKER * workers:
                yield next_result()
        while window:
            yield next_result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _worker_start(model_dir: str | None) -> None:
    """A worker leaves Ctrl-C to the main process, which stops the run in one line; a
    worker that took it too would print its own traceback on the way out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    labeller_for(model_dir)


def _alone(work, job: Job, model_dir, limits: Limits, context):
    """`work` on one job in a process of its own: its result, or (if that process dies
    too) the job's error record naming how the process ended."""
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_send_result, args=(sending, work, job, model_dir, limits))
    process.start()
    sending.close()
    try:
        result = receiving.recv()
    except EOFError:  # it died before sending anything
        result = None
    process.join()
    if result is not None:
        return result
    cause = _how_it_ended(process.exitcode)
    died = Job(job.path, None, job.sha256, f"the worker process died on this document ({cause})")
    return work(died, model_dir, limits)


def _send_result(sending, work, job: Job, model_dir, limits: Limits) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sending.send(work(job, model_dir, limits))
    sending.close()


def _how_it_ended(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        why = ", as the out-of-memory killer does" if name == "SIGKILL" else ""
        return f"killed by {name}{why}"
    return f"exit status {exitcode}"


def _on_dask(work, jobs: Iterable[Job], model_dir, limits, address: str) -> Iterator:
    """Submit to an existing Dask cluster, a bounded window of tasks at a time.

    The labeller is sent to every worker once (the workers need nianbao installed, not
    the model files); each task carries the bytes of DASK_BATCH documents, because one
    task per document spent more on scheduling than on the document.
    """
    from distributed import Client

    try:
        client = Client(address, timeout="10s")
    except OSError as e:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {e}") from e
    with client:
        threads = sum(client.nthreads().values()) or 1
        model = client.scatter(labeller_for(model_dir), broadcast=True)
        window: deque = deque()
        for batch in _batches(jobs, DASK_BATCH):
            window.append(client.submit(_work_on_batch, work, batch, model, limits, pure=False))
            while len(window) > 2 * threads:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


def _work_on_batch(work, batch: list[Job], model, limits: Limits) -> list:
    return [work(job, model, limits) for job in batch]


def _batches(jobs: Iterable[Job], size: int) -> Iterator[list[Job]]:
    iterator = iter(jobs)
    while batch := list(islice(iterator, size)):
        yield batch
