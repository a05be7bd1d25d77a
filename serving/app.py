"""The HTTP service started by `nianbao serve` (127.0.0.1 unless told otherwise).

For now it serves the Label Studio ML backend (`serving/ml_backend.py`); the extraction
API is the serving issue's.
"""

from __future__ import annotations

from fastapi import FastAPI

from model.labeller import Labeller
from serving.ml_backend import BackendState, router


def create_app(model_dir: str | None = None) -> FastAPI:
    app = FastAPI(
        title="nianbao", description="Label Studio ML backend for the nianbao line labeller"
    )
    app.state.backend = BackendState(Labeller.load(model_dir))
    app.include_router(router)
    return app
