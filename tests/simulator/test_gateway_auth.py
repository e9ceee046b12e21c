"""API-side authentication: 401 for a missing, unknown or expired token; 403 for a token
without the API's scopes or an account without the habilitation."""

from __future__ import annotations

import httpx
import pytest

from pipelines.simulator import ClientAccount

from .helpers import SEARCH_PATH, fetch_token, token_form


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic abc"}],
    ids=["missing", "unknown", "not-bearer"],
)
def test_unauthenticated_requests_get_401_bearer_and_no_body(sim, headers):
    response = httpx.get(sim.api_url + SEARCH_PATH, headers=headers)

    assert response.status_code == 401
    assert response.content == b""
    assert response.headers["www-authenticate"] == "Bearer"
    assert "x-ratelimit-remaining-clientidlimiter" not in response.headers


def test_token_without_the_api_scopes_gets_403_invalid_scope(sim):
    """A token for La Bonne Boîte does not open the offers API."""
    token = fetch_token(sim, "labonneboite")

    response = httpx.get(
        sim.api_url + SEARCH_PATH, headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 403
    assert response.text == "Invalid scope"
    assert response.headers["x-ratelimit-burst-capacity-clientidlimiter"] == "1000"


def test_token_missing_the_applicative_scope_gets_403(sim):
    form = token_form("api_offresdemploiv2")
    token = httpx.post(sim.token_url, data=form).json()["access_token"]

    response = httpx.get(
        sim.api_url + SEARCH_PATH, headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 403


def test_subscribed_but_not_granted_api_gets_bodiless_403(start_simulator):
    """The portal issues the token; the API refuses until France Travail grants it."""
    account = ClientAccount("pending", "s3cret", apis={"offresdemploi"})
    sim = start_simulator(accounts=[account])
    form = token_form(
        "api_labonneboitev2 search office", client_id="pending", client_secret="s3cret"
    )
    token = httpx.post(sim.token_url, data=form).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}

    response = httpx.get(
        sim.api_url + "/labonneboite/v2/recherche",
        params={"rome": "M1805", "department_number": "75"},
        headers=headers,
    )

    assert response.status_code == 403
    assert response.content == b""


def test_unknown_api_path_is_404(sim):
    token = fetch_token(sim)

    response = httpx.get(
        sim.api_url + "/nothing/v1/here", headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 404
    assert sim.state.request_log[-1].api is None
