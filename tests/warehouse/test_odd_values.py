"""Values no documented offer carries still land: NULL in their typed column, cleaned
where PostgreSQL refuses them, and kept in the raw JSON; personal contact details stay
out whatever their shape."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from pipelines.warehouse import OffresLoader
from pipelines.warehouse.flatten import OFFER_PAYLOAD_COLUMNS, flatten_offer
from pipelines.warehouse.schema import offres
from pipelines.warehouse.storable import storable_json, storable_text

from .corpus import offer
from .snapshot import snapshot

DAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 3, 5, 0, tzinfo=UTC)
CREATED = "2026-03-02T08:00:00"


def _column(flat, name):
    return flat.row[OFFER_PAYLOAD_COLUMNS.index(name)]


def _load(engine, offers):
    with OffresLoader(engine, DAY, now=NOW) as loader:
        loader.add(offers)
        return loader.commit()


def _rows(engine):
    with engine.connect() as connection:
        return {
            row.id: row._mapping
            for row in connection.execute(sa.select(offres).order_by(offres.c.id))
        }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, 3),
        ("12", 12),
        (" 7 ", 7),
        (4.0, 4),
        (2**31 - 1, 2**31 - 1),
        (2**31, None),
        (-(2**31) - 1, None),
        (2**63, None),
        ("--3", None),
        ("²", None),
        ("9" * 5000, None),
        (2.5, None),
        (True, None),
    ],
)
def test_whole_numbers_outside_an_integer_column_are_null(value, expected) -> None:
    flat = flatten_offer(offer("184AAAA", CREATED, nombrePostes=value))
    assert _column(flat, "nombre_postes") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (48.85, 48.85),
        ("48,85", 48.85),
        (float("nan"), None),
        (float("inf"), None),
        ("inf", None),
        ("-Infinity", None),
        ("1e400", None),
        (10**400, None),
    ],
)
def test_numbers_that_are_not_finite_are_null(value, expected) -> None:
    place = {"libelle": "75 - PARIS 08", "latitude": value}
    flat = flatten_offer(offer("184AAAA", CREATED, lieuTravail=place))
    assert _column(flat, "lieu_travail_latitude") == expected


def test_a_salary_too_large_for_a_float_keeps_its_text_only() -> None:
    libelle = f"Mensuel de {'9' * 400} Euros"
    flat = flatten_offer(offer("184AAAA", CREATED, salaire={"libelle": libelle}))
    assert _column(flat, "salaire_libelle") == libelle
    assert _column(flat, "salaire_min") is None
    assert _column(flat, "salaire_max") is None
    assert _column(flat, "salaire_periode") is None


def test_an_unreadable_creation_date_is_null_and_kept_raw() -> None:
    flat = flatten_offer(offer("184AAAA", CREATED, dateCreation="2026-13-45"))
    assert _column(flat, "date_creation") is None
    assert _column(flat, "jour_creation") is None
    assert b'"dateCreation":"2026-13-45"' in flat.row[-1]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (["184AAAA"], "an offer must be a JSON object, not list"),
        ("184AAAA", "an offer must be a JSON object, not str"),
        ({"intitule": "Maçon"}, "an offer without an 'id'"),
        ({"id": True}, "got True"),
        ({"id": "   "}, "got '   '"),
        ({"id": "\x00"}, "got ''"),
        ({"id": {"value": 1}}, "got {'value': 1}"),
    ],
)
def test_an_offer_that_cannot_be_identified_is_refused(document, message) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        flatten_offer(document)


def test_a_numeric_id_is_read_as_text() -> None:
    assert flatten_offer({"id": 184}).id == "184"


def test_storable_text_drops_nul_and_replaces_lone_surrogates() -> None:
    assert storable_text("a\x00b") == "ab"
    assert storable_text("a\ud800b") == "a\ufffdb"
    assert storable_text("\ud83d\ude00") == "\U0001f600"  # a pair is a character
    assert storable_text("Maçon") == "Maçon"
    assert storable_json({"k\x00": ["v\udfff", 1, None]}) == {"k": ["v\ufffd", 1, None]}


def test_odd_values_land_on_both_databases(engine) -> None:
    odd = [
        offer(
            "184AAAA",
            CREATED,
            intitule="Soudeur\x00 H/F \ud800",
            nombrePostes=2**63,
            lieuTravail={"libelle": "75 - PARIS 08", "latitude": float("nan")},
            salaire={"libelle": f"Annuel de {'9' * 400} Euros"},
        ),
        offer("184AAAB", CREATED, **{"champ\x00inconnu": "x", "autre\ud800": "y"}),
        offer("184AAAC\x00", CREATED, description="texte\x00 avec NUL"),
    ]

    result = _load(engine, odd)

    assert (result.inserted, result.rows_in_partition) == (3, 3)
    assert sorted(result.drift) == ["autre\ufffd", "champinconnu"]
    rows = _rows(engine)
    assert sorted(rows) == ["184AAAA", "184AAAB", "184AAAC"]
    first = rows["184AAAA"]
    assert first["intitule"] == "Soudeur H/F \ufffd"
    assert first["nombre_postes"] is None
    assert first["lieu_travail_latitude"] is None
    assert first["salaire_min"] is None
    assert first["raw"]["nombrePostes"] == 2**63
    assert rows["184AAAB"]["raw"]["champinconnu"] == "x"
    assert rows["184AAAB"]["raw"]["autre\ufffd"] == "y"
    assert rows["184AAAC"]["description"] == "texte avec NUL"

    # The same night loaded again changes nothing.
    before = snapshot(engine)
    _load(engine, odd)
    assert snapshot(engine) == before


def test_an_offer_that_cannot_be_identified_fails_the_load_and_changes_nothing(
    engine,
) -> None:
    _load(engine, [offer("184AAAA", CREATED)])
    before = snapshot(engine)

    with pytest.raises(ValueError, match="must be a JSON object"):
        _load(engine, [offer("184AAAB", CREATED), ["not", "an", "offer"]])

    assert snapshot(engine) == before


PERSON = {"nom": "Mme Jeanne Martin", "telephone": "01 23 45 67 89"}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"contact": [PERSON, {"courriel": "j@example.org", "urlPostulation": "u"}]},
            {"contact": [{}, {"urlPostulation": "u"}]},
        ),
        (
            {"contact": {"Nom": "Mme Jeanne Martin", "COURRIEL": "j@example.org"}},
            {"contact": {}},
        ),
        (
            {"contact": None, "Contact": PERSON},
            {"Contact": {}},
        ),
        (
            {"entreprise": {"nom": "ACME", "contact": PERSON}},
            {"entreprise": {"nom": "ACME", "contact": {}}},
        ),
        (
            {"agence": {"contacts": [{"contact": dict(PERSON, role="RH")}]}},
            {"agence": {"contacts": [{"contact": {"role": "RH"}}]}},
        ),
        # Keys that name a person once NUL characters and spaces are gone.
        ({"contact": {"nom\x00": "Mme Jeanne Martin"}}, {"contact": {}}),
        ({"contact\x00": PERSON}, {"contact": {}}),
        (
            {"contact": {" nom": "Jeanne", "telephone ": "01 23 45 67 89"}},
            {"contact": {}},
        ),
        # Objects inside the contact, and a plural key.
        (
            {"contact": {"personne": PERSON, "urlPostulation": "u"}},
            {"contact": {"personne": {}, "urlPostulation": "u"}},
        ),
        ({"contacts": [PERSON]}, {"contacts": [{}]}),
    ],
)
def test_personal_contact_details_are_stripped_whatever_their_shape(
    fields, expected
) -> None:
    document = {"id": "184AAAA", **fields}
    flat = flatten_offer(document)

    raw = flat.row[-1].decode()
    for secret in ("Jeanne", "01 23 45 67 89", "j@example.org"):
        assert secret not in raw
    stored = json.loads(raw)
    assert {key: stored[key] for key in expected} == expected
    # The company's own name is not a person's.
    if "entreprise" in fields:
        assert _column(flat, "entreprise_nom") == "ACME"


def test_contact_details_of_any_shape_are_kept_on_request() -> None:
    document = {"id": "184AAAA", "entreprise": {"contact": PERSON}}
    flat = flatten_offer(document, store_contacts=True)
    assert b"01 23 45 67 89" in flat.row[-1]


def test_an_offer_nested_too_deeply_fails_with_a_clear_error() -> None:
    deep: dict = {}
    for _ in range(5000):
        deep = {"a": deep}

    with pytest.raises(ValueError, match="'184AAAA' is nested several hundred levels"):
        flatten_offer({"id": "184AAAA", "extra": deep})


def test_a_salary_text_with_a_long_run_of_spaces_is_not_a_salary() -> None:
    libelle = "Mensuel de 1" + " " * 40_000 + "x"
    flat = flatten_offer(offer("184AAAA", CREATED, salaire={"libelle": libelle}))
    assert _column(flat, "salaire_min") is None
    assert _column(flat, "salaire_libelle") == libelle
