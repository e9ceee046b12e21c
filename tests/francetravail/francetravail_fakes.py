"""Fakes for the client's tests: a clock that never sleeps and a scripted API.

`FakeClock.sleep` moves time forward and records the wait, so tests assert the exact
waits slept. `FakeFranceTravail` answers through ``httpx.MockTransport``: a token
endpoint and API routes, each either scripted (a FIFO of responses or exceptions) or
computed by a handler, and it records every request it saw.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import httpx

from pipelines.francetravail import RetryPolicy

# Everything stays on 127.0.0.1, even behind a MockTransport.
TOKEN_URL = "http://127.0.0.1:9/connexion/oauth2/access_token?realm=%2Fpartenaire"
API_URL = "http://127.0.0.1:9/partenaire"
CLIENT_ID = "client-id-under-test"
CLIENT_SECRET = "s3cr3t-client-secret-value"
TOKEN_PREFIX = "tok3n-value-"
START = 1_780_000_000.0  # an arbitrary epoch instant in 2026


class FakeClock:
    """Epoch time that moves only when someone sleeps; every sleep is recorded.

    Concurrent sleepers overlap instead of adding up: a sleep ends at the later of
    "now" and the instant it started plus its length.
    """

    def __init__(self, now: float = START) -> None:
        self._now = now
        self._lock = threading.Lock()
        self.sleeps: list[float] = []

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            if seconds > 0:
                self.sleeps.append(round(seconds, 6))
                self._now += seconds

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds


Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


@dataclass
class Seen:
    """One request the fake received."""

    method: str
    path: str
    params: dict[str, str]
    headers: httpx.Headers
    form: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    query: list[tuple[str, str]] = field(default_factory=list)


class FakeFranceTravail:
    """The token endpoint and the APIs, behind a MockTransport.

    Args:
        clock: advanced by ``latency`` on every API request, as a server would take.
        latency: seconds each API request takes on the fake clock.
        lifetime: ``expires_in`` of the tokens issued.
    """

    def __init__(
        self, clock: FakeClock, *, latency: float = 0.0, lifetime: int = 1499
    ) -> None:
        self.clock = clock
        self.latency = latency
        self.lifetime = lifetime
        self.token_script: deque[Reply] = deque()
        self.api_script: deque[Reply] = deque()
        self.routes: dict[str, Callable[[httpx.Request], httpx.Response]] = {}
        self.token_requests: list[Seen] = []
        self.api_requests: list[Seen] = []
        self.tokens_issued = 0
        self._lock = threading.Lock()

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        seen = Seen(
            method=request.method,
            path=request.url.path,
            params=dict(request.url.params),
            headers=request.headers,
            body=request.content,
            query=request.url.params.multi_items(),
        )
        if request.url.path.startswith("/connexion/"):
            seen.form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
            with self._lock:
                self.token_requests.append(seen)
                reply = self.token_script.popleft() if self.token_script else None
            return self._play(reply, request) or self._issue_token()

        self.clock.advance(self.latency)
        with self._lock:
            self.api_requests.append(seen)
            reply = self.api_script.popleft() if self.api_script else None
        played = self._play(reply, request)
        if played is not None:
            return played
        for prefix, route in sorted(self.routes.items(), key=lambda r: -len(r[0])):
            if request.url.path.startswith(prefix):
                return route(request)
        return httpx.Response(404, json={"message": "no route", "codeHttp": 404})

    def _play(
        self, reply: Reply | None, request: httpx.Request
    ) -> httpx.Response | None:
        if reply is None:
            return None
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, httpx.Response):
            return reply
        return reply(request)

    def _issue_token(self) -> httpx.Response:
        with self._lock:
            self.tokens_issued += 1
            number = self.tokens_issued
        return httpx.Response(
            200,
            json={
                "scope": "api_offresdemploiv2 o2dsoffre",
                "expires_in": self.lifetime,
                "token_type": "Bearer",
                "access_token": f"{TOKEN_PREFIX}{number}",
            },
        )


def json_response(status: int, body: object, **headers: str) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(), headers=headers)


# Jitter pinned to its top, so every backoff wait is exactly 1, 2, 4, 8... seconds.
NO_JITTER = RetryPolicy(jitter=lambda: 1.0)


def offer(
    number: int,
    created: str,
    *,
    origine: str = "1",
    contract: str = "CDI",
    departement: str = "75",
) -> dict:
    """A small offer with the fields the search filters on."""
    return {
        "id": f"{number:07d}",
        "intitule": f"Offre {number}",
        "dateCreation": created,
        "typeContrat": contract,
        "origineOffre": {"origine": origine},
        "lieuTravail": {"libelle": f"{departement} - Ville"},
    }


def _instant(text: str) -> float:
    from pipelines.calendar import parse_api_datetime

    return parse_api_datetime(text).timestamp()


class FakeSearch:
    """The offers search over a list of offers, as the documentation describes it.

    Args:
        offers: the corpus.
        max_start: highest ``range`` start accepted (the cap less one page).
        final_status: status of the last page of a multi-page result.
        inclusive_max: whether ``maxCreationDate`` includes its own second.
        content_range: rewrites the Content-Range of an answer, to test odd forms.
    """

    def __init__(
        self,
        offers: list[dict],
        *,
        max_start: int = 3000,
        final_status: int = 206,
        inclusive_max: bool = False,
        content_range: Callable[[str, httpx.Request], str | None] | None = None,
    ) -> None:
        self.offers = sorted(offers, key=lambda o: (o["dateCreation"], o["id"]))
        self.offers.reverse()  # creation date descending, as the simulator serves
        self.max_start = max_start
        self.final_status = final_status
        self.inclusive_max = inclusive_max
        self.content_range = content_range
        self.ranges: list[tuple[str, dict[str, str]]] = []

    def matching(self, params: dict[str, str]) -> list[dict]:
        found = self.offers
        if "minCreationDate" in params:
            low = _instant(params["minCreationDate"])
            high = _instant(params["maxCreationDate"])
            found = [
                o
                for o in found
                if low <= _instant(o["dateCreation"])
                and (
                    _instant(o["dateCreation"]) <= high
                    if self.inclusive_max
                    else _instant(o["dateCreation"]) < high
                )
            ]
        if "origineOffre" in params:
            found = [
                o
                for o in found
                if o["origineOffre"]["origine"] == params["origineOffre"]
            ]
        if "typeContrat" in params:
            allowed = params["typeContrat"].split(",")
            found = [o for o in found if o["typeContrat"] in allowed]
        if "departement" in params:
            allowed = params["departement"].split(",")
            found = [o for o in found if o["lieuTravail"]["libelle"][:2] in allowed]
        return found

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        first, last = (int(v) for v in params.get("range", "0-149").split("-"))
        self.ranges.append((params.get("range", ""), params))
        if last - first + 1 > 150:
            return httpx.Response(
                400,
                json={
                    "message": "La plage de résultats demandée est trop importante.",
                    "codeHttp": 400,
                    "codeErreur": "1722445850117",
                },
            )
        if first > self.max_start:
            return httpx.Response(
                400,
                json={
                    "message": (
                        "La position de début doit être inférieure ou égale à "
                        f"{self.max_start}."
                    ),
                    "codeHttp": 400,
                },
            )
        found = self.matching(params)
        total = len(found)
        if total == 0:
            header = "offres */0"
            status, body = 204, None
        elif first >= total:
            header = f"offres -1--1/{total}"
            status, body = 204, None
        else:
            page = found[first : last + 1]
            header = f"offres {first}-{first + len(page) - 1}/{total}"
            if first == 0 and len(page) == total:
                status = 200
            elif first + len(page) >= total:
                status = self.final_status
            else:
                status = 206
            counts: dict[str, int] = {}
            for o in found:
                counts[o["typeContrat"]] = counts.get(o["typeContrat"], 0) + 1
            body = {
                "resultats": page,
                "filtresPossibles": [
                    {
                        "filtre": "typeContrat",
                        "agregation": [
                            {"valeurPossible": value, "nbResultats": count}
                            for value, count in sorted(counts.items())
                        ],
                    }
                ],
            }
        if self.content_range is not None:
            header = self.content_range(header, request)
        headers = {"Accept-Range": "150"}
        if header is not None:
            headers["Content-Range"] = header
        if body is None:
            return httpx.Response(status, headers=headers)
        return httpx.Response(
            status, content=json.dumps(body).encode(), headers=headers
        )
