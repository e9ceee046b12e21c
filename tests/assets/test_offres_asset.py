"""The `offres` asset end to end: Dagster, client, simulator and a real database."""

from __future__ import annotations

import sqlalchemy as sa
from dagster import materialize

from assets.offres import offres
from assets.resources import WarehouseResource
from pipelines.simulator import Fault

from .conftest import EMPTY_DAY, LOADED_DAY, francetravail_resource

# Columns that record when the pipeline saw an offer, rather than what the offer says.
OBSERVATION_COLUMNS = {"last_seen_at"}


def table_rows(database_url: str) -> list[dict]:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT * FROM offres ORDER BY id"))
            return [dict(row._mapping) for row in rows]
    finally:
        engine.dispose()


def run(day, resources, raise_on_error=True):
    return materialize(
        [offres],
        partition_key=day.isoformat(),
        resources=resources,
        raise_on_error=raise_on_error,
    )


def materialization_metadata(result) -> dict:
    [materialization] = result.asset_materializations_for_node("offres")
    return {key: value.value for key, value in materialization.metadata.items()}


def test_a_day_lands_exactly_its_offers_once(simulator, resources, database_url):
    expected = sorted(simulator.state.corpus.ids_created_on(LOADED_DAY))

    result = run(LOADED_DAY, resources)

    rows = table_rows(database_url)
    assert len(expected) == 353
    assert [row["id"] for row in rows] == expected
    assert {str(row["jour_creation"]) for row in rows} == {"2026-11-18"}
    metadata = materialization_metadata(result)
    assert metadata["rows_inserted"] == 353
    assert metadata["rows_in_partition"] == 353
    # Three pages of the day plus the padding hour of the next day's offers.
    assert metadata["requests"] == 3
    assert (metadata["responses_429"], metadata["retries"]) == (0, 0)
    assert metadata["attempt"] == 1
    # Three requests at 10/s: at most a few tenths of a second waiting for slots.
    assert 0 <= metadata["seconds_paced"] < 1.0
    checks = {c.check_name: c.passed for c in result.get_asset_check_evaluations()}
    assert checks == {"ids_unique": True, "coverage": True}


def test_a_second_run_changes_nothing(simulator, resources, database_url):
    run(LOADED_DAY, resources)
    before = table_rows(database_url)

    result = run(LOADED_DAY, resources)

    after = table_rows(database_url)
    assert len(after) == 353

    def content(rows):
        return [
            {k: v for k, v in row.items() if k not in OBSERVATION_COLUMNS}
            for row in rows
        ]

    assert content(after) == content(before)
    metadata = materialization_metadata(result)
    assert (metadata["rows_inserted"], metadata["rows_updated"]) == (0, 0)
    assert metadata["rows_unchanged"] == 353


def test_a_day_without_offers_loads_nothing_and_succeeds(
    simulator, resources, database_url
):
    result = run(EMPTY_DAY, resources)

    assert result.success
    assert table_rows(database_url) == []
    assert materialization_metadata(result)["rows_in_partition"] == 0


def test_bad_credentials_fail_at_once_and_leave_the_table(simulator, database_url):
    good = {
        "francetravail": francetravail_resource(simulator),
        "warehouse": WarehouseResource(database_url=database_url),
    }
    run(LOADED_DAY, good)
    before = table_rows(database_url)
    simulator.state.clear_log()
    wrong_secret = "wrong-secret-4f2a"
    bad = {
        **good,
        "francetravail": francetravail_resource(simulator, client_secret=wrong_secret),
    }

    result = run(LOADED_DAY, bad, raise_on_error=False)

    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    message = failure.step_failure_data.error.message
    assert "invalid_client" in message
    assert wrong_secret not in message
    assert [r.api for r in simulator.state.request_log] == ["token"]
    assert table_rows(database_url) == before


def test_a_failure_mid_day_leaves_the_database_as_it_was(simulator, database_url):
    resources = {
        "francetravail": francetravail_resource(simulator),
        "warehouse": WarehouseResource(database_url=database_url),
    }
    run(LOADED_DAY, resources)
    before = table_rows(database_url)
    simulator.state.update(simulator.state.corpus.ids_created_on(LOADED_DAY)[:10])
    # The first page is served, then the API rejects the next one: the step fails
    # without retry, after some offers were already staged.
    simulator.state.faults.push(
        Fault.delay(0),
        Fault.status(400, {"message": "Rejected", "codeHttp": 400, "codeErreur": "X1"}),
        api="offresdemploi",
        path_prefix="/offres/search",
    )

    result = run(LOADED_DAY, resources, raise_on_error=False)

    assert not result.success
    assert table_rows(database_url) == before
