"""The gateway in front of the simulated APIs: auth, quota, faults, latency, the log.

For a partner API request, the gateway checks the bearer token (401, empty body,
``WWW-Authenticate: Bearer``), spends one request of the client's quota for that API
(429, ``text/plain``, ``Retry-After``), checks the token's scopes and the account's
habilitation (403), and only then lets the API answer. Every API response past the token
check carries the ``X-Ratelimit-*-Clientidlimiter`` headers.

Scripted faults replace or mangle the answer. Dropping a connection needs help from the
server: `pipelines.simulator.server` puts a callable under ``ABORT_EXTENSION`` in the
ASGI scope's extensions.

Each request is recorded in the log once its status is known and before any byte of the
answer is sent, so a client that has its answer always finds its request in the log.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipelines.simulator.catalogue import (
    TOKEN_API,
    TOKEN_PATH,
    ApiDefinition,
    api_for_path,
)
from pipelines.simulator.faults import Fault
from pipelines.simulator.ratelimit import QuotaDecision, format_retry_after
from pipelines.simulator.responses import dumps
from pipelines.simulator.state import NO_RESPONSE, RequestRecord, SimulatorState

ADMIN_PREFIX = "/_simulator"
ABORT_EXTENSION = "simulator.abort"

_NON_JSON_PAGE = (
    b"<!DOCTYPE html><html><head><title>Maintenance</title></head><body>"
    b"<h1>Service momentan\xc3\xa9ment indisponible</h1>"
    b"<p>Le service est en cours de maintenance, merci de r\xc3\xa9essayer.</p>"
    b"</body></html>"
)


@dataclass
class BufferedResponse:
    """A complete answer held before sending, so faults can rewrite it."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    def set_header(self, name: str, value: str) -> None:
        key = name.lower().encode()
        self.headers = [(k, v) for k, v in self.headers if k.lower() != key]
        self.headers.append((key, value.encode("latin-1")))

    def add_headers(self, headers: dict[str, str]) -> None:
        for name, value in headers.items():
            self.set_header(name, value)


def _response(
    status: int,
    body: bytes = b"",
    content_type: str | None = None,
    headers: dict[str, str] | None = None,
) -> BufferedResponse:
    response = BufferedResponse(status, [], body)
    if content_type:
        response.set_header("content-type", content_type)
    response.add_headers(headers or {})
    return response


def _query(scope: Scope) -> dict:
    """Query parameters; a repeated parameter maps to the list of its values."""
    query: dict = {}
    pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), True)
    for name, value in pairs:
        if name not in query:
            query[name] = value
        elif isinstance(query[name], list):
            query[name].append(value)
        else:
            query[name] = [query[name], value]
    return query


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer":
                return token.strip()
    return None


def _scripted(fault: Fault) -> BufferedResponse | None:
    """The answer a replacing fault gives; None for a dropped connection."""
    if fault.kind == "disconnect":
        return None
    if fault.kind == "retry_after":
        return _response(
            fault.code or 429, b"", "text/plain", {"Retry-After": fault.value or ""}
        )
    body = fault.body
    if body is None:
        return _response(fault.code or 500)
    if isinstance(body, bytes):
        return _response(fault.code or 500, body, "application/octet-stream")
    if isinstance(body, str):
        return _response(fault.code or 500, body.encode(), "text/plain;charset=UTF-8")
    return _response(fault.code or 500, dumps(body), "application/json;charset=UTF-8")


class Gateway:
    """ASGI middleware wrapping the simulated APIs (see the module docstring)."""

    def __init__(self, app: ASGIApp, state: SimulatorState) -> None:
        self.app = app
        self.state = state
        self._accounts = {a.client_id: a for a in state.config.resolved_accounts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return

        state = self.state
        arrival = state.clock()
        path = scope["path"]
        api = api_for_path(path)
        api_name = TOKEN_API if path == TOKEN_PATH else (api.name if api else None)
        relative = path[len(api.prefix) :] if api else ""
        fault = state.faults.take(api_name, relative) if api_name else None

        response, client_id = await self._answer(scope, receive, api, fault, arrival)
        state.record(
            RequestRecord(
                at=arrival,
                method=scope["method"],
                path=path,
                query=_query(scope),
                status=response.status if response is not None else NO_RESPONSE,
                client_id=client_id,
                api=api_name,
            )
        )

        delay = state.config.latency_seconds if api is not None else 0.0
        if fault is not None and fault.kind == "delay":
            delay += fault.seconds
        if delay > 0:
            await asyncio.sleep(delay)

        if response is None:
            await self._drop_connection(scope, receive)
            return
        truncate = fault is not None and fault.kind == "truncated"
        await self._send(scope, receive, send, response, truncate)

    async def _answer(
        self,
        scope: Scope,
        receive: Receive,
        api: ApiDefinition | None,
        fault: Fault | None,
        now: float,
    ) -> tuple[BufferedResponse | None, str | None]:
        """The answer to a request (None: drop the connection) and who asked."""
        grant = self.state.tokens.lookup(_bearer(scope)) if api else None
        client_id = grant.client_id if grant else None

        response: BufferedResponse | None
        if fault is not None and fault.kind in ("status", "retry_after", "disconnect"):
            response = _scripted(fault)
        elif api is not None:
            response = await self._through_gateway(scope, receive, api, now)
        else:
            # The token endpoint, or an unknown path; the former names its client.
            scope.setdefault("state", {})
            response = await self._run(scope, receive)
            client_id = scope["state"].get("client_id")

        if response is not None and fault is not None and fault.kind == "non_json":
            response.status = response.status if response.status in (200, 206) else 200
            response.body = _NON_JSON_PAGE
            response.set_header("content-type", "text/html;charset=UTF-8")
        return response, client_id

    async def _through_gateway(
        self, scope: Scope, receive: Receive, api: ApiDefinition, now: float
    ) -> BufferedResponse:
        grant = self.state.tokens.lookup(_bearer(scope))
        if grant is None or not grant.valid_at(now):
            return _response(
                401, b"", "application/json", {"WWW-Authenticate": "Bearer"}
            )

        decision = self.state.quotas.take(grant.client_id, api.name, now)
        if not decision.allowed:
            retry_after = format_retry_after(
                decision.wait_seconds, self.state.config.retry_after_style, now
            )
            headers = {**self._quota_headers(decision), "Retry-After": retry_after}
            return _response(429, b"", "text/plain;charset=UTF-8", headers)

        account = self._accounts.get(grant.client_id)
        if not api.scopes <= grant.scopes:
            response = _response(403, b"Invalid scope", "text/plain;charset=UTF-8")
        elif account is None or api.name not in account.apis:
            # Subscribed but not granted by France Travail: the API refuses, bodiless.
            response = _response(403)
        else:
            response = await self._run(scope, receive)
        response.add_headers(self._quota_headers(decision))
        return response

    def _quota_headers(self, decision: QuotaDecision) -> dict[str, str]:
        return decision.headers() if self.state.config.quota_headers else {}

    async def _run(self, scope: Scope, receive: Receive) -> BufferedResponse:
        """Let the wrapped application answer, and keep its answer."""
        start: Message = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, keep)
        return BufferedResponse(
            start["status"], list(start.get("headers", [])), b"".join(chunks)
        )

    async def _send(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        response: BufferedResponse,
        truncate: bool,
    ) -> None:
        response.set_header("content-length", str(len(response.body)))
        await send(
            {
                "type": "http.response.start",
                "status": response.status,
                "headers": response.headers,
            }
        )
        if not truncate:
            await send({"type": "http.response.body", "body": response.body})
            return
        # Declared length, half the body, then the connection goes away.
        half = response.body[: len(response.body) // 2]
        await send({"type": "http.response.body", "body": half, "more_body": True})
        await self._drop_connection(scope, receive)

    @staticmethod
    async def _drop_connection(scope: Scope, receive: Receive) -> None:
        abort = scope.get("extensions", {}).get(ABORT_EXTENSION)
        if abort is None:
            raise ConnectionAbortedError(
                "this server cannot drop a connection on demand"
            )
        abort()
        # Wait until the server has noticed, so it does not answer in our place.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(5):
                while (await receive())["type"] != "http.disconnect":
                    pass
