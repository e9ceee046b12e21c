"""Read every warehouse table, to compare the whole database before and after."""

from __future__ import annotations

import sqlalchemy as sa

from pipelines.warehouse.schema import metadata


def snapshot(engine: sa.Engine) -> dict[str, list[tuple]]:
    """Every row of every table of the schema, in primary-key order."""
    tables = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns)
            rows = connection.execute(sa.select(table).order_by(*order))
            tables[table.name] = [tuple(row) for row in rows]
    return tables


def count(engine: sa.Engine, table: str, where: str = "") -> int:
    with engine.connect() as connection:
        sql = f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else "")
        return connection.execute(sa.text(sql)).scalar_one()
