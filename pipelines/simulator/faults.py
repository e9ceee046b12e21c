"""Scripted misbehaviour: the next matching requests get these answers, in order.

A fault is queued for an API (its catalogue name, or ``"token"`` for the token endpoint;
None matches every partner API but not the token endpoint) and optionally a path prefix
relative to the API's base path (``/offres/search``). Each matching request consumes
one.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

KINDS = ("status", "retry_after", "truncated", "non_json", "disconnect", "delay")


@dataclass(frozen=True)
class Fault:
    """One scripted answer. Build them with the class methods."""

    kind: str
    code: int | None = None
    body: Any = None
    value: str | None = None
    seconds: float = 0.0

    @classmethod
    def status(cls, code: int, body: Any = None) -> Fault:
        """Answer ``code`` with ``body`` (bytes, text, or a JSON-able object)."""
        return cls("status", code=code, body=body)

    @classmethod
    def retry_after(cls, value: str, status: int = 429) -> Fault:
        """Answer ``status`` with ``Retry-After: value`` written verbatim."""
        return cls("retry_after", code=status, value=value)

    @classmethod
    def truncated(cls) -> Fault:
        """Send the real answer's headers, half its body, then close the connection."""
        return cls("truncated")

    @classmethod
    def non_json(cls) -> Fault:
        """Answer the real status (200/206) with an HTML page instead of JSON."""
        return cls("non_json")

    @classmethod
    def disconnect(cls) -> Fault:
        """Close the connection without answering."""
        return cls("disconnect")

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        """Answer normally, ``seconds`` late (to trip client timeouts)."""
        return cls("delay", seconds=seconds)

    @classmethod
    def from_json(cls, spec: Mapping[str, Any]) -> Fault:
        """A fault from its admin-endpoint form, e.g. ``{"kind": "status", "status":
        503}``."""
        kind = spec.get("kind")
        if kind == "status":
            return cls.status(int(spec["status"]), spec.get("body"))
        if kind == "retry_after":
            return cls.retry_after(str(spec["value"]), int(spec.get("status", 429)))
        if kind == "delay":
            return cls.delay(float(spec["seconds"]))
        if kind in ("truncated", "non_json", "disconnect"):
            return cls(kind)
        raise ValueError(f"unknown fault kind {kind!r}; expected one of {KINDS}")


@dataclass(frozen=True)
class _Scripted:
    fault: Fault
    api: str | None
    path_prefix: str | None

    def matches(self, api: str | None, relative_path: str) -> bool:
        if self.api is None:
            if api is None or api == "token":
                return False
        elif self.api != api:
            return False
        return self.path_prefix is None or relative_path.startswith(self.path_prefix)


class FaultQueue:
    """The queue of scripted answers, shared by the server thread and the tests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[_Scripted] = []

    def push(
        self, *faults: Fault, api: str | None = None, path_prefix: str | None = None
    ) -> None:
        """Queue faults for the next requests to ``api`` under ``path_prefix``."""
        with self._lock:
            self._queue.extend(_Scripted(fault, api, path_prefix) for fault in faults)

    def take(self, api: str | None, relative_path: str) -> Fault | None:
        """Remove and return the oldest fault matching a request, if any."""
        with self._lock:
            for index, scripted in enumerate(self._queue):
                if scripted.matches(api, relative_path):
                    del self._queue[index]
                    return scripted.fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._queue)
