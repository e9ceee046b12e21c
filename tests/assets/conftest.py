"""Fixtures for the Dagster layer: a simulator holding known days, resources on it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from assets.resources import FranceTravailResource, WarehouseResource
from pipelines.simulator import SimulatorConfig, SimulatorServer

# A Paris day with 353 offers (three pages of 150), its neighbours busy too, so that the
# padded request window brings in offers the partition must leave out.
LOADED_DAY = date(2026, 11, 18)
EMPTY_DAY = date(2026, 11, 22)
DAY_VOLUMES = {
    date(2026, 11, 17): 200,
    LOADED_DAY: 353,
    date(2026, 11, 19): 200,
    EMPTY_DAY: 0,
}


def simulator_config(**overrides) -> SimulatorConfig:
    settings = {
        "seed": 7,
        "offers_per_day": 50,
        "day_volumes": DAY_VOLUMES,
        "first_day": date(2026, 11, 10),
        "last_day": date(2026, 11, 25),
    }
    settings.update(overrides)
    return SimulatorConfig(**settings)


@pytest.fixture
def simulator() -> Iterator[SimulatorServer]:
    with SimulatorServer(simulator_config()) as server:
        yield server


def francetravail_resource(
    server: SimulatorServer, **overrides
) -> FranceTravailResource:
    fields = {
        "client_id": "simulator-client",
        "client_secret": "simulator-secret",
        "token_url": server.token_url,
        "api_url": server.api_url,
        "ratelimit_url": "memory://",
    }
    fields.update(overrides)
    return FranceTravailResource(**fields)


@pytest.fixture
def resources(simulator, database_url) -> dict:
    return {
        "francetravail": francetravail_resource(simulator),
        "warehouse": WarehouseResource(database_url=database_url),
    }
