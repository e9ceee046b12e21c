"""PostgreSQL: compress the large columns with lz4 rather than the default pglz.

An offer's raw JSON and description are large enough to be compressed on every write;
lz4 does it several times faster for a similar size. Values already stored keep their
compression (nothing is rewritten); new values use lz4. Servers built without lz4, and
SQLite, are left as they are.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_LARGE_COLUMNS = (
    ("offres", "raw"),
    ("offres", "description"),
    ("offres_history", "raw"),
)


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    lz4 = connection.exec_driver_sql(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
        "WHERE name = 'default_toast_compression'"
    ).scalar()
    if not lz4:
        return
    for table, column in _LARGE_COLUMNS:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION lz4")
