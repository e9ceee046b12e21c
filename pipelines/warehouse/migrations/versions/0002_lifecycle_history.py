"""Lifecycle of an offer (version, first and last seen, closed) and the history table.

Rows loaded before this revision were seen at some unknown time before the upgrade; the
upgrade time is recorded as both their first and last sighting.

Revision ID: 0002
Revises: 0001
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("offres") as batch:
        batch.add_column(sa.Column("version", sa.Integer()))
        batch.add_column(sa.Column("first_seen_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("closed_at", sa.DateTime(timezone=True)))

    offres = sa.table(
        "offres",
        sa.column("version", sa.Integer()),
        sa.column("first_seen_at", sa.DateTime(timezone=True)),
        sa.column("last_seen_at", sa.DateTime(timezone=True)),
    )
    upgraded_at = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":
        # Stored as the warehouse stores every instant on SQLite: UTC, no offset.
        upgraded_at = upgraded_at.replace(tzinfo=None)
    op.execute(
        offres.update().values(
            version=1, first_seen_at=upgraded_at, last_seen_at=upgraded_at
        )
    )

    with op.batch_alter_table("offres") as batch:
        batch.alter_column("version", existing_type=sa.Integer(), nullable=False)
        batch.alter_column(
            "first_seen_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )
        batch.alter_column(
            "last_seen_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )

    op.create_table(
        "offres_history",
        sa.Column("offre_id", sa.Text(), sa.ForeignKey("offres.id"), primary_key=True),
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "raw",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
    )
