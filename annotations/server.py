"""A local Label Studio server: started on 127.0.0.1 with an admin and an API token from the
environment, waited for until it answers, stopped cleanly.

Label Studio lives in its own virtual environment (it pins numpy, pyarrow and its SDK):
`python3 -m venv .venv-ls && .venv-ls/bin/pip install label-studio==1.23.2`. Its
environment is built from scratch, because it reads bare names such as HOST, PORT or
PASSWORD as settings (see ../shared/notes/label-studio.md).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import httpx
from nianbao.model.settings import label_studio_settings

REPO = Path(__file__).resolve().parent.parent
LABEL_STUDIO_VERSION = "1.23.2"


class ServerError(Exception):
    """Label Studio could not be started; the message says why in one sentence."""


def label_studio_binary() -> str | None:
    """LABEL_STUDIO_BIN, else the project's own .venv-ls, else one on PATH."""
    candidates = [
        str(label_studio_settings().bin or "") or None,
        str(REPO / ".venv-ls" / "bin" / "label-studio"),
        shutil.which("label-studio"),
    ]
    return next((c for c in candidates if c and Path(c).exists()), None)


class LabelStudioServer:
    """`with LabelStudioServer(data_dir, port, token, user, password) as url: ...`"""

    def __init__(
        self,
        data_dir: str | Path,
        port: int,
        token: str,
        username: str,
        password: str,
        timeout: float = 300,
    ) -> None:
        if len(token) < 6:
            raise ServerError("the API token must be at least 6 characters long")
        self.data_dir = Path(data_dir)
        self.port = port
        self.token = token
        self.username = username
        self.password = password
        self.timeout = timeout
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> str:
        binary = label_studio_binary()
        if binary is None:
            raise ServerError(
                "Label Studio is not installed: run "
                f"`python3 -m venv .venv-ls && .venv-ls/bin/pip install label-studio=={LABEL_STUDIO_VERSION}`"
            )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.data_dir),
            "LANG": "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
            "LABEL_STUDIO_BASE_DATA_DIR": str(self.data_dir),
            "LABEL_STUDIO_USERNAME": self.username,
            "LABEL_STUDIO_PASSWORD": self.password,
            "LABEL_STUDIO_USER_TOKEN": self.token,
            "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
            "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
            "ML_BLOCK_LOCAL_IP": "false",
            "SSRF_PROTECTION_ENABLED": "false",
            "SENTRY_DSN": "",
            "FRONTEND_SENTRY_DSN": "",
            "LATEST_VERSION_CHECK": "false",
            "COLLECT_ANALYTICS": "false",
        }
        log = open(self.data_dir / "server.log", "ab")
        self.process = subprocess.Popen(
            [binary, "start", "--no-browser", "--internal-host", "127.0.0.1", "-p", str(self.port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        self._wait_until_ready()
        return self.url

    def _wait_until_ready(self) -> None:
        started = time.monotonic()
        while time.monotonic() - started < self.timeout:
            if self.process is not None and self.process.poll() is not None:
                raise ServerError(
                    f"Label Studio exited at start; see {self.data_dir / 'server.log'}"
                )
            try:
                if httpx.get(f"{self.url}/health", timeout=2).json().get("status") == "UP":
                    # it silently moves to the next port when ours is taken: check it is ours
                    if f"127.0.0.1:{self.port}/" in (self.data_dir / "server.log").read_text(
                        errors="replace"
                    ):
                        return
                    raise ServerError(f"port {self.port} is served by another program")
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.5)
        self.stop()
        raise ServerError(f"Label Studio did not answer within {self.timeout:.0f} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
