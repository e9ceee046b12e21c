"""Two servers with one seed serve identical bytes; replay serves the captured files."""

from __future__ import annotations

import json

import httpx

from .helpers import SEARCH_PATH, api_client

PATHS = [
    (SEARCH_PATH, {"range": "0-149"}),
    (SEARCH_PATH, {"range": "1850-1999"}),
    (SEARCH_PATH, {"origineOffre": "2", "departement": "75,13,69"}),
    ("/offresdemploi/v2/referentiel/communes", {}),
]


def bodies(sim) -> list[bytes]:
    with api_client(sim) as client:
        return [client.get(path, params=params).content for path, params in PATHS]


def test_same_seed_serves_identical_bytes(start_simulator):
    first, second = start_simulator(seed=11), start_simulator(seed=11)

    first_bodies, second_bodies = bodies(first), bodies(second)

    assert first_bodies == second_bodies
    assert len(first_bodies[0]) > 100_000
    assert len(json.loads(first_bodies[1])["resultats"]) == 150


def test_other_seed_serves_other_offers(start_simulator):
    first, other = start_simulator(seed=11), start_simulator(seed=12)

    assert bodies(first)[0] != bodies(other)[0]


def test_replay_serves_the_captured_search_byte_for_byte(start_simulator, samples_dir):
    captured = samples_dir
    search_file = (
        captured / "offres_search_206_appellation404278_2024-11-27_trimmed.json"
    )
    sim = start_simulator(replay_dir=captured)

    with api_client(sim) as client:
        whole = client.get(
            SEARCH_PATH, params={"appellation": "404278", "range": "0-149"}
        )
        tail = client.get(SEARCH_PATH, params={"range": "20-149"})
        past = client.get(SEARCH_PATH, params={"range": "150-299"})

    assert whole.status_code == 200
    assert whole.content == search_file.read_bytes()
    assert whole.headers["content-range"] == "offres 0-25/26"
    assert tail.status_code == 206
    assert tail.headers["content-range"] == "offres 20-25/26"
    assert [o["id"] for o in tail.json()["resultats"]] == [
        o["id"] for o in json.loads(search_file.read_bytes())["resultats"][20:]
    ]
    assert past.status_code == 204
    assert past.headers["content-range"] == "offres -1--1/26"


def test_replay_serves_the_captured_offer_and_pays(start_simulator, samples_dir):
    captured = samples_dir
    sim = start_simulator(replay_dir=captured)

    with api_client(sim) as client:
        offer = client.get("/offresdemploi/v2/offres/184TRJB")
        other = client.get("/offresdemploi/v2/offres/184SFBG")
        pays = client.get("/offresdemploi/v2/referentiel/pays")
        regions = client.get("/offresdemploi/v2/referentiel/regions")

    assert offer.status_code == 200
    assert offer.content == (captured / "offre_184TRJB_2024-11-28.json").read_bytes()
    assert other.status_code == 204
    assert pays.content == (captured / "referentiel_pays.json").read_bytes()
    assert pays.headers["content-range"] == "pays */221"
    assert len(regions.json()) == 18


def test_replay_still_applies_auth_and_range_rules(start_simulator, samples_dir):
    sim = start_simulator(replay_dir=samples_dir)

    unauthenticated = httpx.get(sim.api_url + SEARCH_PATH)
    with api_client(sim) as client:
        too_wide = client.get(SEARCH_PATH, params={"range": "0-150"})

    assert unauthenticated.status_code == 401
    assert too_wide.status_code == 400


def test_samples_dir_serves_the_full_pays_referentiel(start_simulator, samples_dir):
    sim = start_simulator(samples_dir=samples_dir)

    with api_client(sim) as client:
        pays = client.get("/offresdemploi/v2/referentiel/pays").json()
        search = client.get(SEARCH_PATH, params={"range": "0-0"})

    assert len(pays) == 221
    assert {"code": "01", "libelle": "France"} in pays
    assert search.headers["content-range"] == "offres 0-0/2000"
