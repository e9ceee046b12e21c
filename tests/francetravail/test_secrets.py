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
