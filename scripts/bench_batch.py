"""Speed, in one run on this machine: `nianbao extract` on one core and two, on a Dask
cluster of one and two workers, the labeller alone, a one-page run, and the naive regex
extractor on the same pages, as documents/s and as ratios.

    .venv/bin/python scripts/bench_batch.py [--pages 300]

The pages: `--pages` seed-sized pages, the five seeds in turn, each copy made distinct by a
line of its own (so no cache or resume can skip it). Every command runs as its own process,
as a user runs it, start-up included, and writes JSONL to a file; the outputs of
`--jobs 1`, `--jobs 2` and Dask must be byte-identical. Peak memory is the largest resident
set of any one process of the run (main or worker), sampled every 10 ms.

The Dask cluster (a `LocalCluster` of 1 or 2 worker processes, one thread each) is started
before its run and not timed, like a cluster that is already up; its workers import nianbao
on their first task, which is timed. Then, in this process, what one document costs by stage
(read, lines, features, CRF, assembly, JSON) on the same pages and on the real corpus.

Not a test: figures depend on the machine. README and MODEL_CARD keep the latest.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NIANBAO = str(Path(sys.executable).parent / "nianbao")
REGEX = ROOT.parent / "shared" / "baselines" / "regex" / "nianbao"
SEEDS = sorted((ROOT / "examples").glob("00[0-4]_*.txt"))


def build_pages(folder: Path, pages: int) -> list[Path]:
    """The seeds in turn, each copy with a line of its own at the end."""
    folder.mkdir()
    written = []
    for i in range(pages):
        seed = SEEDS[i % len(SEEDS)]
        path = folder / f"p{i:05d}_{seed.name}"
        path.write_text(seed.read_text(encoding="utf-8") + f"\n第{i}份\n", encoding="utf-8")
        written.append(path)
    return written


class Run:
    """One command as its own process: wall seconds, and the peak RSS of its largest process
    (its workers included)."""

    def __init__(self, command: list[str], extra_pids=()) -> None:
        self.peak = 0
        self.extra = [psutil.Process(pid) for pid in extra_pids]  # Dask workers
        start = time.perf_counter()
        process = psutil.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        sampler = threading.Thread(target=self._sample, args=(process,), daemon=True)
        sampler.start()
        _, stderr = process.communicate()
        self.seconds = time.perf_counter() - start
        sampler.join()
        self.error = "" if process.returncode == 0 else stderr.decode()[-300:]

    def _sample(self, process: psutil.Process) -> None:
        while process.poll() is None:
            try:
                tree = [process, *process.children(recursive=True), *self.extra]
                self.peak = max(self.peak, *(p.memory_info().rss for p in tree))
            except psutil.Error:
                pass
            time.sleep(0.01)


def halves(paths: list[Path], tmp: Path, extract) -> Run:
    """Two independent `--jobs 1` runs on half the pages each, at the same time: what two
    processes can do on this machine with nothing shared, start-up included (the ceiling of
    `--jobs 2`). The returned run's time is the slower half's."""
    runs: list[Run] = []
    threads = []
    for half in (0, 1):
        folder = tmp / f"half{half}"
        folder.mkdir()
        for path in paths[half::2]:
            (folder / path.name).write_bytes(path.read_bytes())
        command = extract(f"half{half}.jsonl", "--jobs", "1")
        command[2] = str(folder)
        threads.append(threading.Thread(target=lambda c=command: runs.append(Run(c))))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return max(runs, key=lambda run: (bool(run.error), run.seconds))


def dask_cluster(workers: int):
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        host="127.0.0.1",
    )
    client = Client(cluster)
    pids = list(client.run(os.getpid).values())
    return cluster, client, pids


def stage_costs(paths: list[Path]) -> dict[str, float]:
    """Milliseconds per document of each stage, in this process, the model loaded."""
    from nianbao.model.assembler import assemble
    from nianbao.model.features import tagging_features
    from nianbao.model.labeller import load_model
    from nianbao.model.lines import split_lines
    from nianbao.model.pipeline import extract_document
    from nianbao.model.read import read_document

    labeller = load_model().warm_up()
    spent = dict.fromkeys(["read", "lines", "features", "CRF", "assembly", "JSON"], 0.0)
    clock = time.perf_counter
    for path in paths:
        t0 = clock()
        doc = read_document(path)
        t1 = clock()
        lines = split_lines(doc.text)
        t2 = clock()
        features = tagging_features(lines)
        t3 = clock()
        tagged = labeller.tag(lines, features)
        t4 = clock()
        assemble(tagged)
        t5 = clock()
        record = extract_document(doc, labeller)
        t6 = clock()
        json.dumps(record, ensure_ascii=False)
        t7 = clock()
        stages = (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t7 - t6)
        for stage, seconds in zip(spent, stages, strict=True):
            spent[stage] += seconds
    return {stage: 1000 * s / len(paths) for stage, s in spent.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # each figure as soon as it is measured
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        paths = build_pages(tmp / "pages", args.pages)
        pages = str(tmp / "pages")
        n_lines = sum(
            sum(1 for x in p.read_text(encoding="utf-8").splitlines() if x.strip()) for p in paths
        )
        mb = sum(p.stat().st_size for p in paths) / 1e6
        print(
            f"{len(paths)} seed-sized pages (the five seeds, each copy distinct): {mb:.1f} MB,"
            f" {n_lines} non-blank lines; {os.cpu_count()} cores\n"
        )
        print(f"{'':40} {'docs/s':>8} {'lines/s':>9} {'seconds':>8} {'peak MB':>8}")
        rates: dict[str, float] = {}

        def report(name: str, run: Run) -> None:
            if run.error:
                print(f"{name:40} failed: {run.error}")
                return
            rates[name] = len(paths) / run.seconds
            print(
                f"{name:40} {rates[name]:8.1f} {n_lines / run.seconds:9.0f}"
                f" {run.seconds:8.2f} {run.peak / 2**20:8.0f}"
            )

        def extract(out: str, *options: str) -> list[str]:
            return [NIANBAO, "extract", pages, "-o", str(tmp / out), *options]

        report("nianbao extract --jobs 1", Run(extract("jobs1.jsonl", "--jobs", "1")))
        report("nianbao extract --jobs 2", Run(extract("jobs2.jsonl", "--jobs", "2")))
        report("two --jobs 1 runs on half each, at once", halves(paths, tmp, extract))
        for workers in (1, 2):
            cluster, client, pids = dask_cluster(workers)
            try:
                run = Run(
                    extract(f"dask{workers}.jsonl", "--dask", cluster.scheduler_address), pids
                )
            finally:
                client.close()
                cluster.close()
            report(f"nianbao extract --dask ({workers} worker{'s' * (workers > 1)})", run)
        label = [NIANBAO, "label", pages, "--jobs", "1", "-o", str(tmp / "label1.jsonl")]
        report("nianbao label --jobs 1 (labeller alone)", Run(label))
        label2 = [NIANBAO, "label", pages, "--jobs", "2", "-o", str(tmp / "label2.jsonl")]
        report("nianbao label --jobs 2", Run(label2))
        if REGEX.exists():
            regex = [str(REGEX), "extract", pages, "-o", str(tmp / "regex.jsonl")]
            report("naive regex extractor (baseline)", Run(regex))

        one_page = [NIANBAO, "extract", str(SEEDS[0]), "-o", str(tmp / "one.jsonl")]
        starts = []
        for _ in range(5):
            (tmp / "one.jsonl").unlink(missing_ok=True)
            starts.append(Run(one_page))
        print(
            f"\none-page nianbao extract: {statistics.median(r.seconds for r in starts):.2f} s"
            f" wall (median of 5), peak {max(r.peak for r in starts) / 2**20:.0f} MB"
        )

        def ratio(a: str, b: str) -> str:
            return f"{rates[a] / rates[b]:.2f}x" if a in rates and b in rates else "n/a"

        j1, j2 = "nianbao extract --jobs 1", "nianbao extract --jobs 2"
        d1, d2 = "nianbao extract --dask (1 worker)", "nianbao extract --dask (2 workers)"
        print(f"--jobs 2 / --jobs 1: {ratio(j2, j1)}")
        print(
            f"the ceiling of two processes here (two runs on half each / --jobs 1):"
            f" {ratio('two --jobs 1 runs on half each, at once', j1)}"
        )
        print(f"Dask 2 workers / 1 worker: {ratio(d2, d1)}")
        print(f"--jobs 1 / naive regex: {ratio(j1, 'naive regex extractor (baseline)')}")
        print(
            f"label --jobs 2 / label --jobs 1: {ratio('nianbao label --jobs 2', 'nianbao label --jobs 1 (labeller alone)')}"
        )
        outputs = [tmp / f for f in ("jobs1.jsonl", "jobs2.jsonl", "dask1.jsonl", "dask2.jsonl")]
        same = len({p.read_bytes() for p in outputs if p.exists()}) == 1
        same_labels = (tmp / "label1.jsonl").read_bytes() == (tmp / "label2.jsonl").read_bytes()
        print(
            f"outputs of --jobs 1, --jobs 2, Dask 1 and 2 byte-identical: {'yes' if same else 'NO'}"
        )
        print(f"outputs of label --jobs 1 and 2 byte-identical: {'yes' if same_labels else 'NO'}")

        print("\nms per document by stage, in one process, model loaded:")
        from nianbao.training.real_documents import corpus_pages

        for name, docs in (("these pages", paths), ("the real corpus", corpus_pages())):
            costs = stage_costs(docs)
            parts = ", ".join(f"{stage} {ms:.2f}" for stage, ms in costs.items())
            print(f"  {name} ({len(docs)}): {parts}; total {sum(costs.values()):.1f}")


if __name__ == "__main__":
    main()
