"""How much one document may cost: its size, its line count and its time.

Scraped input includes 50 MB pages of one line and tables of 10,000 rows. Each limit
turns such a document into a one-sentence error record instead of an hour or a crash;
the run goes on with the next document. The time budget is checked at the pipeline's
stages and inside its loops (a context variable, so it works in worker threads too).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from nianbao.model.settings import Settings, settings

_DEFAULT = Settings()


class LimitExceeded(Exception):
    """A document over one of the limits; the message is one sentence for the user."""


@dataclass(frozen=True)
class Limits:
    max_mb: float = _DEFAULT.max_mb  # bytes of the input file
    max_lines: int = _DEFAULT.max_lines  # non-blank lines after reading
    seconds: float = _DEFAULT.time_limit  # wall time for one document

    @classmethod
    def from_settings(cls) -> Limits:
        """NIANBAO_MAX_MB, NIANBAO_MAX_LINES and NIANBAO_TIME_LIMIT (model/settings.py)."""
        s = settings()
        return cls(max_mb=s.max_mb, max_lines=s.max_lines, seconds=s.time_limit)

    def check_size(self, n_bytes: int) -> None:
        if n_bytes > self.max_mb * 2**20:
            raise LimitExceeded(
                f"the file is {n_bytes / 2**20:.1f} MB, over the limit of {self.max_mb:g} MB"
                " (--max-mb)"
            )

    def check_lines(self, n_lines: int) -> None:
        if n_lines > self.max_lines:
            raise LimitExceeded(
                f"the document has {n_lines} lines, over the limit of {self.max_lines}"
                " (--max-lines)"
            )


_budget: ContextVar[tuple[float, float] | None] = ContextVar("time_budget", default=None)


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Within the block, `check_time` raises once `seconds` have passed."""
    token = _budget.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _budget.reset(token)


def check_time() -> None:
    budget = _budget.get()
    if budget is not None and time.monotonic() > budget[0]:
        raise LimitExceeded(
            f"the document took more than the time limit of {budget[1]:g} s (--time-limit)"
        )
