"""Real offers flattened into typed columns and child rows, stored on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from pipelines.warehouse import OffresLoader
from pipelines.warehouse.flatten import departement_of, flatten_offer
from pipelines.warehouse.schema import child_tables, offres

NOW = datetime(2024, 11, 29, 6, 0, tzinfo=UTC)

EXPECTED_184TRJB: dict[str, Any] = {
    "id": "184TRJB",
    "intitule": "Data engineer",
    "date_creation": datetime(2024, 11, 28, 14, 23, 11, 470000, tzinfo=UTC),
    "date_actualisation": datetime(2024, 11, 28, 14, 23, 11, 957000, tzinfo=UTC),
    "lieu_travail_libelle": "75 - PARIS 08",
    "lieu_travail_latitude": 48.873635,
    "lieu_travail_longitude": 2.3116,
    "lieu_travail_code_postal": "75008",
    "lieu_travail_commune": "75108",
    "rome_code": "M1811",
    "rome_libelle": "Data engineer",
    "appellationlibelle": "Data engineer",
    "entreprise_nom": "ARTIALYS",
    "entreprise_description": None,
    "entreprise_logo": None,
    "entreprise_url": None,
    "entreprise_entreprise_adaptee": False,
    "type_contrat": "CDI",
    "type_contrat_libelle": "CDI",
    "nature_contrat": "Contrat travail",
    "experience_exige": "E",
    "experience_libelle": "4 An(s)",
    "experience_commentaire": None,
    "salaire_libelle": "Mensuel de 40000.0 Euros à 50000.0 Euros sur 12.0 mois",
    "salaire_commentaire": None,
    "salaire_complement1": "Chèque repas",
    "salaire_complement2": None,
    "duree_travail_libelle": "35H\nTravail en journée",
    "duree_travail_libelle_converti": "Temps plein",
    "complement_exercice": None,
    "condition_exercice": None,
    "alternance": False,
    "contact_nom": None,
    "contact_coordonnees1": None,
    "contact_coordonnees2": None,
    "contact_coordonnees3": None,
    "contact_telephone": None,
    "contact_courriel": None,
    "contact_commentaire": None,
    "contact_url_recruteur": None,
    "contact_url_postulation": None,
    "agence_telephone": None,
    "agence_courriel": None,
    "nombre_postes": 1,
    "accessible_th": False,
    "deplacement_code": "2",
    "deplacement_libelle": "Ponctuels Zone régionale",
    "qualification_code": "9",
    "qualification_libelle": "Cadre",
    "code_naf": "62.02A",
    "secteur_activite": "62",
    "secteur_activite_libelle": "Conseil en systèmes et logiciels informatiques",
    "tranche_effectif_etab": None,
    "origine_offre_origine": "1",
    "origine_offre_url_origine": (
        "https://candidat.francetravail.fr/offres/recherche/detail/184TRJB"
    ),
    "offres_manque_candidats": False,
    "entreprise_adaptee": None,
    "employeur_handi_engage": None,
    "jour_creation": date(2024, 11, 28),
    "lieu_travail_departement": "75",
    "salaire_min": 40000.0,
    "salaire_max": 50000.0,
    "salaire_periode": "mensuel",
    "version": 1,
    "first_seen_at": NOW,
    "last_seen_at": NOW,
    "closed_at": None,
}


def _row(engine: sa.Engine, offer_id: str) -> dict[str, Any]:
    with engine.connect() as connection:
        row = connection.execute(sa.select(offres).where(offres.c.id == offer_id)).one()
    return dict(row._mapping)


def _children(engine: sa.Engine, table: str, offer_id: str) -> list[tuple]:
    child = child_tables[table]
    columns = [c for c in child.c if c.name != "offre_id"]
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(*columns)
            .where(child.c.offre_id == offer_id)
            .order_by(child.c.rang)
        )
        return [tuple(row) for row in rows]


def test_offer_184TRJB_lands_in_typed_columns(engine, sample_offer) -> None:
    with OffresLoader(engine, date(2024, 11, 28), now=NOW) as loader:
        loader.add([sample_offer])
        loader.commit()

    row = _row(engine, "184TRJB")
    raw, description = row.pop("raw"), row.pop("description")

    assert row == EXPECTED_184TRJB
    assert description.startswith("Data Engineer (H/F) !\n\nVous êtes passionné(e)")
    assert len(description) == len(sample_offer["description"])
    assert raw["qualitesProfessionnelles"] == sample_offer["qualitesProfessionnelles"]
    assert raw["contact"] == {}


def test_offer_184TRJB_child_rows(engine, sample_offer) -> None:
    with OffresLoader(engine, date(2024, 11, 28), now=NOW) as loader:
        loader.add([sample_offer])
        loader.commit()

    competences = _children(engine, "offres_competences", "184TRJB")
    assert len(competences) == 6
    assert competences[0] == (
        1,
        "300067",
        "Analyser, exploiter, structurer des données",
        "S",
    )
    assert _children(engine, "offres_formations", "184TRJB") == [
        (1, None, None, "Bac+5 et plus ou équivalents", None, "S")
    ]
    assert [
        r[1] for r in _children(engine, "offres_qualites_professionnelles", "184TRJB")
    ] == [
        "Faire preuve d'autonomie",
        "Faire preuve de rigueur et de précision",
        "Organiser son travail selon les priorités et les objectifs",
    ]
    assert _children(engine, "offres_salaire_complements", "184TRJB") == [
        (1, "complement1", None, "Chèque repas")
    ]
    assert _children(engine, "offres_langues", "184TRJB") == []
    assert _children(engine, "offres_partenaires", "184TRJB") == []


def test_real_search_page_child_tables(engine, sample_page) -> None:
    with OffresLoader(engine, date(2024, 11, 27), now=NOW) as loader:
        loader.add(sample_page)
        result = loader.commit()

    counts = {}
    with engine.connect() as connection:
        for name, table in child_tables.items():
            counts[name] = connection.execute(
                sa.select(sa.func.count()).select_from(table)
            ).scalar_one()
        partners = connection.execute(
            sa.select(sa.func.count())
            .select_from(offres)
            .where(offres.c.origine_offre_origine == "2")
        ).scalar_one()
    assert result.inserted == 26
    assert partners == 6
    assert counts == {
        "offres_competences": 31,
        "offres_formations": 9,
        "offres_langues": 8,
        "offres_permis": 1,
        "offres_qualites_professionnelles": 35,
        "offres_partenaires": 6,
        "offres_salaire_complements": 25,
    }
    assert _children(engine, "offres_permis", "184BKQW") == [
        (1, "B - Véhicule léger", "E")
    ]


def test_skills_without_code_keep_their_label(engine, sample_offers_2025) -> None:
    with OffresLoader(engine, date(2025, 1, 10), now=NOW) as loader:
        loader.add(sample_offers_2025)
        loader.commit()

    with engine.connect() as connection:
        table = child_tables["offres_competences"]
        without_code = connection.execute(
            sa.select(sa.func.count()).select_from(table).where(table.c.code.is_(None))
        ).scalar_one()
    assert without_code == 8


@pytest.mark.parametrize(
    ("libelle", "commune", "departement"),
    [
        ("75 - PARIS 08", "75108", "75"),
        ("44 - Loire Atlantique", None, "44"),
        ("2A - AJACCIO", "2A004", "2A"),
        ("971 - LES ABYMES", "97101", "971"),
        ("Grand Est", None, None),
        ("France", None, None),
        (None, "69386", "69"),
        (None, "97411", "974"),
    ],
)
def test_departement_of_workplace(libelle, commune, departement) -> None:
    assert departement_of(libelle, commune) == departement


def test_values_of_unexpected_types_do_not_fail() -> None:
    offer = {
        "id": "1234567",
        "dateCreation": "not a date",
        "nombrePostes": "3",
        "accessibleTH": "true",
        "lieuTravail": "Paris",
        "competences": [{"code": 300067, "libelle": "Analyser"}, "texte"],
        "salaire": ["Mensuel de 2000 Euros"],
    }

    flat = flatten_offer(offer)
    row = dict(zip(_payload_columns(), flat.row, strict=True))

    assert row["date_creation"] is None
    assert row["jour_creation"] is None
    assert row["nombre_postes"] == 3
    assert row["accessible_th"] is True
    assert row["lieu_travail_libelle"] is None
    assert row["salaire_min"] is None
    assert flat.children[0] == [("1234567", 1, "300067", "Analyser", None)]


def test_offer_without_id_is_refused() -> None:
    with pytest.raises(ValueError, match="without an 'id'"):
        flatten_offer({"intitule": "Sans identifiant"})


def test_nul_characters_are_dropped() -> None:
    flat = flatten_offer({"id": "1234567", "intitule": "Data\x00 engineer"})
    row = dict(zip(_payload_columns(), flat.row, strict=True))

    assert row["intitule"] == "Data engineer"
    assert row["raw"] == b'{"id":"1234567","intitule":"Data engineer"}'


def _payload_columns() -> tuple[str, ...]:
    from pipelines.warehouse.flatten import OFFER_PAYLOAD_COLUMNS

    return OFFER_PAYLOAD_COLUMNS
