"""Analyst views on a small known corpus: the same figures on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from pipelines.warehouse import OffresLoader, StockSweep, load_referentiel
from pipelines.warehouse.dictionary import EXAMPLE_QUERIES
from pipelines.warehouse.engine import write_transaction
from pipelines.warehouse.views import create_views, load_views

from .corpus import offer, place

LOADED = datetime(2026, 3, 4, 5, 0, tzinfo=UTC)
SWEPT = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)

PARIS_08 = {"libelle": "75 - PARIS 08", "codePostal": "75008", "commune": "75108"}
SALARY_MONTHLY = {"libelle": "Mensuel de 2500 Euros à 2800 Euros sur 12 mois"}
SALARY_YEARLY = {"libelle": "Annuel de 36000.0 Euros à 45000.0 Euros sur 12.0 mois"}
SALARY_HOURLY = {"libelle": "Horaire de 12 Euros sur 12 mois"}
SALARY_FIXED = {"libelle": "Annuel de 50000.0 Euros sur 12.0 mois"}

# Six offers over two Paris days; B and F are withdrawn before the sweep, 184TRJB is
# updated.
CORPUS = [
    offer(
        "184TRJB", "2026-03-02T12:00:00", lieuTravail=PARIS_08, salaire=SALARY_MONTHLY
    ),
    offer(
        "B",
        "2026-03-02T06:00:00",
        lieuTravail=place("92 - LEVALLOIS PERRET", "92044"),
        typeContrat="CDD",
        salaire=SALARY_YEARLY,
    ),
    offer(
        "C",
        "2026-03-02T18:00:00",
        lieuTravail=place("44 - Loire Atlantique"),
        romeCode="M1805",
        salaire={},
    ),
    # Midnight UTC is 01:00 in Paris: 3 March.
    offer("D", "2026-03-03T00:00:00", lieuTravail=PARIS_08, salaire=SALARY_HOURLY),
    offer(
        "E",
        "2026-03-03T12:00:00",
        lieuTravail=place("Grand Est"),
        romeCode="M1805",
        typeContrat="MIS",
        salaire={"commentaire": "selon profil"},
    ),
    offer("F", "2026-03-03T06:00:00", lieuTravail=PARIS_08, salaire=SALARY_FIXED),
]

REFERENTIELS = {
    "regions": [
        {"code": "11", "libelle": "Île-de-France"},
        {"code": "44", "libelle": "Grand Est"},
        {"code": "52", "libelle": "Pays de la Loire"},
    ],
    "departements": [
        {"code": "75", "libelle": "Paris", "region": {"code": "11"}},
        {"code": "92", "libelle": "Hauts-de-Seine", "region": {"code": "11"}},
        {"code": "44", "libelle": "Loire-Atlantique", "region": {"code": "52"}},
    ],
    "communes": [
        {
            "code": "75108",
            "libelle": "Paris 8e Arrondissement",
            "codePostal": "75008",
            "codeDepartement": "75",
        },
        {
            "code": "92044",
            "libelle": "Levallois-Perret",
            "codePostal": "92300",
            "codeDepartement": "92",
        },
    ],
    "metiers": [
        {"code": "M1811", "libelle": "Data engineer"},
        {"code": "M1805", "libelle": "Études et développement informatique"},
    ],
    "typesContrats": [
        {"code": "CDI", "libelle": "Contrat à durée indéterminée"},
        {"code": "CDD", "libelle": "Contrat à durée déterminée"},
        {"code": "MIS", "libelle": "Mission intérimaire"},
    ],
}


@pytest.fixture
def warehouse(engine) -> sa.Engine:
    for name, items in REFERENTIELS.items():
        load_referentiel(engine, name, items)
    for day in (date(2026, 3, 2), date(2026, 3, 3)):
        with OffresLoader(engine, day, now=LOADED) as loader:
            loader.add(CORPUS)
            loader.commit()
    # B and F are no longer served; 184TRJB has been updated.
    served = [item for item in CORPUS if item["id"] not in ("B", "F", "184TRJB")]
    served.append(dict(CORPUS[0], dateActualisation="2026-03-05T09:00:00.000Z"))
    with StockSweep(engine, date(2026, 3, 2), date(2026, 3, 3), now=SWEPT) as sweep:
        sweep.add(served)
        sweep.commit()
    return engine


def _query(engine, sql: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(sql))]


def test_every_view_file_is_created() -> None:
    assert [view.name for view in load_views()] == [
        "offres_competences_rome",
        "offres_durees_ouverture",
        "offres_labonneboite",
        "offres_nouvelles_par_jour",
        "offres_ouvertes",
        "offres_salaires",
    ]
    assert all(view.description for view in load_views())


def test_open_offers_with_labels(warehouse) -> None:
    rows = _query(
        warehouse,
        "SELECT id, type_contrat_libelle, rome_libelle, commune_libelle, departement, "
        "departement_libelle, region, region_libelle FROM offres_ouvertes ORDER BY id",
    )

    assert rows == [
        (
            "184TRJB",
            "Contrat à durée indéterminée",
            "Data engineer",
            "Paris 8e Arrondissement",
            "75",
            "Paris",
            "11",
            "Île-de-France",
        ),
        (
            "C",
            "Contrat à durée indéterminée",
            "Études et développement informatique",
            None,
            "44",
            "Loire-Atlantique",
            "52",
            "Pays de la Loire",
        ),
        (
            "D",
            "Contrat à durée indéterminée",
            "Data engineer",
            "Paris 8e Arrondissement",
            "75",
            "Paris",
            "11",
            "Île-de-France",
        ),
        (
            "E",
            "Mission intérimaire",
            "Études et développement informatique",
            None,
            None,
            None,
            "44",
            "Grand Est",
        ),
    ]


def test_new_offers_per_day_and_dimension(warehouse) -> None:
    rows = _query(
        warehouse,
        "SELECT jour_creation, departement, region, rome_code, type_contrat, nb_offres "
        "FROM offres_nouvelles_par_jour",
    )
    per_region = _query(
        warehouse,
        "SELECT region_libelle, SUM(nb_offres) FROM offres_nouvelles_par_jour "
        "GROUP BY region_libelle",
    )

    day_2, day_3 = "2026-03-02", "2026-03-03"
    assert sorted(((str(r[0]), *r[1:]) for r in rows), key=repr) == sorted(
        [
            (day_2, "44", "52", "M1805", "CDI", 1),
            (day_2, "75", "11", "M1811", "CDI", 1),
            (day_2, "92", "11", "M1811", "CDD", 1),
            (day_3, "75", "11", "M1811", "CDI", 2),
            (day_3, None, "44", "M1805", "MIS", 1),
        ],
        key=repr,
    )
    assert dict(per_region) == {
        "Grand Est": 1,
        "Pays de la Loire": 1,
        "Île-de-France": 4,
    }


def test_salaries_with_monthly_equivalents(warehouse) -> None:
    rows = _query(
        warehouse,
        "SELECT id, salaire_min, salaire_max, salaire_periode, salaire_mensuel_min, "
        "salaire_mensuel_max, periode_plausible, est_ouverte FROM offres_salaires "
        "ORDER BY id",
    )

    assert rows == [
        ("184TRJB", 2500.0, 2800.0, "mensuel", 2500.0, 2800.0, 1, 1),
        ("B", 36000.0, 45000.0, "annuel", 3000.0, 3750.0, 1, 0),
        (
            "D",
            12.0,
            12.0,
            "horaire",
            pytest.approx(1820.04),
            pytest.approx(1820.04),
            1,
            1,
        ),
        (
            "F",
            50000.0,
            50000.0,
            "annuel",
            pytest.approx(4166.6667),
            pytest.approx(4166.6667),
            1,
            0,
        ),
    ]


@pytest.mark.parametrize(
    ("libelle", "declared", "monthly", "plausible"),
    [
        # A yearly amount typed under 'Mensuel', and a monthly one under 'Annuel'.
        ("Mensuel de 40000 Euros sur 12 mois", (40000.0, "mensuel"), None, 0),
        ("Annuel de 2000.0 Euros sur 12.0 mois", (2000.0, "annuel"), None, 0),
        ("Horaire de 1800 Euros sur 12 mois", (1800.0, "horaire"), None, 0),
        ("Cachet de 150 Euros", (150.0, "cachet"), None, 0),
        ("Mensuel de 1800 Euros à 19000 Euros", (1800.0, "mensuel"), 1800.0, 1),
    ],
)
def test_implausible_periods_keep_their_declared_figures_only(
    engine, libelle, declared, monthly, plausible
) -> None:
    document = offer("G", "2026-03-02T12:00:00", salaire={"libelle": libelle})
    with OffresLoader(engine, date(2026, 3, 2), now=LOADED) as loader:
        loader.add([document])
        loader.commit()

    rows = _query(
        engine,
        "SELECT salaire_min, salaire_periode, salaire_mensuel_min, periode_plausible "
        "FROM offres_salaires",
    )

    assert rows == [(*declared, monthly, plausible)]


def test_how_long_offers_stay_open(warehouse) -> None:
    rows = _query(
        warehouse,
        "SELECT id, est_ouverte, jours_ouverte "
        "FROM offres_durees_ouverture ORDER BY id",
    )
    average_closed = _query(
        warehouse,
        "SELECT AVG(jours_ouverte) FROM offres_durees_ouverture WHERE est_ouverte = 0",
    )

    assert rows == [
        ("184TRJB", 1, 4.0),
        ("B", 0, 4.25),
        ("C", 1, 3.75),
        ("D", 1, 3.5),
        ("E", 1, 3.0),
        ("F", 0, 3.25),
    ]
    assert average_closed == [(3.75,)]


def test_upgrade_recreates_only_changed_views(engine, tmp_path) -> None:
    for view in load_views():
        (tmp_path / f"{view.name}.sql").write_text(
            f"-- {view.description}\n{view.select}\n", encoding="utf-8"
        )
    changed = tmp_path / "offres_salaires.sql"
    changed.write_text(
        changed.read_text(encoding="utf-8") + "WHERE salaire_max > 0\n",
        encoding="utf-8",
    )
    (tmp_path / "offres_durees_ouverture.sql").unlink()

    with engine.connect() as connection, write_transaction(connection):
        unchanged_run = create_views(connection)
        edited_run = create_views(connection, tmp_path)
        names = set(sa.inspect(connection).get_view_names())

    assert unchanged_run == []
    assert edited_run == ["offres_salaires"]
    assert names == {
        "offres_competences_rome",
        "offres_labonneboite",
        "offres_nouvelles_par_jour",
        "offres_ouvertes",
        "offres_salaires",
    }


def test_example_queries_of_the_dictionary(warehouse) -> None:
    results = [_query(warehouse, sql) for _, sql in EXAMPLE_QUERIES]

    per_region, salaries, durations, skills, versions = results
    assert per_region == [("Île-de-France", 2), ("Pays de la Loire", 1)]
    assert salaries == [("M1811", 1, 2500.0)]
    assert durations == [("CDD", 1, 4.25), ("CDI", 1, 3.25)]
    assert skills == [("Analyser des données", 4), ("Python", 4)]
    assert [(version, str(valid_to)[:19]) for version, _, valid_to, _ in versions] == [
        (1, "2026-03-05 09:00:00")
    ]


def test_view_sql_is_sent_verbatim(engine, tmp_path) -> None:
    (tmp_path / "offres_data.sql").write_text(
        "-- Offers whose title mentions data (100% of this corpus).\n"
        "SELECT id, intitule FROM offres WHERE intitule LIKE '%ata%'\n",
        encoding="utf-8",
    )
    with OffresLoader(engine, date(2026, 3, 2)) as loader:
        loader.add([offer("184AAAA", "2026-03-02T08:00:00")])
        loader.commit()

    with engine.connect() as connection, write_transaction(connection):
        created = create_views(connection, tmp_path)
        rows = connection.exec_driver_sql("SELECT id FROM offres_data").all()

    assert created == ["offres_data"]
    assert rows == [("184AAAA",)]
