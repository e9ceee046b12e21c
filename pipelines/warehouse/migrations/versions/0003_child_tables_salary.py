"""Child tables for the offers' arrays, and columns derived from the offer.

Child tables (competences, formations, langues, permis, qualites_professionnelles,
salary complements, partenaires) and the derived columns (workplace département, salary
minimum, maximum and period) are filled for the rows already stored, from their raw
JSON, with the same extraction a load uses, so that old and new rows are alike. On
SQLite the raw JSON is also rewritten in the canonical form loads write (compact, keys
sorted), which change detection compares as text.

Revision ID: 0003
Revises: 0002
"""

import json

import sqlalchemy as sa
from alembic import op

from pipelines.warehouse.flatten import (
    CHILD_TABLE_NAMES,
    OFFER_PAYLOAD_COLUMNS,
    dump_json,
    flatten_offer,
)

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_DERIVED = ("lieu_travail_departement", "salaire_min", "salaire_max", "salaire_periode")
_BATCH = 1000


def _child_table(name: str, *columns: str) -> sa.Table:
    return op.create_table(
        name,
        sa.Column("offre_id", sa.Text(), primary_key=True),
        sa.Column("rang", sa.Integer(), primary_key=True),
        *(sa.Column(column, sa.Text()) for column in columns),
    )


def upgrade() -> None:
    with op.batch_alter_table("offres") as batch:
        batch.add_column(sa.Column("lieu_travail_departement", sa.Text()))
        batch.add_column(sa.Column("salaire_min", sa.Float()))
        batch.add_column(sa.Column("salaire_max", sa.Float()))
        batch.add_column(sa.Column("salaire_periode", sa.Text()))

    tables = {
        "offres_competences": _child_table(
            "offres_competences", "code", "libelle", "exigence"
        ),
        "offres_formations": _child_table(
            "offres_formations",
            "code_formation",
            "domaine_libelle",
            "niveau_libelle",
            "commentaire",
            "exigence",
        ),
        "offres_langues": _child_table("offres_langues", "libelle", "exigence"),
        "offres_permis": _child_table("offres_permis", "libelle", "exigence"),
        "offres_qualites_professionnelles": _child_table(
            "offres_qualites_professionnelles", "libelle", "description"
        ),
        "offres_partenaires": _child_table("offres_partenaires", "nom", "url", "logo"),
        "offres_salaire_complements": _child_table(
            "offres_salaire_complements", "source", "code", "libelle"
        ),
    }
    _backfill(tables)


def _backfill(tables: dict[str, sa.Table]) -> None:
    connection = op.get_bind()
    rewrite_raw = connection.dialect.name == "sqlite"
    derived_index = [OFFER_PAYLOAD_COLUMNS.index(name) for name in _DERIVED]
    assignments = ", ".join(f"{name} = :{name}" for name in _DERIVED)
    if rewrite_raw:
        assignments += ", raw = :raw"
    update = sa.text(f"UPDATE offres SET {assignments} WHERE id = :offre_id")
    page = sa.text(
        "SELECT id, raw FROM offres WHERE id > :after ORDER BY id LIMIT :limit"
    )

    after = ""
    while True:
        rows = connection.execute(page, {"after": after, "limit": _BATCH}).all()
        if not rows:
            return
        after = rows[-1][0]
        updates = []
        children: dict[str, list[dict]] = {name: [] for name in CHILD_TABLE_NAMES}
        for offre_id, raw in rows:
            offer = json.loads(raw) if isinstance(raw, str) else raw
            # The stored JSON is kept as it is: contact fields, if any, were stored on
            # purpose by the load that wrote them.
            flat = flatten_offer(offer, store_contacts=True)
            values = {
                name: flat.row[i]
                for name, i in zip(_DERIVED, derived_index, strict=True)
            }
            values["offre_id"] = offre_id
            if rewrite_raw:
                values["raw"] = dump_json(offer)
            updates.append(values)
            for name, child_rows in zip(CHILD_TABLE_NAMES, flat.children, strict=True):
                columns = tables[name].c.keys()
                children[name].extend(
                    dict(zip(columns, row, strict=True)) for row in child_rows
                )

        connection.execute(update, updates)
        for name, child_rows in children.items():
            if child_rows:
                connection.execute(tables[name].insert(), child_rows)
