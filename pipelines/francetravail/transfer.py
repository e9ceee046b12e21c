"""One exchange with a server: send a request, receive its whole body before a deadline.

httpx's timeout bounds each step (connecting, each read), not the whole: a server that
sends one byte just inside the read timeout, again and again, would hold a worker
forever. `exchange` streams the body and gives up once the deadline has passed, with
`DeadlineExceeded`, an `httpx.TimeoutException` like the others, so the callers retry
it as they retry any timeout. An attempt thus lasts at most its deadline plus one read
timeout; the timeouts of the attempt are also cut to the time it has left.

A body that its ``Content-Encoding`` cannot decode (a gzip header on a plain body) is
not an error of the exchange: the answer came, it is unreadable, and `Received` says so
for the caller to treat like any other unreadable body.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from pipelines.francetravail.clock import Clock
from pipelines.francetravail.redaction import quote


class DeadlineExceeded(httpx.TimeoutException):
    """The answer, body included, did not arrive before the attempt's deadline."""


@dataclass(frozen=True)
class Received:
    """An answer read whole.

    Attributes:
        response: status and headers; its body is closed, read ``content`` instead.
        content: the body, decoded from its ``Content-Encoding``.
        unreadable: why the body could not be decoded, when it could not; ``content``
            is then empty.
    """

    response: httpx.Response
    content: bytes
    unreadable: str | None = None


def exchange(
    http: httpx.Client, request: httpx.Request, *, deadline: float, clock: Clock
) -> Received:
    """Send ``request`` and read its whole body, giving up at ``deadline``.

    Args:
        http: the session to send through.
        request: the request, built by ``http``.
        deadline: the instant (on ``clock``) by which the whole body must be in.
        clock: the time source of the deadline.

    Raises:
        httpx.TransportError: no complete answer came: refused, broken or timed out
            connections, and `DeadlineExceeded`.
    """
    left = deadline - clock.now()
    if left <= 0:
        raise DeadlineExceeded("no time left for this attempt", request=request)
    _shorten_timeouts(request, left)

    response = http.send(request, stream=True)
    try:
        chunks = []
        try:
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                _check(deadline, clock, request)
            # Checked once more for an empty body, whose headers alone came late.
            _check(deadline, clock, request)
        except httpx.DecodingError:
            encoding = quote(response.headers.get("Content-Encoding", ""), limit=40)
            return Received(response, b"", f"undecodable body ({encoding})")
        return Received(response, b"".join(chunks))
    finally:
        response.close()


def _check(deadline: float, clock: Clock, request: httpx.Request) -> None:
    if clock.now() > deadline:
        raise DeadlineExceeded(
            "the body was still arriving at the deadline", request=request
        )


def _shorten_timeouts(request: httpx.Request, left: float) -> None:
    """Let no single wait of the attempt outlast the time it has left."""
    timeouts = dict(request.extensions.get("timeout") or {})
    for step in ("connect", "read", "write", "pool"):
        current = timeouts.get(step)
        timeouts[step] = left if current is None else min(current, left)
    request.extensions["timeout"] = timeouts
