"""The client secret and the tokens never show: not in logs, reprs or errors."""

from __future__ import annotations

import logging
import pickle

import httpx
import pytest

from pipelines.francetravail import (
    OFFRES_API,
    Credentials,
    OffresApi,
    RetryPolicy,
    Secret,
    errors,
)
from pipelines.francetravail.auth import AccessToken

from .francetravail_fakes import CLIENT_SECRET, TOKEN_PREFIX, json_response


def leaks(text: str) -> list[str]:
    return [value for value in (CLIENT_SECRET, TOKEN_PREFIX) if value in text]


def test_secret_hides_its_value_everywhere_but_reveal():
    secret = Secret(CLIENT_SECRET)

    assert repr(secret) == str(secret) == f"{secret}" == "Secret('********')"
    assert secret.reveal() == CLIENT_SECRET
    assert secret == Secret(CLIENT_SECRET)
    assert pickle.loads(pickle.dumps(secret)).reveal() == CLIENT_SECRET


def test_reprs_of_credentials_tokens_and_clients_hold_no_secret(make_client):
    credentials = Credentials("client", Secret(CLIENT_SECRET))
    token = AccessToken(Secret(TOKEN_PREFIX + "1"), ("api_offresdemploiv2",), 0.0)
    client = make_client()

    texts = [repr(credentials), repr(token), repr(client), repr(OffresApi(client))]

    assert [leaks(text) for text in texts] == [[], [], [], []]
    assert "client-id-under-test" not in repr(client)


def scenarios():
    """Failing calls that cover the error tree, as (token script, API script)."""
    oauth = {"error": "invalid_client", "error_description": "Client authentication"}
    return {
        "invalid_client": ([json_response(400, oauth)], []),
        "invalid_scope": ([json_response(400, {"error": "invalid_scope"})], []),
        "token-5xx": ([httpx.Response(503)] * 6, []),
        "token-timeout": ([httpx.ConnectTimeout("timed out")] * 6, []),
        "401-twice": ([], [httpx.Response(401)] * 2),
        "403": ([], [httpx.Response(403, text="Invalid scope")]),
        "400": ([], [json_response(400, {"message": "bad", "codeErreur": "X"})]),
        "429-long": ([], [httpx.Response(429, headers={"Retry-After": "999"})]),
        "429-many": ([], [httpx.Response(429)] * 6),
        "5xx": ([], [httpx.Response(502)] * 6),
        "timeout": ([], [httpx.ReadTimeout("timed out")] * 6),
        "non-json": ([], [httpx.Response(200, text="<html>")] * 6),
    }


def chain(error: BaseException) -> list[BaseException]:
    found = []
    while error is not None:
        found.append(error)
        error = error.__cause__ or error.__context__
    return found


@pytest.mark.parametrize("name", scenarios().keys())
def test_no_secret_in_logs_or_errors(make_client, fake, caplog, name):
    token_script, api_script = scenarios()[name]
    fake.token_script.extend(token_script)
    fake.api_script.extend(api_script)
    caplog.set_level(logging.DEBUG)
    client = make_client(retry=RetryPolicy(jitter=lambda: 1.0))

    with pytest.raises(errors.FranceTravailError) as raised:
        client.request(OFFRES_API, "GET", "offres/search", params={"range": "0-149"})

    # The secret did travel (in the token form) and a token was issued or refused...
    assert fake.token_requests[0].form["client_secret"] == CLIENT_SECRET
    # ...yet neither appears in any log record, error message, repr or pickle.
    assert leaks(caplog.text) == []
    for error in chain(raised.value):
        assert leaks(str(error)) == []
        assert leaks(repr(error)) == []
    assert leaks(repr(pickle.loads(pickle.dumps(raised.value)).__dict__)) == []


def test_errors_survive_a_trip_between_processes():
    error = errors.RetryLater("wait", wait_seconds=30.0, api="Offres", status=429)

    copy = pickle.loads(pickle.dumps(error))

    assert (type(copy), str(copy), copy.wait_seconds, copy.status) == (
        errors.RetryLater,
        "wait",
        30.0,
        429,
    )


def echo_form(request: httpx.Request) -> httpx.Response:
    """A token endpoint that quotes the form it received in its error."""
    return json_response(
        400,
        {"error": "invalid_request", "error_description": request.content.decode()},
    )


def test_a_token_endpoint_echoing_the_form_shows_no_secret(make_client, fake):
    fake.token_script.append(echo_form)

    with pytest.raises(errors.AuthenticationError) as raised:
        make_client().request(OFFRES_API, "GET", "offres/search")

    assert str(raised.value) == (
        "The token endpoint refused the request (invalid_request: "
        "grant_type=client_credentials&client_id=client-id-under-test&"
        "client_secret=***): check the token URL and the application's credentials."
    )


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"error": CLIENT_SECRET}, id="in-error"),
        pytest.param(
            {"error": "invalid_client", "error_description": f"bad {CLIENT_SECRET}!"},
            id="in-description",
        ),
        pytest.param(
            {"error": "invalid_client", "error_description": "x%2By " + CLIENT_SECRET},
            id="next-to-other-text",
        ),
    ],
)
def test_the_client_secret_in_an_oauth_error_is_masked(make_client, fake, body):
    fake.token_script.append(json_response(400, body))

    with pytest.raises(errors.AuthenticationError) as raised:
        make_client().request(OFFRES_API, "GET", "offres/search")

    assert leaks(str(raised.value)) == []
    assert "***" in str(raised.value)


@pytest.mark.parametrize("status", [400, 403, 404])
def test_an_api_message_echoing_the_token_is_masked(make_client, fake, status):
    def echo(request: httpx.Request) -> httpx.Response:
        said = f"denied for {request.headers['Authorization']}, token "
        said += request.headers["Authorization"].removeprefix("Bearer ")
        return json_response(status, {"message": said, "codeErreur": "X"})

    fake.api_script.append(echo)

    with pytest.raises(errors.FranceTravailError) as raised:
        make_client().request(OFFRES_API, "GET", "offres/search")

    assert leaks(str(raised.value)) == []
    assert "denied for Bearer ***, token ***; codeErreur X" in str(raised.value)
    assert leaks(repr(raised.value.__dict__)) == []
    if status == 403:
        assert isinstance(raised.value, errors.AccessDenied)
    else:
        assert raised.value.message == "denied for Bearer ***, token ***"


def test_an_old_token_echoed_after_a_refresh_is_masked(make_client, fake, clock):
    client = make_client()
    fake.api_script.append(json_response(200, {"resultats": []}))
    client.request(OFFRES_API, "GET", "offres/search")
    clock.advance(2000.0)  # the first token expired: the next call gets a second one
    old = f"{TOKEN_PREFIX}1"
    fake.api_script.append(json_response(403, {"message": f"revoked {old}"}))

    with pytest.raises(errors.AccessDenied) as raised:
        client.request(OFFRES_API, "GET", "offres/search")

    assert len(fake.token_requests) == 2
    assert "(403: revoked ***)" in str(raised.value)


def test_a_flood_of_server_text_is_cut_to_a_few_hundred_characters(make_client, fake):
    fake.api_script.append(json_response(403, {"message": "A" * 1_000_000}))

    with pytest.raises(errors.AccessDenied) as raised:
        make_client().request(OFFRES_API, "GET", "offres/search")

    said = str(raised.value)
    assert len(said) < 600
    assert "A" * 299 + "…" in said
    assert said.endswith("granted the scopes 'api_offresdemploiv2 o2dsoffre'.")


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(f"{TOKEN_PREFIX}x\r\nX-Injected: yes", id="crlf"),
        pytest.param(f"{TOKEN_PREFIX}\u20ac", id="non-ascii"),
        pytest.param(f'{TOKEN_PREFIX} "x"', id="blank"),
    ],
)
def test_a_token_that_cannot_travel_in_a_header_is_refused_unquoted(
    make_client, fake, clock, token
):
    body = {"access_token": token, "expires_in": 1499}
    fake.token_script.extend([json_response(200, body)] * 6)

    with pytest.raises(errors.UnexpectedResponse) as raised:
        make_client().request(OFFRES_API, "GET", "offres/search")

    assert str(raised.value) == (
        "The token endpoint answered 200 with an access token that cannot travel in "
        "an HTTP header (control, blank or non-ASCII characters): check that the "
        "token URL is the OAuth2 endpoint, then retry."
    )
    assert [leaks(repr(error)) for error in chain(raised.value)] == [[]]
    assert (len(fake.token_requests), len(fake.api_requests)) == (6, 0)
    assert clock.sleeps == [1.0, 2.0, 4.0, 8.0, 16.0]
