"""Batch throughput: `nianbao extract` on one core and two, against simpler tools.

    .venv/bin/python scripts/bench_batch.py [--pages 10000]

Builds one corpus in a temporary folder: the five seed pages replicated (each copy made
distinct by a trailing line, so no cache or resume can skip it) and generated pages of
every layout (text and HTML), about half each. Then runs, each as its own process on the
same files, and prints documents/second, MB/second and the peak memory of the process
and its workers:

- `nianbao extract --jobs 1` and `--jobs 2` (the whole job: read, label, assemble, JSONL);
- `nianbao label` (the labeller alone: read, lines, features, CRF; JSONL);
- a regex line classifier as a user would write it without nianbao (the naive baseline);
- `unstructured`'s `partition_text`, when it is installed and works here.

Not a test: figures depend on the machine. README keeps the latest.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build_corpus(folder: Path, pages: int) -> list[Path]:
    from training.synthetic import ALL_LAYOUTS, generate_pages, page_text, to_html

    seeds = sorted((ROOT / "examples").glob("00[0-4]_*.txt"))
    (folder / "seeds").mkdir()
    (folder / "generated").mkdir()
    written = []
    for i in range(pages // 2):
        seed = seeds[i % len(seeds)]
        path = folder / "seeds" / f"seed_{i:05d}_{seed.name}"
        path.write_text(seed.read_text(encoding="utf-8") + f"\n第{i}份\n", encoding="utf-8")
        written.append(path)
    for i, page in enumerate(generate_pages(pages - pages // 2, seed=7, layouts=ALL_LAYOUTS)):
        if page.html:
            path = folder / "generated" / f"gen_{i:05d}.html"
            path.write_text(to_html(page), encoding="utf-8")
        else:
            path = folder / "generated" / f"gen_{i:05d}.txt"
            path.write_text(page_text(page), encoding="utf-8")
        written.append(path)
    return written


def measure(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds and peak resident MB of a command and all its children."""
    start = time.perf_counter()
    process = psutil.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    error = "" if process.returncode in (0, 1) else process.stderr.read().decode()[-300:]
    return seconds, peak / 2**20, error


# --- the two baselines, run by this script in a child process -----------------------

_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\))"
)
_NUMBERS = re.compile(r"^[\s\d.%\-—|]+$")
_TITLE = re.compile(r"政府信息公开.*(?:年度报告|工作报告)$")


def regex_label(line: str) -> str:
    """What a user writes in an afternoon: numbering, digits, a title pattern."""
    text = line.strip()
    if _TITLE.search(text):
        return "TITLE"
    if _HEADING.match(text):
        return "HEADING"
    if _NUMBERS.match(text):
        return "TABLE_CELL"
    if len(text) < 20 and not text.endswith("。"):
        return "TABLE_ROW"
    return "BODY"


def run_regex(paths: list[str]) -> None:
    for path in paths:
        text = Path(path).read_bytes().decode("utf-8", errors="replace")
        [regex_label(line) for line in text.splitlines() if line.strip()]


def run_unstructured(paths: list[str]) -> None:
    from unstructured.partition.text import partition_text

    for path in paths:
        partition_text(filename=path)


def unstructured_status() -> str:
    """'' when partition_text works here, else why not."""
    probe = (
        "from unstructured.partition.text import partition_text;"
        f"partition_text(filename={str(ROOT / 'examples' / '003_93b9769eac279042.txt')!r})"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    if result.returncode == 0:
        return ""
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    return lines[-1][:160] if lines else f"exit {result.returncode}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--baseline", choices=["regex", "unstructured"], help=argparse.SUPPRESS)
    parser.add_argument("--list", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:  # child process of a measurement
        paths = Path(args.list).read_text(encoding="utf-8").splitlines()
        {"regex": run_regex, "unstructured": run_unstructured}[args.baseline](paths)
        return

    sys.stdout.reconfigure(line_buffering=True)  # each figure as soon as it is measured
    nianbao = str(Path(sys.executable).parent / "nianbao")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        started = time.perf_counter()
        paths = build_corpus(corpus, args.pages)
        listing = Path(tmp) / "paths.txt"
        listing.write_text("\n".join(map(str, paths)), encoding="utf-8")
        megabytes = sum(p.stat().st_size for p in paths) / 1e6
        print(
            f"corpus: {len(paths)} documents, {megabytes:.1f} MB "
            f"(mean {megabytes * 1000 / len(paths):.1f} KB; the seeds average "
            f"{_mean_seed_kb():.1f} KB), built in {time.perf_counter() - started:.0f} s"
        )
        seed_copies = len(list((corpus / "seeds").iterdir()))
        runs = {
            "nianbao extract --jobs 1": [nianbao, "extract", str(corpus), "--jobs", "1"],
            "  the seed copies alone, --jobs 1": [
                nianbao,
                "extract",
                str(corpus / "seeds"),
                "--jobs",
                "1",
            ],
            "nianbao extract --jobs 2": [nianbao, "extract", str(corpus), "--jobs", "2"],
            "labeller alone (nianbao label)": [nianbao, "label", str(corpus)],
            "regex line classifier": [sys.executable, __file__, "--baseline", "regex"],
        }
        why_not = unstructured_status()
        if not why_not:
            runs["unstructured partition_text"] = [
                sys.executable,
                __file__,
                "--baseline",
                "unstructured",
            ]
        print(f"{'':34} {'docs/s':>8} {'MB/s':>7} {'peak MB':>8} {'seconds':>8}")
        for n, (name, command) in enumerate(runs.items()):
            if command[0] == nianbao:
                command = [*command, "-o", str(Path(tmp) / f"run{n}.jsonl")]
            else:
                command = [*command, "--list", str(listing)]
            seconds, peak, error = measure(command)
            if error:
                print(f"{name:34} failed: {error}")
                continue
            n, mb = len(paths), megabytes
            if "seed copies" in name:
                n = seed_copies
                mb = sum(p.stat().st_size for p in (corpus / "seeds").iterdir()) / 1e6
            print(f"{name:34} {n / seconds:8.1f} {mb / seconds:7.2f} {peak:8.0f} {seconds:8.1f}")
        if why_not:
            print(f"{'unstructured partition_text':34} not run: {why_not}")


def _mean_seed_kb() -> float:
    seeds = sorted((ROOT / "examples").glob("00[0-4]_*.txt"))
    return sum(p.stat().st_size for p in seeds) / len(seeds) / 1000


if __name__ == "__main__":
    main()
