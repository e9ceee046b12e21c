"""Replace whole tables in one transaction: readers see the old content or the new."""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa

from pipelines.warehouse.engine import write_transaction
from pipelines.warehouse.storable import storable_text


def replace_tables(
    engine: sa.Engine, contents: Mapping[sa.Table, list[dict]]
) -> dict[str, int]:
    """Empty each table and fill it with its rows, all in one write transaction.

    Returns:
        The number of rows now in each table, by table name.
    """
    with engine.connect() as connection, write_transaction(connection):
        for table, rows in contents.items():
            connection.execute(sa.delete(table))
            if rows:
                connection.execute(sa.insert(table), rows)
    return {table.name: len(rows) for table, rows in contents.items()}


def keyed_by(items: list[dict], key: str) -> tuple[dict[str, dict], int]:
    """The items by their ``key`` field, and how many were dropped on the way.

    Items without the field are dropped; when two items share a value, the last one
    is kept, as the API would have it on a later read.
    """
    kept: dict[str, dict] = {}
    for item in items:
        value = item.get(key) if isinstance(item, dict) else None
        if value is None or isinstance(value, dict | list):
            continue
        kept[storable_text(str(value))] = item
    return kept, len(items) - len(kept)
