"""The HTTP service started by `nianbao serve` (127.0.0.1:9090 unless told otherwise).

`POST /v1/extract` and `POST /v1/label` take a JSON body (`{"text": ...}` or
`{"html": ...}`) or a file upload in any encoding the CLI reads, and answer the same JSON
as the CLI. `GET /v1/model` describes the loaded model, `GET /health` says it is up, and
the Label Studio ML backend lives beside them (`serving/ml_backend.py`). Bad input gets a
4xx with a one-line reason, never a traceback; the CRF and the assembler run off the
event loop. Settings from the environment: NIANBAO_API_KEY (optional; protects every
route but /health), NIANBAO_MAX_BODY_BYTES (default 10 MB) and NIANBAO_CORS_ORIGINS (no
CORS unless set).
"""

from __future__ import annotations

import hmac
import os

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from nianbao.model.limits import LimitExceeded, Limits
from nianbao.model.pipeline import extract_bytes, label_bytes
from nianbao.model.read import ReadError
from nianbao.model.records import DocumentRecord, LabelledLine
from nianbao.model.settings import settings
from nianbao.serving.guards import BadInput, BoundedBody, error_response
from nianbao.serving.ml_backend import BackendState, router
from nianbao.serving.redact import redact as redact_personal_data
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware


class DocumentJson(BaseModel):
    """A document posted as JSON: its text (any plain text) or an HTML page."""

    text: str | None = Field(None, description="the document as plain text")
    html: str | None = Field(None, description="the document as an HTML page")
    path: str | None = Field(None, description="a name for it in the record (`source.path`)")


class ErrorBody(BaseModel):
    error: str = Field(description="one sentence")


# The request body of /v1/extract and /v1/label: read by hand (to bound its size before
# it is read), declared here so that /docs can send either form.
DOCUMENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": DocumentJson.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "a .txt, .md, .html, .pdf or .docx file, any encoding",
                        }
                    },
                }
            },
        },
    }
}
ERRORS = {
    code: {"model": ErrorBody, "description": why}
    for code, why in (
        (401, "no or a wrong API key"),
        (413, "the body is over NIANBAO_MAX_BODY_BYTES"),
        (422, "the document cannot be read, or the body has no document"),
    )
}


def create_app(model_dir: str | None = None) -> FastAPI:
    app = FastAPI(
        title="nianbao",
        description="Structured data from Chinese government "
        "information-disclosure annual reports; Label Studio ML backend.",
    )
    config = settings()
    app.state.backend = BackendState(model_dir)
    app.state.api_key = config.api_key.get_secret_value() if config.api_key else None
    app.state.limits = Limits.from_settings()
    app.include_router(router)
    _add_api(app)
    _add_guards(app)
    if config.cors_origins:  # browsers elsewhere may call only when the operator says so
        origins = [o.strip() for o in config.cors_origins.split(",") if o.strip()]
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"])
    app.add_middleware(BoundedBody, max_body=config.max_body_bytes)  # outermost: first to read
    return app


def _add_api(app: FastAPI) -> None:
    @app.get("/v1/model")
    def model_info(request: Request) -> dict:
        card = request.app.state.backend.labeller.card
        evaluation = card.get("evaluation", {})
        overall = evaluation.get("after", {}).get("overall", {})
        return {
            "version": card["version"],
            "labels": card["labels"],
            "params": card.get("params", {}),
            "scores": {
                "method": evaluation.get("method"),
                "lines": overall.get("lines"),
                "fields": overall.get("fields"),
            },
        }

    @app.post(
        "/v1/extract",
        response_model=DocumentRecord,
        response_model_exclude_unset=True,
        openapi_extra=DOCUMENT_BODY,
        responses=ERRORS,
    )
    async def extract(request: Request, redact: bool = False) -> dict:
        """The record `nianbao extract` writes for the posted document. `?redact=true`
        masks mobile numbers and e-mails, as the CLI's --redact."""
        raw, name, suffix = await _upload(request)
        labeller = request.app.state.backend.labeller
        record = await run_in_threadpool(
            extract_bytes, raw, name, labeller, request.app.state.limits, suffix
        )
        if record["error"]:
            raise BadInput(record["error"])
        return redact_personal_data(record) if redact else record

    @app.post(
        "/v1/label",
        response_model=list[LabelledLine],
        response_model_exclude_unset=True,
        openapi_extra=DOCUMENT_BODY,
        responses=ERRORS,
    )
    async def label(request: Request, redact: bool = False) -> list[dict]:
        """One record per non-blank line, as `nianbao label` writes them."""
        raw, name, suffix = await _upload(request)
        labeller = request.app.state.backend.labeller
        try:
            records = await run_in_threadpool(
                label_bytes, raw, name, labeller, request.app.state.limits, suffix
            )
        except (ReadError, LimitExceeded) as e:
            raise BadInput(str(e)) from e
        return redact_personal_data(records) if redact else records


async def _upload(request: Request) -> tuple[bytes, str, str]:
    """The posted document's bytes, name and suffix: JSON `text` or `html`, or a file.
    The upload's file name goes into the record only; it is never used as a path."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise BadInput("upload the document as the form field `file`")
        name = upload.filename or "upload"
        return await upload.read(), name, os.path.splitext(name)[1].lower()
    try:
        payload = await request.json()
    except ValueError as e:  # JSON that does not parse
        raise BadInput(f"the body is not JSON: {e}") from e
    if not isinstance(payload, dict) or not (
        isinstance(payload.get("text"), str) or isinstance(payload.get("html"), str)
    ):
        raise BadInput('send {"text": "..."} or {"html": "..."} as JSON, or a file upload')
    kind = "html" if isinstance(payload.get("html"), str) else "text"
    path = str(payload.get("path") or f"<{kind}>")
    try:
        raw = payload[kind].encode("utf-8")
    except UnicodeEncodeError as e:  # JSON may carry lone surrogates (\ud800): not text
        raise BadInput(f"the {kind} holds invalid Unicode (a lone surrogate)") from e
    return raw, path, ".html" if kind == "html" else ".txt"


def _add_guards(app: FastAPI) -> None:
    @app.middleware("http")
    async def guard(request: Request, call_next):
        key = request.app.state.api_key
        if key and request.url.path != "/health":
            given = request.headers.get("x-api-key") or request.headers.get(
                "authorization", ""
            ).removeprefix("Bearer ")
            if not hmac.compare_digest(given.encode(), key.encode()):  # constant time
                return error_response(401, "a valid API key is required (X-API-Key header)")
        try:
            return await call_next(request)
        except Exception as e:  # never a traceback to the client
            return error_response(500, f"internal error ({type(e).__name__})")

    @app.exception_handler(BadInput)
    async def bad_input(request: Request, exc: BadInput):
        return error_response(422, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        reason = "no such route" if exc.status_code == 404 else str(exc.detail)
        return error_response(exc.status_code, reason)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        return error_response(422, "the request does not have the expected shape")
