"""Engines for the warehouse, and the one kind of transaction that writes to it.

SQLite is the embedded default and must stay safe when several partitions load at once:
each engine turns on WAL (readers never block the writer), a busy timeout (a writer
waits for the current one instead of failing with "database is locked") and foreign
keys. Python's sqlite3 module would otherwise open transactions on its own; here the
warehouse issues ``BEGIN`` itself, so that a transaction that will write starts with
``BEGIN IMMEDIATE`` and waits for the lock up front. (A deferred transaction that reads
first and writes later cannot wait: SQLite fails it at once when another writer got in
between.)

PostgreSQL URLs use psycopg 3, whose COPY support is the loader's fast path.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

DEFAULT_DATABASE_URL = "sqlite:///data/francetravail.db"

# How long a SQLite writer waits for another one. Partitions loading in parallel take
# turns for their final transaction, each a few seconds even for a large day.
DEFAULT_SQLITE_BUSY_TIMEOUT = 300.0

# Every writer of the warehouse takes this PostgreSQL advisory lock for the length of
# its final transaction, as SQLite's single writer lock does, so that two loads never
# decide "new" for the same offer at the same time.
_POSTGRES_WRITE_LOCK = 0x66747069706531  # "ftpipe1" in ASCII

_SQLITE_BEGIN_OPTION = "warehouse_sqlite_begin"


def _normalize_url(url: str | sa.URL) -> sa.URL:
    url = sa.make_url(url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def _sqlite_file(url: sa.URL) -> Path | None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def create_engine(
    url: str | sa.URL = DEFAULT_DATABASE_URL,
    *,
    sqlite_busy_timeout: float = DEFAULT_SQLITE_BUSY_TIMEOUT,
) -> sa.Engine:
    """An engine set up for the warehouse.

    Args:
        url: a SQLAlchemy URL. ``postgresql://`` and ``postgres://`` select psycopg 3;
            for a SQLite file, the parent directory is created.
        sqlite_busy_timeout: seconds a SQLite writer waits for the lock.
    """
    url = _normalize_url(url)
    if url.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)

    path = _sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url)
    busy_timeout_ms = int(sqlite_busy_timeout * 1000)

    @event.listens_for(engine, "connect")
    def _configure_sqlite(dbapi_connection, _record) -> None:
        # Let the warehouse, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # The busy timeout first: switching to WAL itself waits for other connections.
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL loses no committed data on a crash of the process, only
        # possibly the last transactions on a power loss, and saves an fsync per commit.
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin_sqlite(connection: sa.Connection) -> None:
        mode = connection.get_execution_options().get(_SQLITE_BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def execute_verbatim(connection: sa.Connection, statement: str) -> None:
    """Run a statement without parameters exactly as written (DDL, a view's SQL).

    psycopg reads every ``%`` of a statement as a placeholder as soon as a parameter
    list is passed, even an empty one; here none is, so ``LIKE '%x'`` stays as is.
    """
    connection.exec_driver_sql(statement, execution_options={"no_parameters": True})


@contextmanager
def write_transaction(connection: sa.Connection) -> Iterator[sa.Connection]:
    """A transaction that writes the warehouse tables, one writer at a time.

    On SQLite it starts with ``BEGIN IMMEDIATE`` (waiting up to the busy timeout for
    the current writer); on PostgreSQL it takes the warehouse's advisory lock. Either
    way the transaction commits when the block ends and rolls back on an exception.
    """
    dialect = connection.dialect.name
    if dialect == "sqlite":
        connection.execution_options(**{_SQLITE_BEGIN_OPTION: "IMMEDIATE"})
        try:
            with connection.begin():
                yield connection
        finally:
            connection.execution_options(**{_SQLITE_BEGIN_OPTION: "DEFERRED"})
        return

    with connection.begin():
        if dialect == "postgresql":
            connection.execute(
                sa.text("SELECT pg_advisory_xact_lock(:key)"),
                {"key": _POSTGRES_WRITE_LOCK},
            )
        yield connection
