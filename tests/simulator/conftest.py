"""Fixtures for the simulator tests: running servers and authenticated clients.

Every test talks to a real server on 127.0.0.1 over HTTP.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from pipelines.simulator import SimulatorServer

from .helpers import api_client, make_config


@pytest.fixture
def start_simulator() -> Iterator[Callable[..., SimulatorServer]]:
    """Start simulators with `make_config` overrides; all are stopped after the test."""
    servers: list[SimulatorServer] = []

    def start(**overrides) -> SimulatorServer:
        server = SimulatorServer(make_config(**overrides)).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def sim(start_simulator) -> SimulatorServer:
    return start_simulator()


@pytest.fixture
def offers(sim) -> Iterator[httpx.Client]:
    with api_client(sim) as client:
        yield client
