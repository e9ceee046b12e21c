"""A backfill of eight days, launched as the UI launches it, run for real.

`dagster dev` (webserver and daemon, the workstation instance settings) runs against a
simulator in a process of its own, and every run writes into one SQLite file. The
backfill goes through GraphQL's `launchPartitionBackfill`, the mutation behind the UI's
"Materialize" dialog; the daemon then queues one run per day, runs them in parallel
within the run queue and the offers pool, and the automation sensor refreshes the daily
indicators of each day once its offers have landed.
"""

from __future__ import annotations

import bisect
import json
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from pipelines.simulator import max_requests_in_window

from .services import Dagster, running_dagster, running_simulator, wait_for

pytestmark = pytest.mark.slow

FIRST_DAY = date(2026, 11, 2)
DAYS = [(FIRST_DAY + timedelta(days=n)).isoformat() for n in range(8)]
# Several pages a day, so that four runs at once would go well over the quota if
# they did not share one budget; the days around them have offers too, which the
# padded request windows bring in and each partition must leave out.
VOLUMES = [1100, 900, 1300, 700, 1000, 1200, 800, 950]
QUOTA = 10
OFFRES_POOL = "francetravail_offres_api"
# Below the run queue's four runs at once: if at most three offers runs ever overlap,
# the pool, not the queue, is what bounded them.
POOL_LIMIT = 3
LOCKED = "database is locked"

LAUNCH_BACKFILL = """
mutation Launch($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on Error { message }
  }
}
"""
SET_POOL_LIMIT = """
mutation Limit($pool: String!, $limit: Int!) {
  setConcurrencyLimit(concurrencyKey: $pool, limit: $limit)
}
"""
BACKFILL = """
query Backfill($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    ... on PartitionBackfill { status numPartitions }
  }
}
"""
RUNS = """
query Runs($tags: [ExecutionTag!]) {
  runsOrError(filter: {tags: $tags}) {
    ... on Runs {
      results {
        runId status startTime endTime
        assetSelection { path }
        tags { key value }
      }
    }
  }
}
"""
MATERIALIZATIONS = """
query Materializations($path: [String!]!, $partitions: [String!]) {
  assetOrError(assetKey: {path: $path}) {
    ... on Asset {
      assetMaterializations(partitions: $partitions) {
        partition
        runId
        metadataEntries { label ... on IntMetadataEntry { intValue } }
      }
    }
  }
}
"""
RUN_LOGS = """
query Logs($runId: ID!, $cursor: String) {
  logsForRun(runId: $runId, afterCursor: $cursor) {
    ... on EventConnection {
      events { ... on MessageEvent { message } }
      cursor
      hasMore
    }
  }
}
"""


def simulator_arguments() -> list[str]:
    arguments = [
        "--seed",
        "23",
        "--first-day",
        (FIRST_DAY - timedelta(days=1)).isoformat(),
        "--last-day",
        (FIRST_DAY + timedelta(days=8)).isoformat(),
        "--offers-per-day",
        "400",
        "--quota",
        str(QUOTA),
    ]
    for day, volume in zip(DAYS, VOLUMES, strict=True):
        arguments += ["--day-volume", f"{day}={volume}"]
    return arguments


def runs(dagster: Dagster, **tags: str) -> list[dict]:
    selector = [{"key": key, "value": value} for key, value in tags.items()]
    return dagster.graphql(RUNS, tags=selector)["runsOrError"]["results"]


def materializations(dagster: Dagster, asset: str) -> list[dict]:
    """Every materialization of the eight days, with its integer metadata."""
    result = dagster.graphql(MATERIALIZATIONS, path=[asset], partitions=DAYS)
    return [
        {
            "partition": event["partition"],
            "runId": event["runId"],
            **{
                entry["label"]: entry["intValue"]
                for entry in event["metadataEntries"]
                if "intValue" in entry
            },
        }
        for event in result["assetOrError"]["assetMaterializations"]
    ]


def materialized_days(dagster: Dagster, asset: str) -> dict[str, str]:
    """Partition -> id of the run that materialized it, among the eight days."""
    return {m["partition"]: m["runId"] for m in materializations(dagster, asset)}


def run_messages(dagster: Dagster, run_id: str) -> list[str]:
    messages, cursor = [], None
    while True:
        page = dagster.graphql(RUN_LOGS, runId=run_id, cursor=cursor)["logsForRun"]
        messages += [event["message"] for event in page["events"] if event]
        if not page["hasMore"]:
            return messages
        cursor = page["cursor"]


def run_tags(run: dict) -> dict[str, str]:
    return {tag["key"]: tag["value"] for tag in run["tags"]}


def most_runs_at_once(run_list: list[dict]) -> int:
    """The most runs that were running at the same instant."""
    edges = sorted(
        [(run["startTime"], 1) for run in run_list]
        + [(run["endTime"], -1) for run in run_list]
    )
    running = most = 0
    for _, change in edges:
        running += change
        most = max(most, running)
    return most


def most_days_in_one_second(requests: list[SimpleNamespace]) -> int:
    """The most distinct days (request windows) that any one-second window served:
    above one, runs of different days were drawing from the budget at the same time."""
    ordered = sorted(requests, key=lambda r: r.at)
    times = [r.at for r in ordered]
    most = 0
    for first, record in enumerate(ordered):
        last = bisect.bisect_left(times, record.at + 1.0)
        windows = {r.query.get("minCreationDate") for r in ordered[first:last]}
        most = max(most, len(windows))
    return most


def offer_ids_by_day(database: Path) -> dict[str, list[str]]:
    engine = sa.create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT jour_creation, id FROM offres ORDER BY id")
            ).all()
    finally:
        engine.dispose()
    by_day: dict[str, list[str]] = {}
    for day, offer_id in rows:
        by_day.setdefault(str(day), []).append(offer_id)
    return by_day


def indicator_totals(database: Path) -> dict[str, int]:
    engine = sa.create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT jour_creation, sum(nb_offres) FROM offres_indicateurs_jour "
                    "GROUP BY jour_creation"
                )
            ).all()
    finally:
        engine.dispose()
    return {str(day): int(total) for day, total in rows}


def files_mentioning(text: str, *paths: Path) -> list[str]:
    """Which of ``paths`` (files, or folders searched whole) hold ``text``."""
    files = [
        p for path in paths for p in (path.rglob("*") if path.is_dir() else [path])
    ]
    return sorted(
        str(path)
        for path in files
        if path.is_file() and text in path.read_text(errors="replace")
    )


# Most of the time goes to waiting for the daemon's 30-second loops; a loaded machine
# makes it longer, hence a timeout above the suite's default.
@pytest.mark.timeout(420)
def test_a_backfill_of_eight_days_in_parallel_lands_every_offer_once(tmp_path):
    database = tmp_path / "warehouse.db"

    with running_simulator(tmp_path, *simulator_arguments()) as simulator:
        environment = {
            **simulator.environment,
            "DATABASE_URL": f"sqlite:///{database}",
            # Every run of this test shares one request budget, on this host.
            "FT_RATELIMIT_URL": (tmp_path / "ratelimit").as_uri(),
        }
        with running_dagster(tmp_path, environment, daemon=True) as dagster:
            dagster.graphql(SET_POOL_LIMIT, pool=OFFRES_POOL, limit=POOL_LIMIT)
            launched = dagster.graphql(
                LAUNCH_BACKFILL,
                params={
                    "assetSelection": [{"path": ["offres"]}],
                    "partitionNames": DAYS,
                    "fromFailure": False,
                    "title": "eight days",
                },
            )["launchPartitionBackfill"]
            assert launched["__typename"] == "LaunchBackfillSuccess", launched
            backfill_id = launched["backfillId"]

            def backfill_done() -> str | None:
                status = dagster.graphql(BACKFILL, id=backfill_id)[
                    "partitionBackfillOrError"
                ]["status"]
                return None if status == "REQUESTED" else status

            status = wait_for(
                backfill_done, timeout=200, interval=2, what="the backfill"
            )

            def indicators_done() -> dict[str, str] | None:
                days = materialized_days(dagster, "offres_indicateurs_jour")
                return days if len(days) == len(DAYS) else None

            indicateurs = wait_for(
                indicators_done,
                timeout=90,
                interval=2,
                what="the indicators of the eight days, by automation",
            )
            backfill_runs = runs(dagster, **{"dagster/backfill": backfill_id})
            loads = materializations(dagster, "offres")
            indicateurs_runs = {
                run["runId"]: run
                for run in runs(dagster)
                if run["runId"] in set(indicateurs.values())
            }
            messages = [
                message
                for run in [*backfill_runs, *indicateurs_runs.values()]
                for message in run_messages(dagster, run["runId"])
            ]
            # The runs' captured output, the instance's storage, the services' log.
            logs_with_lock_errors = files_mentioning(LOCKED, dagster.home, dagster.log)
        requests = simulator.request_log()
        truth = {day: sorted(simulator.day_ids(day)) for day in DAYS}
    # Kept beside the test's other files, to study a failure.
    (tmp_path / "simulator-requests.json").write_text(json.dumps(requests))

    # The backfill: one run per day, all successful, at most the pool's limit at once.
    assert status == "COMPLETED_SUCCESS"
    assert len(backfill_runs) == len(DAYS)
    assert {run["status"] for run in backfill_runs} == {"SUCCESS"}
    ranges = sorted(
        (
            tags["dagster/asset_partition_range_start"],
            tags["dagster/asset_partition_range_end"],
        )
        for tags in (run_tags(run) for run in backfill_runs)
    )
    assert ranges == [(day, day) for day in DAYS]
    assert 2 <= most_runs_at_once(backfill_runs) <= POOL_LIMIT

    # Every offer of the eight days landed once; the days around them left out.
    landed = offer_ids_by_day(database)
    assert {day: len(ids) for day, ids in truth.items()} == dict(
        zip(DAYS, VOLUMES, strict=True)
    )
    assert {day: landed.get(day) for day in DAYS} == truth
    assert set(landed) == set(DAYS)

    # Runs of several days were requesting at the same time, and together the
    # simulator never saw more than the quota in any one-second window.
    records = [SimpleNamespace(**record) for record in requests]
    offers_requests = [r for r in records if r.api == "offresdemploi"]
    assert most_days_in_one_second(offers_requests) >= 2
    assert max_requests_in_window(records, seconds=1.0, api="offresdemploi") <= QUOTA
    assert {r.status for r in offers_requests} <= {200, 204, 206}
    # What each day's metadata reports is what the API saw.
    assert sorted(load["partition"] for load in loads) == DAYS
    assert sum(load["requests"] for load in loads) == len(offers_requests)
    assert sum(load["responses_429"] for load in loads) == 0
    assert {load["partition"]: load["rows_inserted"] for load in loads} == dict(
        zip(DAYS, VOLUMES, strict=True)
    )

    # No writer ever gave up on SQLite's lock, in any run's events or output.
    assert [m for m in messages if LOCKED in m] == []
    assert logs_with_lock_errors == []

    # The automation sensor refreshed the indicators of the eight days.
    assert indicator_totals(database) == dict(zip(DAYS, VOLUMES, strict=True))
    for run in indicateurs_runs.values():
        tags = run_tags(run)
        assert run["status"] == "SUCCESS"
        assert tags["dagster/from_automation_condition"] == "true"
        assert tags["dagster/sensor_name"] == "automation_sensor"
