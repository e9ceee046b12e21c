"""The admin endpoints drive the same state as in-process tests, over HTTP."""

from __future__ import annotations

import httpx
import pytest

from .helpers import FIRST_DAY, SEARCH_PATH


@pytest.fixture
def admin(sim):
    with httpx.Client(base_url=f"{sim.base_url}/_simulator") as client:
        yield client


def test_request_log_is_listed_incrementally(sim, offers, admin):
    offers.get(SEARCH_PATH, params={"range": "0-9"})
    offers.get(SEARCH_PATH, params={"range": "10-19", "departement": "75"})

    everything = admin.get("/requests").json()
    later = admin.get("/requests", params={"since": 2}).json()
    third = sim.state.request_log[2]
    cleared = admin.delete("/requests")
    after_clear = admin.get("/requests").json()

    assert [r["api"] for r in everything["requests"]] == [
        "token",
        "offresdemploi",
        "offresdemploi",
    ]
    assert everything["next"] == 3
    assert later == {
        "requests": [
            {
                "at": third.at,
                "method": "GET",
                "path": "/partenaire/offresdemploi/v2/offres/search",
                "query": {"range": "10-19", "departement": "75"},
                "status": 206,
                "client_id": "simulator-client",
                "api": "offresdemploi",
            }
        ],
        "next": 3,
    }
    assert cleared.json() == {"cleared": True}
    assert after_clear == {"requests": [], "next": 0}


def test_faults_are_queued_and_cleared(offers, admin):
    queued = admin.post(
        "/faults",
        json={
            "faults": [
                {"kind": "status", "status": 503},
                {"kind": "retry_after", "value": "4"},
            ],
            "api": "offresdemploi",
            "path_prefix": "/offres/search",
        },
    )
    first, second = offers.get(SEARCH_PATH), offers.get(SEARCH_PATH)
    admin.post("/faults", json={"faults": [{"kind": "status", "status": 500}]})
    cleared = admin.delete("/faults")
    third = offers.get(SEARCH_PATH)

    assert queued.json() == {"queued": 2}
    assert (first.status_code, second.status_code) == (503, 429)
    assert second.headers["retry-after"] == "4"
    assert cleared.json() == {"cleared": True}
    assert third.status_code == 206


def test_expire_tokens(offers, admin):
    expired = admin.post("/expire-tokens")

    response = offers.get(SEARCH_PATH)

    assert expired.json() == {"expired": 1}
    assert response.status_code == 401


def test_withdraw_update_and_day_ids(sim, offers, admin):
    day = admin.get(f"/days/{FIRST_DAY.isoformat()}/ids").json()
    first, second = day["ids"][:2]
    before = offers.get(f"/offresdemploi/v2/offres/{second}").json()

    withdrawn = admin.post("/withdraw", json={"ids": [first, "999ZZZZ"]})
    updated = admin.post("/update", json={"ids": [second]})
    after = admin.get(f"/days/{FIRST_DAY.isoformat()}/ids").json()
    changed = offers.get(f"/offresdemploi/v2/offres/{second}").json()

    assert day["count"] == 400
    assert day["ids"] == sim.state.corpus.ids_created_on(
        FIRST_DAY, include_withdrawn=True
    )
    assert withdrawn.json() == {"withdrawn": 1}
    assert updated.json() == {"updated": 1}
    assert after["count"] == 399
    assert after["ids"] == day["ids"][1:]
    assert offers.get(f"/offresdemploi/v2/offres/{first}").status_code == 204
    assert changed["nombrePostes"] == before["nombrePostes"] + 1
    assert changed["dateActualisation"] != before["dateActualisation"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/withdraw", {"ids": "184TRJB"}),
        ("POST", "/faults", {"faults": [{"kind": "boom"}]}),
        ("GET", "/days/2026-13-01/ids", None),
        ("GET", "/requests?since=abc", None),
    ],
    ids=["ids-not-a-list", "unknown-fault", "bad-day", "bad-since"],
)
def test_bad_admin_requests_are_400(admin, method, path, body):
    response = admin.request(method, path, json=body)

    assert response.status_code == 400
    assert response.json()["error"]


def test_admin_requests_are_not_logged_nor_rate_limited(sim, admin):
    for _ in range(5):
        admin.get("/requests")

    assert sim.state.request_log == []
