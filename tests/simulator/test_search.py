"""The offers search: range rules and messages, statuses, Content-Range, filters."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from pipelines.calendar import paris_day_window
from pipelines.simulator import geography

from .helpers import SEARCH_PATH, api_client

SPRING_DAY = date(2026, 3, 28)


def api_date(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day_params(day: date) -> dict[str, str]:
    """The creation window of one Paris day, in the API's UTC form."""
    window = paris_day_window(day)
    return {
        "minCreationDate": api_date(window.start),
        "maxCreationDate": api_date(window.end),
    }


def total_of(response) -> int:
    return int(re.search(r"(\d+)\s*$", response.headers["content-range"])[1])


@pytest.fixture
def one_day(start_simulator):
    """A simulator holding 353 offers, all created on 2026-03-28 (Paris)."""

    def start(**overrides):
        settings = {
            "first_day": SPRING_DAY,
            "last_day": SPRING_DAY,
            "day_volumes": {SPRING_DAY: 353},
        }
        settings.update(overrides)
        return start_simulator(**settings)

    return start


@pytest.mark.parametrize(
    ("range_value", "message"),
    [
        ("0-150", "La plage de résultats demandée est trop importante."),
        ("10-160", "La plage de résultats demandée est trop importante."),
        ("3001-3100", "La position de début doit être inférieure ou égale à 3000."),
        ("abc", "Format du paramètre « range » incorrect. <entier>-<entier> attendu."),
        ("5-4", "Format du paramètre « range » incorrect. <entier>-<entier> attendu."),
        ("-1-5", "Format du paramètre « range » incorrect. <entier>-<entier> attendu."),
        ("0-", "Format du paramètre « range » incorrect. <entier>-<entier> attendu."),
    ],
    ids=[
        "span-151",
        "span-151-offset",
        "start-3001",
        "letters",
        "reversed",
        "negative",
        "open",
    ],
)
def test_range_violations_answer_400_with_the_api_message(offers, range_value, message):
    response = offers.get(SEARCH_PATH, params={"range": range_value})

    body = response.json()
    assert response.status_code == 400
    assert list(body) == ["message", "codeHttp", "codeErreur"]
    assert body["message"] == message
    assert body["codeHttp"] == 400
    assert re.fullmatch(r"\d{13}", body["codeErreur"])


def test_range_at_the_cap_is_accepted(offers):
    """3000-3149 is the last page a search may ask for; past the 2000 offers it is
    204."""
    response = offers.get(SEARCH_PATH, params={"range": "3000-3149"})

    assert response.status_code == 204
    assert response.headers["content-range"] == "offres -1--1/2000"


def test_cap_is_configurable(start_simulator):
    sim = start_simulator(range_max_start=1000)
    with api_client(sim) as client:
        refused = client.get(SEARCH_PATH, params={"range": "1001-1100"})
        accepted = client.get(SEARCH_PATH, params={"range": "1000-1149"})

    assert refused.status_code == 400
    assert refused.json()["message"] == (
        "La position de début doit être inférieure ou égale à 1000."
    )
    assert accepted.status_code == 206
    assert accepted.headers["content-range"] == "offres 1000-1149/2000"


def test_default_range_is_the_first_150(offers):
    response = offers.get(SEARCH_PATH)

    assert response.status_code == 206
    assert response.headers["content-range"] == "offres 0-149/2000"
    assert response.headers["accept-range"] == "150"
    assert len(response.json()["resultats"]) == 150


def test_no_match_is_204_with_star_content_range(offers):
    response = offers.get(SEARCH_PATH, params=day_params(date(2026, 1, 15)))

    assert response.status_code == 204
    assert response.content == b""
    assert response.headers["content-range"] == "offres */0"


def test_pages_of_a_multi_page_result(one_day):
    """353 offers: two full 206 pages, then 300-352/353 as 206 by default."""
    with api_client(one_day()) as client:
        pages = [
            client.get(SEARCH_PATH, params={**day_params(SPRING_DAY), "range": r})
            for r in ("0-149", "150-299", "300-449", "450-599")
        ]

    assert [p.status_code for p in pages] == [206, 206, 206, 204]
    assert [p.headers["content-range"] for p in pages] == [
        "offres 0-149/353",
        "offres 150-299/353",
        "offres 300-352/353",
        "offres -1--1/353",
    ]
    assert [len(p.json()["resultats"]) for p in pages[:3]] == [150, 150, 53]


def test_final_page_status_can_be_200(one_day):
    with api_client(one_day(final_page_status=200)) as client:
        middle = client.get(SEARCH_PATH, params={"range": "150-299"})
        last = client.get(SEARCH_PATH, params={"range": "300-449"})

    assert middle.status_code == 206
    assert last.status_code == 200
    assert last.headers["content-range"] == "offres 300-352/353"


def test_whole_result_in_one_page_is_200(one_day):
    sim = one_day(day_volumes={SPRING_DAY: 120})
    with api_client(sim) as client:
        response = client.get(SEARCH_PATH, params=day_params(SPRING_DAY))

    assert response.status_code == 200
    assert response.headers["content-range"] == "offres 0-119/120"
    assert len(response.json()["resultats"]) == 120


@pytest.mark.parametrize("page_size", [150, 100, 7], ids=["150", "100", "7"])
def test_pages_neither_overlap_nor_skip(one_day, page_size):
    """Paging a result returns every offer once, newest first."""
    sim = one_day()
    ids = []
    with api_client(sim) as client:
        for first in range(0, 353, page_size):
            params = {
                **day_params(SPRING_DAY),
                "range": f"{first}-{first + page_size - 1}",
            }
            ids += [
                o["id"]
                for o in client.get(SEARCH_PATH, params=params).json()["resultats"]
            ]

    assert len(ids) == 353
    assert ids == list(reversed(sim.state.corpus.ids_created_on(SPRING_DAY)))


def test_creation_dates_select_a_half_open_window(offers, sim):
    """min <= dateCreation < max, dates read as UTC: a partner offer created on a whole
    second is inside the window starting at that second, outside the one ending
    there."""
    records = sim.state.corpus.day(SPRING_DAY).offers
    record = next(r for r in records if r.partner)
    created = datetime.fromtimestamp(record.created_ms / 1000, UTC)
    second = timedelta(seconds=1)

    def ids_between(start: datetime, end: datetime) -> list[str]:
        params = {"minCreationDate": api_date(start), "maxCreationDate": api_date(end)}
        response = offers.get(SEARCH_PATH, params=params)
        return (
            []
            if response.status_code == 204
            else [o["id"] for o in response.json()["resultats"]]
        )

    assert record.created_ms % 1000 == 0
    assert record.id in ids_between(created, created + second)
    assert record.id not in ids_between(created - second, created)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"minCreationDate": "2026-03-28T00:00:00Z"},
            "Le paramètre « maxCreationDate » est obligatoire lorsque "
            "« minCreationDate » est renseigné.",
        ),
        (
            {"maxCreationDate": "2026-03-28T00:00:00Z"},
            "Le paramètre « minCreationDate » est obligatoire lorsque "
            "« maxCreationDate » est renseigné.",
        ),
        (
            {
                "minCreationDate": "2026-03-28",
                "maxCreationDate": "2026-03-29T00:00:00Z",
            },
            "Format du paramètre « minCreationDate » incorrect. "
            "Date au format yyyy-MM-dd'T'hh:mm:ss'Z' attendue.",
        ),
        (
            {
                "minCreationDate": "2026-03-28T00:00:00Z",
                "maxCreationDate": "2026-03-29T00:00:00+01:00",
            },
            "Format du paramètre « maxCreationDate » incorrect. "
            "Date au format yyyy-MM-dd'T'hh:mm:ss'Z' attendue.",
        ),
        ({"origineOffre": "3"}, "Valeur du paramètre « origineOffre » incorrecte."),
        (
            {"departement": "75,92,93,94,95,91"},
            "Valeur du paramètre « departement » incorrecte.",
        ),
        ({"departement": "00"}, "Valeur du paramètre « departement » incorrecte."),
        ({"typeContrat": "XYZ"}, "Valeur du paramètre « typeContrat » incorrecte."),
        ({"region": "99"}, "Valeur du paramètre « region » incorrecte."),
        ({"codeROME": "M18"}, "Valeur du paramètre « codeROME » incorrecte."),
        ({"publieeDepuis": "2"}, "Valeur du paramètre « publieeDepuis » incorrecte."),
    ],
    ids=[
        "min-alone",
        "max-alone",
        "date-only",
        "offset",
        "origine",
        "six-departements",
        "unknown-departement",
        "type-contrat",
        "region",
        "rome",
        "publiee-depuis",
    ],
)
def test_parameter_errors(offers, params, message):
    response = offers.get(SEARCH_PATH, params=params)

    assert response.status_code == 400
    assert response.json()["message"] == message


def fetch_all(client, params: dict) -> list[dict]:
    offers, first = [], 0
    while True:
        response = client.get(
            SEARCH_PATH, params={**params, "range": f"{first}-{first + 149}"}
        )
        if response.status_code == 204:
            return offers
        offers += response.json()["resultats"]
        if len(offers) >= total_of(response):
            return offers
        first += 150


def test_origine_totals_add_up_to_the_window_total(offers):
    """400 offers a day, a quarter of them from partners."""
    window = day_params(SPRING_DAY)

    whole = total_of(offers.get(SEARCH_PATH, params=window))
    by_origine = {
        origine: total_of(
            offers.get(SEARCH_PATH, params={**window, "origineOffre": origine})
        )
        for origine in ("1", "2")
    }
    partners = fetch_all(offers, {**window, "origineOffre": "2"})

    assert whole == 400
    assert by_origine == {"1": 300, "2": 100}
    assert {o["origineOffre"]["origine"] for o in partners} == {"2"}
    assert all("contact" not in o and "agence" not in o for o in partners)


def test_departement_and_region_totals_cover_every_located_offer(offers):
    """Offers placed in a département count there and in its région; "France" in
    neither, région-level places only in their région."""
    window = day_params(SPRING_DAY)
    everything = fetch_all(offers, window)
    region_names = {region.libelle for region in geography.REGIONS}
    in_france_only = sum(o["lieuTravail"]["libelle"] == "France" for o in everything)
    region_level = sum(o["lieuTravail"]["libelle"] in region_names for o in everything)

    codes = [d.code for d in geography.departements()]
    departement_total = sum(
        total_of(r) if r.status_code != 204 else 0
        for r in (
            offers.get(
                SEARCH_PATH,
                params={**window, "departement": ",".join(codes[i : i + 5])},
            )
            for i in range(0, len(codes), 5)
        )
    )
    region_total = sum(
        total_of(r) if r.status_code != 204 else 0
        for r in (
            offers.get(SEARCH_PATH, params={**window, "region": region.code})
            for region in geography.REGIONS
        )
    )

    assert len(everything) == 400
    assert in_france_only > 0 and region_level > 0
    assert departement_total == 400 - in_france_only - region_level
    assert region_total == 400 - in_france_only


def test_departement_filter_keeps_only_that_departement(offers):
    response = offers.get(SEARCH_PATH, params={"departement": "75,2A"})

    libelles = {o["lieuTravail"]["libelle"][:5] for o in response.json()["resultats"]}
    assert libelles <= {"75 - ", "2A - "}


def test_type_contrat_and_rome_filters(offers):
    window = day_params(SPRING_DAY)

    cdi = fetch_all(offers, {**window, "typeContrat": "CDI"})
    cdd_mis = fetch_all(offers, {**window, "typeContrat": "CDD,MIS"})
    rome = fetch_all(offers, {**window, "codeROME": "M1805,K2204"})

    assert {o["typeContrat"] for o in cdi} == {"CDI"}
    assert {o["typeContrat"] for o in cdd_mis} == {"CDD", "MIS"}
    assert {o["romeCode"] for o in rome} <= {"M1805", "K2204"}
    assert len(rome) > 0


def test_filtres_possibles_count_the_whole_result(offers):
    window = day_params(SPRING_DAY)

    page = offers.get(SEARCH_PATH, params={**window, "range": "0-9"}).json()
    cdi_total = total_of(
        offers.get(SEARCH_PATH, params={**window, "typeContrat": "CDI"})
    )

    filtres = {f["filtre"]: f["agregation"] for f in page["filtresPossibles"]}
    counts = {
        name: {a["valeurPossible"]: a["nbResultats"] for a in agregation}
        for name, agregation in filtres.items()
    }
    assert list(filtres) == [
        "typeContrat",
        "experience",
        "qualification",
        "natureContrat",
    ]
    assert {name: sum(c.values()) for name, c in counts.items()} == {
        "typeContrat": 400,
        "experience": 400,
        "qualification": 400,
        "natureContrat": 400,
    }
    assert counts["typeContrat"]["CDI"] == cdi_total
    assert counts["qualification"]["X"] == 100


def test_withdrawn_offers_leave_the_search(sim, offers):
    window = day_params(SPRING_DAY)
    first_page = offers.get(SEARCH_PATH, params=window).json()["resultats"]
    gone = [first_page[0]["id"], first_page[1]["id"]]

    withdrawn = sim.state.withdraw(gone)
    after = fetch_all(offers, window)

    assert withdrawn == 2
    assert len(after) == 398
    assert not set(gone) & {o["id"] for o in after}


@pytest.mark.parametrize(
    ("day", "utc_start", "utc_end"),
    [
        (date(2026, 3, 29), "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"),
        (date(2026, 10, 25), "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"),
    ],
    ids=["spring-23h", "autumn-25h"],
)
def test_clock_change_day_is_found_through_its_utc_window(
    start_simulator, day, utc_start, utc_end
):
    """The UTC window of a 23- or 25-hour Paris day returns exactly that day's offers,
    and a window padded by two hours each side holds them all plus neighbours."""
    sim = start_simulator(
        first_day=day - timedelta(days=1), last_day=day + timedelta(days=1)
    )
    truth = sim.state.corpus.ids_created_on(day)
    with api_client(sim) as client:
        exact = fetch_all(
            client, {"minCreationDate": utc_start, "maxCreationDate": utc_end}
        )
        padded_start = datetime.fromisoformat(utc_start) - timedelta(hours=2)
        padded_end = datetime.fromisoformat(utc_end) + timedelta(hours=2)
        padded = fetch_all(
            client,
            {
                "minCreationDate": api_date(padded_start),
                "maxCreationDate": api_date(padded_end),
            },
        )

    assert day_params(day) == {"minCreationDate": utc_start, "maxCreationDate": utc_end}
    assert len(truth) == 400
    assert sorted(o["id"] for o in exact) == sorted(truth)
    assert set(truth) < {o["id"] for o in padded}
    assert len(padded) > 400
