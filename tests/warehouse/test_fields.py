"""Column names and the list of known JSON paths."""

from __future__ import annotations

import pytest

from pipelines.warehouse.fields import KNOWN_PATHS, SCALAR_FIELDS, snake_case
from pipelines.warehouse.schema import offres


@pytest.mark.parametrize(
    ("path", "column"),
    [
        ("lieuTravail.codePostal", "lieu_travail_code_postal"),
        ("romeCode", "rome_code"),
        ("accessibleTH", "accessible_th"),
        ("codeNAF", "code_naf"),
        ("origineOffre.origine", "origine_offre_origine"),
        ("contact.coordonnees1", "contact_coordonnees1"),
        ("dureeTravailLibelleConverti", "duree_travail_libelle_converti"),
        ("appellationlibelle", "appellationlibelle"),
        ("entreprise.entrepriseAdaptee", "entreprise_entreprise_adaptee"),
        ("XMLParser", "xml_parser"),
    ],
)
def test_snake_case_of_json_paths(path: str, column: str) -> None:
    assert snake_case(path) == column


def test_every_scalar_field_has_its_column_in_offres() -> None:
    columns = set(offres.c.keys())

    missing = [field.column for field in SCALAR_FIELDS if field.column not in columns]

    assert missing == []
    assert len(SCALAR_FIELDS) == 59
    assert offres.c.lieu_travail_code_postal.info["source"] == "lieuTravail.codePostal"


def test_known_paths_cover_arrays_and_their_items() -> None:
    assert {
        "competences[].code",
        "origineOffre.partenaires[].nom",
        "salaire.listeComplements[].libelle",
        "contexteTravail.horaires[]",
        "lieuTravail.commune",
    } <= KNOWN_PATHS
