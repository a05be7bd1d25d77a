"""Running the service: `run` in this process until SIGTERM or Ctrl-C (`nianbao serve`),
`served` in a child process on a free 127.0.0.1 port for as long as a block runs (what the
service benchmark and the tests start, the real server every time)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn


class _Server(uvicorn.Server):
    """uvicorn's server, ending with exit 0 on SIGTERM: uvicorn itself re-raises the signal
    once it has shut down, and a supervisor reads the 143 that gives as a crash."""

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        stops = (signal.SIGINT, signal.SIGTERM)
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in stops}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def run(app, host: str, port: int, grace_seconds: float) -> None:
    """Serve until SIGTERM or Ctrl-C. Then the listening socket closes (new connections are
    refused), requests in flight get `grace_seconds` to finish, and the process exits 0."""
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=grace_seconds
    )
    server = _Server(config)
    print(f"nianbao serve: listening on http://{host}:{port} (docs at /docs)", file=sys.stderr)
    server.run()


@dataclass
class RunningService:
    url: str
    process: subprocess.Popen


@contextmanager
def served(
    nianbao: list[str],
    extra_env: dict[str, str] | None = None,
    model_dir: Path | None = None,
    startup_seconds: float = 60,
    log: Path | None = None,
) -> Iterator[RunningService]:
    """Start `nianbao serve` (`nianbao` is the command to call it by); yield it once /health
    answers; stop it afterwards. Its stderr goes to `log` when given."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    model = ["--model", str(model_dir)] if model_dir else []
    with open(log or os.devnull, "wb") as stderr:
        process = subprocess.Popen(
            [*nianbao, "serve", "--port", str(port), *model],
            env={**os.environ, **(extra_env or {})},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
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
        yield RunningService(url, process)
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=60)
