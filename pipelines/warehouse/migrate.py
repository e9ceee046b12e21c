"""Create or upgrade the warehouse schema: migrations, then views and comments.

Migrations are Alembic scripts inside this package (``migrations/versions``), run
programmatically: nobody needs an ``alembic.ini``. The whole upgrade is one write
transaction (both databases have transactional DDL), so processes starting at the same
time upgrade one after the other and a failed migration leaves the schema as it was.
After the migrations, the analyst views of ``sql/`` are created or recreated where
their file changed and, on PostgreSQL, table and column comments are set from the
schema where they differ.

To write a new migration: add ``migrations/versions/NNNN_what.py`` with the next
revision number (``alembic -c /dev/null -x url=sqlite:///scratch.db revision`` with
``script_location`` pointing there also works), update `schema.py` to match, and run
the tests: one of them checks that the migrations produce exactly `schema.metadata`.
"""

from __future__ import annotations

import logging
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

from pipelines.warehouse.engine import execute_verbatim, write_transaction
from pipelines.warehouse.schema import metadata
from pipelines.warehouse.views import create_views

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _config(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def current_revision(engine: sa.Engine) -> str | None:
    """The schema's migration revision, or None for a database never upgraded."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to ``revision``; safe to call at every start.

    Idempotent, and never loses data: migrations only add tables and columns and fill
    them from what is stored. Views are brought in line with ``sql/`` only at the
    latest revision (they read columns that older revisions lack).
    """
    with engine.connect() as connection, write_transaction(connection):
        before = MigrationContext.configure(connection).get_current_revision()
        command.upgrade(_config(connection), revision)
        after = MigrationContext.configure(connection).get_current_revision()
        if revision == "head":
            create_views(connection)
            if connection.dialect.name == "postgresql":
                _set_comments(connection)
    if before != after:
        logger.info("warehouse schema upgraded from %s to %s", before, after)


def _quote(connection: sa.Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def _set_comments(connection: sa.Connection) -> None:
    """Set the table and column comments of the schema on PostgreSQL, where they differ.

    The migrations create structure only; the meanings live in `schema.py`, the one
    place the data dictionary is written, and are copied to the database here.
    """
    stored = {
        (table, column): comment
        for table, column, comment in connection.exec_driver_sql(
            "SELECT c.relname, a.attname, d.description FROM pg_description d "
            "JOIN pg_class c ON c.oid = d.objoid "
            "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid "
            "WHERE c.relnamespace = current_schema()::regnamespace"
        )
    }
    literal = sa.String().literal_processor(connection.dialect)
    for table in metadata.sorted_tables:
        name = _quote(connection, table.name)
        if table.comment and stored.get((table.name, None)) != table.comment:
            execute_verbatim(
                connection, f"COMMENT ON TABLE {name} IS {literal(table.comment)}"
            )
        for column in table.columns:
            if (
                column.comment
                and stored.get((table.name, column.name)) != column.comment
            ):
                execute_verbatim(
                    connection,
                    f"COMMENT ON COLUMN {name}.{_quote(connection, column.name)} "
                    f"IS {literal(column.comment)}",
                )
