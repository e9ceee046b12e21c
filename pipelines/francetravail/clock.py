"""Time as the client sees it: an injectable clock.

Everything that waits (the rate limiter, the retries, the token cache) asks a `Clock`,
so tests replace it with a fake one whose `sleep` only moves time forward and nothing
sleeps for real.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Epoch seconds and a way to wait."""

    def now(self) -> float:
        """Seconds since the epoch."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` (nothing happens for zero or less)."""
        ...


class SystemClock:
    """The machine's wall clock.

    Wall-clock time rather than a monotonic clock because the request budget is shared
    with other processes through a file or Redis, and they must agree on what an instant
    means.
    """

    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    def __repr__(self) -> str:
        return "SystemClock()"
