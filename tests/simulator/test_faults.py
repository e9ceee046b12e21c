"""Scripted faults: each kind as a client sees it, matching by API and path, order."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from pipelines.simulator import Fault
from pipelines.simulator.state import NO_RESPONSE

from .helpers import SEARCH_PATH, token_form

OBSERVED_500 = {
    "codeErreur": "JCS0011G",
    "codeHttp": 500,
    "message": "La vue service retournée par le connecteur HTTP est nulle ou mal "
    "formée",
}


def test_status_fault_answers_once_with_its_body(sim, offers):
    sim.state.faults.push(Fault.status(500, OBSERVED_500), api="offresdemploi")

    failed = offers.get(SEARCH_PATH)
    recovered = offers.get(SEARCH_PATH)

    assert failed.status_code == 500
    assert failed.json() == OBSERVED_500
    assert recovered.status_code == 206
    assert len(sim.state.faults) == 0


def test_faults_are_served_first_in_first_out(sim, offers):
    sim.state.faults.push(Fault.status(503), Fault.retry_after("2"), Fault.status(502))

    statuses = [offers.get(SEARCH_PATH).status_code for _ in range(4)]

    assert statuses == [503, 429, 502, 206]


@pytest.mark.parametrize(
    ("value", "status"),
    [("2", 429), ("Wed, 21 Oct 2026 07:28:00 GMT", 429), ("0.5", 429), ("soon", 503)],
    ids=["seconds", "http-date", "fraction", "garbage-503"],
)
def test_retry_after_fault_is_written_verbatim(sim, offers, value, status):
    sim.state.faults.push(Fault.retry_after(value, status=status))

    response = offers.get(SEARCH_PATH)

    assert response.status_code == status
    assert response.headers["retry-after"] == value
    assert response.headers["content-type"].startswith("text/plain")


def test_truncated_body_breaks_the_read(sim, offers):
    sim.state.faults.push(Fault.truncated(), path_prefix="/offres/search")

    with pytest.raises(httpx.RemoteProtocolError, match=r"incomplete|complete message"):
        offers.get(SEARCH_PATH)
    recovered = offers.get(SEARCH_PATH)

    assert sim.state.request_log[-2].status == 206
    assert recovered.status_code == 206
    assert len(recovered.json()["resultats"]) == 150


def test_non_json_body_keeps_the_page_status(sim, offers):
    sim.state.faults.push(Fault.non_json())

    response = offers.get(SEARCH_PATH)

    assert response.status_code == 206
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.startswith("<!DOCTYPE html>")
    with pytest.raises(ValueError):
        response.json()


def test_disconnect_closes_without_answering(sim, offers):
    sim.state.faults.push(Fault.disconnect())

    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        offers.get(SEARCH_PATH)
    recovered = offers.get(SEARCH_PATH)

    assert sim.state.request_log[-2].status == NO_RESPONSE
    assert recovered.status_code == 206


def test_delay_trips_a_client_timeout(sim, offers):
    sim.state.faults.push(Fault.delay(0.4))

    with pytest.raises(httpx.ReadTimeout):
        offers.get(SEARCH_PATH, timeout=0.1)
    answered = offers.get(SEARCH_PATH, timeout=5)

    assert answered.status_code == 206
    assert [r.status for r in sim.state.request_log[-2:]] == [206, 206]


def test_faults_match_their_api_and_path(sim, offers):
    sim.state.faults.push(Fault.status(503), api="labonneboite")
    sim.state.faults.push(
        Fault.status(502), api="offresdemploi", path_prefix="/offres/search"
    )

    referentiel = offers.get("/offresdemploi/v2/referentiel/regions")
    search = offers.get(SEARCH_PATH)

    assert referentiel.status_code == 200
    assert search.status_code == 502
    assert len(sim.state.faults) == 1


def test_token_endpoint_faults_are_scripted_apart(sim):
    """Faults without an API leave the token endpoint alone; "token" targets it."""
    sim.state.faults.push(Fault.status(503))
    sim.state.faults.push(Fault.retry_after("3"), api="token")

    throttled = httpx.post(
        sim.token_url, data=token_form("api_offresdemploiv2 o2dsoffre")
    )
    issued = httpx.post(sim.token_url, data=token_form("api_offresdemploiv2 o2dsoffre"))

    assert throttled.status_code == 429
    assert throttled.headers["retry-after"] == "3"
    assert issued.status_code == 200
    assert len(sim.state.faults) == 1


def test_fault_from_admin_json():
    assert Fault.from_json({"kind": "status", "status": 503}) == Fault.status(503)
    assert Fault.from_json({"kind": "retry_after", "value": "2"}) == Fault.retry_after(
        "2"
    )
    assert Fault.from_json({"kind": "delay", "seconds": 1.5}) == Fault.delay(1.5)
    assert Fault.from_json({"kind": "disconnect"}) == Fault.disconnect()
    with pytest.raises(ValueError, match="unknown fault kind 'boom'"):
        Fault.from_json({"kind": "boom"})


def test_latency_delays_api_responses_only_and_concurrently(start_simulator):
    """0.2 s per API response, none on the token endpoint; ten requests in flight at
    once all finish in about one latency, not ten."""
    sim = start_simulator(latency_seconds=0.2)
    form = token_form("api_offresdemploiv2 o2dsoffre")

    started = time.perf_counter()
    token = httpx.post(sim.token_url, data=form).json()["access_token"]
    token_seconds = time.perf_counter() - started
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=sim.api_url, headers=headers) as client:
        started = time.perf_counter()
        single = client.get(SEARCH_PATH, params={"range": "0-0"})
        single_seconds = time.perf_counter() - started
        with ThreadPoolExecutor(max_workers=10) as pool:
            started = time.perf_counter()
            statuses = list(
                pool.map(
                    lambda n: (
                        client.get(
                            SEARCH_PATH, params={"range": f"{n}-{n}"}
                        ).status_code
                    ),
                    range(10),
                )
            )
            parallel_seconds = time.perf_counter() - started

    assert token_seconds < 0.2
    assert single.status_code == 206
    assert single_seconds >= 0.2
    assert statuses == [206] * 10
    assert 0.2 <= parallel_seconds < 1.0
