"""Every setting nianbao reads from the environment, read once and validated.

`NIANBAO_*` configure nianbao itself; `LABEL_STUDIO_*` reach the annotation server. A value
that does not parse is a one-line error naming the variable (`NIANBAO_MAX_MB: …`), never a
traceback. Secrets (API keys, the Label Studio password) are `SecretStr`: they print as
`**********` and go into no log.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(Exception):
    """An environment variable with a value nianbao cannot use; one sentence."""


class Settings(BaseSettings):
    """`NIANBAO_*`: limits per document, the service, where the real documents live."""

    model_config = SettingsConfigDict(env_prefix="NIANBAO_", extra="ignore")

    max_mb: float = Field(10.0, gt=0, description="larger input files get an error record")
    max_lines: int = Field(20_000, gt=0, description="documents with more lines get one")
    time_limit: float = Field(60.0, gt=0, description="seconds per document")
    max_body_bytes: int = Field(10 * 2**20, gt=0, description="larger HTTP bodies get a 413")
    api_key: SecretStr | None = Field(None, description="required by the service when set")
    shared: Path | None = Field(None, description="the folder of shared real documents")


class LabelStudioSettings(BaseSettings):
    """`LABEL_STUDIO_*`: the Label Studio server of the annotation loop."""

    model_config = SettingsConfigDict(env_prefix="LABEL_STUDIO_", extra="ignore")

    url: str | None = Field(None, description="the server, e.g. http://127.0.0.1:8080")
    api_key: SecretStr | None = Field(None, description="a legacy token or a personal access token")
    username: str | None = Field(None, description="the admin `annotate server` creates")
    password: SecretStr | None = Field(None, description="that admin's password")
    bin: Path | None = Field(None, description="the label-studio executable to run")


def settings() -> Settings:
    """The environment's NIANBAO_* now (the CLI and the service read them once at start)."""
    return _read(Settings)


def label_studio_settings() -> LabelStudioSettings:
    return _read(LabelStudioSettings)


def _read(cls: type[BaseSettings]) -> BaseSettings:
    try:
        return cls()
    except ValidationError as e:
        error = e.errors()[0]
        prefix = cls.model_config["env_prefix"]
        name = prefix + str(error["loc"][0]).upper()
        raise SettingsError(f"{name}: {error['msg']}") from None


def documented() -> list[tuple[str, str, str]]:
    """(variable, default, meaning) of every setting, for README's table."""
    rows = []
    for cls in (Settings, LabelStudioSettings):
        prefix = cls.model_config["env_prefix"]
        for name, field in cls.model_fields.items():
            default = "" if field.default is None else str(field.default)
            rows.append((prefix + name.upper(), default, field.description or ""))
    return rows
