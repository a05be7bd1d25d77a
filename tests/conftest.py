"""Shared fixtures: the bundled example pages and a way to run the real `nianbao` command."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEEDS = sorted(EXAMPLES.glob("00[0-4]_*.txt"))


def nianbao_command() -> list[str]:
    """The installed console script when present, else the same entry point via -m."""
    script = Path(sys.executable).parent / "nianbao"
    return [str(script)] if script.exists() else [sys.executable, "-m", "nianbao_cli"]


def run_nianbao(
    *args: str, cwd: Path | None = None, timeout: int = 900
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*nianbao_command(), *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def seeds() -> list[Path]:
    assert len(SEEDS) == 5, "the five seed pages are bundled in examples/"
    return SEEDS


@contextmanager
def running_service(extra_env: dict[str, str] | None = None, model_dir: Path | None = None):
    """The real `nianbao serve` on a free 127.0.0.1 port for the `with` block; yields its URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    model = ["--model", str(model_dir)] if model_dir else []
    process = subprocess.Popen(
        [*nianbao_command(), "serve", "--port", str(port), *model],
        env={**os.environ, **(extra_env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.25)
        else:
            raise RuntimeError("nianbao serve did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def service():
    """One running service shared by the tests that only read from it."""
    with running_service() as url:
        yield url
