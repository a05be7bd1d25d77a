"""Which PDF library reads the sample reports best: cells right against the hand-read values.

    .venv/bin/pip install pypdf && .venv/bin/python scripts/compare_pdf_readers.py

pdfplumber (what nianbao uses: ruled tables from the PDF's structure, text between them)
against pypdf's text extraction (lines only; tables left to the labeller and assembler, as
in any text page). Prints, per sample and reader, the table cells that match
annotations/gold/samples/ and the seconds taken.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nianbao.model.labeller import load_model  # noqa: E402
from nianbao.model.pipeline import extract_bytes  # noqa: E402
from nianbao.training.real_documents import load_gold, samples_dir  # noqa: E402


def pypdf_text(raw: bytes) -> bytes:
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(raw)).pages
    return "\n".join(page.extract_text() or "" for page in pages).encode("utf-8")


def cells(expected: dict) -> list[tuple[str, str, str]]:
    return [(t, r, c) for t, rows in expected.items() for r, cols in rows.items() for c in cols]


def main() -> None:
    if any(a in ("-h", "--help") for a in sys.argv[1:]):
        print(__doc__)
        return
    try:
        import pypdf  # noqa: F401
    except ImportError:
        raise SystemExit("compare_pdf_readers: needs pypdf: .venv/bin/pip install pypdf") from None
    labeller = load_model()
    print(f"{'sample':14} {'reader':11} {'cells right':>12} {'seconds':>8}")
    pdfs = sorted({g.name for g in load_gold().values() if g.name.endswith(".pdf")})
    for name in pdfs:
        expected = load_gold()[name].reports[0]["tables"]
        raw = (samples_dir() / name).read_bytes()
        for reader in ("pdfplumber", "pypdf"):
            started = time.perf_counter()
            if reader == "pdfplumber":
                record = extract_bytes(raw, "x.pdf", labeller)
            else:
                record = extract_bytes(pypdf_text(raw), "x.txt", labeller)
            seconds = time.perf_counter() - started
            tables = record["reports"][0]["tables"] if record["reports"] else {}
            right = sum(
                tables.get(t, {}).get(r, {}).get(c, "absent") == expected[t][r][c]
                for t, r, c in cells(expected)
            )
            print(f"{name[:-4]:14} {reader:11} {right:>5}/{len(cells(expected)):<6} {seconds:8.2f}")


if __name__ == "__main__":
    main()
