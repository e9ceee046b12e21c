"""Load a référentiel of the offers API into its table, replacing what was there."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from pipelines.warehouse.engine import write_transaction
from pipelines.warehouse.schema import REFERENTIELS, referentiel_tables
from pipelines.warehouse.storable import storable_text

logger = logging.getLogger(__name__)


def _value(item: dict[str, Any], path: str) -> str | None:
    value: Any = item
    for key in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    if value is None or isinstance(value, dict | list):
        return None
    return storable_text(str(value))


def load_referentiel(engine: sa.Engine, name: str, items: list[dict[str, Any]]) -> int:
    """Replace the table of référentiel ``name`` (its API name, e.g. ``typesContrats``)
    with ``items``, atomically: readers see the old content or the new, never a mix.

    Items without a code are skipped; a code given twice keeps its last item.

    Returns:
        The number of rows now in the table.

    Raises:
        ValueError: ``name`` is not a référentiel of the offers API.
    """
    ref = REFERENTIELS.get(name)
    if ref is None:
        known = ", ".join(sorted(REFERENTIELS))
        raise ValueError(f"unknown référentiel {name!r}; known: {known}")
    table = referentiel_tables[name]

    rows: dict[str, dict[str, str | None]] = {}
    for item in items:
        code = _value(item, "code")
        if code is None:
            continue
        row = {"code": code, "libelle": _value(item, "libelle")}
        row.update({column: _value(item, path) for path, column, _ in ref.extras})
        rows[code] = row
    skipped = len(items) - len(rows)
    if skipped:
        logger.warning(
            "référentiel %s: %d items without a code or with a repeated code",
            name,
            skipped,
        )

    with engine.connect() as connection, write_transaction(connection):
        connection.execute(sa.delete(table))
        if rows:
            connection.execute(sa.insert(table), list(rows.values()))
    logger.info("loaded référentiel %s: %d rows", name, len(rows))
    return len(rows)


def referentiel_size(engine: sa.Engine, name: str) -> int:
    """How many codes the table of référentiel ``name`` holds now."""
    table = referentiel_tables[name]
    with engine.connect() as connection:
        return connection.execute(
            sa.select(sa.func.count()).select_from(table)
        ).scalar_one()
