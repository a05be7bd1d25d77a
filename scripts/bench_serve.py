"""Benchmark of `nianbao serve` (not a test): a bounded burst of concurrent requests from a
second process, on 127.0.0.1 only. Prints throughput, p50/p99 latency and errors.

    python scripts/bench_serve.py --requests 2000 --concurrency 16
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import httpx
from nianbao.serving.launch import served

REPO = Path(__file__).resolve().parent.parent


async def burst(
    url: str, bodies: list[dict], requests: int, concurrency: int
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(i)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while True:
            try:
                i = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            started = time.perf_counter()
            try:
                response = await client.post(f"{url}/v1/extract", json=bodies[i % len(bodies)])
                errors += response.status_code != 200
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - started)

    async with httpx.AsyncClient(timeout=300) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    seeds = sorted((REPO / "examples").glob("00?_*.txt"))
    bodies = [{"text": p.read_text(encoding="utf-8"), "path": p.name} for p in seeds]
    with served([str(Path(sys.executable).parent / "nianbao")]) as running:
        url = running.url
        started = time.perf_counter()
        latencies, errors = asyncio.run(burst(url, bodies, args.requests, args.concurrency))
        elapsed = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    size = sum(len(b["text"].encode("utf-8")) for b in bodies) / len(bodies)
    print(
        f"requests {args.requests}, concurrency {args.concurrency}, mixed seeds (mean {size / 1024:.1f} KB)"
    )
    print(f"throughput {args.requests / elapsed:.1f} requests/s over {elapsed:.1f} s")
    print(f"latency p50 {statistics.median(latencies) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms")
    print(f"errors {errors}")


if __name__ == "__main__":
    main()
