"""Load the ROME 4.0 nomenclature: métiers, appellations, compétences, fiches métiers
and contextes de travail.

Each list is small and read whole, so each load replaces its tables in one transaction
(with their child tables): readers never see half a nomenclature. Items without a code
are skipped and a code given twice keeps its last item; both are logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from pipelines.warehouse.api_items import bool_at, list_at, text_at
from pipelines.warehouse.partner_schema import (
    rome_appellations,
    rome_competences,
    rome_contextes_travail,
    rome_fiches_metiers,
    rome_fiches_metiers_competences,
    rome_metiers,
    rome_metiers_contextes_travail,
)
from pipelines.warehouse.replace import keyed_by, replace_tables
from pipelines.warehouse.storable import storable_json

logger = logging.getLogger(__name__)

Item = dict[str, Any]


@dataclass(frozen=True)
class RomeMetiersResult:
    """Rows now in `rome_metiers` and `rome_metiers_contextes_travail`."""

    metiers: int
    contextes: int


@dataclass(frozen=True)
class RomeFichesResult:
    """Rows now in `rome_fiches_metiers` and `rome_fiches_metiers_competences`."""

    fiches: int
    competences: int


def load_rome_metiers(engine: sa.Engine, metiers: list[Item]) -> RomeMetiersResult:
    """Replace the métiers and their working contexts.

    Args:
        metiers: métier details (``GET /metiers/metier/{code}``); a list item
            (``{code, libelle}``) is accepted for a métier whose detail is missing.
    """
    by_code = _by_code(metiers, "métiers")
    rows, contextes = [], []
    for code, item in by_code.items():
        rows.append(
            {
                "code": code,
                "libelle": text_at(item, "libelle"),
                "definition": text_at(item, "definition"),
                "acces_emploi": text_at(item, "accesEmploi"),
                "riasec_majeur": text_at(item, "riasecMajeur"),
                "riasec_mineur": text_at(item, "riasecMineur"),
                "code_isco": text_at(item, "codeIsco"),
                "obsolete": bool_at(item, "obsolete"),
                "domaine_professionnel_code": text_at(
                    item, "domaineProfessionnel.code"
                ),
                "domaine_professionnel_libelle": text_at(
                    item, "domaineProfessionnel.libelle"
                ),
                "grand_domaine_code": text_at(
                    item, "domaineProfessionnel.grandDomaine.code"
                ),
                "grand_domaine_libelle": text_at(
                    item, "domaineProfessionnel.grandDomaine.libelle"
                ),
                "raw": storable_json(item),
            }
        )
        for rang, contexte in enumerate(list_at(item, "contextesTravail"), start=1):
            contextes.append(
                {
                    "metier_code": code,
                    "rang": rang,
                    "contexte_code": text_at(contexte, "code"),
                    "libelle": text_at(contexte, "libelle"),
                    "categorie": text_at(contexte, "categorie"),
                }
            )

    counts = replace_tables(
        engine, {rome_metiers: rows, rome_metiers_contextes_travail: contextes}
    )
    logger.info("loaded ROME métiers: %d, with %d contexts", len(rows), len(contextes))
    return RomeMetiersResult(
        metiers=counts[rome_metiers.name],
        contextes=counts[rome_metiers_contextes_travail.name],
    )


def load_rome_appellations(engine: sa.Engine, appellations: list[Item]) -> int:
    """Replace the appellations (``GET /metiers/appellation``); returns the rows."""
    rows = [
        {
            "code": code,
            "libelle": text_at(item, "libelle"),
            "libelle_court": text_at(item, "libelleCourt"),
            "metier_code": text_at(item, "metier.code"),
        }
        for code, item in _by_code(appellations, "appellations").items()
    ]
    return _replace_one(engine, rome_appellations, rows)


def load_rome_competences(engine: sa.Engine, competences: list[Item]) -> int:
    """Replace the compétences (``GET /competences/competence``); returns the rows."""
    rows = [
        {
            "code": code,
            "type": text_at(item, "type"),
            "libelle": text_at(item, "libelle"),
            "code_ogr": text_at(item, "codeOgr"),
        }
        for code, item in _by_code(competences, "compétences").items()
    ]
    return _replace_one(engine, rome_competences, rows)


def load_rome_contextes_travail(engine: sa.Engine, contextes: list[Item]) -> int:
    """Replace the contextes de travail; returns the rows."""
    rows = [
        {
            "code": code,
            "libelle": text_at(item, "libelle"),
            "categorie": text_at(item, "categorie"),
        }
        for code, item in _by_code(contextes, "contextes de travail").items()
    ]
    return _replace_one(engine, rome_contextes_travail, rows)


def load_rome_fiches_metiers(engine: sa.Engine, fiches: list[Item]) -> RomeFichesResult:
    """Replace the fiches métiers and the compétences each lists.

    Args:
        fiches: fiche details (``GET /fiches-rome/fiche-metier/{code}``); a list item
            is accepted for a fiche whose detail is missing (it then lists nothing).
    """
    rows, competences = [], []
    for code, fiche in _by_code(fiches, "fiches métiers").items():
        rows.append(
            {
                "code": code,
                "metier_code": text_at(fiche, "metier.code"),
                "metier_libelle": text_at(fiche, "metier.libelle"),
                "raw": storable_json(fiche),
            }
        )
        for rang, row in enumerate(_fiche_competences(fiche), start=1):
            competences.append({"fiche_code": code, "rang": rang, **row})

    counts = replace_tables(
        engine,
        {rome_fiches_metiers: rows, rome_fiches_metiers_competences: competences},
    )
    logger.info(
        "loaded ROME fiches métiers: %d, listing %d compétences",
        len(rows),
        len(competences),
    )
    return RomeFichesResult(
        fiches=counts[rome_fiches_metiers.name],
        competences=counts[rome_fiches_metiers_competences.name],
    )


# Where a fiche lists its compétences: (group list, group object, member list, label).
_FICHE_GROUPS = (
    ("groupesCompetencesMobilisees", "enjeu", "competences", "competences"),
    ("groupesSavoirs", "categorieSavoirs", "savoirs", "savoirs"),
)


def _fiche_competences(fiche: Item) -> list[dict[str, str | None]]:
    """The compétences of a fiche, know-how groups first, in the fiche's order."""
    rows = []
    for groups, group_key, members, label in _FICHE_GROUPS:
        for group in list_at(fiche, groups):
            for competence in list_at(group, members):
                rows.append(
                    {
                        "groupe": label,
                        "groupe_code": text_at(group, f"{group_key}.code"),
                        "groupe_libelle": text_at(group, f"{group_key}.libelle"),
                        "competence_code": text_at(competence, "code"),
                        "competence_type": text_at(competence, "type"),
                        "competence_libelle": text_at(competence, "libelle"),
                    }
                )
    return rows


def _by_code(items: list[Item], what: str) -> dict[str, Item]:
    by_code, dropped = keyed_by(items, "code")
    if dropped:
        logger.warning(
            "ROME %s: %d items without a code or with a repeated code", what, dropped
        )
    return by_code


def _replace_one(engine: sa.Engine, table: sa.Table, rows: list[dict]) -> int:
    count = replace_tables(engine, {table: rows})[table.name]
    logger.info("loaded %s: %d rows", table.name, count)
    return count
