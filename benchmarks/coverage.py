"""Every offer of a busy day, past the 3,150-result cap, and what it costs in requests.

One Paris day of 100,000 job offers with 4,000 more created inside one hour is read
from the simulator the way the ``offres`` asset reads it: the request window around
the day, split until every slice fits under the cap, then every slice read page by
page. The benchmark checks that each offer created that day came exactly once and that
no request asked past the cap, and compares the requests sent with the budget

    requests <= 1.10 x ceil(N / 150) + leaf windows

where N is the number of offers in the day.

The count of requests does not depend on the pace, so the simulator's quota defaults
to 20 requests/s to keep the run short (beyond that, a two-core machine running both
the simulator and the client saturates, and the busiest-second figure measures the
machine rather than the client); ``--quota 10 --latency 0.3`` reproduces the real pace.

Run from the repository root: ``.venv/bin/python benchmarks/coverage.py``.
"""

from __future__ import annotations

import argparse
import logging
import math
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

# The simulator runs in a process of its own, as in the throughput benchmark.
from client_throughput import simulator

from pipelines.francetravail import (
    OFFRES_API,
    Credentials,
    FileBucketStore,
    FranceTravailClient,
    OffresApi,
    Secret,
)
from pipelines.francetravail.offres import created_on, request_window
from pipelines.simulator import Spike, max_requests_in_window

PAGE = 150


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Read a day of offers far over the search cap from the simulator "
        "and compare the requests sent with the coverage budget.",
    )
    parser.add_argument("--offers", type=int, default=100_000, help="offers in the day")
    parser.add_argument(
        "--spike", type=int, default=4_000, help="extra offers inside one hour"
    )
    parser.add_argument(
        "--spike-hour", type=int, default=14, help="Paris hour of the spike"
    )
    parser.add_argument("--quota", type=float, default=20.0, help="requests/s")
    parser.add_argument(
        "--latency", type=float, default=0.0, help="seconds per API response"
    )
    parser.add_argument("--concurrency", type=int, default=8, help="client workers")
    parser.add_argument(
        "--range-cap", type=int, default=3150, help="offers one search can reach"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)

    day = datetime.now(UTC).date() - timedelta(days=2)
    options = {
        "seed": 1,
        # Other days stay small, so the padding around the day adds a handful of offers.
        "offers_per_day": 300,
        "day_volumes": {day: args.offers},
        "spikes": [Spike(day=day, hour=args.spike_hour, offers=args.spike)],
        "quotas": {OFFRES_API.name: args.quota},
        "latency_seconds": args.latency,
        "range_max_start": args.range_cap - PAGE,
    }
    print(
        f"One Paris day ({day}) of {args.offers} offers plus {args.spike} created "
        f"between {args.spike_hour}:00 and {args.spike_hour + 1}:00, range cap "
        f"{args.range_cap}, quota {args.quota:g} requests/s.",
        flush=True,
    )

    with simulator(**options) as sim, tempfile.TemporaryDirectory() as budget:
        truth = set(sim.ask("ids", day))
        sim.ask("clear")
        client = FranceTravailClient(
            credentials=Credentials("simulator-client", Secret("simulator-secret")),
            token_url=sim.token_url,
            api_url=sim.api_url,
            bucket_store=FileBucketStore(budget),
            max_concurrency=args.concurrency,
        )
        started = time.perf_counter()
        with client:
            api = OffresApi(client, range_cap=args.range_cap)
            ids = []
            for page in api.fetch_window(request_window(day)):
                ids.extend(offer["id"] for offer in created_on(page, day))
        wall = time.perf_counter() - started
        log = [r for r in sim.ask("log") if r.api == OFFRES_API.name]

    report = api.last_report
    n = len(truth)
    budget_requests = 1.10 * math.ceil(n / PAGE) + report.leaves
    starts = [int((r.range or "0-0").split("-")[0]) for r in log]
    correct = len(ids) == len(set(ids)) == n and set(ids) == truth
    within_cap = max(starts) <= args.range_cap - PAGE
    within_budget = report.requests <= budget_requests

    rows = [
        ("offers created that day (N)", f"{n}"),
        ("offers in the request window", f"{report.expected}"),
        ("offers of the day loaded, once each", f"{len(set(ids))} {_ok(correct)}"),
        ("offers received twice (split probes)", f"{report.duplicates}"),
        ("windows split", f"{report.splits}"),
        ("leaf windows", f"{report.leaves}"),
        ("largest leaf total", f"{max(leaf.total for leaf in report.windows)}"),
        ("highest range start", f"{max(starts)} {_ok(within_cap)}"),
        ("requests sent", f"{report.requests}"),
        ("ceil(N / 150)", f"{math.ceil(n / PAGE)}"),
        (
            "budget 1.10 x ceil(N / 150) + leaves",
            f"{budget_requests:.1f} {_ok(within_budget)}",
        ),
        ("requests / ceil(N / 150)", f"{report.requests / math.ceil(n / PAGE):.3f}"),
        ("busiest 1-s window (<= quota)", f"{max_requests_in_window(log, 1.0)}"),
        ("429 answers", f"{sum(1 for r in log if r.status == 429)}"),
        ("wall time (s)", f"{wall:.1f}"),
        ("reconciled, nothing missing", _ok(report.complete)),
    ]
    print()
    for label, value in rows:
        print(f"{label:<40}{value:>16}")
    return 0 if correct and within_cap and within_budget and report.complete else 1


def _ok(passed: bool) -> str:
    return "ok" if passed else "FAILED"


if __name__ == "__main__":
    sys.exit(main())
