"""Shared fixtures: the bundled example pages and a way to run the real `nianbao` command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
