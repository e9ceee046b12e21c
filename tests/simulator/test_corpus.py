"""The generated corpus: ids, Paris days (clock changes included), spikes, documents."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from pipelines.calendar import PARIS, paris_date, paris_day_window
from pipelines.simulator import SimulatorConfig, Spike, nomenclature, referentiels
from pipelines.simulator.corpus import FT_ID, PARTNER_ID, Corpus

SPRING = date(2026, 3, 29)
AUTUMN = date(2026, 10, 25)
TODAY = date(2026, 11, 1)


def corpus(**settings) -> Corpus:
    return Corpus(SimulatorConfig(**settings), TODAY)


def created(record) -> datetime:
    return datetime.fromtimestamp(record.created_ms / 1000, UTC)


def test_default_days_are_the_60_up_to_yesterday():
    """Today is still in progress: a corpus holding it would serve future offers."""
    offers = corpus()

    assert offers.first_day == date(2026, 9, 2)
    assert offers.last_day == TODAY - timedelta(days=1)
    assert len(offers.days) == 60
    assert offers.total == 60 * 300


def test_ids_are_unique_across_days_and_shaped_like_the_api():
    offers = corpus(first_day=date(2026, 3, 1), last_day=date(2026, 3, 10))

    ids = [i for day in offers.days for i in offers.ids_created_on(day)]
    partner = [i for i in ids if PARTNER_ID.match(i)]
    france_travail = [i for i in ids if FT_ID.match(i)]

    assert len(ids) == 3000
    assert len(set(ids)) == 3000
    assert len(partner) == 750
    assert len(france_travail) == 2250


@pytest.mark.parametrize(
    ("day", "hours"), [(SPRING, 23), (AUTUMN, 25)], ids=["spring-23h", "autumn-25h"]
)
def test_clock_change_days_hold_offers_of_their_paris_date(day, hours):
    offers = corpus(first_day=day - timedelta(days=1), last_day=day + timedelta(days=1))
    window = paris_day_window(day)

    records = offers.day(day).offers
    ids = offers.ids_created_on(day)
    last_hour = [r for r in records if created(r) >= window.end - timedelta(hours=1)]

    assert window.seconds == hours * 3600
    assert len(ids) == 300
    assert {paris_date(created(r)) for r in records} == {day}
    assert all(window.start <= created(r) < window.end for r in records)
    assert len(last_hour) > 0


def test_spike_lands_inside_its_paris_hour():
    spike_day = date(2026, 3, 20)
    offers = corpus(
        first_day=spike_day,
        last_day=spike_day,
        offers_per_day=1000,
        spikes=[Spike(spike_day, 14, 4000)],
    )

    hours = Counter(
        created(r).astimezone(PARIS).hour for r in offers.day(spike_day).offers
    )

    assert offers.volume(spike_day) == 5000
    assert sum(hours.values()) == 5000
    assert hours[14] >= 4000
    assert hours[14] < 4000 + 100


def test_days_named_in_volumes_hold_offers_outside_the_range():
    named = date(2025, 12, 24)
    offers = corpus(
        first_day=date(2026, 1, 1), last_day=date(2026, 1, 2), day_volumes={named: 42}
    )

    assert offers.days == (named, date(2026, 1, 1), date(2026, 1, 2))
    assert len(offers.ids_created_on(named)) == 42
    assert offers.ids_created_on(date(2025, 12, 25)) == []


def test_an_id_is_found_whatever_day_it_belongs_to():
    offers = corpus(first_day=date(2026, 3, 1), last_day=date(2026, 3, 5))
    third_day = offers.ids_created_on(date(2026, 3, 3))

    record = offers.compact(third_day[17])

    assert record is not None
    assert paris_date(created(record)) == date(2026, 3, 3)
    assert offers.compact("999ZZZZ") is None
    assert offers.compact("9999999") is None
    assert offers.compact("not-an-id") is None


def test_same_seed_same_documents_other_seed_other_documents():
    settings = {"first_day": SPRING, "last_day": SPRING, "offers_per_day": 50}
    first, second, other = (
        corpus(seed=3, **settings),
        corpus(seed=3, **settings),
        corpus(seed=4, **settings),
    )

    documents = [first.offer(i) for i in first.ids_created_on(SPRING)]

    assert documents == [second.offer(i) for i in second.ids_created_on(SPRING)]
    assert documents != [other.offer(i) for i in other.ids_created_on(SPRING)]


def share(documents: list[dict], test) -> float:
    return sum(1 for d in documents if test(d)) / len(documents)


def test_documents_follow_the_shapes_of_real_offers():
    """Field presence close to that of a real page (114 France Travail, 36 partner)."""
    offers = corpus(first_day=SPRING, last_day=SPRING, offers_per_day=2000)
    documents = [offers.offer(i) for i in offers.ids_created_on(SPRING)]
    france_travail = [d for d in documents if d["origineOffre"]["origine"] == "1"]
    partner = [d for d in documents if d["origineOffre"]["origine"] == "2"]
    skills = [c for d in france_travail for c in d.get("competences", [])]

    assert (len(france_travail), len(partner)) == (1500, 500)
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", d["dateCreation"])
        for d in documents
    )
    assert all(d["dateCreation"].endswith(".000Z") for d in partner)
    assert all(
        {"contact", "agence", "qualificationCode"} <= d.keys() for d in france_travail
    )
    assert not any(
        {"contact", "agence", "qualificationCode"} & d.keys() for d in partner
    )
    assert all(len(d["origineOffre"]["partenaires"]) == 1 for d in partner)
    assert 0.75 < share(documents, lambda d: "latitude" in d["lieuTravail"]) < 0.9
    assert (
        0.01
        < share(documents, lambda d: d["lieuTravail"]["libelle"] == "France")
        < 0.05
    )
    assert 0.8 < share(partner, lambda d: d["salaire"] == {}) < 1.0
    assert 0.05 < share(france_travail, lambda d: d["salaire"] == {}) < 0.2
    assert 0.4 < share(france_travail, lambda d: "competences" in d) < 0.55
    assert 0.2 < share(france_travail, lambda d: "formations" in d) < 0.3
    assert 0.15 < share(documents, lambda d: "nom" not in d["entreprise"]) < 0.35
    assert all("libelle" in c and "exigence" in c for c in skills)
    assert 0 < sum("code" not in c for c in skills) < len(skills) / 10
    assert 0.1 < share(france_travail, lambda d: "telephone" in d["contact"]) < 0.2
    assert all(
        d["contact"]["courriel"].endswith(".example")
        or d["contact"]["courriel"].startswith("Pour postuler")
        for d in france_travail
        if "courriel" in d["contact"]
    )


def test_every_code_in_an_offer_joins_to_a_referentiel():
    offers = corpus(first_day=SPRING, last_day=SPRING, offers_per_day=1000)
    documents = [offers.offer(i) for i in offers.ids_created_on(SPRING)]

    def codes(name: str) -> set[str]:
        return {item["code"] for item in referentiels.referentiel(name)}

    competence_codes = {c.code for c in nomenclature.competences()}
    appellation_labels = {
        item["libelle"] for item in referentiels.referentiel("appellations")
    }

    assert {d["romeCode"] for d in documents} <= codes("metiers")
    assert {d["typeContrat"] for d in documents} <= codes("typesContrats")
    assert {d["codeNAF"] for d in documents if "codeNAF" in d} <= codes("nafs")
    assert {d["secteurActivite"] for d in documents if "secteurActivite" in d} <= codes(
        "secteursActivites"
    )
    assert {
        d["lieuTravail"]["commune"] for d in documents if "commune" in d["lieuTravail"]
    } <= codes("communes")
    assert {d["appellationlibelle"] for d in documents} <= appellation_labels
    assert {
        c["code"] for d in documents for c in d.get("competences", []) if "code" in c
    } <= competence_codes


def test_update_moves_date_actualisation_and_changes_a_field():
    offers = corpus(first_day=SPRING, last_day=SPRING, offers_per_day=10)
    offer_id = offers.ids_created_on(SPRING)[0]
    before = offers.offer(offer_id)
    now = datetime(2026, 4, 2, 8, 30, 0, 250000, tzinfo=UTC).timestamp()

    updated = offers.update([offer_id, "999ZZZZ"], now)
    after = offers.offer(offer_id)
    offers.update([offer_id], now + 60)
    twice = offers.offer(offer_id)

    assert updated == 1
    assert after["dateActualisation"] == "2026-04-02T08:30:00.250Z"
    assert after["dateCreation"] == before["dateCreation"]
    assert after["nombrePostes"] == before["nombrePostes"] + 1
    assert twice["nombrePostes"] == before["nombrePostes"] + 2
    assert twice["dateActualisation"] == "2026-04-02T08:31:00.250Z"


def test_withdrawn_offers_are_no_longer_served_but_stay_known():
    offers = corpus(first_day=SPRING, last_day=SPRING, offers_per_day=10)
    ids = offers.ids_created_on(SPRING)

    withdrawn = offers.withdraw([ids[0], ids[1], "999ZZZZ"])
    again = offers.withdraw([ids[0]])

    assert withdrawn == 2
    assert again == 0
    assert offers.offer(ids[0]) is None
    assert offers.compact(ids[0]) is not None
    assert offers.ids_created_on(SPRING) == ids[2:]
    assert offers.ids_created_on(SPRING, include_withdrawn=True) == ids
