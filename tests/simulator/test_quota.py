"""Per-client, per-API quota: the gateway's headers, 429 with Retry-After, the refill,
and the sliding-window measure tests use to prove a client stays under quota."""

from __future__ import annotations

import httpx
import pytest

from pipelines.simulator import ClientAccount, RequestRecord, max_requests_in_window

from .helpers import GENEROUS_QUOTAS, SEARCH_PATH, FakeClock, api_client, token_form

LBB_PATH = "/labonneboite/v2/recherche"
LBB_PARAMS = {"rome": "M1805", "department_number": "75"}


def quota_sim(start_simulator, clock: FakeClock, **overrides):
    quotas = {**GENEROUS_QUOTAS, "offresdemploi": 3, "labonneboite": 2}
    return start_simulator(clock=clock, quotas=quotas, **overrides)


def test_burst_then_429_with_headers(start_simulator):
    """A full bucket of 3 serves 3 requests at once; the 4th must wait 1/3 s."""
    clock = FakeClock()
    sim = quota_sim(start_simulator, clock)
    with api_client(sim) as client:
        responses = [client.get(SEARCH_PATH, params={"range": "0-0"}) for _ in range(4)]

    assert [r.status_code for r in responses] == [206, 206, 206, 429]
    assert [r.headers["x-ratelimit-remaining-clientidlimiter"] for r in responses] == [
        "2",
        "1",
        "0",
        "0",
    ]
    assert {
        r.headers["x-ratelimit-burst-capacity-clientidlimiter"] for r in responses
    } == {"3"}
    assert {
        r.headers["x-ratelimit-replenish-rate-clientidlimiter"] for r in responses
    } == {"3"}
    refused = responses[3]
    assert refused.headers["retry-after"] == "1"
    assert refused.headers["content-type"].startswith("text/plain")
    assert refused.content == b""


def test_bucket_refills_at_the_quota_rate(start_simulator):
    clock = FakeClock()
    sim = quota_sim(start_simulator, clock)
    with api_client(sim) as client:
        burst = [
            client.get(SEARCH_PATH, params={"range": "0-0"}).status_code
            for _ in range(3)
        ]
        clock.advance(0.3)
        too_early = client.get(SEARCH_PATH, params={"range": "0-0"}).status_code
        clock.advance(0.04)
        refilled = client.get(SEARCH_PATH, params={"range": "0-0"}).status_code
        clock.advance(10)
        full_again = [
            client.get(SEARCH_PATH, params={"range": "0-0"}).status_code
            for _ in range(4)
        ]

    assert burst == [206, 206, 206]
    assert too_early == 429
    assert refilled == 206
    assert full_again == [206, 206, 206, 429]


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("seconds", "1"),
        ("fraction", "0.333"),
        ("http-date", "Sun, 29 Mar 2026 16:00:01 GMT"),
    ],
    ids=["seconds", "fraction", "http-date"],
)
def test_retry_after_styles(start_simulator, style, expected):
    clock = FakeClock(1_774_800_000.0)
    sim = quota_sim(start_simulator, clock, retry_after_style=style)
    with api_client(sim) as client:
        for _ in range(3):
            client.get(SEARCH_PATH, params={"range": "0-0"})
        refused = client.get(SEARCH_PATH, params={"range": "0-0"})

    assert refused.status_code == 429
    assert refused.headers["retry-after"] == expected


def test_each_api_has_its_own_bucket(start_simulator):
    """Exhausting the offers quota leaves La Bonne Boîte's 2 requests untouched."""
    clock = FakeClock()
    sim = quota_sim(start_simulator, clock)
    with api_client(sim, "offresdemploi", "labonneboite") as client:
        offers = [
            client.get(SEARCH_PATH, params={"range": "0-0"}).status_code
            for _ in range(4)
        ]
        lbb = [client.get(LBB_PATH, params=LBB_PARAMS) for _ in range(3)]

    assert offers == [206, 206, 206, 429]
    assert [r.status_code for r in lbb] == [200, 200, 429]
    assert lbb[0].headers["x-ratelimit-burst-capacity-clientidlimiter"] == "2"


def test_each_client_has_its_own_bucket(start_simulator):
    clock = FakeClock()
    accounts = [ClientAccount("first", "one"), ClientAccount("second", "two")]
    sim = quota_sim(start_simulator, clock, accounts=accounts)
    tokens = {
        client_id: httpx.post(
            sim.token_url,
            data=token_form(
                "api_offresdemploiv2 o2dsoffre",
                client_id=client_id,
                client_secret=secret,
            ),
        ).json()["access_token"]
        for client_id, secret in (("first", "one"), ("second", "two"))
    }

    def status(client_id: str) -> int:
        headers = {"Authorization": f"Bearer {tokens[client_id]}"}
        return httpx.get(sim.api_url + SEARCH_PATH, headers=headers).status_code

    first = [status("first") for _ in range(4)]
    second = [status("second") for _ in range(3)]

    assert first == [206, 206, 206, 429]
    assert second == [206, 206, 206]
    assert max_requests_in_window(sim.state.request_log, api="offresdemploi") == 7
    assert max_requests_in_window(sim.state.request_log, client_id="second") == 4
    assert (
        max_requests_in_window(
            sim.state.request_log, api="offresdemploi", client_id="second"
        )
        == 3
    )


def record(
    at: float, api: str = "offresdemploi", client_id: str = "c"
) -> RequestRecord:
    return RequestRecord(at, "GET", "/x", {}, 200, client_id, api)


def test_max_requests_in_window_slides_over_half_open_windows():
    log = [record(t) for t in (0.0, 0.5, 0.99, 1.0, 1.5, 1.99, 2.0)]

    assert max_requests_in_window(log) == 3
    assert max_requests_in_window(log, seconds=1.01) == 4
    assert max_requests_in_window(log, seconds=2.0) == 6
    assert max_requests_in_window([]) == 0


def test_max_requests_in_window_filters_by_api_and_client():
    log = [
        record(0.0),
        record(0.1, api="labonneboite"),
        record(0.2, client_id="other"),
        record(0.3),
        record(0.4, api="token"),
    ]

    assert max_requests_in_window(log) == 5
    assert max_requests_in_window(log, api="offresdemploi") == 3
    assert max_requests_in_window(log, api="offresdemploi", client_id="c") == 2
