"""Shared fixtures: the bundled example pages and a way to run the real `nianbao` command."""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import jsonschema
import pytest
from nianbao.serving.launch import served
from nianbao.training.real_documents import corpus_dir, samples_dir, shared_dir

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEEDS = sorted(EXAMPLES.glob("00[0-4]_*.txt"))
# Real documents from other public repositories, read where they live (never copied in).
SHARED = shared_dir()
SAMPLES = samples_dir()
CORPUS = corpus_dir() / "pingtan-departments"
assert SAMPLES.is_dir() and CORPUS.is_dir(), (
    f"the shared real documents are missing: expected {SHARED} beside the checkout"
    " (or set NIANBAO_SHARED)"
)
DOCUMENT_SCHEMA = ROOT / "model" / "schema" / "document.schema.json"


def nianbao_command() -> list[str]:
    """The installed console script when present, else the same entry point via -m."""
    script = Path(sys.executable).parent / "nianbao"
    return [str(script)] if script.exists() else [sys.executable, "-m", "nianbao_cli"]


def run_nianbao(
    *args: str, cwd: Path | None = None, timeout: int = 900, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run the command (in `env`, default this process's environment); every document
    record `extract` writes (stdout or -o x.jsonl) is checked against the JSON Schema of
    schema.md on the way."""
    result = subprocess.run(
        [*nianbao_command(), *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=timeout,
        env=env,
    )
    if args and args[0] == "extract" and result.returncode in (0, 1):
        output = _option(args, "-o", "--output")
        if output is None:
            lines = result.stdout.splitlines()
        elif output.endswith((".jsonl", ".json")):
            lines = Path(cwd or ROOT, output).read_text(encoding="utf-8").splitlines()
        else:
            lines = []
        for line in lines:
            assert_valid_document(json.loads(line))
    return result


def _option(args: tuple[str, ...], *names: str) -> str | None:
    for i, arg in enumerate(args[:-1]):
        if arg in names:
            return args[i + 1]
    return None


@lru_cache(maxsize=1)
def _document_validator():
    schema = json.loads(DOCUMENT_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def assert_valid_document(record: dict) -> None:
    """The record follows model/schema/document.schema.json (schema.md as JSON Schema)."""
    errors = [
        f"{e.json_path}: {e.message[:200]}" for e in _document_validator().iter_errors(record)
    ]
    assert not errors, f"{record.get('source')}: " + "; ".join(errors[:5])


@pytest.fixture(scope="session")
def pdf_texts(tmp_path_factory) -> Path:
    """The sample PDFs' extracted texts and the PDF fragment, as text files: rebuilt from
    their annotations in ../shared/annotations, since the project keeps no copy."""
    from nianbao.training.dataset import document_text, load_annotated

    folder = tmp_path_factory.mktemp("pdf-texts")
    for doc in load_annotated([SHARED / "annotations"]):
        (folder / Path(doc.source).name).write_text(document_text(doc), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def seeds() -> list[Path]:
    assert len(SEEDS) == 5, "the five seed pages are bundled in examples/"
    return SEEDS


@contextmanager
def running_service(extra_env: dict[str, str] | None = None, model_dir: Path | None = None):
    """The real `nianbao serve` on a free 127.0.0.1 port for the `with` block; yields its URL."""
    with served(nianbao_command(), extra_env, model_dir) as running:
        yield running.url


@pytest.fixture(scope="session")
def service():
    """One running service shared by the tests that only read from it."""
    with running_service() as url:
        yield url
