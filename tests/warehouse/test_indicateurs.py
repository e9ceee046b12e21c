"""The daily indicators: counts per day, département, ROME code and contract type."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from pipelines.warehouse import OffresLoader
from pipelines.warehouse.indicateurs import (
    offres_indicateurs_jour,
    refresh_indicateurs,
)

from .corpus import offer, place

DAY = date(2026, 3, 2)
NEXT_DAY = date(2026, 3, 3)
FIRST_RUN = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)
SECOND_RUN = datetime(2026, 3, 4, 3, 0, tzinfo=UTC)

PARTNER = {"origine": "2", "urlOrigine": "https://example.org/partenaire"}
LYON = place("69 - LYON 03", "69383")
REGION_ONLY = place("Ile-de-France")


def day_offers() -> list[dict]:
    """Five offers of DAY (Paris time): three combinations and a région-only place."""
    return [
        offer("1000001", "2026-03-02T08:00:00"),
        offer("1000002", "2026-03-02T09:00:00", origineOffre=PARTNER, salaire=None),
        offer("1000003", "2026-03-02T10:00:00", origineOffre=PARTNER),
        offer("1000004", "2026-03-02T11:00:00", lieuTravail=LYON, typeContrat="CDD"),
        offer("1000005", "2026-03-02T12:00:00", lieuTravail=REGION_ONLY),
    ]


def load(engine: sa.Engine, day: date, offers: list[dict]) -> None:
    with OffresLoader(engine, day) as loader:
        loader.add(offers)
        loader.commit()


def table_rows(engine: sa.Engine) -> list[tuple]:
    table = offres_indicateurs_jour
    columns = [c for c in table.columns if c.name != "computed_at"]
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(*columns).order_by(
                table.c.jour_creation,
                sa.func.coalesce(table.c.departement, ""),
                table.c.type_contrat,
            )
        )
        return [tuple(row) for row in rows]


def computed_at(engine: sa.Engine) -> set[datetime]:
    with engine.connect() as connection:
        select = sa.select(offres_indicateurs_jour.c.computed_at).distinct()
        return set(connection.execute(select).scalars())


def test_a_day_is_counted_per_departement_rome_and_contract(engine):
    load(engine, DAY, day_offers())
    load(engine, NEXT_DAY, [offer("1000009", "2026-03-03T08:00:00")])

    result = refresh_indicateurs(engine, DAY, now=FIRST_RUN)

    # (day, département, ROME, contract, offers, of which partners, with a salary)
    assert table_rows(engine) == [
        (DAY, None, "M1811", "CDI", 1, 0, 1),
        (DAY, "69", "M1811", "CDD", 1, 0, 1),
        (DAY, "75", "M1811", "CDI", 3, 2, 2),
    ]
    assert (result.rows, result.offres, result.departements) == (3, 5, 2)
    assert [(r["departement"], r["nb_offres"]) for r in result.top] == [
        ("75", 3),
        (None, 1),
        ("69", 1),
    ]
    assert computed_at(engine) == {FIRST_RUN}


def test_recomputing_a_day_replaces_its_rows_and_leaves_other_days(engine):
    load(engine, DAY, day_offers())
    load(engine, NEXT_DAY, [offer("1000009", "2026-03-03T08:00:00")])
    refresh_indicateurs(engine, DAY, now=FIRST_RUN)
    refresh_indicateurs(engine, NEXT_DAY, now=FIRST_RUN)
    # The day is reloaded: one offer moved to Lyon on a CDD, another was added.
    changed = day_offers()
    changed[0] = offer(
        "1000001", "2026-03-02T08:00:00", lieuTravail=LYON, typeContrat="CDD"
    )
    load(engine, DAY, [*changed, offer("1000006", "2026-03-02T13:00:00")])

    result = refresh_indicateurs(engine, DAY, now=SECOND_RUN)

    assert table_rows(engine) == [
        (DAY, None, "M1811", "CDI", 1, 0, 1),
        (DAY, "69", "M1811", "CDD", 2, 0, 2),
        (DAY, "75", "M1811", "CDI", 3, 2, 2),
        (NEXT_DAY, "75", "M1811", "CDI", 1, 0, 1),
    ]
    assert (result.rows, result.offres) == (3, 6)
    assert computed_at(engine) == {FIRST_RUN, SECOND_RUN}


def test_a_day_without_offers_has_no_rows(engine):
    load(engine, NEXT_DAY, [offer("1000009", "2026-03-03T08:00:00")])

    result = refresh_indicateurs(engine, DAY, now=FIRST_RUN)

    assert (result.rows, result.offres, result.departements, result.top) == (
        0,
        0,
        0,
        [],
    )
    assert table_rows(engine) == []
