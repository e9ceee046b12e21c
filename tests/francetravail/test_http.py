"""The API side of the client, response by response: exact requests and waits."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest

from pipelines.francetravail import OFFRES_API, RetryPolicy, errors

from .francetravail_fakes import TOKEN_PREFIX, json_response

SEARCH = "offres/search"


def ok(**headers: str) -> httpx.Response:
    return json_response(200, {"resultats": []}, **headers)


def test_a_200_is_decoded_and_carries_the_current_token(make_client, fake):
    fake.api_script.append(ok())
    client = make_client()

    response = client.request(OFFRES_API, "GET", SEARCH, params={"range": "0-149"})

    assert response.status == 200
    assert response.data == {"resultats": []}
    assert response.requests == 1
    [seen] = fake.api_requests
    assert seen.path == "/partenaire/offresdemploi/v2/offres/search"
    assert seen.params == {"range": "0-149"}
    assert seen.headers["Authorization"] == f"Bearer {TOKEN_PREFIX}1"
    assert seen.headers["Accept"] == "application/json"


def test_a_204_is_no_data_not_an_error(make_client, fake):
    fake.api_script.append(httpx.Response(204))

    response = make_client().request(OFFRES_API, "GET", SEARCH)

    assert (response.status, response.data, len(fake.api_requests)) == (204, None, 1)


def test_a_401_refreshes_the_token_once_and_replays_with_the_new_one(make_client, fake):
    fake.api_script.extend([httpx.Response(401), ok()])
    client = make_client()

    response = client.request(OFFRES_API, "GET", SEARCH)

    assert response.status == 200
    assert response.requests == 2
    assert [s.headers["Authorization"] for s in fake.api_requests] == [
        f"Bearer {TOKEN_PREFIX}1",
        f"Bearer {TOKEN_PREFIX}2",
    ]
    assert len(fake.token_requests) == 2
    assert client.stats.snapshot()["token_refreshes"] == 1


def test_two_401_in_a_row_are_an_authentication_error(make_client, fake):
    fake.api_script.extend([httpx.Response(401), httpx.Response(401)])
    client = make_client()

    with pytest.raises(errors.AuthenticationError) as raised:
        client.request(OFFRES_API, "GET", SEARCH)

    assert raised.value.retryable is False
    assert raised.value.status == 401
    assert "refused two fresh access tokens in a row" in str(raised.value)
    assert len(fake.api_requests) == 2
    assert len(fake.token_requests) == 2


def test_a_retry_after_a_503_carries_the_token_refreshed_by_a_401(make_client, fake):
    fake.api_script.extend([httpx.Response(401), httpx.Response(503), ok()])

    make_client().request(OFFRES_API, "GET", SEARCH)

    assert [s.headers["Authorization"] for s in fake.api_requests] == [
        f"Bearer {TOKEN_PREFIX}1",
        f"Bearer {TOKEN_PREFIX}2",
        f"Bearer {TOKEN_PREFIX}2",
    ]


def test_a_token_that_expired_during_the_wait_is_swapped_before_sending(
    make_client, fake, clock
):
    fake.lifetime = 30  # renewed 27 s after issue
    fake.api_script.extend([httpx.Response(429, headers={"Retry-After": "28"}), ok()])

    make_client().request(OFFRES_API, "GET", SEARCH)

    assert clock.sleeps == [28.0]
    assert [s.headers["Authorization"] for s in fake.api_requests] == [
        f"Bearer {TOKEN_PREFIX}1",
        f"Bearer {TOKEN_PREFIX}2",
    ]


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        pytest.param(400, errors.RequestRejected, id="400"),
        pytest.param(403, errors.AccessDenied, id="403"),
        pytest.param(404, errors.RequestRejected, id="404"),
        pytest.param(405, errors.RequestRejected, id="405"),
        pytest.param(422, errors.RequestRejected, id="422"),
    ],
)
def test_client_errors_are_not_retried_and_carry_the_api_message(
    make_client, fake, clock, status, error_class
):
    body = {
        "message": "Valeur du paramètre « departement » incorrecte.",
        "codeHttp": status,
        "codeErreur": "1722445850117",
    }
    fake.api_script.append(json_response(status, body))

    with pytest.raises(error_class) as raised:
        make_client().request(OFFRES_API, "GET", SEARCH)

    error = raised.value
    assert error.retryable is False
    assert error.status == status
    assert "Valeur du paramètre « departement » incorrecte." in str(error)
    assert "codeErreur 1722445850117" in str(error)
    assert len(fake.api_requests) == 1
    assert clock.sleeps == []


def test_a_rejection_keeps_message_and_code_as_attributes(make_client, fake):
    body = {
        "message": "La plage de résultats demandée est trop importante.",
        "codeHttp": 400,
        "codeErreur": "1722445850117",
    }
    fake.api_script.append(json_response(400, body))

    with pytest.raises(errors.RequestRejected) as raised:
        make_client().request(OFFRES_API, "GET", SEARCH)

    assert raised.value.message == "La plage de résultats demandée est trop importante."
    assert raised.value.code == "1722445850117"


def test_a_403_names_the_api_and_its_scopes(make_client, fake):
    fake.api_script.append(httpx.Response(403))

    with pytest.raises(errors.AccessDenied) as raised:
        make_client().request(OFFRES_API, "GET", SEARCH)

    assert str(raised.value) == (
        "Offres d'emploi v2 refused GET offres/search (403): subscribe the application "
        "to Offres d'emploi v2 on francetravail.io and check that it is granted the "
        "scopes 'api_offresdemploiv2 o2dsoffre'."
    )
    assert raised.value.api == "Offres d'emploi v2"


def http_date(epoch: float) -> str:
    return format_datetime(datetime.fromtimestamp(epoch, UTC), usegmt=True)


@pytest.mark.parametrize(
    ("retry_after", "expected_wait"),
    [
        pytest.param("2", 2.0, id="delta-seconds"),
        pytest.param(" 3 ", 3.0, id="padded"),
        pytest.param("1.5", 1.5, id="fraction"),
        pytest.param("0.25", 0.25, id="small-fraction"),
        pytest.param(None, 1.0, id="absent-backoff"),
        pytest.param("0", 1.0, id="zero-backoff"),
        pytest.param("-5", 1.0, id="negative-backoff"),
        pytest.param("soon", 1.0, id="garbage-backoff"),
        pytest.param("nan", 1.0, id="nan-backoff"),
    ],
)
def test_a_429_waits_what_retry_after_says(
    make_client, fake, clock, retry_after, expected_wait
):
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    fake.api_script.extend(
        [httpx.Response(429, text="Too Many", headers=headers), ok()]
    )
    client = make_client()

    response = client.request(OFFRES_API, "GET", SEARCH)

    assert response.requests == 2
    assert clock.sleeps == [expected_wait]
    stats = client.stats.snapshot()
    assert (stats["requests"], stats["responses_429"], stats["retries"]) == (2, 1, 1)
    assert stats["seconds_waited"] == pytest.approx(expected_wait)


def test_a_429_with_an_http_date_waits_until_that_date(make_client, fake, clock):
    # HTTP dates have whole seconds; the fake server takes 0.2 s to answer, so the
    # 429 is read 7.8 s before the date.
    retry_at = clock.now() + 8
    fake.api_script.extend(
        [httpx.Response(429, headers={"Retry-After": http_date(retry_at)}), ok()]
    )

    make_client().request(OFFRES_API, "GET", SEARCH)

    assert clock.sleeps == [pytest.approx(7.8)]


def test_a_429_with_a_past_http_date_falls_back_to_backoff(make_client, fake, clock):
    past = http_date(clock.now() - 60)
    fake.api_script.extend([httpx.Response(429, headers={"Retry-After": past}), ok()])

    make_client().request(OFFRES_API, "GET", SEARCH)

    assert clock.sleeps == [1.0]


def test_backoff_doubles_between_429s_without_retry_after(make_client, fake, clock):
    fake.api_script.extend([httpx.Response(429)] * 4 + [ok()])

    response = make_client().request(OFFRES_API, "GET", SEARCH)

    assert response.requests == 5
    assert clock.sleeps == [1.0, 2.0, 4.0, 8.0]


def test_backoff_is_jittered_between_half_and_all_of_its_value(
    make_client, fake, clock
):
    draws = iter([0.0, 0.5])
    policy = RetryPolicy(jitter=lambda: next(draws))
    fake.api_script.extend([httpx.Response(503), httpx.Response(503), ok()])

    make_client(retry=policy).request(OFFRES_API, "GET", SEARCH)

    assert clock.sleeps == [0.5, 1.5]


def test_a_retry_after_over_the_maximum_raises_retry_later_at_once(
    make_client, fake, clock
):
    fake.api_script.append(httpx.Response(429, headers={"Retry-After": "3600"}))
    client = make_client(retry=RetryPolicy(max_retry_after=120, jitter=lambda: 1.0))

    with pytest.raises(errors.RetryLater) as raised:
        client.request(OFFRES_API, "GET", SEARCH)

    assert raised.value.wait_seconds == 3600
    assert raised.value.retryable is True
    assert len(fake.api_requests) == 1
    assert clock.sleeps == []


def test_an_absurd_retry_after_is_written_briefly(make_client, fake, clock):
    fake.api_script.append(httpx.Response(429, headers={"Retry-After": "1e308"}))

    with pytest.raises(errors.RetryLater) as raised:
        make_client().request(OFFRES_API, "GET", SEARCH)

    assert raised.value.wait_seconds == 1e308
    assert str(raised.value) == (
        "Offres d'emploi v2 asked to wait 1e+308 s (status 429), longer than the "
        "120 s a worker may sleep: retry after that wait."
    )


def test_a_long_wait_holds_every_worker_for_no_longer_than_a_worker_may_sleep(
    make_client, fake, clock
):
    fake.api_script.extend([httpx.Response(429, headers={"Retry-After": "600"}), ok()])
    client = make_client()
    with pytest.raises(errors.RetryLater) as raised:
        client.request(OFFRES_API, "GET", SEARCH)

    response = client.request(OFFRES_API, "GET", SEARCH)

    # The caller was told the API's 600 s; the next worker waited out the 120 s hold
    # (the policy's longest sleep), then went through.
    assert raised.value.wait_seconds == 600
    assert response.status == 200
    assert clock.sleeps == [120.0]
    assert len(fake.api_requests) == 2


def test_429s_are_bounded_in_attempts_then_throttled(make_client, fake, clock):
    fake.api_script.extend([httpx.Response(429, headers={"Retry-After": "1"})] * 10)

    with pytest.raises(errors.Throttled) as raised:
        make_client().request(OFFRES_API, "GET", SEARCH)

    assert len(fake.api_requests) == 6
    assert clock.sleeps == [1.0] * 5
    assert raised.value.wait_seconds == 1.0
    assert isinstance(raised.value, errors.RetryLater)
    assert "kept answering 429" in str(raised.value)


def test_a_5xx_is_retried_with_backoff_then_fails_as_a_server_error(
    make_client, fake, clock
):
    body = {"codeErreur": "JCS0011G", "codeHttp": 500, "message": "vue nulle"}
    fake.api_script.extend([json_response(500, body)] * 6)
    client = make_client()

    with pytest.raises(errors.ServerError) as raised:
        client.request(OFFRES_API, "GET", SEARCH)

    assert len(fake.api_requests) == 6
    assert clock.sleeps == [1.0, 2.0, 4.0, 8.0, 16.0]
    assert raised.value.retryable is True
    assert raised.value.status == 500
    assert str(raised.value).startswith(
        "Offres d'emploi v2 kept failing on GET offres/search with 500 after 6 "
        "attempts over 32 s"
    )


def test_retries_stop_when_the_total_time_is_spent(make_client, fake, clock):
    fake.api_script.extend([httpx.Response(503)] * 10)
    policy = RetryPolicy(max_attempts=10, max_elapsed=10, jitter=lambda: 1.0)

    with pytest.raises(errors.ServerError):
        make_client(retry=policy).request(OFFRES_API, "GET", SEARCH)

    # 1 + 2 + 4 = 7 s waited; the next wait (8 s) would end past the 10 s budget.
    assert clock.sleeps == [1.0, 2.0, 4.0]
    assert len(fake.api_requests) == 4


def test_a_408_is_retried_like_a_server_error(make_client, fake, clock):
    fake.api_script.extend([httpx.Response(408), ok()])

    response = make_client().request(OFFRES_API, "GET", SEARCH)

    assert (response.requests, clock.sleeps) == (2, [1.0])


def test_a_503_with_retry_after_waits_that_long(make_client, fake, clock):
    fake.api_script.extend([httpx.Response(503, headers={"Retry-After": "5"}), ok()])

    make_client().request(OFFRES_API, "GET", SEARCH)

    assert clock.sleeps == [5.0]


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(httpx.ReadTimeout("read timed out"), id="read-timeout"),
        pytest.param(httpx.ConnectTimeout("connect timed out"), id="connect-timeout"),
        pytest.param(httpx.ConnectError("connection refused"), id="refused"),
        pytest.param(httpx.RemoteProtocolError("peer closed"), id="broken"),
        pytest.param(httpx.ReadError("connection reset"), id="reset"),
    ],
)
def test_network_failures_are_retried_with_backoff(make_client, fake, clock, failure):
    fake.api_script.extend([failure, failure, ok()])

    response = make_client().request(OFFRES_API, "GET", SEARCH)

    assert response.requests == 3
    assert clock.sleeps == [1.0, 2.0]


def test_network_failures_end_in_a_network_error(make_client, fake, clock):
    fake.api_script.extend([httpx.ReadTimeout("read timed out")] * 6)

    with pytest.raises(errors.NetworkError) as raised:
        make_client().request(OFFRES_API, "GET", SEARCH)

    assert isinstance(raised.value.__cause__, httpx.ReadTimeout)
    assert "(ReadTimeout) after 6 attempts" in str(raised.value)
    assert len(fake.api_requests) == 6


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param(
            httpx.Response(
                200,
                content=b'{"resultats": [{"id": "1',
                headers={"Content-Length": "512"},
            ),
            id="truncated",
        ),
        pytest.param(
            httpx.Response(
                206,
                content=b"<html>Bad gateway</html>",
                headers={"Content-Type": "text/html"},
            ),
            id="html-206",
        ),
        pytest.param(httpx.Response(200, content=b""), id="empty-200"),
    ],
)
def test_unreadable_2xx_bodies_are_retried_never_read_as_no_data(
    make_client, fake, clock, broken
):
    fake.api_script.extend([broken, ok()])

    response = make_client().request(OFFRES_API, "GET", SEARCH)

    assert response.data == {"resultats": []}
    assert response.requests == 2
    assert clock.sleeps == [1.0]


def test_unreadable_bodies_end_in_an_unexpected_response(make_client, fake):
    fake.api_script.extend([httpx.Response(200, content=b"<html/>")] * 6)

    with pytest.raises(errors.UnexpectedResponse) as raised:
        make_client().request(OFFRES_API, "GET", SEARCH)

    assert raised.value.retryable is True
    assert "non-JSON body" in str(raised.value)
    assert len(fake.api_requests) == 6


def test_one_info_line_per_request_and_one_warning_per_retry(make_client, fake, caplog):
    fake.api_script.extend(
        [httpx.Response(429, headers={"Retry-After": "2"}), httpx.Response(502), ok()]
    )
    caplog.set_level(logging.INFO, logger="pipelines.francetravail")

    make_client().request(OFFRES_API, "GET", SEARCH, params={"range": "0-149"})

    infos = [r for r in caplog.records if r.levelno == logging.INFO]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    api_lines = [r for r in infos if "/offres/search" in r.getMessage()]
    assert [r.status for r in api_lines] == [429, 502, 200]
    assert (
        api_lines[0]
        .getMessage()
        .startswith(
            "GET http://127.0.0.1:9/partenaire/offresdemploi/v2/offres/search"
            "?range=0-149 429 "
        )
    )
    assert [(r.event, r.cause, r.attempt, r.wait_seconds) for r in warnings] == [
        ("francetravail.throttled", "status 429", 1, 2.0),
        ("francetravail.retry", "status 502", 2, 2.0),
    ]


def test_json_bodies_are_posted(make_client, fake):
    fake.api_script.append(json_response(200, {"ok": True}))

    make_client().request(OFFRES_API, "POST", "x", json={"codeTerritoire": "75"})

    [seen] = fake.api_requests
    assert seen.method == "POST"
    assert seen.body == b'{"codeTerritoire":"75"}'
    assert seen.headers["Content-Type"] == "application/json"


def test_stats_count_requests_retries_waits_and_refreshes(make_client, fake):
    fake.api_script.extend(
        [httpx.Response(401), httpx.Response(429, headers={"Retry-After": "3"}), ok()]
    )
    client = make_client()

    client.request(OFFRES_API, "GET", SEARCH)

    stats = client.stats.snapshot()
    assert {k: stats[k] for k in stats if k != "seconds_paced"} == {
        "requests": 3,
        "responses_429": 1,
        "retries": 2,
        "seconds_waited": 3.0,
        "token_requests": 2,
        "token_refreshes": 1,
    }


def encoded(status: int, body: bytes, encoding: str) -> httpx.Response:
    """An answer whose body claims ``encoding``, sent as is (httpx decodes on read)."""
    return httpx.Response(
        status, stream=httpx.ByteStream(body), headers={"Content-Encoding": encoding}
    )


@pytest.mark.parametrize(
    ("lie", "reason"),
    [
        pytest.param(
            encoded(200, b'{"resultats": []}', "gzip"),
            "undecodable body (gzip)",
            id="gzip",
        ),
        pytest.param(
            encoded(200, b"not deflate", "deflate"),
            "undecodable body (deflate)",
            id="deflate",
        ),
        pytest.param(
            httpx.Response(200, content=b"[" * 100_000 + b"]" * 100_000),
            "JSON nested too deeply to read",
            id="nested-100000-deep",
        ),
    ],
)
def test_undecodable_bodies_are_unreadable_and_retried(
    make_client, fake, clock, caplog, lie, reason
):
    fake.api_script.extend([lie, ok()])

    response = make_client().request(OFFRES_API, "GET", SEARCH)

    assert response.data == {"resultats": []}
    assert response.requests == 2
    assert clock.sleeps == [1.0]
    [retry] = [r for r in caplog.records if r.levelname == "WARNING"]
    assert retry.cause == reason


def test_an_undecodable_body_that_persists_is_an_unexpected_response(make_client, fake):
    fake.api_script.extend([encoded(200, b"{}", "gzip") for _ in range(6)])

    with pytest.raises(errors.UnexpectedResponse) as raised:
        make_client().request(OFFRES_API, "GET", SEARCH)

    assert raised.value.retryable is True
    assert "(undecodable body (gzip)) after 6 attempts" in str(raised.value)


def test_an_undecodable_error_body_still_gives_the_status_its_meaning(
    make_client, fake
):
    fake.api_script.append(encoded(403, b"plain", "gzip"))

    with pytest.raises(errors.AccessDenied) as raised:
        make_client().request(OFFRES_API, "GET", SEARCH)

    assert raised.value.status == 403
    assert len(fake.api_requests) == 1


class Dribble(httpx.SyncByteStream):
    """A body sent one byte at a time, each ``pause`` seconds after the last."""

    def __init__(self, body: bytes, clock, pause: float) -> None:
        self._body = body
        self._clock = clock
        self._pause = pause

    def __iter__(self):
        for byte in self._body:
            self._clock.advance(self._pause)
            yield bytes([byte])


def dribbled(clock, pause: float) -> httpx.Response:
    body = b'{"resultats": []}'
    return httpx.Response(
        200,
        stream=Dribble(body, clock, pause),
        headers={"Content-Length": str(len(body))},
    )


def test_a_body_dribbled_past_the_deadline_is_a_network_error(make_client, fake, clock):
    fake.api_script.extend([dribbled(clock, 0.4) for _ in range(2)])
    client = make_client(
        deadline=2.0, retry=RetryPolicy(max_attempts=2, jitter=lambda: 1.0)
    )
    started = clock.now()

    with pytest.raises(errors.NetworkError) as raised:
        client.request(OFFRES_API, "GET", SEARCH)

    # Each attempt gave up on the first byte past its 2 s (the answer came after
    # 0.2 s, then a byte every 0.4 s), then one backoff second: 2.2 + 1.0 + 2.2 s in
    # all, where the whole body would have taken 7 s per attempt.
    assert raised.value.retryable is True
    assert "(DeadlineExceeded) after 2 attempts" in str(raised.value)
    assert len(fake.api_requests) == 2
    assert clock.sleeps == [1.0]
    assert clock.now() - started == pytest.approx(5.4)


def test_the_calls_time_budget_also_ends_an_attempt(make_client, fake, clock):
    fake.api_script.append(dribbled(clock, 0.4))
    client = make_client(retry=RetryPolicy(max_elapsed=2.0, jitter=lambda: 1.0))
    started = clock.now()

    with pytest.raises(errors.NetworkError):
        client.request(OFFRES_API, "GET", SEARCH)

    # The default 60 s deadline would have let the 17 bytes (6.8 s) in; the call's
    # 2 s did not.
    assert len(fake.api_requests) == 1
    assert clock.now() - started == pytest.approx(2.2)


def test_a_slow_body_within_the_deadline_is_read(make_client, fake, clock):
    fake.api_script.append(dribbled(clock, 0.4))

    response = make_client(deadline=10.0).request(OFFRES_API, "GET", SEARCH)

    assert response.data == {"resultats": []}
    assert response.requests == 1
    assert clock.sleeps == []
