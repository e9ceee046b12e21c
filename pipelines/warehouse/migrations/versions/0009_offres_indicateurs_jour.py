"""The daily indicators of new offers, computed from `offres` by the Dagster asset of
the same name.

A new table only: nothing already stored changes. It starts empty; each day is filled
when its offers are (re)loaded.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offres_indicateurs_jour",
        sa.Column("jour_creation", sa.Date(), nullable=False),
        sa.Column("departement", sa.Text()),
        sa.Column("rome_code", sa.Text()),
        sa.Column("type_contrat", sa.Text()),
        sa.Column("nb_offres", sa.Integer(), nullable=False),
        sa.Column("nb_offres_partenaires", sa.Integer(), nullable=False),
        sa.Column("nb_offres_avec_salaire", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_offres_indicateurs_jour_jour_creation",
        "offres_indicateurs_jour",
        ["jour_creation"],
    )
