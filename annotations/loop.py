"""The annotation loop against a Label Studio server: push documents with the model's
predictions, pull annotators' corrections into timestamped snapshots.

Label Studio is reached through its SDK (label-studio-sdk 2.x), with the URL and token from
the environment: LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY (a legacy token, or a personal
access token, which the SDK exchanges for short-lived access tokens).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from label_studio_sdk import LabelStudio
from label_studio_sdk.core.api_error import ApiError
from label_studio_sdk.label_interface import LabelInterface
from nianbao.annotations.labelstudio import (
    label_config,
    latest_annotation,
    load_export,
    result_items,
    task_data,
    validate_prediction,
)
from nianbao.model.labeller import Labeller
from nianbao.model.lines import split_lines
from nianbao.model.read import read_document
from nianbao.model.settings import label_studio_settings

SNAPSHOT_DIR = Path(__file__).resolve().parent / "data"


class LoopError(Exception):
    """The loop cannot go on: no server, no token, a refused document. One sentence."""


@dataclass
class PushResult:
    project_id: int
    created: int
    already_there: int
    refused: list[str]


def connect(url: str | None = None, api_key: str | None = None) -> LabelStudio:
    """A Label Studio client with the URL and token from the environment (LABEL_STUDIO_URL,
    LABEL_STUDIO_API_KEY: a legacy token or a personal access token, which the SDK turns
    into short-lived access tokens); each answer waited for LABEL_STUDIO_TIMEOUT seconds."""
    env = label_studio_settings()
    url = (url or env.url or "").rstrip("/")
    key = api_key or (env.api_key.get_secret_value() if env.api_key else None)
    if not url or not key:
        raise LoopError("set LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY to reach Label Studio")
    with calling("connect", url):
        return LabelStudio(base_url=url, api_key=key, timeout=env.timeout)


@contextmanager
def calling(doing: str, url: str = "") -> Iterator[None]:
    """Whatever Label Studio or the network answers goes out as one sentence naming the
    server and what was asked of it; the token never appears in it."""
    url = url or label_studio_settings().url or ""
    where = f"Label Studio at {url.rstrip('/')}" if url else "Label Studio"
    try:
        yield
    except ApiError as e:
        body = e.body if isinstance(e.body, str) else json.dumps(e.body, ensure_ascii=False)
        status = e.status_code or 0
        if status in (401, 403):
            why = f"refused the token (HTTP {status}; check LABEL_STUDIO_API_KEY)"
        elif status >= 500:
            why = f"failed (HTTP {status}, an error of the server)"
        else:
            why = f"refused (HTTP {status})"
        raise LoopError(f"{where} {why} when asked to {doing}: {(body or '')[:200]!r}") from e
    except httpx.TimeoutException as e:
        timeout = label_studio_settings().timeout
        raise LoopError(
            f"{where} did not answer within {timeout:g} s (LABEL_STUDIO_TIMEOUT) when asked"
            f" to {doing}"
        ) from e
    except httpx.HTTPError as e:
        raise LoopError(f"cannot reach {where} to {doing}: {e}") from e


def project_id(ls: LabelStudio, title: str, create: bool) -> int | None:
    """The project with this title; created (with the line-labelling config) if asked."""
    with calling("list projects"):
        for project in ls.projects.list(title=title):
            if project.title == title:
                return project.id
        if not create:
            return None
        return ls.projects.create(title=title, label_config=label_config()).id


def project_tasks(ls: LabelStudio, project: int) -> list[dict]:
    """Every task of the project with its data, predictions and annotations."""
    with calling("list tasks"):
        return [t.model_dump() for t in ls.tasks.list(project=project, fields="all")]


def push(
    paths: Sequence[Path],
    project: str,
    labeller: Labeller,
    ls: LabelStudio,
    ml_backend: str | None = None,
) -> PushResult:
    """One task per document, the model's labels as pre-annotations, least sure first.

    A document already in the project (same content hash) is not pushed again; it only
    gets the current model's prediction if it has none, so that after a promotion one
    push brings the new model's labels to the queue (the project's model version is set).
    """
    pid = project_id(ls, project, create=True)
    present = {t["data"].get("doc_id"): t for t in project_tasks(ls, pid)}
    interface = LabelInterface(label_config())
    tasks, refused, already = [], [], 0
    for path in paths:
        doc = read_document(path)
        lines = split_lines(doc.text)
        if not lines or any(_unstorable(line.text) for line in lines):
            refused.append(
                f"{path}: {'no text' if not lines else 'text Label Studio cannot store'}"
            )
            continue
        task = {"data": task_data(doc.sha256, str(path), doc.sha256, lines, doc.text)}
        prediction = _prediction(labeller, lines)
        problems = validate_prediction(interface, task, prediction["result"])
        if problems:
            refused.append(f"{path}: {problems[0]}")
            continue
        if doc.sha256 in present:  # already there: add this model's prediction if it has none
            already += 1
            _add_prediction(ls, present[doc.sha256], prediction)
            continue
        tasks.append({**task, "predictions": [prediction]})
        present[doc.sha256] = {}
    tasks.sort(key=lambda t: t["predictions"][0]["score"])  # the queue starts where it is unsure
    with calling("import the tasks"):
        if tasks:
            ls.projects.import_tasks(id=pid, request=tasks, return_task_ids=True)
    if ml_backend:
        register_backend(ls, pid, ml_backend)
    with calling("set the model version"):
        ls.projects.update(id=pid, model_version=labeller.version)
    return PushResult(pid, len(tasks), already, refused)


def register_backend(ls: LabelStudio, pid: int, url: str) -> None:
    """Connect the nianbao ML backend (`nianbao serve`) to the project, once."""
    with calling("connect the ML backend"):
        if any((b.url or "").rstrip("/") == url.rstrip("/") for b in ls.ml.list(project=pid)):
            return
        ls.ml.create(url=url, project=pid, title="nianbao", is_interactive=False)


def _prediction(labeller: Labeller, lines) -> dict:
    tagged = labeller.predict(lines)
    scores = [t.confidence for t in tagged]
    return {
        "model_version": labeller.version,
        "score": round(min(scores), 4),
        "result": result_items(lines, [t.label for t in tagged], scores),
    }


def _add_prediction(ls: LabelStudio, task: dict, prediction: dict) -> None:
    if not task or any(
        p.get("model_version") == prediction["model_version"] for p in task.get("predictions") or []
    ):
        return  # just imported, or this model's prediction is there
    with calling("add the new model's prediction"):
        ls.predictions.create(
            task=task["id"],
            result=prediction["result"],
            score=prediction["score"],
            model_version=prediction["model_version"],
        )


def _unstorable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: the export would fail for the whole project
        return True
    return "\x00" in text


def pull(project: str, ls: LabelStudio, out_dir: Path = SNAPSHOT_DIR) -> Path | None:
    """Write the project's annotated tasks as a new snapshot; None when nothing is new.

    Snapshots are Label Studio JSON exports named `<UTC time>-<project>.json`, never
    overwritten. Training reads them all in name order; within a task the most recently
    updated annotation that was not cancelled counts, across snapshots the later one.
    """
    pid = project_id(ls, project, create=False)
    if pid is None:
        raise LoopError(f"no Label Studio project named {project!r}")
    with calling("export the project"):
        exported = json.loads(
            b"".join(ls.projects.exports.download_sync(id=pid, export_type="JSON"))
        )
    annotated = [t for t in exported if latest_annotation(t) is not None]
    if not annotated:
        return None
    slug = re.sub(r"[^0-9A-Za-z_-]+", "-", project).strip("-") or "project"
    previous = sorted(out_dir.glob(f"*-{slug}.json"))
    if previous and _signature(load_export(previous[-1])) == _signature(annotated):
        return None
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H-%M-%S-%fZ")
    return _write_snapshot(out_dir / f"{stamp}-{slug}.json", annotated)


def _write_snapshot(path: Path, tasks: list[dict]) -> Path:
    """The snapshot appears whole or not at all, and never over an earlier one: it is
    written beside its place (a name training does not read), synced, then linked into
    place, which fails rather than replace a file of that name."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        with open(partial, "w", encoding="utf-8") as f:
            json.dump(tasks, f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.link(partial, path)
    except OSError as e:
        raise LoopError(f"cannot write the snapshot {path}: {e.strerror or e}") from e
    finally:
        partial.unlink(missing_ok=True)
    return path


def _signature(tasks: list[dict]) -> list:
    """What a snapshot says: each task's latest annotation and when it was made."""
    out = []
    for task in tasks:
        annotation = latest_annotation(task)
        if annotation is not None:
            out.append(
                (task["data"].get("doc_id"), annotation.get("id"), annotation.get("updated_at"))
            )
    return sorted(out, key=str)
