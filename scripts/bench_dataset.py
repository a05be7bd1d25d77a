"""Benchmark of `nianbao dataset` (not a test): 10,000 documents in, the panel out.

Four of the seeds (one report each), each copied under made-up body names (one per copy) (another body's report of the
same template), plus one re-scrape with other page furniture for every ninth copy, so the
panel has bodies, copies to merge and checks to run. Prints wall time and peak resident
memory (the largest process, and all processes together) of the first run (extracting
every document) and of a second run (every record already there: the panel alone).

    .venv/bin/python scripts/bench_dataset.py --documents 10000
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
NIANBAO = str(Path(sys.executable).parent / "nianbao")
SEEDS = sorted((REPO / "examples").glob("00?_*.txt"))
ORGANIZATIONS = {  # the name each seed's report gives its body
    "000": "何家洞镇",
    "001": "城关镇",
    "003": "南安镇",
    "004": "河桥镇",
}
FURNITURE = "网站首页 | 政务公开 | 互动交流\n当前位置：首页 > 政府信息公开年报\n"


def build(folder: Path, documents: int) -> None:
    rng = random.Random(0)
    seeds = [s for s in SEEDS if s.name[:3] in ORGANIZATIONS]
    n = 0
    while n < documents:
        for seed in seeds:
            name = "".join(chr(0x4E00 + rng.randrange(20000)) for _ in range(3))
            text = seed.read_text(encoding="utf-8").replace(
                ORGANIZATIONS[seed.name[:3]], name + "镇"
            )
            (folder / f"{n:05d}.txt").write_text(text, encoding="utf-8")
            n += 1
            if n % 9 == 0 and n < documents:
                (folder / f"{n:05d}.txt").write_text(FURNITURE + text, encoding="utf-8")
                n += 1
            if n >= documents:
                return


def run(command: list[str]) -> tuple[float, float, float, str]:
    peak_one = peak_all = 0
    started = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_one, peak_all
        while not done.is_set():
            try:
                tree = [process, *process.children(recursive=True)]
                rss = [p.memory_info().rss for p in tree]
                peak_one, peak_all = max(peak_one, *rss), max(peak_all, sum(rss))
            except psutil.Error:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    done.set()
    sampler.join()
    return time.perf_counter() - started, peak_one / 2**20, peak_all / 2**20, stderr.decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pages, out = Path(tmp) / "pages", Path(tmp) / "dataset"
        pages.mkdir()
        build(pages, args.documents)
        mb = sum(p.stat().st_size for p in pages.iterdir()) / 1e6
        print(f"{args.documents} documents ({mb:.0f} MB), --jobs {args.jobs}")
        command = [NIANBAO, "dataset", str(pages), "-o", str(out), "--jobs", str(args.jobs)]
        for what in (
            "first run (extract every document, then the panel)",
            "second run (the panel alone)",
        ):
            seconds, one, total, stderr = run(command)
            print(
                f"{what}: {seconds:.1f} s, peak {one:.0f} MB (largest process), {total:.0f} MB (all)"
            )
            print("  " + stderr.strip().splitlines()[-1])
        sizes = {p.name: p.stat().st_size / 1e6 for p in out.iterdir() if p.is_file()}
        print("outputs: " + ", ".join(f"{k} {v:.1f} MB" for k, v in sorted(sizes.items())))


if __name__ == "__main__":
    main()
