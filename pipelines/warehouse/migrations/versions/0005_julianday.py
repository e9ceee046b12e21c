"""``julianday(timestamptz)`` on PostgreSQL, so analyst views are one SQL for both.

SQLite has ``julianday()`` built in; giving PostgreSQL the same function (days since
the Julian epoch, fractional) lets a view compute a duration in days as
``julianday(b) - julianday(a)`` on both databases.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# 2440587.5 is the Julian day of 1970-01-01T00:00:00Z.
_JULIANDAY = """
CREATE OR REPLACE FUNCTION julianday(instant timestamptz)
RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT extract(epoch FROM instant)::double precision / 86400.0 + 2440587.5 $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_JULIANDAY)
