"""Load Marché du travail indicators: one row per value, with its breakdowns.

A value is identified by its indicator, territory, activity and period. A load
replaces the values it read (and their breakdowns) and keeps every other one, so
periods the API no longer serves stay in the warehouse as history. It is one
transaction: a failure leaves the tables as they were.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from pipelines.warehouse.api_items import float_at, list_at, text_at
from pipelines.warehouse.engine import write_transaction
from pipelines.warehouse.partner_schema import (
    INDICATOR_KEY,
    marche_travail_caracteristiques,
    marche_travail_indicateurs,
)

logger = logging.getLogger(__name__)

# Key columns after `indicateur`, and the field of a period's value each is read from.
_KEY_FIELDS = (
    ("code_type_territoire", "codeTypeTerritoire"),
    ("code_territoire", "codeTerritoire"),
    ("code_type_activite", "codeTypeActivite"),
    ("code_activite", "codeActivite"),
    ("code_type_periode", "codeTypePeriode"),
    ("code_periode", "codePeriode"),
)


@dataclass(frozen=True)
class MarcheTravailResult:
    """Values written: indicator values and their breakdowns; values skipped."""

    indicateurs: int
    caracteristiques: int
    skipped: int


def load_marche_travail(
    engine: sa.Engine,
    documents: Iterable[tuple[str, dict[str, Any]]],
    *,
    now: datetime | None = None,
) -> MarcheTravailResult:
    """Write the values of indicator answers, replacing those already stored.

    Args:
        documents: ``(indicator, answer)`` pairs, the answer as the API returns it
            (``{"listeValeursParPeriode": [...]}``; ``{}`` for no data).
        now: the load's timestamp (``loaded_at``); the current time by default.
    """
    loaded_at = now or datetime.now(UTC)
    values: dict[tuple, dict[str, Any]] = {}
    breakdowns: dict[tuple, list[dict[str, Any]]] = {}
    skipped = 0
    for indicateur, document in documents:
        for value in list_at(document, "listeValeursParPeriode"):
            key = _key(indicateur, value)
            if key is None:
                skipped += 1
                continue
            values[key] = _value_row(key, value, loaded_at)
            breakdowns[key] = _breakdown_rows(key, value, loaded_at)
    if skipped:
        logger.warning(
            "Marché du travail: %d values without territory, activity or period",
            skipped,
        )

    caracteristiques = _unique_breakdowns(breakdowns)
    keys = [dict(zip(INDICATOR_KEY, key, strict=True)) for key in values]
    with engine.connect() as connection, write_transaction(connection):
        if keys:
            for table in (marche_travail_caracteristiques, marche_travail_indicateurs):
                connection.execute(_delete_by_key(table), keys)
            connection.execute(
                sa.insert(marche_travail_indicateurs), list(values.values())
            )
        if caracteristiques:
            connection.execute(
                sa.insert(marche_travail_caracteristiques), caracteristiques
            )
    logger.info(
        "loaded Marché du travail: %d values, %d breakdowns",
        len(values),
        len(caracteristiques),
    )
    return MarcheTravailResult(
        indicateurs=len(values),
        caracteristiques=len(caracteristiques),
        skipped=skipped,
    )


def _key(indicateur: str, value: dict[str, Any]) -> tuple[str, ...] | None:
    parts = [text_at(value, path) for _, path in _KEY_FIELDS]
    if any(part is None for part in parts):
        return None
    return (indicateur, *parts)


def _value_row(key: tuple, value: dict[str, Any], loaded_at: datetime) -> dict:
    return {
        **dict(zip(INDICATOR_KEY, key, strict=True)),
        "lib_territoire": text_at(value, "libTerritoire"),
        "lib_activite": text_at(value, "libActivite"),
        "code_nomenclature": text_at(value, "codeNomenclature"),
        "lib_periode": text_at(value, "libPeriode"),
        "valeur_principale_nombre": float_at(value, "valeurPrincipaleNombre"),
        "loaded_at": loaded_at,
    }


def _breakdown_rows(key: tuple, value: dict[str, Any], loaded_at: datetime) -> list:
    rows = []
    for caract in list_at(value, "listeValeurParCaract"):
        kind, code = text_at(caract, "codeTypeCaract"), text_at(caract, "codeCaract")
        if kind is None or code is None:
            continue
        rows.append(
            {
                **dict(zip(INDICATOR_KEY, key, strict=True)),
                "code_type_caract": kind,
                "code_caract": code,
                "lib_caract": text_at(caract, "libCaract"),
                "nombre": float_at(caract, "nombre"),
                "pourcentage": float_at(caract, "pourcentage"),
                "loaded_at": loaded_at,
            }
        )
    return rows


def _unique_breakdowns(breakdowns: dict[tuple, list[dict]]) -> list[dict]:
    """Every breakdown row once: a breakdown given twice keeps its last row."""
    unique: dict[tuple, dict] = {}
    for key, rows in breakdowns.items():
        for row in rows:
            unique[(*key, row["code_type_caract"], row["code_caract"])] = row
    return list(unique.values())


def _delete_by_key(table: sa.Table) -> sa.Delete:
    return sa.delete(table).where(
        *(table.c[name] == sa.bindparam(name) for name in INDICATOR_KEY)
    )
