"""Référentiel tables: code and label, documented extras, atomic replacement."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from pipelines.warehouse import REFERENTIELS, load_referentiel
from pipelines.warehouse.schema import referentiel_tables

from .conftest import read_sample


def _rows(engine, name: str) -> list[tuple]:
    table = referentiel_tables[name]
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.select(table).order_by("code"))]


def test_every_referentiel_of_the_offers_api_has_a_table() -> None:
    assert sorted(REFERENTIELS) == sorted(
        [
            "appellations",
            "communes",
            "departements",
            "regions",
            "metiers",
            "nafs",
            "typesContrats",
            "naturesContrats",
            "secteursActivites",
            "niveauxFormations",
            "permis",
            "langues",
            "domaines",
            "themes",
            "pays",
            "continents",
        ]
    )
    assert referentiel_tables["typesContrats"].name == "referentiel_types_contrats"


def test_real_pays_referentiel_loads(engine) -> None:
    pays = read_sample("referentiel_pays.json")

    loaded = load_referentiel(engine, "pays", pays)

    rows = dict(_rows(engine, "pays"))
    assert loaded == len(rows) == 221
    assert rows["01"] == "France"
    assert rows["5S"] == "Somalie"


def test_documented_extras_are_columns(engine) -> None:
    load_referentiel(
        engine,
        "communes",
        [
            {
                "code": "75108",
                "libelle": "Paris 8e Arrondissement",
                "codePostal": "75008",
                "codeDepartement": "75",
            }
        ],
    )
    load_referentiel(
        engine,
        "departements",
        [{"code": "2A", "libelle": "Corse-du-Sud", "region": {"code": "94"}}],
    )

    assert _rows(engine, "communes") == [
        ("75108", "Paris 8e Arrondissement", "75008", "75")
    ]
    assert _rows(engine, "departements") == [("2A", "Corse-du-Sud", "94")]


def test_reload_replaces_the_whole_table(engine) -> None:
    load_referentiel(
        engine,
        "typesContrats",
        [
            {"code": "CDI", "libelle": "Contrat à durée indéterminée"},
            {"code": "DDT", "libelle": "Ancien code"},
        ],
    )

    loaded = load_referentiel(
        engine,
        "typesContrats",
        [
            {"code": "CDI", "libelle": "CDI"},
            {"code": "MIS", "libelle": "Mission intérimaire"},
            {"code": "MIS", "libelle": "Mission d'intérim"},
            {"libelle": "sans code"},
        ],
    )

    assert loaded == 2
    assert _rows(engine, "typesContrats") == [
        ("CDI", "CDI"),
        ("MIS", "Mission d'intérim"),
    ]


def test_text_postgresql_refuses_is_cleaned(engine) -> None:
    loaded = load_referentiel(
        engine,
        "typesContrats",
        [{"code": "CDI\x00", "libelle": "Contrat \ud800 à durée indéterminée"}],
    )

    assert loaded == 1
    assert _rows(engine, "typesContrats") == [
        ("CDI", "Contrat \ufffd à durée indéterminée")
    ]


def test_failed_reload_keeps_the_previous_content(engine, monkeypatch) -> None:
    load_referentiel(engine, "regions", [{"code": "11", "libelle": "Île-de-France"}])
    table = referentiel_tables["regions"]

    def broken_insert(*args, **kwargs):
        raise sa.exc.OperationalError("INSERT", {}, Exception("connection lost"))

    monkeypatch.setattr(sa, "insert", broken_insert)
    with pytest.raises(sa.exc.OperationalError):
        load_referentiel(engine, "regions", [{"code": "52", "libelle": "Pays"}])
    monkeypatch.undo()

    with engine.connect() as connection:
        assert connection.execute(sa.select(table)).all() == [("11", "Île-de-France")]


def test_unknown_referentiel_is_refused(engine) -> None:
    with pytest.raises(ValueError, match="unknown référentiel 'villes'"):
        load_referentiel(engine, "villes", [])
