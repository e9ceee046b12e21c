"""What the client logs, and how secrets are kept out of it.

One INFO line per HTTP request (method, URL without secrets, status, elapsed) and one
WARNING per wait or retry, named by a stable event (``francetravail.retry``,
``francetravail.throttled``...) with its fields both in the message and in the record's
``extra``, so log pipelines can filter on them. Tokens travel in headers and the client
secret in a form body; neither is ever logged.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

logger = logging.getLogger("pipelines.francetravail")

# Query parameters that would carry a credential if a caller ever put one in a URL.
_SENSITIVE_PARAMETERS = frozenset(
    {"client_secret", "access_token", "token", "code", "password", "apikey", "api_key"}
)


def redact_url(url: str) -> str:
    """The URL with any user:password part and credential-like parameters masked."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rsplit("@", 1)[1]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(name.lower() in _SENSITIVE_PARAMETERS for name, _ in pairs):
            query = urlencode(
                [
                    (name, "***" if name.lower() in _SENSITIVE_PARAMETERS else value)
                    for name, value in pairs
                ],
                safe="/:,*",
            )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def log_request(method: str, url: str, outcome: int | str, elapsed: float) -> None:
    """The one INFO line of a request; ``outcome`` is a status or an error name."""
    redacted = redact_url(url)
    logger.info(
        "%s %s %s %.3fs",
        method,
        redacted,
        outcome,
        elapsed,
        extra={
            "event": "francetravail.request",
            "method": method,
            "url": redacted,
            "status": outcome,
            "elapsed_seconds": round(elapsed, 6),
        },
    )


def log_wait(event: str, *, api: str, cause: str, attempt: int, wait: float) -> None:
    """The WARNING of one wait before a retry."""
    logger.warning(
        "%s api=%s cause=%s attempt=%d wait=%.3fs",
        event,
        api,
        cause,
        attempt,
        wait,
        extra={
            "event": event,
            "api": api,
            "cause": cause,
            "attempt": attempt,
            "wait_seconds": round(wait, 6),
        },
    )
