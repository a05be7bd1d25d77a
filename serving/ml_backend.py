"""The Label Studio ML backend: Label Studio asks it for the predictions of a task.

Protocol of Label Studio 1.23 (../shared/notes/label-studio.md §3): `GET /health` and
`POST /setup` before every batch (keep them instant), `POST /predict` with the tasks,
`POST /webhook` when annotations are created or updated. Predicting runs off the event
loop so a large document does not stall the health checks. The webhook only records
that corrections exist; retraining is the annotation loop's job.
"""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from annotations.labelstudio import lines_of_task, result_items
from model.labeller import CARD_FILE, SHIPPED_MODEL, Labeller, load_model

router = APIRouter()


class BackendState:
    """The loaded model, reloaded when a newer one is promoted, and what the webhook saw.

    Each request takes `labeller` once and keeps that model to the end, so a promotion
    never changes the model under a request in flight. A model that cannot be loaded yet
    (being written) leaves the old one serving.
    """

    def __init__(self, model_dir: str | Path | None = None) -> None:
        self.model_dir = Path(model_dir) if model_dir else SHIPPED_MODEL
        self._labeller = load_model(self.model_dir)
        self._stamp = self._card_stamp()
        self._lock = threading.Lock()
        self.corrections: list[dict] = []

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
                        self._labeller = load_model(self.model_dir)
                        self._stamp = stamp
                    except Exception:  # noqa: BLE001 - a half-written model: keep the old one
                        pass
        return self._labeller


def _predict_task(labeller: Labeller, task: dict) -> dict:
    lines = lines_of_task(task)
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
        "corrections_recorded": len(request.app.state.backend.corrections),
    }


@router.post("/setup")
async def setup(request: Request) -> dict:
    return {"model_version": request.app.state.backend.labeller.version}


@router.post("/predict")
async def predict(request: Request) -> dict:
    body = await request.json()
    labeller = request.app.state.backend.labeller
    results = [
        await run_in_threadpool(_predict_task, labeller, task) for task in body.get("tasks", [])
    ]
    return {"results": results, "model_version": labeller.version}


@router.post("/webhook", status_code=201)
async def webhook(request: Request) -> dict:
    event = await request.json()
    if event.get("action") in ("ANNOTATION_CREATED", "ANNOTATION_UPDATED"):
        task = event.get("task") or {}
        request.app.state.backend.corrections.append(
            {
                "action": event["action"],
                "task": task.get("id"),
                "project": (event.get("project") or {}).get("id"),
            }
        )
    return {"status": "ok"}
