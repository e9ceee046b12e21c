"""Admin endpoints under ``/_simulator/``: drive a simulator from another process.

They call the same `SimulatorState` methods in-process tests use, bypass the gateway (no
token, no quota) and are not recorded in the request log. Work that may generate a day
of offers runs in the thread pool, off the event loop.

- ``GET /requests?since=N``: the log from position N, ``{"requests": [...], "next"}``
- ``DELETE /requests``: empty the log
- ``POST /faults``: ``{"faults": [{"kind": "status", "status": 503}, ...],
  "api": "offresdemploi", "path_prefix": "/offres/search"}``
- ``DELETE /faults``: drop every queued fault
- ``POST /expire-tokens``: every issued token answers 401 from now on
- ``POST /withdraw``: ``{"ids": [...]}``, those offers are no longer served
- ``POST /update``: ``{"ids": [...]}``, those offers change now
- ``GET /days/YYYY-MM-DD/ids``: ids created that Paris day, oldest first
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import date

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from pipelines.simulator.faults import Fault
from pipelines.simulator.state import SimulatorState


class _BadRequest(Exception):
    pass


async def _json_body(request: Request) -> dict:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError as error:
        raise _BadRequest(f"body is not JSON: {error}") from None
    if not isinstance(body, dict):
        raise _BadRequest("body must be a JSON object")
    return body


def _ids(body: dict) -> list[str]:
    ids = body.get("ids")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise _BadRequest('expected {"ids": ["...", ...]}')
    return ids


def _guard(handler: Callable) -> Callable:
    """Answer 400 with the reason when a request body or parameter is unusable."""

    @functools.wraps(handler)
    async def guarded(self: AdminApi, request: Request) -> Response:
        try:
            return await handler(self, request)
        except (_BadRequest, ValueError, KeyError) as error:
            return JSONResponse({"error": str(error)}, 400)

    return guarded


class AdminApi:
    def __init__(self, state: SimulatorState) -> None:
        self._state = state

    def routes(self) -> list[Route]:
        return [
            Route("/requests", self.requests, methods=["GET", "DELETE"]),
            Route("/faults", self.faults, methods=["POST", "DELETE"]),
            Route("/expire-tokens", self.expire_tokens, methods=["POST"]),
            Route("/withdraw", self.withdraw, methods=["POST"]),
            Route("/update", self.update, methods=["POST"]),
            Route("/days/{day}/ids", self.day_ids, methods=["GET"]),
        ]

    @_guard
    async def requests(self, request: Request) -> Response:
        if request.method == "DELETE":
            self._state.clear_log()
            return JSONResponse({"cleared": True})
        since = int(request.query_params.get("since", "0"))
        records = self._state.requests_since(since)
        return JSONResponse(
            {"requests": [r.to_json() for r in records], "next": since + len(records)}
        )

    @_guard
    async def faults(self, request: Request) -> Response:
        if request.method == "DELETE":
            self._state.faults.clear()
            return JSONResponse({"cleared": True})
        body = await _json_body(request)
        specs = body.get("faults")
        if not isinstance(specs, list):
            raise _BadRequest('expected {"faults": [{"kind": ...}, ...]}')
        faults = [Fault.from_json(spec) for spec in specs]
        self._state.faults.push(
            *faults, api=body.get("api"), path_prefix=body.get("path_prefix")
        )
        return JSONResponse({"queued": len(faults)})

    @_guard
    async def expire_tokens(self, request: Request) -> Response:
        return JSONResponse({"expired": self._state.expire_tokens()})

    @_guard
    async def withdraw(self, request: Request) -> Response:
        ids = _ids(await _json_body(request))
        withdrawn = await run_in_threadpool(self._state.withdraw, ids)
        return JSONResponse({"withdrawn": withdrawn})

    @_guard
    async def update(self, request: Request) -> Response:
        ids = _ids(await _json_body(request))
        updated = await run_in_threadpool(self._state.update, ids)
        return JSONResponse({"updated": updated})

    @_guard
    async def day_ids(self, request: Request) -> Response:
        day = date.fromisoformat(request.path_params["day"])
        ids = await run_in_threadpool(self._state.ids_created_on, day)
        return JSONResponse({"day": day.isoformat(), "count": len(ids), "ids": ids})
