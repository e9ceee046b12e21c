"""Why the warehouse cannot be reached, in one sentence, and whether waiting helps.

::

    WarehouseError              retryable
    ├── WarehouseUnreachable    yes   refused, timed out or lost connection: a server
    │                                 restarting comes back
    └── WarehouseMisconfigured  no    unsupported URL, missing database, refused login:
                                      someone has to change the configuration

Driver errors are translated here, at the first connection, so that a run fails with
what to fix rather than a driver traceback.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

SUPPORTED_BACKENDS = ("sqlite", "postgresql")

# Phrases of PostgreSQL and SQLite connection errors that no retry can fix.
_CONFIGURATION_PHRASES = (
    "does not exist",
    "authentication failed",
    "password",
    "permission denied",
    "unable to open database file",
    "no pg_hba.conf entry",
    "role",
)


class WarehouseError(Exception):
    """Root of the warehouse's connection errors."""

    retryable: bool = False


class WarehouseUnreachable(WarehouseError):
    retryable = True


class WarehouseMisconfigured(WarehouseError):
    retryable = False


def describe_url(url: sa.URL) -> str:
    """The URL as it can be shown: no password, no query, SQLite paths made absolute."""
    url = url.set(query={})
    if url.get_backend_name() == "sqlite" and url.database not in (
        None,
        "",
        ":memory:",
    ):
        url = url.set(database=str(Path(url.database).resolve()))
    return url.render_as_string(hide_password=True)


def check_supported(url: sa.URL) -> None:
    """Refuse, in one sentence, a database the warehouse does not support."""
    backend = url.get_backend_name()
    if backend == "postgres":
        raise WarehouseMisconfigured(
            "DATABASE_URL starts with postgres://, which SQLAlchemy does not read: "
            "write postgresql:// instead (postgresql://user@host/database)."
        )
    if backend not in SUPPORTED_BACKENDS:
        raise WarehouseMisconfigured(
            f"DATABASE_URL names a {backend} database; the warehouse supports "
            "sqlite:///path/to/file.db and postgresql://user@host/database."
        )


def check_connection(engine: sa.Engine) -> None:
    """Open one connection, translating a failure into a `WarehouseError`."""
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as error:
        raise connection_error(error, engine.url) from error


def connection_error(error: sa.exc.OperationalError, url: sa.URL) -> WarehouseError:
    """The warehouse error for a driver's failure to connect."""
    detail = str(error.orig).strip().splitlines()
    reason = detail[-1] if detail else type(error.orig).__name__
    where = describe_url(url)
    if any(phrase in reason.lower() for phrase in _CONFIGURATION_PHRASES):
        return WarehouseMisconfigured(
            f"Cannot use the database {where} ({reason}): fix DATABASE_URL, or create "
            "the database and grant its user access."
        )
    return WarehouseUnreachable(
        f"Cannot reach the database {where} ({reason}): check that the server is "
        "running; the load is retried later."
    )
