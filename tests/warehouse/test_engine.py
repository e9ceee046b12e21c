"""Engines: driver choice, SQLite settings, and the one-writer-at-a-time transaction."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from pipelines.warehouse import DEFAULT_DATABASE_URL, create_engine, upgrade
from pipelines.warehouse.engine import write_transaction


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1:5432/test",
        "postgres://postgres@127.0.0.1:5432/test",
        "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    ],
)
def test_postgresql_urls_use_psycopg_3(url: str) -> None:
    engine = create_engine(url)

    assert engine.url.drivername == "postgresql+psycopg"
    assert engine.dialect.driver == "psycopg"


def test_default_is_a_sqlite_file_under_data() -> None:
    assert DEFAULT_DATABASE_URL == "sqlite:///data/francetravail.db"


def test_sqlite_file_gets_its_directory_and_settings(tmp_path) -> None:
    path = tmp_path / "nested" / "dir" / "warehouse.db"

    engine = create_engine(f"sqlite:///{path}", sqlite_busy_timeout=12.5)
    with engine.connect() as connection:
        settings = {
            pragma: connection.exec_driver_sql(f"PRAGMA {pragma}").scalar_one()
            for pragma in (
                "journal_mode",
                "busy_timeout",
                "foreign_keys",
                "synchronous",
            )
        }
    engine.dispose()

    assert path.parent.is_dir()
    assert settings == {
        "journal_mode": "wal",
        "busy_timeout": 12500,
        "foreign_keys": 1,
        "synchronous": 1,
    }


def test_sqlite_writer_holds_the_lock_from_begin_and_readers_go_on(sqlite_url) -> None:
    writer_engine = create_engine(sqlite_url)
    upgrade(writer_engine)
    other_engine = create_engine(sqlite_url, sqlite_busy_timeout=0.05)

    with writer_engine.connect() as writer, write_transaction(writer):
        writer.exec_driver_sql("SELECT 1")
        # Reading is never blocked in WAL mode...
        with other_engine.connect() as reader:
            offers = reader.exec_driver_sql("SELECT count(*) FROM offres").scalar_one()
        # ...but a second writer waits, here only 50 ms, then gives up.
        with (
            other_engine.connect() as other,
            pytest.raises(sa.exc.OperationalError, match="database is locked"),
            write_transaction(other),
        ):
            pass

    assert offers == 0
    writer_engine.dispose()
    other_engine.dispose()


def test_postgresql_writers_share_an_advisory_lock(postgres_url) -> None:
    engine = create_engine(postgres_url)

    with (
        engine.connect() as writer,
        write_transaction(writer),
        engine.connect() as other,
    ):
        taken_elsewhere = other.execute(
            sa.text("SELECT pg_try_advisory_lock(:key)"),
            {"key": 0x66747069706531},
        ).scalar_one()
    with engine.connect() as other:
        free_afterwards = other.execute(
            sa.text("SELECT pg_try_advisory_xact_lock(:key)"),
            {"key": 0x66747069706531},
        ).scalar_one()
    engine.dispose()

    assert taken_elsewhere is False
    assert free_afterwards is True
