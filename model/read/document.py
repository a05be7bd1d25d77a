"""A decoded document, and the one error a document that cannot be read raises."""

from __future__ import annotations

from dataclasses import dataclass


class ReadError(Exception):
    """A document that cannot be read; the message is one sentence for the user."""


@dataclass(frozen=True)
class Document:
    """A decoded document: the source text every line number refers to."""

    path: str
    text: str
    encoding: str  # the text encoding; "pdf" or "docx" for those containers
    format: str  # "txt", "md", "html", "pdf" or "docx"
    sha256: str
    line_pages: tuple[int, ...] | None = None  # PDF: the page of each line of `text`
