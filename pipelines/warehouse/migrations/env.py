"""Alembic environment of the warehouse.

Migrations run from `pipelines.warehouse.upgrade(engine)`, which passes its connection
(already inside the warehouse's write transaction) in ``config.attributes``. Developers
may also run the ``alembic`` command with ``-x url=...``
(see `pipelines.warehouse.migrate`).
"""

from __future__ import annotations

from alembic import context

from pipelines.warehouse.engine import create_engine, write_transaction
from pipelines.warehouse.schema import metadata


def _run(connection) -> None:
    # Both databases run DDL inside transactions (SQLite too, as the warehouse issues
    # BEGIN itself), so the whole upgrade commits or rolls back as one.
    context.configure(
        connection=connection, target_metadata=metadata, transactional_ddl=True
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("give the database with: alembic -x url=<SQLAlchemy URL> ...")
    engine = create_engine(url)
    with engine.connect() as own_connection, write_transaction(own_connection):
        _run(own_connection)
    engine.dispose()
