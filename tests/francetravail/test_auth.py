"""OAuth2 client credentials: the form, the cache, the refresh, the error catalogue."""

from __future__ import annotations

import threading

import httpx
import pytest

from pipelines.francetravail import LABONNEBOITE_API, OFFRES_API, RetryPolicy, errors

from .francetravail_fakes import CLIENT_ID, CLIENT_SECRET, TOKEN_PREFIX, json_response

SEARCH = "offres/search"


def ok() -> httpx.Response:
    return json_response(200, {"resultats": []})


def test_the_token_request_is_a_form_with_the_apis_scopes(make_client, fake):
    fake.api_script.append(ok())

    make_client().request(OFFRES_API, "GET", SEARCH)

    [seen] = fake.token_requests
    assert seen.method == "POST"
    assert seen.path == "/connexion/oauth2/access_token"
    assert seen.params == {"realm": "/partenaire"}
    assert seen.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert "Authorization" not in seen.headers
    assert seen.form == {
        "grant_type": "client_credentials",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "scope": "api_offresdemploiv2 o2dsoffre",
    }


def test_each_api_gets_a_token_for_its_own_scopes(make_client, fake):
    fake.api_script.extend([ok(), json_response(200, {"hits": 0, "items": []})])
    client = make_client()

    client.request(OFFRES_API, "GET", SEARCH)
    client.request(LABONNEBOITE_API, "GET", "recherche")

    assert [s.form["scope"] for s in fake.token_requests] == [
        "api_offresdemploiv2 o2dsoffre",
        "api_labonneboitev2 search office",
    ]


def test_a_token_is_reused_until_a_minute_before_it_expires(make_client, fake, clock):
    fake.api_script.extend([ok()] * 3)
    client = make_client()
    client.request(OFFRES_API, "GET", SEARCH)  # token 1, fetched at START

    clock.advance(1499 - 60 - 0.2 - 0.01)  # just before renewal (1439 s after issue)
    client.request(OFFRES_API, "GET", SEARCH)
    clock.advance(0.01)
    client.request(OFFRES_API, "GET", SEARCH)

    assert [s.headers["Authorization"] for s in fake.api_requests] == [
        f"Bearer {TOKEN_PREFIX}1",
        f"Bearer {TOKEN_PREFIX}1",
        f"Bearer {TOKEN_PREFIX}2",
    ]
    assert client.stats.snapshot()["token_refreshes"] == 1


def test_a_short_lived_token_keeps_a_margin_of_a_tenth_of_its_life(
    make_client, fake, clock
):
    fake.lifetime = 30
    fake.api_script.extend([ok()] * 2)
    client = make_client()
    client.request(OFFRES_API, "GET", SEARCH)

    clock.advance(27 - 0.2)  # renewal due 27 s after issue: 30 s less 3 s
    client.request(OFFRES_API, "GET", SEARCH)

    assert len(fake.token_requests) == 2


def test_threads_needing_a_token_at_once_share_one_request(make_client, fake):
    client = make_client(max_concurrency=8)
    provider = client._token_provider(OFFRES_API)
    barrier = threading.Barrier(8)
    tokens = []

    def take() -> None:
        barrier.wait()
        tokens.append(provider.token())

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(fake.token_requests) == 1
    assert {token.value.reveal() for token in tokens} == {f"{TOKEN_PREFIX}1"}


def test_a_token_rejected_twice_is_replaced_once(make_client, fake):
    provider = make_client()._token_provider(OFFRES_API)
    stale = provider.token()

    provider.invalidate(stale)
    fresh = provider.token()
    provider.invalidate(stale)  # a second worker saw the same 401 with the old token

    assert provider.token() is fresh
    assert fresh.value.reveal() == f"{TOKEN_PREFIX}2"
    assert len(fake.token_requests) == 2


def test_concurrent_401s_trigger_a_single_refresh(make_client, fake):
    first_token = f"Bearer {TOKEN_PREFIX}1"
    all_sent = threading.Barrier(4, timeout=10)

    def expire_first_token(request: httpx.Request) -> httpx.Response:
        if request.headers["Authorization"] == first_token:
            all_sent.wait()  # the four requests are all in flight with token 1
            return httpx.Response(401)
        return ok()

    fake.routes["/partenaire/offresdemploi"] = expire_first_token
    client = make_client(max_concurrency=4)
    client._token_provider(OFFRES_API).token()

    futures = [
        client.submit(client.request, OFFRES_API, "GET", SEARCH) for _ in range(4)
    ]
    responses = [future.result(timeout=10) for future in futures]

    assert [r.status for r in responses] == [200] * 4
    assert len(fake.api_requests) == 8
    assert len(fake.token_requests) == 2
    assert client.stats.snapshot()["token_refreshes"] == 1


DOCUMENTED_ERRORS = {
    "invalid_client": "Client authentication failed",
    "invalid_scope": "Unknown/invalid scope(s): [api_quinexistepasv0]",
    "unsupported_grant_type": "Grant type is not supported: implicit_grant",
    "invalid_grant": "The provided access grant is invalid, expired, or revoked.",
    "redirect_uri_mismatch": (
        "The redirection URI provided does not match a pre-registered value."
    ),
}


@pytest.mark.parametrize(
    ("code", "error_class", "message"),
    [
        pytest.param(
            "invalid_client",
            errors.AuthenticationError,
            "The token endpoint rejected the client id or secret (invalid_client: "
            "Client authentication failed): check the credentials of the "
            "application on francetravail.io.",
            id="invalid_client",
        ),
        pytest.param(
            "invalid_scope",
            errors.AccessDenied,
            "The token endpoint refused the scopes 'api_offresdemploiv2 o2dsoffre' of "
            "Offres d'emploi v2 (invalid_scope: Unknown/invalid scope(s): "
            "[api_quinexistepasv0]): subscribe the application to Offres d'emploi v2 "
            "on francetravail.io, or correct the scopes.",
            id="invalid_scope",
        ),
        pytest.param(
            "unsupported_grant_type",
            errors.AuthenticationError,
            "The token endpoint does not accept the client-credentials grant "
            "(unsupported_grant_type: Grant type is not supported: implicit_grant): "
            "check that the token URL is the partner realm's (realm=/partenaire).",
            id="unsupported_grant_type",
        ),
        pytest.param(
            "invalid_grant",
            errors.AuthenticationError,
            "The token endpoint rejected the grant as invalid, expired or revoked "
            "(invalid_grant: The provided access grant is invalid, expired, or "
            "revoked.): check that the application is still active on "
            "francetravail.io and that its credentials are current.",
            id="invalid_grant",
        ),
        pytest.param(
            "redirect_uri_mismatch",
            errors.AuthenticationError,
            "The token endpoint answered with a redirect-URI error "
            "(redirect_uri_mismatch: The redirection URI provided does not match a "
            "pre-registered value.), which only authorization-code flows should see: "
            "check that the token URL is the client-credentials endpoint of the "
            "partner realm.",
            id="redirect_uri_mismatch",
        ),
    ],
)
def test_oauth_errors_fail_at_once_with_one_token_request_and_no_api_request(
    make_client, fake, clock, code, error_class, message
):
    body = {"error": code, "error_description": DOCUMENTED_ERRORS[code]}
    fake.token_script.append(json_response(400, body, **{"Cache-Control": "no-store"}))

    with pytest.raises(error_class) as raised:
        make_client().request(OFFRES_API, "GET", SEARCH)

    assert str(raised.value) == message
    assert raised.value.retryable is False
    assert raised.value.status == 400
    assert len(fake.token_requests) == 1
    assert fake.api_requests == []
    assert clock.sleeps == []


def test_an_unknown_oauth_error_is_an_authentication_error(make_client, fake):
    fake.token_script.append(json_response(401, {"error": "unauthorized_client"}))

    with pytest.raises(errors.AuthenticationError) as raised:
        make_client().request(OFFRES_API, "GET", SEARCH)

    assert "(unauthorized_client)" in str(raised.value)
    assert len(fake.token_requests) == 1


def test_a_wrong_token_url_fails_without_retry(make_client, fake):
    fake.token_script.append(httpx.Response(404, text="Not Found"))

    with pytest.raises(errors.AuthenticationError) as raised:
        make_client().request(OFFRES_API, "GET", SEARCH)

    assert str(raised.value) == (
        "The token endpoint answered 404: check the token URL "
        "(http://127.0.0.1:9/connexion/oauth2/access_token)."
    )
    assert len(fake.token_requests) == 1


@pytest.mark.parametrize(
    ("failure", "expected_sleeps"),
    [
        pytest.param(
            httpx.Response(429, headers={"Retry-After": "2"}), [2.0], id="429"
        ),
        pytest.param(
            httpx.Response(429, headers={"Retry-After": "0.5"}), [0.5], id="429-frac"
        ),
        pytest.param(httpx.Response(503), [1.0], id="503"),
        pytest.param(httpx.Response(500, text="oops"), [1.0], id="500"),
        pytest.param(httpx.ConnectTimeout("timed out"), [1.0], id="timeout"),
        pytest.param(httpx.ConnectError("refused"), [1.0], id="refused"),
        pytest.param(
            json_response(200, {"token_type": "Bearer"}), [1.0], id="no-token"
        ),
    ],
)
def test_transient_token_failures_are_retried(
    make_client, fake, clock, failure, expected_sleeps
):
    fake.token_script.append(failure)
    fake.api_script.append(ok())
    client = make_client()

    client.request(OFFRES_API, "GET", SEARCH)

    assert len(fake.token_requests) == 2
    assert len(fake.api_requests) == 1
    assert clock.sleeps == expected_sleeps
    assert client.stats.snapshot()["token_requests"] == 2


def test_token_retries_are_bounded(make_client, fake, clock):
    fake.token_script.extend([httpx.Response(503)] * 6)

    with pytest.raises(errors.ServerError) as raised:
        make_client().request(OFFRES_API, "GET", SEARCH)

    assert raised.value.retryable is True
    assert "The token endpoint kept answering 503 after 6 attempts" in str(raised.value)
    assert len(fake.token_requests) == 6
    assert clock.sleeps == [1.0, 2.0, 4.0, 8.0, 16.0]
    assert fake.api_requests == []


def test_a_long_retry_after_at_the_token_endpoint_raises_retry_later(
    make_client, fake, clock
):
    fake.token_script.append(httpx.Response(429, headers={"Retry-After": "900"}))
    client = make_client(retry=RetryPolicy(max_retry_after=120))

    with pytest.raises(errors.RetryLater) as raised:
        client.request(OFFRES_API, "GET", SEARCH)

    assert raised.value.wait_seconds == 900
    assert len(fake.token_requests) == 1
    assert clock.sleeps == []
