"""The gateway's per-client quota, and the measure that proves a client stays under it.

The real gateway's headers (``X-Ratelimit-*-Clientidlimiter``) are those of a token
bucket per client id and API: it holds up to ``burst`` requests, refills ``replenish``
requests per second, and starts full. Here both equal the API's quota, as observed. A
request that finds less than one request in the bucket gets 429 and a ``Retry-After``.

A token bucket lets a client send up to twice its quota within one second (a full
bucket, then the refill), so "never over quota in any one-second window" is a stricter
promise a client makes on its own; `max_requests_in_window` measures it on the request
log.
"""

from __future__ import annotations

import bisect
import math
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import formatdate
from typing import Protocol

BURST_HEADER = "X-Ratelimit-Burst-Capacity-Clientidlimiter"
REMAINING_HEADER = "X-Ratelimit-Remaining-Clientidlimiter"
REPLENISH_HEADER = "X-Ratelimit-Replenish-Rate-Clientidlimiter"


class _Timed(Protocol):
    at: float
    api: str | None
    client_id: str | None


@dataclass(frozen=True)
class QuotaDecision:
    """The outcome of one request against its bucket."""

    allowed: bool
    quota: float
    remaining: int
    wait_seconds: float

    def headers(self) -> dict[str, str]:
        quota = _format_rate(self.quota)
        return {
            BURST_HEADER: quota,
            REMAINING_HEADER: str(self.remaining),
            REPLENISH_HEADER: quota,
        }


def _format_rate(rate: float) -> str:
    return str(int(rate)) if float(rate).is_integer() else f"{rate:g}"


class TokenBucket:
    """Capacity ``rate`` requests, refilled ``rate`` per second, full at first use."""

    def __init__(self, rate: float, now: float) -> None:
        self.rate = rate
        self.capacity = max(rate, 1.0)
        self.tokens = self.capacity
        self.updated = now

    def take(self, now: float) -> tuple[bool, float]:
        """Spend one request if there is one; returns (allowed, seconds to wait)."""
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
        self.updated = max(self.updated, now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True, 0.0
        return False, (1.0 - self.tokens) / self.rate


class QuotaLimiter:
    """One token bucket per (client id, API)."""

    def __init__(self, quota_for: Callable[[str], float]) -> None:
        self._quota_for = quota_for
        self._buckets: dict[tuple[str, str], TokenBucket] = {}
        self._lock = threading.Lock()

    def take(self, client_id: str, api: str, now: float) -> QuotaDecision:
        quota = self._quota_for(api)
        with self._lock:
            bucket = self._buckets.get((client_id, api))
            if bucket is None:
                bucket = self._buckets[(client_id, api)] = TokenBucket(quota, now)
            allowed, wait = bucket.take(now)
            remaining = int(bucket.tokens)
        return QuotaDecision(allowed, quota, remaining, wait)


def format_retry_after(wait_seconds: float, style: str, now: float) -> str:
    """``Retry-After`` for a wait, written as whole seconds (rounded up, at least 1),
    an HTTP-date (the second at or after the end of the wait) or decimal seconds."""
    if style == "seconds":
        return str(max(1, math.ceil(wait_seconds)))
    if style == "http-date":
        return formatdate(math.ceil(now + wait_seconds), usegmt=True)
    if style == "fraction":
        return f"{max(wait_seconds, 0.001):.3f}"
    raise ValueError(f"unknown Retry-After style {style!r}")


def max_requests_in_window(
    records: Iterable[_Timed],
    seconds: float = 1.0,
    api: str | None = None,
    client_id: str | None = None,
) -> int:
    """The most requests that arrived within any window ``[t, t + seconds)``.

    Args:
        records: the request log (anything with ``at``, ``api`` and ``client_id``).
        seconds: the window length. api: count only this API's requests (all APIs, token
        endpoint included, if None). client_id: count only this client's requests.

    Returns:
        The highest count over every window start; 0 for an empty log.
    """
    times = sorted(
        record.at
        for record in records
        if (api is None or record.api == api)
        and (client_id is None or record.client_id == client_id)
    )
    best = 0
    for index, start in enumerate(times):
        end = bisect.bisect_left(times, start + seconds, lo=index)
        best = max(best, end - index)
    return best
