"""Fixtures shared by every test package: the databases.

PostgreSQL tests run against the server named by ``TEST_POSTGRES_URL`` (default: the
local server on 127.0.0.1:5432, database ``test``). Each test gets a database of its
own, created and dropped around it. Where no server answers, those tests are skipped
with the reason, except under CI (``CI`` set), where a missing server is a failure.
"""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# Real captured API responses live beside the repository, never inside it.
DEFAULT_SAMPLES_DIR = Path(__file__).resolve().parents[2] / "shared" / "samples"


def samples_directory() -> Path:
    """Where the captured responses are: ``FT_SAMPLES_DIR`` or ``../shared/samples``."""
    return Path(os.environ.get("FT_SAMPLES_DIR", DEFAULT_SAMPLES_DIR))


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """The captured responses, or a skip (a failure under CI) saying where they were
    looked for."""
    directory = samples_directory()
    if not (directory / "referentiel_pays.json").is_file():
        reason = f"captured samples not found in {directory} (set FT_SAMPLES_DIR)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return directory


def _postgres_admin_url() -> sa.URL:
    return sa.make_url(os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))


@pytest.fixture(scope="session")
def postgres_server() -> sa.URL:
    """The URL of a reachable PostgreSQL server, or a skip that says why not."""
    url = _postgres_admin_url()
    engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as error:
        reason = (
            f"PostgreSQL is not reachable at {url.render_as_string()}: {error.orig}"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI must run the PostgreSQL tests)")
        pytest.skip(reason)
    finally:
        engine.dispose()
    return url


@pytest.fixture
def postgres_url(postgres_server: sa.URL) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"ft_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield postgres_server.set(database=name).render_as_string(hide_password=False)
    finally:
        _drop_database(admin, name)
        admin.dispose()


def _drop_database(admin: sa.Engine, name: str) -> None:
    """Drop a test database, giving up after a minute rather than hanging the suite.

    FORCE ends the test's own stray connections; a backend of another program stuck in
    the server can still block a drop, and then the database is left with a warning.
    """
    try:
        with admin.connect() as connection:
            connection.execute(sa.text("SET statement_timeout = '60s'"))
            connection.execute(
                sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            )
    except sa.exc.OperationalError as error:
        warnings.warn(
            f"could not drop test database {name}: {error.orig}", stacklevel=1
        )


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A fresh SQLite file for one test."""
    return f"sqlite:///{tmp_path / 'warehouse.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request) -> str:
    """Run the test once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")
