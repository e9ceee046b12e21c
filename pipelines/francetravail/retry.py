"""When to try a failed call again, and how long to wait first.

A call is retried on 429, 5xx, network failures and unreadable bodies, never on an
answer that says the request or the configuration is wrong (that decision lives in
`errors`). Retries are bounded twice: in attempts and in total time, so a worker never
loops forever on a broken API. A 429 waits what ``Retry-After`` says, in any form HTTP
allows; without a usable value the wait is an exponential backoff with jitter, so that
workers that failed together do not come back together.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import parsedate_to_datetime

from pipelines.francetravail.clock import Clock


@dataclass(frozen=True)
class RetryPolicy:
    """Bounds and waits of the retries of one call.

    Attributes:
        max_attempts: requests sent for one call, the first included.
        max_elapsed: seconds one call may spend, waits included, before giving up;
            an attempt still receiving its answer then is cut short.
        backoff_initial: wait before the first retry when the API gives none.
        backoff_max: the longest backoff wait.
        max_retry_after: the longest wait a worker sleeps; beyond it the call raises
            `errors.RetryLater` so the caller can reschedule instead of holding a
            worker.
        jitter: returns a number in [0, 1); a backoff wait is drawn between half and
            all of its exponential value. Tests pass a constant.
    """

    max_attempts: int = 6
    max_elapsed: float = 180.0
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    max_retry_after: float = 120.0
    jitter: Callable[[], float] = field(
        default=random.random, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.backoff_initial <= 0 or self.backoff_max < self.backoff_initial:
            raise ValueError("backoff waits must be positive and increasing")

    def backoff(self, retry_number: int) -> float:
        """The wait before retry number ``retry_number`` (1 for the first retry)."""
        exponential = min(
            self.backoff_max, self.backoff_initial * 2 ** (retry_number - 1)
        )
        return exponential * (0.5 + 0.5 * self.jitter())


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Read a ``Retry-After`` header as seconds to wait from ``now``.

    Accepts delta-seconds (``"2"``, fractions such as ``"1.5"`` too) and the three
    HTTP-date forms. Returns None for an absent, empty, zero, negative, past or
    unreadable value: the caller then falls back to its backoff.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        seconds = _seconds_until(text, now)
    if seconds is None or not math.isfinite(seconds) or seconds <= 0:
        return None
    return seconds


def describe_wait(seconds: float) -> str:
    """A wait as a message writes it: whole seconds, or powers of ten when absurd."""
    if seconds < 1e12:
        return f"{seconds:.0f} s"
    return f"{seconds:.3g} s"


def _seconds_until(http_date: str, now: float) -> float | None:
    try:
        instant = parsedate_to_datetime(http_date)
        if instant.tzinfo is None:
            # The asctime form carries no zone; HTTP dates are always GMT.
            instant = instant.replace(tzinfo=UTC)
        return instant.timestamp() - now
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


class RetryBudget:
    """What is left of one call's retries: attempts and time.

    Create one per call, then ask `wait_before_retry` after each failure: it returns
    how long to wait, or None once the call must give up.
    """

    def __init__(self, policy: RetryPolicy, clock: Clock) -> None:
        self.policy = policy
        self._clock = clock
        self.started = clock.now()
        self.failures = 0

    @property
    def elapsed(self) -> float:
        return self._clock.now() - self.started

    def wait_before_retry(self, retry_after: float | None = None) -> float | None:
        """Record a failure; the wait before the next attempt, or None to give up.

        Args:
            retry_after: the wait the API asked for, if any; otherwise the backoff.
        """
        self.failures += 1
        if self.failures >= self.policy.max_attempts:
            return None
        if retry_after is not None:
            wait = retry_after
        else:
            wait = self.policy.backoff(self.failures)
        if self.elapsed + wait > self.policy.max_elapsed:
            return None
        return wait
