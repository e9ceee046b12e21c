"""The token endpoint: the documented 200 body and the whole 400 error catalogue."""

from __future__ import annotations

import httpx
import pytest

from pipelines.simulator import ClientAccount

from .helpers import SEARCH_PATH, FakeClock, token_form

OFFERS_SCOPES = "api_offresdemploiv2 o2dsoffre"


def test_token_body_matches_the_documented_shape(sim):
    """A valid request gets scope, expires_in 1499, Bearer and an opaque token."""
    response = httpx.post(sim.token_url, data=token_form(OFFERS_SCOPES))

    body = response.json()
    assert response.status_code == 200
    assert list(body) == ["scope", "expires_in", "token_type", "access_token"]
    assert body["scope"] == OFFERS_SCOPES
    assert body["expires_in"] == 1499
    assert body["token_type"] == "Bearer"
    assert len(body["access_token"]) == 32
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "realm_query",
    ["realm=%2Fpartenaire", "realm=/partenaire"],
    ids=["encoded", "plain"],
)
def test_realm_is_accepted_encoded_or_not(sim, realm_query):
    url = f"{sim.base_url}/connexion/oauth2/access_token?{realm_query}"

    response = httpx.post(url, data=token_form(OFFERS_SCOPES))

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("changes", "error", "description"),
    [
        (
            {"client_secret": "wrong"},
            "invalid_client",
            "Client authentication failed",
        ),
        (
            {"client_id": "nobody"},
            "invalid_client",
            "Client authentication failed",
        ),
        (
            {"scope": "api_offresdemploiv2 api_quinexistepasv0"},
            "invalid_scope",
            "Unknown/invalid scope(s): [api_quinexistepasv0]",
        ),
        (
            {"grant_type": "implicit_grant"},
            "unsupported_grant_type",
            "Grant type is not supported: implicit_grant",
        ),
        (
            {"grant_type": "authorization_code"},
            "invalid_grant",
            "The provided access grant is invalid, expired, or revoked.",
        ),
        (
            {"redirect_uri": "https://example.invalid/callback"},
            "redirect_uri_mismatch",
            "The redirection URI provided does not match a pre-registered value.",
        ),
    ],
    ids=[
        "bad-secret",
        "unknown-client",
        "unknown-scope",
        "unsupported-grant",
        "invalid-grant",
        "redirect-uri",
    ],
)
def test_token_errors_are_the_documented_400s(sim, changes, error, description):
    response = httpx.post(sim.token_url, data=token_form(OFFERS_SCOPES, **changes))

    assert response.status_code == 400
    assert response.json() == {"error": error, "error_description": description}
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-type"].startswith("application/json")


def test_scopes_of_an_unsubscribed_api_are_invalid(start_simulator):
    """An account without the La Bonne Boîte subscription cannot ask for its scopes."""
    account = ClientAccount(
        "offers-only", "s3cret", scopes={"api_offresdemploiv2", "o2dsoffre"}
    )
    sim = start_simulator(accounts=[account])
    form = token_form(
        "api_offresdemploiv2 api_labonneboitev2 search",
        client_id="offers-only",
        client_secret="s3cret",
    )

    response = httpx.post(sim.token_url, data=form)

    assert response.status_code == 400
    assert response.json()["error_description"] == (
        "Unknown/invalid scope(s): [api_labonneboitev2, search]"
    )


def test_application_scope_of_older_integrations_is_accepted(sim):
    scopes = f"application_simulator-client {OFFERS_SCOPES}"

    response = httpx.post(sim.token_url, data=token_form(scopes))

    assert response.status_code == 200
    assert response.json()["scope"] == scopes


def test_token_endpoint_refuses_get(sim):
    response = httpx.get(sim.token_url)

    assert response.status_code == 405


def test_token_expires_after_its_lifetime(start_simulator):
    clock = FakeClock()
    sim = start_simulator(clock=clock, token_lifetime_seconds=60)
    token = httpx.post(sim.token_url, data=token_form(OFFERS_SCOPES)).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}

    clock.advance(59.9)
    before = httpx.get(sim.api_url + SEARCH_PATH, headers=headers)
    clock.advance(0.1)
    after = httpx.get(sim.api_url + SEARCH_PATH, headers=headers)

    assert token["expires_in"] == 60
    assert before.status_code == 206
    assert after.status_code == 401


def test_expire_tokens_makes_every_token_answer_401(sim):
    first = httpx.post(sim.token_url, data=token_form(OFFERS_SCOPES)).json()
    second = httpx.post(sim.token_url, data=token_form(OFFERS_SCOPES)).json()

    expired = sim.state.expire_tokens()
    statuses = [
        httpx.get(
            sim.api_url + SEARCH_PATH,
            headers={"Authorization": f"Bearer {token['access_token']}"},
        ).status_code
        for token in (first, second)
    ]
    fresh = httpx.post(sim.token_url, data=token_form(OFFERS_SCOPES)).json()
    renewed = httpx.get(
        sim.api_url + SEARCH_PATH,
        headers={"Authorization": f"Bearer {fresh['access_token']}"},
    )

    assert expired == 2
    assert statuses == [401, 401]
    assert renewed.status_code == 206


def test_token_requests_are_logged_with_their_client_id(sim):
    httpx.post(sim.token_url, data=token_form(OFFERS_SCOPES))
    httpx.post(sim.token_url, data=token_form(OFFERS_SCOPES, client_secret="bad"))

    log = sim.state.request_log

    assert [(r.api, r.status, r.client_id) for r in log] == [
        ("token", 200, "simulator-client"),
        ("token", 400, "simulator-client"),
    ]
    assert log[0].path == "/connexion/oauth2/access_token"
    assert log[0].query == {"realm": "/partenaire"}
