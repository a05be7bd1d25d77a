"""Every setting nianbao reads from the environment, read once and validated.

`NIANBAO_*` configure nianbao itself; `LABEL_STUDIO_*` reach the annotation server. A value
that does not parse is a one-line error naming the variable (`NIANBAO_MAX_MB: …`), never a
traceback. Secrets (API keys, the Label Studio password) are `Secret`: they print as
`**********` and go into no log.

Plain dataclasses, not pydantic-settings: every `nianbao` process reads these at start, and
importing pydantic-settings took 100 ms of a 350 ms one-page run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar


class SettingsError(Exception):
    """An environment variable with a value nianbao cannot use; one sentence."""


@dataclass(frozen=True)
class Secret:
    """A token or password: printed, logged or repr'd, it is `**********`."""

    _value: str = field(repr=False)

    def get_secret_value(self) -> str:
        return self._value

    def __str__(self) -> str:
        return "**********"

    __repr__ = __str__


def _setting(default: Any, description: str, parse: Callable[[str], Any], positive=False):
    return field(
        default=default,
        metadata={"description": description, "parse": parse, "positive": positive},
    )


@dataclass(frozen=True)
class Settings:
    """`NIANBAO_*`: limits per document, the service, where the real documents live."""

    prefix: ClassVar[str] = "NIANBAO_"

    max_mb: float = _setting(10.0, "larger input files get an error record", float, True)
    max_lines: int = _setting(20_000, "documents with more lines get one", int, True)
    time_limit: float = _setting(60.0, "seconds per document", float, True)
    max_body_bytes: int = _setting(10 * 2**20, "larger HTTP bodies get a 413", int, True)
    api_key: Secret | None = _setting(None, "required by the service when set", Secret)
    cors_origins: str | None = _setting(
        None, "origins browsers may call the service from, comma-separated (none: no CORS)", str
    )
    shutdown_seconds: float = _setting(
        30.0, "on SIGTERM, requests in flight get this long to finish", float, True
    )
    shared: Path | None = _setting(None, "the folder of shared real documents", Path)


@dataclass(frozen=True)
class LabelStudioSettings:
    """`LABEL_STUDIO_*`: the Label Studio server of the annotation loop."""

    prefix: ClassVar[str] = "LABEL_STUDIO_"

    url: str | None = _setting(None, "the server, e.g. http://127.0.0.1:8080", str)
    api_key: Secret | None = _setting(None, "a legacy token or a personal access token", Secret)
    username: str | None = _setting(None, "the admin `annotate server` creates", str)
    password: Secret | None = _setting(None, "that admin's password", Secret)
    bin: Path | None = _setting(None, "the label-studio executable to run", Path)
    timeout: float = _setting(60.0, "seconds to wait for one answer of the server", float, True)


def settings() -> Settings:
    """The environment's NIANBAO_* now (the CLI and the service read them once at start)."""
    return _read(Settings)


def label_studio_settings() -> LabelStudioSettings:
    return _read(LabelStudioSettings)


_KIND = {float: "a valid number", int: "a valid integer"}


def _read(cls):
    values = {}
    for f in fields(cls):
        name = cls.prefix + f.name.upper()
        raw = os.environ.get(name)
        if raw is None:
            continue
        parse = f.metadata["parse"]
        try:
            value = parse(raw.strip() if parse in _KIND else raw)
        except ValueError:
            raise SettingsError(f"{name}: input should be {_KIND[parse]}, not {raw!r}") from None
        if f.metadata["positive"] and value <= 0:
            raise SettingsError(f"{name}: input should be greater than 0, not {raw!r}")
        values[f.name] = value
    return cls(**values)


def documented() -> list[tuple[str, str, str]]:
    """(variable, default, meaning) of every setting, for README's table."""
    return [
        (
            cls.prefix + f.name.upper(),
            "" if f.default is None else str(f.default),
            f.metadata["description"],
        )
        for cls in (Settings, LabelStudioSettings)
        for f in fields(cls)
    ]
