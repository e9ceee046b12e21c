"""Bookkeeping of the analyst views, so upgrades recreate only the changed ones.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "warehouse_views",
        sa.Column("name", sa.Text(), primary_key=True),
        sa.Column("sql_sha256", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
