"""Staging: TEMP tables that collect a load's rows while the API is being read.

A temporary table is private to its connection and lives outside the warehouse
tables, so writing to it takes no lock that another load would wait for (on SQLite it
lives in the separate temp database, not under the main file's write lock). Rows
arrive in batches through each dialect's fast path: binary ``COPY ... FROM STDIN`` on
PostgreSQL, ``executemany`` of prepared inserts on SQLite. The warehouse tables change
only later, in the final transaction that reads these tables (see `apply`).

Every staged offer gets a sequence number, ``seq``; its child rows carry the same
number. The same offer staged twice (it appeared on two pages) is resolved at the end
by keeping the highest ``seq``, so no unique constraint slows the inserts.

The raw JSON is staged in its final form: jsonb on PostgreSQL, parsed and compressed
by the server while the COPY streams in, so that the final transaction copies it into
`offres` as it is; text on SQLite.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from psycopg import postgres
from psycopg.adapt import Dumper
from psycopg.pq import Format
from sqlalchemy.dialects import postgresql

from pipelines.warehouse import schema
from pipelines.warehouse.column_types import sqlite_datetime_text
from pipelines.warehouse.flatten import (
    CHILD_TABLE_NAMES,
    OFFER_PAYLOAD_COLUMNS,
    FlatOffer,
)

_metadata = sa.MetaData()


def _temp_table(name: str, *columns: sa.Column) -> sa.Table:
    return sa.Table(name, _metadata, *columns, prefixes=["TEMPORARY"])


# jsonb on PostgreSQL, as in `offres`; on SQLite the canonical text it is compared as.
_RAW_TYPE = sa.Text().with_variant(postgresql.JSONB(), "postgresql")


def _copy_columns(table: sa.Table, names: Sequence[str]) -> list[sa.Column]:
    return [
        sa.Column(name, _RAW_TYPE if name == "raw" else table.c[name].type)
        for name in names
    ]


OFFRES = _temp_table(
    "stage_offres",
    sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
    *_copy_columns(schema.offres, OFFER_PAYLOAD_COLUMNS),
)
CHILDREN: dict[str, sa.Table] = {
    name: _temp_table(
        f"stage_{name}",
        sa.Column("seq", sa.Integer(), nullable=False),
        *_copy_columns(schema.child_tables[name], schema.child_tables[name].c.keys()),
    )
    for name in CHILD_TABLE_NAMES
}
# What the final transaction does with each staged offer: its latest staged version
# (seq), and whether it is new, changed or unchanged compared with `offres`.
ACTIONS = _temp_table(
    "stage_actions",
    sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
    sa.Column("id", sa.Text(), nullable=False, unique=True),
    sa.Column("action", sa.Text(), nullable=False),
    sa.Column("was_closed", sa.Boolean(), nullable=False),
)
# Offer ids that a sweep has proven gone.
GONE = _temp_table("stage_gone", sa.Column("id", sa.Text(), primary_key=True))

ALL_TABLES: tuple[sa.Table, ...] = (OFFRES, *CHILDREN.values(), ACTIONS, GONE)


def _sqlite_converter(column: sa.Column) -> Callable[[Any], Any] | None:
    """How a value becomes what SQLAlchemy would store on SQLite, if it differs."""
    if column.name == "raw":
        # Flattening gives the JSON as UTF-8 bytes; SQLite keeps it as text.
        return bytes.decode
    python_type = getattr(column.type, "impl", column.type).python_type
    if python_type is datetime:
        return lambda value: None if value is None else sqlite_datetime_text(value)
    if python_type is date:
        return lambda value: None if value is None else value.isoformat()
    return None


class _JsonbBytesDumper(Dumper):
    """Binary COPY of JSON already serialized to UTF-8 bytes into a jsonb column.

    jsonb's binary format is a version byte followed by the JSON text, which spares
    serializing the offer a second time (psycopg's own jsonb dumper would).
    """

    format = Format.BINARY
    oid = postgres.types["jsonb"].oid

    def dump(self, obj: bytes) -> bytes:
        return b"\x01" + obj


class Batch:
    """Staging rows waiting to be written, table by table.

    An offer becomes its rows as soon as it is added, each row led by the offer's
    ``seq``: the batch holds flat tuples of plain values, which the garbage collector
    stops tracking, rather than an object graph per offer that it would traverse again
    and again while the batch waits.
    """

    def __init__(self, first_seq: int = 1) -> None:
        self.first_seq = first_seq
        self.offres: list[tuple[Any, ...]] = []
        self.children: tuple[list[tuple[Any, ...]], ...] = tuple(
            [] for _ in CHILD_TABLE_NAMES
        )

    def __len__(self) -> int:
        return len(self.offres)

    @property
    def next_seq(self) -> int:
        """The ``seq`` of the next offer added, here or in the batch after this one."""
        return self.first_seq + len(self.offres)

    def add(self, offer: FlatOffer) -> None:
        seq = self.next_seq
        self.offres.append((seq, *offer.row))
        for rows, child_rows in zip(self.children, offer.children, strict=True):
            for child in child_rows:
                rows.append((seq, *child))


class Staging:
    """The staging tables of one connection, created empty and dropped at the end."""

    def __init__(self, connection: sa.Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect.name
        self.offers_staged = 0
        self._sqlite_conversions = [
            (index, converter)
            for index, column in enumerate(OFFRES.c)
            if (converter := _sqlite_converter(column)) is not None
        ]
        self._postgres_types: dict[str, list[int]] = {}
        self._lz4 = False

    def create(self) -> None:
        """Create the staging tables, dropping any left on this pooled connection."""
        with self.connection.begin():
            for table in ALL_TABLES:
                self.connection.execute(sa.schema.DropTable(table, if_exists=True))
                self.connection.execute(sa.schema.CreateTable(table))
            if self.dialect == "postgresql":
                self._prepare_postgres()

    def _prepare_postgres(self) -> None:
        # Binary COPY needs each column's type; the server says which.
        driver_connection = self.connection.connection.driver_connection
        with driver_connection.cursor() as cursor:
            for table in ALL_TABLES:
                cursor.execute(f"SELECT * FROM {table.name} LIMIT 0")
                self._postgres_types[table.name] = [
                    column.type_code for column in cursor.description
                ]
        self._lz4 = supports_lz4(self.connection)

    def drop(self) -> None:
        """Drop the staging tables; the connection goes back to the pool clean."""
        if self.connection.in_transaction():
            self.connection.rollback()
        with self.connection.begin():
            for table in reversed(ALL_TABLES):
                self.connection.execute(sa.schema.DropTable(table, if_exists=True))

    def write(self, batch: Batch) -> None:
        """Append a batch of offers and their child rows, in one short transaction."""
        if not batch:
            return
        with self.connection.begin():
            if self._lz4:
                # The large text values are compressed as they are stored; lz4 costs
                # a fraction of PostgreSQL's default pglz.
                self.connection.exec_driver_sql(
                    "SET LOCAL default_toast_compression = lz4"
                )
            self._insert(OFFRES, batch.offres)
            for table, rows in zip(CHILDREN.values(), batch.children, strict=True):
                self._insert(table, rows)
        self.offers_staged += len(batch)

    def write_gone(self, ids: Sequence[str]) -> None:
        """Stage the ids a sweep has proven gone."""
        rows = [(offer_id,) for offer_id in sorted(set(ids))]
        with self.connection.begin():
            self._insert(GONE, rows)

    def _insert(self, table: sa.Table, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self.dialect == "postgresql":
            self._copy(table, rows)
            return
        if table is OFFRES and self._sqlite_conversions:
            rows = [self._to_sqlite(row) for row in rows]
        placeholders = ", ".join("?" for _ in table.c)
        self.connection.exec_driver_sql(
            f"INSERT INTO {table.name} VALUES ({placeholders})", rows
        )

    def _to_sqlite(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        values = list(row)
        for index, convert in self._sqlite_conversions:
            values[index] = convert(values[index])
        return tuple(values)

    def _copy(self, table: sa.Table, rows: list[tuple[Any, ...]]) -> None:
        # Binary COPY streams the rows in one round trip and spares the server from
        # parsing every value from text.
        driver_connection = self.connection.connection.driver_connection
        statement = f"COPY {table.name} FROM STDIN (FORMAT BINARY)"
        with driver_connection.cursor() as cursor:
            # Looked up by column type only, so it serves the jsonb column alone, and
            # only on this cursor: the pooled connection keeps its usual adapters.
            cursor.adapters.register_dumper(None, _JsonbBytesDumper)
            with cursor.copy(statement) as copy:
                copy.set_types(self._postgres_types[table.name])
                for row in rows:
                    copy.write_row(row)


def supports_lz4(connection: sa.Connection) -> bool:
    """Whether this PostgreSQL server can compress large values with lz4."""
    return bool(
        connection.exec_driver_sql(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
            "WHERE name = 'default_toast_compression'"
        ).scalar()
    )
