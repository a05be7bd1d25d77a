"""Masks for personal data in output: mobile numbers and e-mail addresses.

Some reports publish officials' names with their mobile numbers (seed 004). Users who
republish the extracted data ask for `--redact`: every string in the output record,
at any depth, has these replaced by a mask. Office landlines (区号-号码) are the
body's published contact and stay.
"""

from __future__ import annotations

import re

MOBILE_MASK = "[手机号已隐去]"
EMAIL_MASK = "[邮箱已隐去]"

# 11 digits starting 13-19, optionally written +86 / 86 and with spaces or dashes 3-4-4,
# not part of a longer digit run (an index number, a 2023... document number).
_MOBILE = re.compile(r"(?<![\d])(?:\+?86[\s\-]?)?1[3-9]\d(?:[\s\-]?\d{4}){2}(?![\d])")
_EMAIL = re.compile(r"[\w.+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")


def redact_text(text: str) -> str:
    return _MOBILE.sub(MOBILE_MASK, _EMAIL.sub(EMAIL_MASK, text))


def redact(value):
    """A copy of a JSON-like value with every string redacted (keys included)."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {redact(k): redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value
