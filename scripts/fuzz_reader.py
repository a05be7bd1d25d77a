"""Coverage-guided fuzzing of reading and extraction with atheris (libFuzzer).

    .venv/bin/pip install atheris
    .venv/bin/python scripts/fuzz_reader.py -max_total_time=300 -rss_limit_mb=2048 tests/regressions

Any bytes go through the whole pipeline (`extract_bytes`: reader, HTML/PDF/Word
readers, lines, features, CRF, assembler). A result that is not a schema-valid record,
or any exception, is a crash: libFuzzer saves the input as `crash-*`; copy it into
tests/regressions/ and tests/test_fuzz.py replays it from then on. The hypothesis tests
in CI draw structured inputs; this finds what the byte-level mutations reach.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

if any(a in ("-h", "--help") for a in sys.argv[1:]):
    print(__doc__)
    raise SystemExit(0)
try:
    import atheris
except ImportError:
    raise SystemExit("fuzz_reader: needs atheris: .venv/bin/pip install atheris") from None

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

with atheris.instrument_imports():
    from nianbao.model.labeller import load_model
    from nianbao.model.limits import Limits
    from nianbao.model.pipeline import extract_bytes

import jsonschema  # noqa: E402

LABELLER = load_model()
LIMITS = Limits(seconds=10)
VALIDATOR = jsonschema.Draft202012Validator(
    json.loads((ROOT / "model" / "schema" / "document.schema.json").read_text(encoding="utf-8"))
)
SUFFIXES = (".txt", ".html", ".pdf", ".docx")


def one_input(data: bytes) -> None:
    if not data:
        return
    suffix = SUFFIXES[data[0] % len(SUFFIXES)]
    record = extract_bytes(data[1:], f"fuzz{suffix}", LABELLER, LIMITS)
    VALIDATOR.validate(record)


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
