"""Data quality of the offers: codes that do not join their référentiel.

Analysts join `offres` to the référentiels by code; a code missing from its référentiel
silently drops the offer from such a join (or leaves its label empty). This module
lists those codes so a check can report them.
"""

from __future__ import annotations

import sqlalchemy as sa

from pipelines.warehouse.schema import offres, referentiel_tables

# Each code column of `offres` and the référentiel its codes come from.
CODE_REFERENTIELS: dict[str, str] = {
    "type_contrat": "typesContrats",
    "rome_code": "metiers",
    "lieu_travail_commune": "communes",
    "lieu_travail_departement": "departements",
    "secteur_activite": "secteursActivites",
    "code_naf": "nafs",
}


def unmatched_codes(engine: sa.Engine, limit: int = 100) -> dict[str, list[str]]:
    """For each code column of `offres`, the codes its référentiel lacks.

    Args:
        limit: at most this many codes per column, the smallest first.

    Returns:
        ``{column: [code, ...]}`` with every column of `CODE_REFERENTIELS`; an empty
        list means every code of that column is found.
    """
    unmatched = {}
    with engine.connect() as connection:
        for column_name, referentiel in CODE_REFERENTIELS.items():
            column = offres.c[column_name]
            table = referentiel_tables[referentiel]
            select = (
                sa.select(column)
                .distinct()
                .where(
                    column.is_not(None),
                    ~sa.select(table.c.code).where(table.c.code == column).exists(),
                )
                .order_by(column)
                .limit(limit)
            )
            unmatched[column_name] = list(connection.execute(select).scalars())
    return unmatched
