"""Fixtures of the client's tests: a fake clock, a fake API, clients wired to both."""

from __future__ import annotations

import pytest

from pipelines.francetravail import (
    Credentials,
    FranceTravailClient,
    MemoryBucketStore,
    Secret,
)

from .francetravail_fakes import (
    API_URL,
    CLIENT_ID,
    CLIENT_SECRET,
    NO_JITTER,
    TOKEN_URL,
    FakeClock,
    FakeFranceTravail,
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# Each fake API request takes longer than one slot of the 10/s quota, so the limiter
# never needs to sleep between requests and `clock.sleeps` holds only retry waits.
FAKE_LATENCY = 0.2


@pytest.fixture
def fake(clock: FakeClock) -> FakeFranceTravail:
    return FakeFranceTravail(clock, latency=FAKE_LATENCY)


@pytest.fixture
def make_client(clock: FakeClock, fake: FakeFranceTravail):
    """Build clients on the fake API; every client is closed after the test."""
    clients: list[FranceTravailClient] = []

    def build(**overrides) -> FranceTravailClient:
        options = {
            "credentials": Credentials(CLIENT_ID, Secret(CLIENT_SECRET)),
            "token_url": TOKEN_URL,
            "api_url": API_URL,
            "bucket_store": MemoryBucketStore(),
            "retry": NO_JITTER,
            "clock": clock,
            "transport": fake.transport,
            "max_concurrency": 1,
        }
        options.update(overrides)
        client = FranceTravailClient(**options)
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()
