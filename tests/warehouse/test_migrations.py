"""Versioned migrations: from the first revision to the latest without losing a row."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.dialects import postgresql

from pipelines.warehouse import OffresLoader, create_engine, current_revision, upgrade
from pipelines.warehouse.flatten import OFFER_PAYLOAD_COLUMNS, flatten_offer
from pipelines.warehouse.schema import metadata, offres

from .snapshot import count

HEAD = "0009"

# The columns of `offres` at revision 1.
_REVISION_1_COLUMNS = [
    name
    for name in OFFER_PAYLOAD_COLUMNS
    if name
    not in ("lieu_travail_departement", "salaire_min", "salaire_max", "salaire_periode")
]


def _insert_at_revision_1(engine: sa.Engine, offers: list[dict]) -> None:
    """Write offers as a loader of the first revision would have: every column of
    revision 1, the raw JSON as ``json.dumps`` writes it (not the canonical form)."""
    typed = [offres.c[name] for name in _REVISION_1_COLUMNS if name != "raw"]
    table = sa.table(
        "offres", *(sa.column(c.name, c.type) for c in typed), sa.column("raw")
    )
    raw = sa.bindparam("raw", type_=sa.Text())
    if engine.dialect.name == "postgresql":
        raw = sa.cast(raw, postgresql.JSONB())
    rows = []
    for item in offers:
        values = dict(zip(OFFER_PAYLOAD_COLUMNS, flatten_offer(item).row, strict=True))
        values["raw"] = json.dumps(json.loads(values["raw"]), indent=1)
        rows.append({name: values[name] for name in _REVISION_1_COLUMNS})
    with engine.begin() as connection:
        connection.execute(sa.insert(table).values(raw=raw), rows)


def _titles(engine: sa.Engine) -> list[tuple]:
    with engine.connect() as connection:
        select = sa.select(offres.c.id, offres.c.intitule, offres.c.date_creation)
        return connection.execute(select.order_by(offres.c.id)).all()


def test_upgrade_from_revision_1_keeps_every_row(database_url, sample_page) -> None:
    engine = create_engine(database_url)
    upgrade(engine, "0001")
    _insert_at_revision_1(engine, sample_page)
    titles_before = _titles(engine)

    upgrade(engine)

    assert current_revision(engine) == HEAD
    titles_after = _titles(engine)
    with engine.connect() as connection:
        lifecycle = connection.execute(
            sa.text(
                "SELECT count(*) FROM offres WHERE version = 1 AND closed_at IS NULL "
                "AND first_seen_at IS NOT NULL AND first_seen_at = last_seen_at"
            )
        ).scalar_one()
        salaries = connection.execute(
            sa.text("SELECT count(*) FROM offres WHERE salaire_periode IS NOT NULL")
        ).scalar_one()
    assert titles_after == titles_before
    assert len(titles_after) == 26
    assert titles_after[0] == (
        "183XBQD",
        "Data Steward (H/F)",
        datetime(2024, 11, 8, 14, 9, 47, 401000, tzinfo=UTC),
    )
    assert lifecycle == 26
    assert salaries == 12
    assert count(engine, "offres_competences") == 31
    assert count(engine, "offres_salaire_complements") == 25
    assert count(engine, "offres_partenaires") == 6

    # The upgraded rows are exactly what a load of the same offers writes.
    with OffresLoader(engine, date(2024, 11, 27)) as loader:
        loader.add(sample_page)
        result = loader.commit()
    assert (result.inserted, result.updated, result.unchanged) == (0, 0, 26)
    engine.dispose()


def test_migrations_build_exactly_the_schema(engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)

    assert differences == []


def test_upgrade_is_idempotent(engine) -> None:
    with OffresLoader(engine, date(2026, 3, 2), now=datetime.now(UTC)) as loader:
        loader.add([{"id": "184AAAA", "dateCreation": "2026-03-02T08:00:00.000Z"}])
        loader.commit()

    upgrade(engine)
    upgrade(engine)

    assert current_revision(engine) == HEAD
    assert count(engine, "offres") == 1


def test_a_new_database_has_no_revision(database_url) -> None:
    engine = create_engine(database_url)

    assert current_revision(engine) is None
    engine.dispose()


def test_postgresql_carries_the_dictionary_as_comments(postgres_url) -> None:
    engine = create_engine(postgres_url)
    upgrade(engine)

    with engine.connect() as connection:
        table_comment = connection.execute(
            sa.text("SELECT obj_description('offres'::regclass, 'pg_class')")
        ).scalar_one()
        column_comment = connection.execute(
            sa.text(
                "SELECT col_description('offres'::regclass, attnum) FROM pg_attribute "
                "WHERE attrelid = 'offres'::regclass AND attname = 'rome_code'"
            )
        ).scalar_one()
    engine.dispose()

    assert table_comment.startswith("One row per job offer ever loaded")
    assert (
        column_comment == "ROME job code, e.g. M1811 (joins referentiel_metiers.code)."
    )
