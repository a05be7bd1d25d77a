"""Soak of `nianbao serve` (not a test): mixed traffic at a fixed concurrency for a fixed
number of requests, from this process to a service it starts on 127.0.0.1 only.

Good reports in every format (text and GB18030 uploads, HTML, PDF, Word, the ML backend's
/predict) mixed with hostile bodies (JSON that does not parse, wrong shapes, binary files,
an 11 MB body, Label Studio calls with no config, unknown routes, a wrong method). Prints
throughput, p50/p99 latency, the count of answers by status code (a 5xx is a failure),
and the service's resident memory sampled over the run, by quarter (flat, not growing).

    .venv/bin/python scripts/soak_serve.py --requests 4000 --concurrency 16
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import statistics
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nianbao.annotations.labelstudio import label_config, task_data  # noqa: E402
from nianbao.model.lines import split_lines  # noqa: E402
from nianbao.serving.launch import served  # noqa: E402
from nianbao.training.real_documents import shared_dir  # noqa: E402

Request = tuple[str, str, dict]  # method, path, httpx keyword arguments


def traffic() -> list[tuple[str, Request]]:
    """(kind, request): the mix, one of each; the soak cycles through it."""
    seeds = sorted((REPO / "examples").glob("00?_*.txt"))
    shared = shared_dir()
    mix: list[tuple[str, Request]] = []
    for seed in seeds:
        text = seed.read_text(encoding="utf-8")
        mix.append(("text", ("POST", "/v1/extract", {"json": {"text": text, "path": seed.name}})))
        mix.append(("label", ("POST", "/v1/label", {"json": {"text": text}})))
    upload = seeds[4].read_text(encoding="utf-8").encode("gb18030")
    mix.append(("gb18030 upload", ("POST", "/v1/extract", {"files": {"file": ("r.txt", upload)}})))
    if shared is not None:
        for html in sorted((shared / "corpus").rglob("*.html"))[:3]:
            body = {"files": {"file": (html.name, html.read_bytes())}}
            mix.append(("html", ("POST", "/v1/extract", body)))
        for pdf in sorted((shared / "samples").glob("*.pdf"))[:1]:
            body = {"files": {"file": (pdf.name, pdf.read_bytes())}}
            mix.append(("pdf", ("POST", "/v1/extract", body)))
        for docx in sorted((shared / "samples").glob("*.docx")):
            body = {"files": {"file": (docx.name, docx.read_bytes())}}
            mix.append(("docx", ("POST", "/v1/extract", body)))
    lines = split_lines(seeds[0].read_text(encoding="utf-8"))
    task = {"id": 1, "data": task_data("d", "x.txt", "d", lines, "")}
    predict = {"tasks": [task], "label_config": label_config(), "project": "1.1"}
    mix.append(("predict", ("POST", "/predict", {"json": predict})))
    mix.append(("webhook", ("POST", "/webhook", {"json": {"action": "ANNOTATION_CREATED"}})))
    hostile: list[tuple[str, Request]] = [
        ("not JSON", ("POST", "/v1/extract", {"content": b"{not json"})),
        ("wrong shape", ("POST", "/v1/label", {"json": {"txet": 1}})),
        ("binary file", ("POST", "/v1/extract", {"files": {"file": ("x.txt", b"\x00PK" * 999)}})),
        ("11 MB body", ("POST", "/v1/extract", {"json": {"text": "年" * (11 * 2**20 // 3)}})),
        ("predict, no config", ("POST", "/predict", {"json": {"tasks": [task]}})),
        ("predict, bad lines", ("POST", "/predict", {"json": {**predict, "tasks": [{"data": 1}]}})),
        ("webhook, a list", ("POST", "/webhook", {"json": [1, 2]})),
        ("unknown route", ("GET", "/v1/nothing", {})),
        ("wrong method", ("GET", "/v1/extract", {})),
    ]
    return mix + hostile


async def soak(url: str, mix, requests: int, concurrency: int):
    statuses: collections.Counter = collections.Counter()
    by_kind: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(i)

    async def worker(client: httpx.AsyncClient) -> None:
        while True:
            try:
                i = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            kind, (method, path, kwargs) = mix[i % len(mix)]
            started = time.perf_counter()
            try:
                response = await client.request(method, f"{url}{path}", **kwargs)
                status = str(response.status_code)
            except httpx.HTTPError as e:
                status = type(e).__name__  # a transport failure: counted apart
            latencies.append(time.perf_counter() - started)
            statuses[status] += 1
            by_kind[kind][status] += 1

    async with httpx.AsyncClient(timeout=300) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return statuses, by_kind, latencies


def sample_memory(pid: int, samples: list[tuple[float, int]], stop: threading.Event) -> None:
    process = psutil.Process(pid)
    while not stop.is_set():
        try:
            samples.append((time.perf_counter(), process.memory_info().rss))
        except psutil.Error:
            return
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    mix = traffic()
    with served([str(Path(sys.executable).parent / "nianbao")]) as running:
        samples: list[tuple[float, int]] = []
        stop = threading.Event()
        sampler = threading.Thread(
            target=sample_memory, args=(running.process.pid, samples, stop), daemon=True
        )
        sampler.start()
        started = time.perf_counter()
        statuses, by_kind, latencies = asyncio.run(
            soak(running.url, mix, args.requests, args.concurrency)
        )
        elapsed = time.perf_counter() - started
        stop.set()
        sampler.join()
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    print(
        f"{args.requests} requests at concurrency {args.concurrency}, cycling through"
        f" {len(mix)} kinds ({sum(1 for k in mix if k[1][1] != '/v1/nothing')} routes' bodies)"
    )
    print(f"throughput {args.requests / elapsed:.1f} requests/s over {elapsed:.1f} s")
    print(f"latency p50 {statistics.median(latencies) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms")
    print("answers by status: " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
    for kind, counts in by_kind.items():
        print(f"  {kind:22} " + ", ".join(f"{s}: {n}" for s, n in sorted(counts.items())))
    failures = sum(n for s, n in statuses.items() if not s.isdigit() or s.startswith("5"))
    quarters = [samples[i * len(samples) // 4 : (i + 1) * len(samples) // 4] for i in range(4)]
    peaks = [max(rss for _, rss in q) / 2**20 for q in quarters if q]
    print("resident memory, peak by quarter of the run: " + ", ".join(f"{p:.0f} MB" for p in peaks))
    if len(peaks) == 4:
        print(f"last quarter / first quarter: {peaks[3] / peaks[0]:.2f}x")
    print(f"5xx or transport failures: {failures}")


if __name__ == "__main__":
    main()
