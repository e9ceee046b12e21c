"""Helpers for the simulator tests: configurations, tokens, a fake clock, the samples.

Quotas default to 1000 requests per second here so that only the quota tests meet a 429.
"""

from __future__ import annotations

from datetime import date

import httpx

from pipelines.simulator import SimulatorConfig, SimulatorServer
from pipelines.simulator.catalogue import ALL_API_NAMES, APIS_BY_NAME
from pipelines.simulator.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

FIRST_DAY = date(2026, 3, 27)
LAST_DAY = date(2026, 3, 31)
GENEROUS_QUOTAS = {name: 1000.0 for name in ALL_API_NAMES}
SEARCH_PATH = "/offresdemploi/v2/offres/search"


class FakeClock:
    """Epoch seconds that move only when a test says so."""

    def __init__(self, now: float = 1_774_800_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_config(**overrides) -> SimulatorConfig:
    """A small corpus around the spring clock change, generous quotas."""
    settings = {
        "seed": 7,
        "offers_per_day": 400,
        "first_day": FIRST_DAY,
        "last_day": LAST_DAY,
        "quotas": GENEROUS_QUOTAS,
    }
    settings.update(overrides)
    return SimulatorConfig(**settings)


def token_form(scopes: str, **changes: str) -> dict[str, str]:
    form = {
        "grant_type": "client_credentials",
        "client_id": DEFAULT_CLIENT_ID,
        "client_secret": DEFAULT_CLIENT_SECRET,
        "scope": scopes,
    }
    form.update(changes)
    return form


def fetch_token(sim: SimulatorServer, *api_names: str) -> str:
    """A token with the scopes of the named APIs (the offers API by default)."""
    names = api_names or ("offresdemploi",)
    scopes = sorted({scope for name in names for scope in APIS_BY_NAME[name].scopes})
    response = httpx.post(sim.token_url, data=token_form(" ".join(scopes)))
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def api_client(sim: SimulatorServer, *api_names: str) -> httpx.Client:
    """An httpx client on ``sim.api_url`` carrying a token for the named APIs."""
    token = fetch_token(sim, *api_names)
    return httpx.Client(
        base_url=sim.api_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
