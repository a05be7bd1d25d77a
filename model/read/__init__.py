"""Reading: bytes on disk -> decoded source text, whatever the encoding or format.

The first stage of the flow. Text in any Chinese encoding (`encodings`), HTML pages
(`html`: one paragraph or one table row per line, cells separated by tabs), PDF with a
text layer (`pdf`) and Word .docx (`docx`) all become a `Document` whose text the rest
of the pipeline reads; a file that cannot be read raises `ReadError` with one sentence.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from nianbao.model.limits import LimitExceeded
from nianbao.model.read.document import Document, ReadError
from nianbao.model.read.encodings import decode_bytes

TEXT_SUFFIXES = {".txt", ".md", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
OFFICE_SUFFIXES = {".pdf", ".docx", ".doc"}  # .doc only to tell the user to convert it
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | OFFICE_SUFFIXES


def read_document(path: str | Path) -> Document:
    """Read one file from disk into a Document, or raise ReadError."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except IsADirectoryError as e:
        raise ReadError(f"{p} is a directory, not a document") from e
    except OSError as e:
        raise ReadError(f"cannot read {p}: {e.strerror or e}") from e
    return read_bytes(raw, path=str(p), suffix=p.suffix.lower())


def read_bytes(raw: bytes, path: str = "<bytes>", suffix: str = "") -> Document:
    """Decode raw bytes (a file's content, an upload) into a Document."""
    sha = hashlib.sha256(raw).hexdigest()
    if not raw.strip():
        raise ReadError("the file is empty")
    if b"%PDF-" in raw[:1024]:
        return _read_pdf(raw, path, sha)
    if raw.startswith(_OLE2_MAGIC):
        raise ReadError(
            "an old binary Word/Office file (.doc): convert it to .docx first"
            " (libreoffice --headless --convert-to docx FILE)"
        )
    if raw.startswith(b"PK\x03\x04"):
        return _read_docx(raw, path, sha)
    text, encoding = decode_bytes(raw)
    fmt = _guess_format(suffix, text)
    if fmt == "html":
        from nianbao.model.read.html import html_to_text  # lxml: only pages that are HTML load it

        text = html_to_text(text)
    return Document(path=path, text=text, encoding=encoding, format=fmt, sha256=sha)


_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _read_pdf(raw: bytes, path: str, sha: str) -> Document:
    from nianbao.model.read.pdf import pdf_lines

    with _damaged("the PDF"):
        pdf = pdf_lines(raw)
    return Document(path, "\n".join(pdf.lines), "pdf", "pdf", sha, tuple(pdf.pages))


def _read_docx(raw: bytes, path: str, sha: str) -> Document:
    from nianbao.model.read.docx import docx_lines

    if b"word/document.xml" not in raw:  # zip entry names are stored uncompressed
        raise ReadError("a zip archive, not a Word .docx document")
    with _damaged("the Word document"):
        lines = docx_lines(raw)
    return Document(path, "\n".join(lines), "docx", "docx", sha)


@contextmanager
def _damaged(what: str) -> Iterator[None]:
    """A damaged PDF or Word file makes its parser raise anything: one sentence instead."""
    try:
        yield
    except (ReadError, LimitExceeded):
        raise
    except Exception as e:
        raise ReadError(f"{what} cannot be read ({type(e).__name__})") from e


_HTML_SNIFF = re.compile(r"<\s*(!doctype\s+html|html|body|head|div|p|table|meta)\b", re.I)


def _guess_format(suffix: str, text: str) -> str:
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix == ".md":
        return "md"
    if suffix in TEXT_SUFFIXES:
        return "txt"
    return "html" if _HTML_SNIFF.search(text[:2000]) else "txt"
