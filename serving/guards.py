"""What every request of the service meets before a route sees it: the bound on its body,
and the one shape of every error (one line of JSON).

The body is read here, whole, before the app runs. A body over the bound is read on and
thrown away (up to DRAIN_FACTOR times the bound) before the 413 goes out: a client that
sends everything before it reads (Python's urllib, most scripts) would otherwise find the
connection reset under it and never see the answer.
"""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DRAIN_FACTOR = 8  # a body this many times the bound is not read to its end


class BadInput(Exception):
    """Input the service cannot use: answered with 422 and this one-line reason."""


def error_response(status: int, reason: str, headers: dict[str, str] | None = None):
    return JSONResponse(
        status_code=status, content={"error": " ".join(reason.split())}, headers=headers
    )


class BoundedBody:
    """Reads each request's body before the app; a body over `max_body` bytes gets 413."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        too_large = error_response(
            413,
            f"the body is larger than {self.max_body} bytes",
            headers={"connection": "close"},
        )
        if declared is not None and declared > DRAIN_FACTOR * self.max_body:
            await too_large(scope, receive, send)  # too much to read through: answer now
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client went away: nobody to answer
            body = message.get("body", b"")
            size += len(body)
            more = message.get("more_body", False)
            if size > self.max_body:
                chunks.clear()  # read on, keep nothing
                if size > DRAIN_FACTOR * self.max_body:
                    break
            else:
                chunks.append(body)
        if size > self.max_body:
            await too_large(scope, receive, send)
            return
        await self.app(scope, _replay(b"".join(chunks), receive), send)


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body as one message, then whatever the server says next (a disconnect)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed
