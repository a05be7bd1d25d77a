"""The Label Studio ML backend: Label Studio asks it for the predictions of a task.

Protocol of Label Studio 1.23 (../shared/notes/label-studio.md §3): `GET /health` and
`POST /setup` before every batch (keep them instant), `POST /predict` with the tasks,
`POST /webhook` when annotations are created or updated. Predicting runs off the event
loop so a large document does not stall the health checks. The webhook only records
that corrections exist (the last RECENT_EVENTS of them: memory stays bounded); retraining
is the annotation loop's job. A body these routes cannot use gets a 422 naming what is
wrong; a task with no lines to label gets an empty prediction, as Label Studio expects one
per task.
"""

from __future__ import annotations

import threading
from collections import deque
from pathlib import Path

from fastapi import APIRouter, Request
from nianbao.annotations.labelstudio import FROM_NAME, lines_of_task, result_items
from nianbao.model.labeller import CARD_FILE, SHIPPED_MODEL, Labeller, load_model
from nianbao.model.lines import Line
from nianbao.serving.guards import BadInput
from starlette.concurrency import run_in_threadpool

router = APIRouter()
RECENT_EVENTS = 1000


class BackendState:
    """The loaded model, reloaded when a newer one is promoted, and what the webhook saw.

    Each request takes `labeller` once and keeps that model to the end, so a promotion
    never changes the model under a request in flight. A model that cannot be loaded yet
    (being written) leaves the old one serving.
    """

    def __init__(self, model_dir: str | Path | None = None) -> None:
        self.model_dir = Path(model_dir) if model_dir else SHIPPED_MODEL
        self._labeller = load_model(self.model_dir).warm_up()  # before concurrent requests
        self._stamp = self._card_stamp()
        self._lock = threading.Lock()
        self.corrections: deque[dict] = deque(maxlen=RECENT_EVENTS)
        self.corrections_recorded = 0

    def _card_stamp(self) -> tuple[int, int] | None:
        try:
            stat = (self.model_dir / CARD_FILE).stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    @property
    def labeller(self) -> Labeller:
        stamp = self._card_stamp()
        if stamp is not None and stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    try:
                        self._labeller = load_model(self.model_dir).warm_up()
                        self._stamp = stamp
                    except Exception:  # noqa: BLE001 - a half-written model: keep the old one
                        pass
        return self._labeller


def _task_lines(number: int, task: object) -> list[Line]:
    """The lines of a task as `annotate push` stored them; none for a task without them."""
    if not isinstance(task, dict) or not isinstance(task.get("data", {}), dict):
        raise BadInput(f"task {number} is not a Label Studio task (an object with `data`)")
    if not task.get("data", {}).get("lines"):
        return []
    try:
        return lines_of_task(task)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise BadInput(
            f"task {number}'s data.lines are not the lines nianbao pushes ({type(e).__name__})"
        ) from e


def _predict_task(labeller: Labeller, lines: list[Line]) -> dict:
    if not lines:
        return {"result": [], "score": 0.0, "model_version": labeller.version}
    tagged = labeller.predict(lines)
    scores = [t.confidence for t in tagged]
    return {
        "result": result_items(lines, [t.label for t in tagged], scores),
        "score": round(min(scores), 4),
        "model_version": labeller.version,
    }


@router.get("/health")
def health(request: Request) -> dict:
    return {
        "status": "UP",
        "model_class": "nianbao-crf",
        "model_version": request.app.state.backend.labeller.version,
        "corrections_recorded": request.app.state.backend.corrections_recorded,
    }


async def _json_object(request: Request) -> dict:
    try:
        body = await request.json()
    except ValueError as e:  # not JSON, or not UTF-8
        raise BadInput(f"the body is not JSON: {e}") from e
    if not isinstance(body, dict):
        raise BadInput("the body must be a JSON object")
    return body


def _check_config(config: object, key: str) -> None:
    """The project's labelling config, which Label Studio sends with every call, must be
    the one `nianbao annotate push` made: other projects' tasks are not ours to label."""
    if not isinstance(config, str) or not config.strip():
        raise BadInput(f"{key} is missing: Label Studio sends the project's labelling config")
    if f'name="{FROM_NAME}"' not in config:
        raise BadInput(
            f'the project\'s labelling config ({key}) has no name="{FROM_NAME}":'
            " create the project with `nianbao annotate push`"
        )


@router.post("/setup")
async def setup(request: Request) -> dict:
    body = await _json_object(request)
    _check_config(body.get("schema"), "schema")
    return {"model_version": request.app.state.backend.labeller.version}


@router.post("/predict")
async def predict(request: Request) -> dict:
    body = await _json_object(request)
    _check_config(body.get("label_config"), "label_config")
    tasks = body.get("tasks")
    if not isinstance(tasks, list):
        raise BadInput('send {"tasks": [...]}, as Label Studio does')
    lines = [_task_lines(n, task) for n, task in enumerate(tasks, 1)]  # all checked first
    labeller = request.app.state.backend.labeller
    results = [await run_in_threadpool(_predict_task, labeller, x) for x in lines]
    return {"results": results, "model_version": labeller.version}


@router.post("/webhook", status_code=201)
async def webhook(request: Request) -> dict:
    event = await _json_object(request)
    if event.get("action") in ("ANNOTATION_CREATED", "ANNOTATION_UPDATED"):
        task, project = event.get("task"), event.get("project")
        backend = request.app.state.backend
        backend.corrections.append(
            {
                "action": event["action"],
                "task": task.get("id") if isinstance(task, dict) else None,
                "project": project.get("id") if isinstance(project, dict) else None,
            }
        )
        backend.corrections_recorded += 1
    return {"status": "ok"}
