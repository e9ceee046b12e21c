"""Loaders of ROME 4.0, La Bonne Boîte, Marché du travail and the agencies, and the
views joining them to the offers: the same rows on both databases."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from pipelines.warehouse import (
    OffresLoader,
    load_agences,
    load_labonneboite,
    load_marche_travail,
    load_rome_appellations,
    load_rome_competences,
    load_rome_contextes_travail,
    load_rome_fiches_metiers,
    load_rome_metiers,
    open_offer_rome_codes,
)
from pipelines.warehouse.agences import departement_of_commune
from pipelines.warehouse.api_items import bool_at, float_at, int_at, text_at

from .corpus import offer, place
from .snapshot import count

LOADED = datetime(2026, 3, 9, 6, 0, tzinfo=UTC)
RELOADED = datetime(2026, 3, 16, 6, 0, tzinfo=UTC)


def rows(engine: sa.Engine, sql: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(sql))]


# ROME 4.0 ---------------------------------------------------------------------------


def metier(code: str, domaine: str, contextes: list[tuple[str, str]]) -> dict:
    return {
        "code": code,
        "libelle": f"Métier {code}",
        "definition": "Conçoit des traitements de données.",
        "riasecMajeur": "C",
        "riasecMineur": "I",
        "obsolete": False,
        "domaineProfessionnel": {
            "code": domaine,
            "libelle": "Systèmes d'information",
            "grandDomaine": {"code": domaine[0], "libelle": "Support à l'entreprise"},
        },
        "contextesTravail": [
            {"code": c, "libelle": f"Contexte {c}", "categorie": cat}
            for c, cat in contextes
        ],
    }


def test_rome_metiers_replace_the_table_with_their_contexts(engine) -> None:
    first = [
        metier("M1811", "M18", [("400010", "TYPE_STRUCTURE_ACCUEIL")]),
        metier("M1805", "M18", [("400004", "CONDITIONS_TRAVAIL"), ("400010", "X")]),
        {"code": "A1203", "libelle": "Listed without a detail"},
        {"libelle": "No code: skipped"},
    ]
    load_rome_metiers(engine, first)

    result = load_rome_metiers(engine, [metier("M1811", "M18", []), *first[1:3]])

    assert (result.metiers, result.contextes) == (3, 2)
    assert rows(
        engine,
        "SELECT code, libelle, riasec_majeur, obsolete, domaine_professionnel_code, "
        "grand_domaine_code FROM rome_metiers ORDER BY code",
    ) == [
        ("A1203", "Listed without a detail", None, None, None, None),
        ("M1805", "Métier M1805", "C", False, "M18", "M"),
        ("M1811", "Métier M1811", "C", False, "M18", "M"),
    ]
    assert rows(
        engine,
        "SELECT metier_code, rang, contexte_code, categorie "
        "FROM rome_metiers_contextes_travail ORDER BY metier_code, rang",
    ) == [
        ("M1805", 1, "400004", "CONDITIONS_TRAVAIL"),
        ("M1805", 2, "400010", "X"),
    ]


def test_a_rome_fiche_lists_know_how_groups_then_knowledge(engine) -> None:
    fiche = {
        "code": "M1811",
        "metier": {"code": "M1811", "libelle": "Data engineer"},
        "groupesCompetencesMobilisees": [
            {
                "enjeu": {"code": "100003", "libelle": "Technique du métier"},
                "competences": [
                    {"type": "MACRO-SAVOIR-FAIRE", "code": "300040", "libelle": "a"},
                    {"type": "MACRO-SAVOIR-FAIRE", "code": "300041", "libelle": "b"},
                ],
            }
        ],
        "groupesSavoirs": [
            {
                "categorieSavoirs": {"code": "200002", "libelle": "Outils"},
                "savoirs": [{"type": "SAVOIR", "code": "300044", "libelle": "SQL"}],
            }
        ],
    }

    result = load_rome_fiches_metiers(engine, [fiche, {"code": "A1203"}])

    assert (result.fiches, result.competences) == (2, 3)
    assert rows(
        engine,
        "SELECT fiche_code, rang, groupe, groupe_code, competence_code, "
        "competence_type FROM rome_fiches_metiers_competences ORDER BY rang",
    ) == [
        ("M1811", 1, "competences", "100003", "300040", "MACRO-SAVOIR-FAIRE"),
        ("M1811", 2, "competences", "100003", "300041", "MACRO-SAVOIR-FAIRE"),
        ("M1811", 3, "savoirs", "200002", "300044", "SAVOIR"),
    ]
    assert rows(
        engine, "SELECT code, metier_code FROM rome_fiches_metiers ORDER BY code"
    ) == [("A1203", None), ("M1811", "M1811")]


@pytest.mark.parametrize(
    ("load", "items", "sql", "expected"),
    [
        pytest.param(
            load_rome_appellations,
            [
                {
                    "code": "100001",
                    "libelle": "Jardinier / Jardinière paysagiste",
                    "libelleCourt": "Jardinier",
                    "metier": {"code": "A1203"},
                }
            ],
            "SELECT code, libelle_court, metier_code FROM rome_appellations",
            [("100001", "Jardinier", "A1203")],
            id="appellations",
        ),
        pytest.param(
            load_rome_competences,
            [
                {"type": "SAVOIR", "code": "300044", "libelle": "SQL"},
                {"type": "SAVOIR", "code": "300044", "libelle": "Langage SQL"},
            ],
            "SELECT code, type, libelle, code_ogr FROM rome_competences",
            [("300044", "SAVOIR", "Langage SQL", None)],
            id="competences-repeated-code-keeps-the-last",
        ),
        pytest.param(
            load_rome_contextes_travail,
            [{"code": 400003, "libelle": "Travail de nuit", "categorie": "HORAIRE"}],
            "SELECT code, libelle, categorie FROM rome_contextes_travail",
            [("400003", "Travail de nuit", "HORAIRE")],
            id="contextes-numeric-code",
        ),
    ],
)
def test_rome_lists_land_one_row_per_code(engine, load, items, sql, expected) -> None:
    assert load(engine, items) == len(expected)
    assert rows(engine, sql) == expected


# La Bonne Boîte ---------------------------------------------------------------------


def company(siret: str, rome: str, **fields) -> dict:
    item = {
        "siret": siret,
        "company_name": "BOULANGERIE MARTIN",
        "office_name": "BOULANGERIE MARTIN NANTES",
        "naf": "1071C",
        "headcount_min": 3,
        "headcount_max": 5,
        "location": {"lat": 47.2184, "lon": -1.5536},
        "citycode": "44109",
        "department_number": "44",
        "hiring_potential": 4.25,
        "is_high_potential": True,
        "rome": rome,
        "email": "no",
    }
    item.update(fields)
    return item


def load_offers(engine: sa.Engine, offers: list[dict]) -> None:
    with OffresLoader(engine, date(2026, 3, 2), now=LOADED) as loader:
        loader.add(offers)
        loader.commit()


def test_open_offer_rome_codes_most_frequent_first(engine) -> None:
    nantes = place("44 - NANTES", "44109")
    load_offers(
        engine,
        [
            offer("A", "2026-03-02T08:00:00", lieuTravail=nantes, romeCode="D1102"),
            offer("B", "2026-03-02T09:00:00", lieuTravail=nantes, romeCode="M1805"),
            offer("C", "2026-03-02T10:00:00", lieuTravail=nantes, romeCode="M1805"),
            offer("D", "2026-03-02T11:00:00", lieuTravail=nantes, romeCode="A1203"),
            offer("E", "2026-03-02T12:00:00", lieuTravail=nantes, romeCode="G1602"),
            offer("F", "2026-03-02T13:00:00", lieuTravail=nantes, romeCode=None),
            offer("G", "2026-03-02T14:00:00", romeCode="K2204"),  # Paris
        ],
    )
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE offres SET closed_at = last_seen_at WHERE id = 'E'")
        )

    top = open_offer_rome_codes(engine, "44", limit=2)
    every = open_offer_rome_codes(engine, "44", limit=100)

    assert (top.codes, top.total) == (["M1805", "A1203"], 3)
    assert (every.codes, every.total) == (["M1805", "A1203", "D1102"], 3)
    assert open_offer_rome_codes(engine, "2A", limit=10).codes == []


def test_a_departement_is_replaced_alone_and_reloads_the_same(engine) -> None:
    load_labonneboite(engine, "75", [company("1", "M1805")], now=LOADED)
    first = [
        company("1", "D1102"),
        company("1", "D1104"),
        company("2", "D1102", is_high_potential="false", headcount_min="6"),
        company("2", "D1102"),  # the same pair twice: the last one is kept
        company(None, "D1102"),
    ]
    load_labonneboite(engine, "44", first, now=LOADED)
    before = rows(engine, "SELECT * FROM labonneboite_entreprises ORDER BY 1, 2, 3")

    again = load_labonneboite(engine, "44", first, now=LOADED)

    assert (again.rows, again.previous_rows) == (3, 3)
    assert rows(engine, "SELECT * FROM labonneboite_entreprises ORDER BY 1, 2, 3") == (
        before
    )
    assert rows(
        engine,
        "SELECT departement, siret, rome, headcount_min, location_lat, "
        "is_high_potential FROM labonneboite_entreprises ORDER BY 1, 2, 3",
    ) == [
        ("44", "1", "D1102", 3, 47.2184, True),
        ("44", "1", "D1104", 3, 47.2184, True),
        ("44", "2", "D1102", 3, 47.2184, True),
        ("75", "1", "M1805", 3, 47.2184, True),
    ]

    emptied = load_labonneboite(engine, "44", [], now=RELOADED)

    assert (emptied.rows, emptied.previous_rows) == (0, 3)
    assert count(engine, "labonneboite_entreprises") == 1


@pytest.mark.parametrize(
    ("store_contacts", "expected_email", "expected_raw_keys"),
    [
        pytest.param(False, [None, "no", "yes"], [False, True, True], id="default"),
        pytest.param(
            True,
            ["rh@boulangerie.example", "no", "yes"],
            [True, True, True],
            id="store_contacts",
        ),
    ],
)
def test_company_contact_addresses_only_on_request(
    engine, store_contacts, expected_email, expected_raw_keys
) -> None:
    items = [
        company("1", "D1102", email="rh@boulangerie.example", phone="0240000000"),
        company("2", "D1102", email="no"),
        company("3", "D1102", email="yes"),
    ]

    load_labonneboite(engine, "44", items, store_contacts=store_contacts, now=LOADED)

    stored = rows(
        engine,
        "SELECT email, raw FROM labonneboite_entreprises ORDER BY siret",
    )
    raws = [raw if isinstance(raw, dict) else json.loads(raw) for _, raw in stored]
    assert [email for email, _ in stored] == expected_email
    assert ["email" in raw for raw in raws] == expected_raw_keys
    assert ("phone" in raws[0]) is store_contacts
    assert items[0]["email"] == "rh@boulangerie.example"


# Marché du travail ------------------------------------------------------------------


def period(code: str, value: float, breakdown: list[tuple[str, float]]) -> dict:
    return {
        "codeTypeTerritoire": "DEP",
        "codeTerritoire": "44",
        "libTerritoire": "Loire-Atlantique",
        "codeTypeActivite": "CUMUL",
        "codeActivite": "CUMUL",
        "libActivite": "Tous métiers",
        "codeNomenclature": "TYPE_CONTRAT",
        "codeTypePeriode": "TRIMESTRE",
        "codePeriode": code,
        "libPeriode": f"trimestre {code}",
        "valeurPrincipaleNombre": value,
        "listeValeurParCaract": [
            {
                "codeTypeCaract": "TYPE_CONTRAT",
                "codeCaract": caract,
                "libCaract": caract,
                "nombre": number,
                "pourcentage": round(number / value * 100, 1),
            }
            for caract, number in breakdown
        ],
    }


def test_marche_travail_replaces_the_periods_read_and_keeps_the_others(engine) -> None:
    load_marche_travail(
        engine,
        [
            (
                "stat-offres",
                {
                    "listeValeursParPeriode": [
                        period("2025T2", 1000, [("CDI", 600), ("CDD", 400)]),
                        period("2025T3", 1200, [("CDI", 700), ("CDD", 500)]),
                    ]
                },
            )
        ],
        now=LOADED,
    )
    revised = period("2025T3", 1250, [("CDI", 750)])
    broken = {**period("2025T4", 900, []), "codePeriode": None}

    result = load_marche_travail(
        engine,
        [
            (
                "stat-offres",
                {
                    "listeValeursParPeriode": [
                        revised,
                        period("2025T4", 900, []),
                        broken,
                    ]
                },
            ),
            ("stat-demandeurs", {}),
        ],
        now=RELOADED,
    )

    assert (result.indicateurs, result.caracteristiques, result.skipped) == (2, 1, 1)
    values = rows(
        engine,
        "SELECT code_periode, valeur_principale_nombre, loaded_at "
        "FROM marche_travail_indicateurs ORDER BY code_periode",
    )
    assert [(code, value, str(at)[:10]) for code, value, at in values] == [
        ("2025T2", 1000.0, "2026-03-09"),
        ("2025T3", 1250.0, "2026-03-16"),
        ("2025T4", 900.0, "2026-03-16"),
    ]
    assert rows(
        engine,
        "SELECT code_periode, code_caract, nombre, pourcentage "
        "FROM marche_travail_caracteristiques ORDER BY code_periode, code_caract",
    ) == [
        ("2025T2", "CDD", 400.0, 40.0),
        ("2025T2", "CDI", 600.0, 60.0),
        ("2025T3", "CDI", 750.0, 60.0),
    ]


# Agencies ---------------------------------------------------------------------------


def agency(code: str, commune: str, served: list[str]) -> dict:
    return {
        "code": code,
        "codeSafir": "20001",
        "libelle": "AJACCIO",
        "libelleEtendu": "Agence France Travail Ajaccio",
        "type": "APE",
        "codeRegionINSEE": "94",
        "dispositifADEDA": True,
        "contact": {"telephonePublic": "39 49", "email": "ape.cor0001@example.org"},
        "adressePrincipale": {
            "ligne4": "1 RUE DE LA REPUBLIQUE",
            "ligne6": "20000 AJACCIO",
            "gpsLat": "41.9192",
            "gpsLon": 8.7386,
            "communeImplantation": commune,
        },
        "horaires": [{"jour": 1, "ouvertureMatin": "08:30"}],
        "zoneCompetence": [{"communeInsee": c} for c in served],
    }


@pytest.mark.parametrize(
    ("store_contacts", "expected_contact"),
    [
        pytest.param(False, (None, None), id="default"),
        pytest.param(True, ("39 49", "ape.cor0001@example.org"), id="store_contacts"),
    ],
)
def test_agencies_with_the_communes_they_serve(
    engine, store_contacts, expected_contact
) -> None:
    items = [
        agency("COR0001", "2A004", ["2A004", "2A017", "2A004"]),
        agency("REU0001", "97411", ["97411"]),
    ]

    result = load_agences(engine, items, store_contacts=store_contacts)

    assert (result.agences, result.communes_servies) == (2, 3)
    assert rows(
        engine,
        "SELECT code, departement, adresse_principale_gps_lat, dispositif_adeda, "
        "contact_telephone_public, contact_email FROM agences ORDER BY code",
    ) == [
        ("COR0001", "2A", 41.9192, True, *expected_contact),
        ("REU0001", "974", 41.9192, True, *expected_contact),
    ]
    raw_text = repr(rows(engine, "SELECT raw FROM agences"))
    assert ("ape.cor0001@example.org" in raw_text) is store_contacts
    assert "08:30" in raw_text
    assert items[0]["contact"]["email"] == "ape.cor0001@example.org"


# Views ------------------------------------------------------------------------------


def test_views_join_open_offers_to_rome_and_labonneboite(engine) -> None:
    nantes = place("44 - NANTES", "44109")
    skills = [
        {"code": "300044", "libelle": "SQL", "exigence": "E"},
        {"code": "300099", "libelle": "Hors fiche", "exigence": "S"},
        {"libelle": "Texte libre", "exigence": "S"},
    ]
    load_offers(
        engine,
        [
            offer("A", "2026-03-02T08:00:00", lieuTravail=nantes, competences=skills),
            offer("B", "2026-03-02T09:00:00", lieuTravail=nantes, competences=[]),
            offer("C", "2026-03-02T10:00:00", romeCode="D1102", competences=[]),
        ],
    )
    load_rome_metiers(engine, [metier("M1811", "M18", [])])
    load_rome_competences(
        engine, [{"type": "SAVOIR", "code": "300044", "libelle": "L"}]
    )
    load_rome_fiches_metiers(
        engine,
        [
            {
                "code": "M1811",
                "groupesSavoirs": [{"savoirs": [{"code": "300044", "type": "SAVOIR"}]}],
            }
        ],
    )
    load_labonneboite(
        engine,
        "44",
        [
            company("1", "M1811", hiring_potential=4.5),
            company("2", "M1811", is_high_potential=False, hiring_potential=1.0),
        ],
        now=LOADED,
    )

    competences = rows(
        engine,
        "SELECT offre_id, metier_libelle, domaine_professionnel_code, rang, "
        "competence_code, competence_libelle, competence_type, est_dans_fiche "
        "FROM offres_competences_rome ORDER BY offre_id, rang",
    )
    labonneboite = rows(
        engine,
        "SELECT departement, rome_code, metier_libelle, nb_offres, nb_entreprises, "
        "nb_fort_potentiel, potentiel_max, labonneboite_loaded_at IS NOT NULL "
        "FROM offres_labonneboite ORDER BY departement",
    )

    assert competences == [
        ("A", "Métier M1811", "M18", 1, "300044", "L", "SAVOIR", 1),
        ("A", "Métier M1811", "M18", 2, "300099", "Hors fiche", None, 0),
        ("A", "Métier M1811", "M18", 3, None, "Texte libre", None, 0),
    ]
    assert labonneboite == [
        ("44", "M1811", "Métier M1811", 2, 2, 1, 4.5, True),
        ("75", "D1102", "Data engineer", 1, 0, 0, None, False),
    ]


# Reading API values -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("reader", "value", "expected"),
    [
        pytest.param(text_at, 12, "12", id="text-from-number"),
        pytest.param(text_at, True, "true", id="text-from-bool"),
        pytest.param(text_at, {"a": 1}, None, id="text-from-object"),
        pytest.param(float_at, "41.9", 41.9, id="float-from-string"),
        pytest.param(float_at, "NaN", None, id="float-not-finite"),
        pytest.param(float_at, True, None, id="float-from-bool"),
        pytest.param(int_at, "6", 6, id="int-from-string"),
        pytest.param(int_at, 2.5, None, id="int-from-fraction"),
        pytest.param(int_at, 2**31, None, id="int-beyond-an-integer-column"),
        pytest.param(text_at, "a\x00b\ud800", "ab\ufffd", id="text-storable"),
        pytest.param(bool_at, "O", True, id="bool-oui"),
        pytest.param(bool_at, "false", False, id="bool-false"),
        pytest.param(bool_at, "peut-être", None, id="bool-unreadable"),
    ],
)
def test_api_values_are_read_in_the_columns_type(reader, value, expected) -> None:
    assert reader({"a": {"b": value}}, "a.b") == expected
    assert reader({"a": None}, "a.b") is None


@pytest.mark.parametrize(
    ("commune", "expected"),
    [("44109", "44"), ("2A004", "2A"), ("97411", "974"), ("", None), ("441", None)],
)
def test_departement_of_a_commune(commune, expected) -> None:
    assert departement_of_commune(commune) == expected


# Odd items of the partner APIs ------------------------------------------------------


def test_company_contacts_are_stripped_under_any_spelling_and_depth(engine) -> None:
    items = [
        company("1", "D1102", Phone="0240000000", EMAIL="rh@boulangerie.example"),
        company("2", "D1102", contact={"Telephone": "0240000001", "nom": "M. Martin"}),
        company("3", "D1102", **{"phone\x00": "0240000002", "email": "no"}),
    ]

    load_labonneboite(engine, "44", items, now=LOADED)

    raw_text = repr(rows(engine, "SELECT raw FROM labonneboite_entreprises"))
    for secret in ("024000000", "rh@boulangerie"):
        assert secret not in raw_text
    # The "no" flag of the v2 API is no address: it stays.
    assert rows(engine, "SELECT siret, email FROM labonneboite_entreprises") == [
        ("1", "no"),
        ("2", "no"),
        ("3", "no"),
    ]


def test_agency_contacts_are_stripped_under_any_spelling_and_in_lists(engine) -> None:
    listed = agency("COR0001", "2A004", ["2A004"])
    listed["contact"] = [{"TelephonePublic": "39 49", "Email": "a@example.org"}]
    nested = agency("REU0001", "97411", ["97411"])
    nested["accueil"] = {"referent": {"telephone": "0262000000"}}

    load_agences(engine, [listed, nested])

    raw_text = repr(rows(engine, "SELECT raw FROM agences"))
    for secret in ("39 49", "a@example.org", "0262000000"):
        assert secret not in raw_text


def test_values_no_column_or_json_can_hold_are_null(engine) -> None:
    items = [
        company("1", "D1102", hiring_potential=float("nan")),
        company("2", "D1102", hiring_potential=10**400, headcount_min=2**40),
    ]

    load_labonneboite(engine, "44", items, now=LOADED)

    stored = rows(
        engine,
        "SELECT siret, hiring_potential, headcount_min, raw "
        "FROM labonneboite_entreprises ORDER BY siret",
    )
    raws = [raw if isinstance(raw, dict) else json.loads(raw) for *_, raw in stored]
    assert [row[:3] for row in stored] == [("1", None, 3), ("2", None, None)]
    assert raws[0]["hiring_potential"] is None  # NaN is no JSON: stored as null
    assert raws[1]["hiring_potential"] == 10**400


def test_codes_with_what_postgresql_refuses_are_cleaned(engine) -> None:
    load_rome_metiers(engine, [metier("M\x001811", "M18", [])])
    load_agences(engine, [agency("COR\ud8000001", "2A004", ["2A004"])])

    assert rows(engine, "SELECT code FROM rome_metiers") == [("M1811",)]
    assert rows(engine, "SELECT code FROM agences") == [("COR\ufffd0001",)]


def test_an_item_nested_too_deeply_fails_with_a_clear_error(engine) -> None:
    deep: dict = {}
    for _ in range(5000):
        deep = {"a": deep}

    with pytest.raises(ValueError, match="nested several hundred levels deep"):
        load_labonneboite(engine, "44", [company("1", "D1102", extra=deep)], now=LOADED)

    assert count(engine, "labonneboite_entreprises") == 0
