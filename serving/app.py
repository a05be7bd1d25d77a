"""The HTTP service started by `nianbao serve` (127.0.0.1:9090 unless told otherwise).

`POST /v1/extract` and `POST /v1/label` take a JSON body (`{"text": ...}` or
`{"html": ...}`) or a file upload in any encoding the CLI reads, and answer the same JSON
as the CLI. `GET /v1/model` describes the loaded model, `GET /health` says it is up, and
the Label Studio ML backend lives beside them (`serving/ml_backend.py`). Bad input gets a
4xx with a one-line reason, never a traceback; the CRF and the assembler run off the
event loop. Settings from the environment: NIANBAO_API_KEY (optional; protects every
route but /health) and NIANBAO_MAX_BODY_BYTES (default 10 MB).
"""

from __future__ import annotations

import os

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from model.limits import LimitExceeded, Limits
from model.pipeline import extract_bytes, label_bytes
from model.read import ReadError
from model.records import DocumentRecord, LabelledLine
from model.settings import settings
from serving.ml_backend import BackendState, router
from serving.redact import redact as redact_personal_data


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


class BadInput(Exception):
    """Input the service cannot read: answered with 422 and this one-line reason."""


def create_app(model_dir: str | None = None) -> FastAPI:
    app = FastAPI(
        title="nianbao",
        description="Structured data from Chinese government "
        "information-disclosure annual reports; Label Studio ML backend.",
    )
    app.state.backend = BackendState(model_dir)
    app.state.max_body = settings().max_body_bytes
    key = settings().api_key
    app.state.api_key = key.get_secret_value() if key else None
    app.state.limits = Limits.from_settings()
    app.include_router(router)
    _add_api(app)
    _add_guards(app)
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
    """The posted document's bytes, name and suffix: JSON `text` or `html`, or a file."""
    body = await request.body()
    if len(body) > request.app.state.max_body:
        raise StarletteHTTPException(
            413, f"the body is larger than {request.app.state.max_body} bytes"
        )
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
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > request.app.state.max_body:
            return _error(413, f"the body is larger than {request.app.state.max_body} bytes")
        key = request.app.state.api_key
        if key and request.url.path != "/health":
            given = request.headers.get("x-api-key") or request.headers.get(
                "authorization", ""
            ).removeprefix("Bearer ")
            if given != key:
                return _error(401, "a valid API key is required (X-API-Key header)")
        try:
            return await call_next(request)
        except Exception as e:  # never a traceback to the client
            return _error(500, f"internal error ({type(e).__name__})")

    @app.exception_handler(BadInput)
    async def bad_input(request: Request, exc: BadInput):
        return _error(422, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        reason = "no such route" if exc.status_code == 404 else str(exc.detail)
        return _error(exc.status_code, reason)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        return _error(422, "the request does not have the expected shape")


def _error(status: int, reason: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": " ".join(reason.split())})
