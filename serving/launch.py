"""`nianbao serve` in a child process on a free 127.0.0.1 port, for as long as a block
runs: what the service benchmark and the tests start, the real server every time."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


@contextmanager
def served(
    nianbao: list[str],
    extra_env: dict[str, str] | None = None,
    model_dir: Path | None = None,
    startup_seconds: float = 60,
) -> Iterator[str]:
    """Start `nianbao serve` (`nianbao` is the command to call it by); yield its URL once
    /health answers; stop it afterwards."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    model = ["--model", str(model_dir)] if model_dir else []
    process = subprocess.Popen(
        [*nianbao, "serve", "--port", str(port), *model],
        env={**os.environ, **(extra_env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_seconds
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("nianbao serve did not start")
            time.sleep(0.25)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
