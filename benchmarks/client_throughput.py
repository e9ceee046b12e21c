"""How close to the quota each client loads a day of offers, on the simulator.

One Paris day of 30,000 job offers is loaded three times, each time from a fresh
simulator (quota 10 requests/s, 300 ms per response) running in its own process, so
its request log is not disturbed by the client under test:

- this client: `OffresApi.fetch_window` with the shared rate limiter and 8 workers;
- a sequential baseline: what a careful script does (hourly windows so that no search
  passes the cap, one request at a time, sleeping ``Retry-After`` on 429);
- dlt's REST client, configured as its documentation suggests (OAuth2 client
  credentials, a paginator for the ``range`` parameter), over the same hourly windows.

For each it prints the achieved rate against the quota (target >= 0.95 for this
client), the share of 429 answers (target <= 1 %), the wall time against the lower
bound ceil(N / 150) / quota (target <= 1.10), and the busiest one-second window of the
simulator's log (it must never pass the quota).

Run from the repository root: ``.venv/bin/python benchmarks/client_throughput.py``.
"""

from __future__ import annotations

import argparse
import logging
import math
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from pipelines.calendar import TimeWindow
from pipelines.francetravail import (
    OFFRES_API,
    Credentials,
    FileBucketStore,
    FranceTravailClient,
    OffresApi,
    Secret,
)
from pipelines.francetravail.days import format_api_datetime
from pipelines.francetravail.offres import created_on, request_window
from pipelines.simulator import SimulatorConfig, SimulatorServer, max_requests_in_window

CLIENT_ID = "simulator-client"
CLIENT_SECRET = "simulator-secret"
PAGE = 150
# A search reaches 3,150 offers; the baselines cut the day into hours to stay under it.
CAP = 3150
SEARCH_PATH = "/offresdemploi/v2/offres/search"


@dataclass(frozen=True)
class Logged:
    """One request of the simulator's log, as the benchmark needs it."""

    at: float
    api: str | None
    status: int
    range: str | None


@dataclass
class Simulator:
    """A simulator running in a child process."""

    token_url: str
    api_url: str
    connection: Any

    def ask(self, question: str, *args: Any) -> Any:
        self.connection.send((question, args))
        return self.connection.recv()


def _serve(options: dict[str, Any], connection: Any) -> None:
    """The child process: serve until told to stop, answer questions meanwhile."""
    with SimulatorServer(SimulatorConfig(**options)) as server:
        connection.send((server.token_url, server.api_url))
        while True:
            question, args = connection.recv()
            if question == "ids":
                connection.send(server.state.ids_created_on(*args))
            elif question == "log":
                connection.send(
                    [
                        Logged(r.at, r.api, r.status, r.query.get("range"))
                        for r in server.state.request_log
                    ]
                )
            elif question == "clear":
                server.state.clear_log()
                connection.send(None)
            else:
                connection.send(None)
                return


@contextmanager
def simulator(**options: Any) -> Iterator[Simulator]:
    """Start a simulator in a child process; stop it on exit."""
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_serve, args=(options, child), daemon=True)
    process.start()
    token_url, api_url = parent.recv()
    try:
        yield Simulator(token_url, api_url, parent)
    finally:
        parent.send(("stop", ()))
        parent.recv()
        process.join(timeout=30)


@dataclass
class Outcome:
    """What one contender did."""

    name: str
    wall: float
    offers: int
    correct: bool
    requests: int
    responses_429: int
    busiest_second: int

    def rate(self) -> float:
        return self.requests / self.wall


def hourly_windows(window: TimeWindow) -> list[TimeWindow]:
    """The hours of a window: how a careful script keeps each search under the cap."""
    hours = []
    start = window.start
    while start < window.end:
        end = min(start + timedelta(hours=1), window.end)
        hours.append(TimeWindow(start, end))
        start = end
    return hours


def window_params(window: TimeWindow) -> dict[str, str]:
    return {
        "minCreationDate": format_api_datetime(window.start),
        "maxCreationDate": format_api_datetime(window.end),
    }


def load_with_this_client(sim: Simulator, day: date, concurrency: int) -> list[dict]:
    with tempfile.TemporaryDirectory() as budget:
        client = FranceTravailClient(
            credentials=Credentials(CLIENT_ID, Secret(CLIENT_SECRET)),
            token_url=sim.token_url,
            api_url=sim.api_url,
            bucket_store=FileBucketStore(budget),
            max_concurrency=concurrency,
        )
        with client:
            api = OffresApi(client)
            offers = []
            for page in api.fetch_window(request_window(day)):
                offers.extend(created_on(page, day))
    return offers


def load_sequentially(sim: Simulator, day: date, concurrency: int) -> list[dict]:
    """One request at a time, sleeping what ``Retry-After`` says on 429."""
    offers = []
    with httpx.Client(timeout=30) as http:
        token = http.post(
            sim.token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "scope": OFFRES_API.scope,
            },
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        for hour in hourly_windows(request_window(day)):
            start = 0
            while True:
                params = {**window_params(hour), "range": f"{start}-{start + PAGE - 1}"}
                response = http.get(
                    sim.api_url + SEARCH_PATH, params=params, headers=headers
                )
                if response.status_code == 429:
                    time.sleep(float(response.headers.get("Retry-After", "1")))
                    continue
                if response.status_code == 204:
                    break
                response.raise_for_status()
                offers.extend(created_on(response.json()["resultats"], day))
                total = int(response.headers["Content-Range"].rsplit("/", 1)[1])
                start += PAGE
                if start >= min(total, CAP):
                    break
    return offers


def load_with_dlt(sim: Simulator, day: date, concurrency: int) -> list[dict]:
    """dlt's RESTClient: OAuth2 client credentials and a paginator for ``range``."""
    from dlt.sources.helpers.rest_client import RESTClient
    from dlt.sources.helpers.rest_client.auth import OAuth2ClientCredentials
    from dlt.sources.helpers.rest_client.paginators import BasePaginator

    class ContentRangePaginator(BasePaginator):
        """``range=first-last`` pages; the total comes from ``Content-Range``."""

        def __init__(self) -> None:
            super().__init__()
            self.start = 0

        def init_request(self, request) -> None:
            self.start = 0
            self._has_next_page = True
            self.update_request(request)

        def update_state(self, response, data=None) -> None:
            header = response.headers.get("Content-Range", "*/0")
            total = int(header.rsplit("/", 1)[1])
            self.start += PAGE
            self._has_next_page = self.start < min(total, CAP)

        def update_request(self, request) -> None:
            request.params["range"] = f"{self.start}-{self.start + PAGE - 1}"

    client = RESTClient(
        base_url=sim.api_url + "/offresdemploi/v2",
        headers={"Accept": "application/json"},
        auth=OAuth2ClientCredentials(
            access_token_url=sim.token_url,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            access_token_request_data={"scope": OFFRES_API.scope},
        ),
        paginator=ContentRangePaginator(),
        data_selector="resultats",
    )
    offers = []
    for hour in hourly_windows(request_window(day)):
        for page in client.paginate("/offres/search", params=window_params(hour)):
            offers.extend(created_on(page, day))
    return offers


CONTENDERS: dict[str, tuple[str, Callable[[Simulator, date, int], list[dict]]]] = {
    "client": ("this client", load_with_this_client),
    "sequential": ("sequential baseline", load_sequentially),
    "dlt": ("dlt RESTClient", load_with_dlt),
}


def run(name: str, options: dict[str, Any], day: date, concurrency: int) -> Outcome:
    title, load = CONTENDERS[name]
    with simulator(**options) as sim:
        truth = set(sim.ask("ids", day))  # also generates the day before the clock runs
        sim.ask("clear")

        started = time.perf_counter()
        offers = load(sim, day, concurrency)
        wall = time.perf_counter() - started

        log = [r for r in sim.ask("log") if r.api == OFFRES_API.name]
    ids = [offer["id"] for offer in offers]
    return Outcome(
        name=title,
        wall=wall,
        offers=len(set(ids)),
        correct=len(ids) == len(set(ids)) and set(ids) == truth,
        requests=len(log),
        responses_429=sum(1 for r in log if r.status == 429),
        busiest_second=max_requests_in_window(log, seconds=1.0),
    )


def report(outcomes: list[Outcome], offers: int, quota: float) -> str:
    """The outcomes side by side, one row per figure."""
    bound = math.ceil(offers / PAGE) / quota

    def share_429(o: Outcome) -> str:
        return f"{100 * o.responses_429 / max(o.requests, 1):.2f} %"

    rows: list[tuple[str, Callable[[Outcome], str]]] = [
        ("every offer, once", lambda o: f"{o.offers} {'yes' if o.correct else 'NO'}"),
        ("API requests", lambda o: f"{o.requests}"),
        ("wall time (s)", lambda o: f"{o.wall:.1f}"),
        ("achieved requests/s", lambda o: f"{o.rate():.2f}"),
        ("achieved / quota (>= 0.95)", lambda o: f"{o.rate() / quota:.3f}"),
        ("429 share (<= 1 %)", share_429),
        (f"wall / {bound:.0f} s bound (<= 1.10)", lambda o: f"{o.wall / bound:.3f}"),
        ("busiest 1-s window (<= quota)", lambda o: f"{o.busiest_second}"),
    ]
    width = max(22, *(len(o.name) + 2 for o in outcomes))
    lines = ["".ljust(34) + "".join(o.name.rjust(width) for o in outcomes)]
    for label, cell in rows:
        lines.append(label.ljust(34) + "".join(cell(o).rjust(width) for o in outcomes))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Load one day of offers from the simulator with this client, a "
        "sequential baseline and dlt's REST client, and compare their throughput.",
    )
    parser.add_argument("--offers", type=int, default=30_000, help="offers in the day")
    parser.add_argument("--quota", type=float, default=10.0, help="requests/s")
    parser.add_argument(
        "--latency", type=float, default=0.3, help="seconds per API response"
    )
    parser.add_argument(
        "--concurrency", type=int, default=8, help="this client's workers"
    )
    parser.add_argument(
        "--only",
        choices=sorted(CONTENDERS),
        action="append",
        help="run only this contender (repeatable); default: all three",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)

    day = datetime.now(UTC).date() - timedelta(days=2)
    options = {
        "seed": 1,
        # Other days stay small, so the one or two hours of padding around the day
        # add a handful of offers, not thousands.
        "offers_per_day": 300,
        "day_volumes": {day: args.offers},
        "quotas": {OFFRES_API.name: args.quota},
        "latency_seconds": args.latency,
    }
    print(
        f"One Paris day ({day}) of {args.offers} offers, quota {args.quota:g} "
        f"requests/s, {args.latency * 1000:.0f} ms per response.",
        flush=True,
    )
    outcomes = []
    for name in args.only or list(CONTENDERS):
        print(f"  running {CONTENDERS[name][0]}...", flush=True)
        outcomes.append(run(name, options, day, args.concurrency))
    print()
    print(report(outcomes, args.offers, args.quota))
    return 0 if all(o.correct for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
