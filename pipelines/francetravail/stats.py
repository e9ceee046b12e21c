"""Counters of what the client did, safe to read and update from many threads."""

from __future__ import annotations

import threading

FIELDS = (
    "requests",
    "responses_429",
    "retries",
    "seconds_waited",
    "seconds_paced",
    "token_requests",
    "token_refreshes",
)


class RequestStats:
    """What one client sent and waited, for logs and materialization metadata.

    - ``requests``: HTTP requests sent to the APIs (retries and replays included);
    - ``responses_429``: answers that asked the client to slow down;
    - ``retries``: requests sent again after a failure;
    - ``seconds_waited``: time spent waiting before retries (``Retry-After``, backoff);
    - ``seconds_paced``: time spent by workers waiting for their slot of the quota;
    - ``token_requests``: requests to the token endpoint;
    - ``token_refreshes``: tokens fetched to replace an expired or rejected one.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, float] = dict.fromkeys(FIELDS, 0)

    def add(self, field: str, amount: float = 1) -> None:
        if field not in self._values:
            raise KeyError(f"unknown counter {field!r}")
        with self._lock:
            self._values[field] += amount

    def snapshot(self) -> dict[str, float]:
        """A copy of every counter, taken atomically."""
        with self._lock:
            return dict(self._values)

    def __repr__(self) -> str:
        return f"RequestStats({self.snapshot()})"
