"""The annotation loop against a Label Studio server: push documents with the model's
predictions, pull annotators' corrections into timestamped snapshots.

Connection settings come from the environment: LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY
(a legacy token, or a personal access token, which is exchanged for short-lived access
tokens). The REST calls used are those measured in ../shared/notes/label-studio.md §6.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from annotations.labelstudio import (
    label_config,
    latest_annotation,
    load_export,
    result_items,
    task_data,
    validate_prediction,
)
from model.labeller import Labeller
from model.lines import split_lines
from model.read import read_document
from model.settings import label_studio_settings

SNAPSHOT_DIR = Path(__file__).resolve().parent / "data"


class LoopError(Exception):
    """The loop cannot go on: no server, no token, a refused document. One sentence."""


@dataclass
class PushResult:
    project_id: int
    created: int
    already_there: int
    refused: list[str]


class LabelStudioClient:
    """The few REST calls the loop needs, with the token from the environment."""

    def __init__(self, url: str | None = None, api_key: str | None = None) -> None:
        env = label_studio_settings()
        self.url = (url or env.url or "").rstrip("/")
        key = api_key or (env.api_key.get_secret_value() if env.api_key else None)
        if not self.url or not key:
            raise LoopError("set LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY to reach Label Studio")
        self.http = httpx.Client(base_url=self.url, timeout=120)
        if key.count(".") == 2:  # a personal access token (JWT): exchange it for an access token
            response = self.http.post("/api/token/refresh/", json={"refresh": key})
            self._check(response, "exchange the personal access token")
            self.http.headers["Authorization"] = f"Bearer {response.json()['access']}"
        else:
            self.http.headers["Authorization"] = f"Token {key}"

    def _check(self, response: httpx.Response, doing: str) -> httpx.Response:
        if response.status_code >= 400:
            raise LoopError(
                f"Label Studio refused to {doing}: HTTP {response.status_code} "
                f"{response.text[:200]!r}"
            )
        return response

    def get(self, path: str, doing: str, **params) -> object:
        try:
            return self._check(self.http.get(path, params=params), doing).json()
        except httpx.HTTPError as e:
            raise LoopError(f"cannot reach Label Studio at {self.url}: {e}") from e

    def send(self, method: str, path: str, doing: str, body: object, **params) -> object:
        try:
            return self._check(
                self.http.request(method, path, json=body, params=params), doing
            ).json()
        except httpx.HTTPError as e:
            raise LoopError(f"cannot reach Label Studio at {self.url}: {e}") from e

    def project_id(self, title: str, create: bool) -> int | None:
        found = self.get("/api/projects", "list projects", title=title, page_size=1000)
        projects = found["results"] if isinstance(found, dict) else found
        for project in projects:
            if project["title"] == title:
                return project["id"]
        if not create:
            return None
        created = self.send(
            "POST",
            "/api/projects",
            "create the project",
            {"title": title, "label_config": label_config()},
        )
        return created["id"]

    def tasks(self, project: int) -> list[dict]:
        tasks, page = [], 1
        while True:
            found = self.get("/api/tasks", "list tasks", project=project, page=page, page_size=100)
            batch = found.get("tasks", []) if isinstance(found, dict) else found
            tasks += batch
            total = found.get("total", len(tasks)) if isinstance(found, dict) else len(tasks)
            if not batch or len(tasks) >= total:
                return tasks
            page += 1


def push(
    paths: Sequence[Path],
    project: str,
    labeller: Labeller,
    client: LabelStudioClient,
    ml_backend: str | None = None,
) -> PushResult:
    """One task per document, the model's labels as pre-annotations, least sure first.

    A document already in the project (same content hash) is not pushed again; it only
    gets the current model's prediction if it has none, so that after a promotion one
    push brings the new model's labels to the queue (the project's model version is set).
    """
    project_id = client.project_id(project, create=True)
    present = {t["data"].get("doc_id"): t["id"] for t in client.tasks(project_id)}
    config = label_config()
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
        problems = validate_prediction(config, task, prediction["result"])
        if problems:
            refused.append(f"{path}: {problems[0]}")
            continue
        if doc.sha256 in present:  # already there: add this model's prediction if it has none
            already += 1
            _add_prediction(client, present[doc.sha256], prediction)
            continue
        tasks.append({**task, "predictions": [prediction]})
        present[doc.sha256] = -1
    tasks.sort(
        key=lambda t: t["predictions"][0]["score"]
    )  # the queue starts where the model is unsure
    if tasks:
        client.send(
            "POST",
            f"/api/projects/{project_id}/import",
            "import the tasks",
            tasks,
            return_task_ids="true",
        )
    if ml_backend:
        register_backend(client, project_id, ml_backend)
    client.send(
        "PATCH",
        f"/api/projects/{project_id}",
        "set the model version",
        {"model_version": labeller.version},
    )
    return PushResult(project_id, len(tasks), already, refused)


def register_backend(client: LabelStudioClient, project_id: int, url: str) -> None:
    """Connect the nianbao ML backend (`nianbao serve`) to the project, once."""
    found = client.get("/api/ml", "list ML backends", project=project_id)
    backends = found["results"] if isinstance(found, dict) else found
    if any(b.get("url", "").rstrip("/") == url.rstrip("/") for b in backends):
        return
    client.send(
        "POST",
        "/api/ml",
        "connect the ML backend",
        {"url": url, "project": project_id, "title": "nianbao", "is_interactive": False},
    )


def _prediction(labeller: Labeller, lines) -> dict:
    tagged = labeller.tag(lines)
    scores = [t.confidence for t in tagged]
    return {
        "model_version": labeller.version,
        "score": round(min(scores), 4),
        "result": result_items(lines, [t.label for t in tagged], scores),
    }


def _add_prediction(client: LabelStudioClient, task_id: int, prediction: dict) -> None:
    if task_id < 0:
        return
    task = client.get(f"/api/tasks/{task_id}", "read a task")
    if any(
        p.get("model_version") == prediction["model_version"] for p in task.get("predictions", [])
    ):
        return
    client.send(
        "POST",
        "/api/predictions",
        "add the new model's prediction",
        {**prediction, "task": task_id},
    )


def _unstorable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: the export would fail for the whole project
        return True
    return "\x00" in text


def pull(project: str, client: LabelStudioClient, out_dir: Path = SNAPSHOT_DIR) -> Path | None:
    """Write the project's annotated tasks as a new snapshot; None when nothing is new.

    Snapshots are Label Studio JSON exports named `<UTC time>-<project>.json`, never
    overwritten. Training reads them all in name order; within a task the most recently
    updated annotation that was not cancelled counts, across snapshots the later one.
    """
    project_id = client.project_id(project, create=False)
    if project_id is None:
        raise LoopError(f"no Label Studio project named {project!r}")
    exported = client.get(
        f"/api/projects/{project_id}/export", "export the project", exportType="JSON"
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
    path = out_dir / f"{stamp}-{slug}.json"
    with open(path, "x", encoding="utf-8") as f:  # "x": never overwrite an earlier snapshot
        json.dump(annotated, f, ensure_ascii=False, indent=1)
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
