"""The project documents itself: docs/ covers every label, every field of the typed
records and every command and option, and nothing a user reads points outside the
repository."""

from __future__ import annotations

import re
import subprocess

import click
from conftest import ROOT, nianbao_command
from nianbao.model import templates
from nianbao.model.lines import LABELS
from nianbao.model.records import DocumentRecord, LabelledLine
from pydantic import BaseModel

import nianbao_cli

DOCS = ROOT / "docs"


def test_every_label_is_explained_with_examples():
    text = (DOCS / "labels.md").read_text(encoding="utf-8")
    for label in LABELS:
        section = re.search(rf"^## `{label}`: .*?(?=^## |\Z)", text, re.M | re.S)
        assert section, f"docs/labels.md has no section for {label}"
        assert section.group(0).count("`") >= 6, f"{label} needs examples"


def _fields(model: type[BaseModel], seen: set) -> set[str]:
    names = set()
    for name, info in model.model_fields.items():
        names.add(name)
        for inner in _models(info.annotation):
            if inner not in seen:
                seen.add(inner)
                names |= _fields(inner, seen)
    return names


def _models(annotation) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models(arg)]


def test_every_field_of_the_records_is_in_the_schema_doc():
    text = (DOCS / "schema.md").read_text(encoding="utf-8")
    fields = _fields(DocumentRecord, set()) | _fields(LabelledLine, set())
    rows = set(templates.T3_ROWS) - templates.T3_GROUPS  # groups hold no values
    fields |= rows | set(templates.T3_COLUMNS) | set(templates.T2_ROWS) | set(templates.T2_COLUMNS)
    missing = sorted(f for f in fields if f"`{f}`" not in text)
    assert missing == [], f"docs/schema.md does not explain {missing}"


def test_every_command_and_option_is_in_the_cli_doc():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")

    def walk(group: click.Group, prefix: str):
        for name, command in group.commands.items():
            yield prefix + name, command
            if isinstance(command, click.Group):
                yield from walk(command, prefix + name + " ")

    for name, command in walk(nianbao_cli.cli, "nianbao "):
        assert f"`{name}" in text, f"docs/cli.md does not document {name}"
        for param in command.params:
            for flag in getattr(param, "opts", []):
                if flag.startswith("--"):
                    assert flag in text, f"docs/cli.md does not document {name} {flag}"


def test_nothing_a_user_reads_points_outside_the_repository():
    pages = [ROOT / "README.md", ROOT / "MODEL_CARD.md", *DOCS.glob("*.md")]

    def help_of(*command: str) -> str:
        return subprocess.run(
            [*nianbao_command(), *command, "--help"], capture_output=True, text=True, check=True
        ).stdout

    helps = [help_of()] + [
        help_of(*name.split())
        for name in ("extract", "label", "dataset", "serve", "train", "evaluate", "annotate push")
    ]
    for text in [p.read_text(encoding="utf-8") for p in pages] + helps:
        assert "shared/spec" not in text
    assert "docs/" in helps[0]  # --help says where the documentation is


def test_every_script_and_module_command_answers_help_without_starting_work():
    import sys

    commands = [[sys.executable, str(p), "--help"] for p in sorted((ROOT / "scripts").glob("*.py"))]
    commands.append([sys.executable, "-m", "nianbao.training.tune", "--help"])
    for command in commands:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=ROOT)
        assert done.returncode == 0, (command, done.stderr[-500:])
        assert done.stdout.strip(), command  # it says what it does


def test_a_script_missing_its_optional_library_says_so_in_one_line():
    import importlib.util
    import sys

    for script, library in (("compare_pdf_readers.py", "pypdf"), ("fuzz_reader.py", "atheris")):
        if importlib.util.find_spec(library) is not None:
            continue  # installed here: the script would start its work
        done = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / script)], capture_output=True, text=True
        )
        assert done.returncode == 1
        assert done.stderr.strip() == f"{script.removesuffix('.py')}: needs {library}:" + (
            f" .venv/bin/pip install {library}"
        )
