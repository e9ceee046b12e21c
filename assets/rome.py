"""The ROME 4.0 nomenclature, refreshed weekly: métiers, appellations, compétences,
fiches métiers and contextes de travail.

ROME 4.0 is four APIs, each with its own scope and a quota of one request per second.
Each asset reads from one of them only and is a step of its own, so the four quotas
are spent in parallel, and an API the application is not subscribed to fails its own
assets and no other.

Joins to the offers: `rome_metiers.code = offres.rome_code`,
`rome_competences.code = offres_competences.code`, and
`rome_fiches_metiers_competences` links the two (a ROME code to the compétences its
fiche lists).
"""

from collections.abc import Callable
from typing import TypeVar

from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from assets.loads import (
    refresh_rome_appellations,
    refresh_rome_competences,
    refresh_rome_contextes_travail,
    refresh_rome_fiches_metiers,
    refresh_rome_metiers,
)
from assets.offres import request_metadata
from assets.outcomes import TRANSIENT_RETRY_POLICY
from assets.resources import (
    FranceTravailResource,
    WarehouseResource,
    client_and_engine,
)
from pipelines.francetravail import FranceTravailClient

ROME_GROUP = "rome"

_T = TypeVar("_T")


def _refresh(
    francetravail: FranceTravailResource,
    warehouse: WarehouseResource,
    refresh: Callable[..., _T],
) -> tuple[_T, dict]:
    """Run one refresh with a client and an engine; its result and request counts."""
    with client_and_engine(francetravail, warehouse) as (client, engine):
        result = refresh(client, engine)
        stats = _stats(client)
    return result, stats


def _stats(client: FranceTravailClient) -> dict:
    return request_metadata(client.stats.snapshot())


def _missing_metadata(codes: list[str]) -> dict:
    return {
        "details_missing": len(codes),
        "details_missing_codes": MetadataValue.text(", ".join(codes[:50]) or "none"),
    }


@asset(
    group_name=ROME_GROUP,
    kinds={"python", "sql"},
    retry_policy=TRANSIENT_RETRY_POLICY,
)
def rome_metiers(
    context: AssetExecutionContext,
    francetravail: FranceTravailResource,
    warehouse: WarehouseResource,
) -> MaterializeResult:
    """One row per ROME métier (joins `offres.rome_code`), with its domain and
    definition; `rome_metiers_contextes_travail` lists its working contexts.

    API ROME 4.0 - Métiers: the list, then one request per métier for its detail, at
    one request per second (about half an hour for the 1,900 métiers).
    """
    load, stats = _refresh(francetravail, warehouse, refresh_rome_metiers)

    context.log.info(
        "ROME métiers: %d rows, %d contexts, %d without detail",
        load.result.metiers,
        load.result.contextes,
        len(load.details_missing),
    )
    return MaterializeResult(
        metadata={
            "rows": load.result.metiers,
            "contextes_rows": load.result.contextes,
            **_missing_metadata(load.details_missing),
            **stats,
        }
    )


@asset(
    group_name=ROME_GROUP,
    kinds={"python", "sql"},
    retry_policy=TRANSIENT_RETRY_POLICY,
)
def rome_appellations(
    context: AssetExecutionContext,
    francetravail: FranceTravailResource,
    warehouse: WarehouseResource,
) -> MaterializeResult:
    """One row per ROME appellation (job title), with its métier
    (`metier_code = offres.rome_code`).

    API ROME 4.0 - Métiers: one request for the whole list.
    """
    rows, stats = _refresh(francetravail, warehouse, refresh_rome_appellations)

    context.log.info("ROME appellations: %d rows", rows)
    return MaterializeResult(metadata={"rows": rows, **stats})


@asset(
    group_name=ROME_GROUP,
    kinds={"python", "sql"},
    retry_policy=TRANSIENT_RETRY_POLICY,
)
def rome_competences(
    context: AssetExecutionContext,
    francetravail: FranceTravailResource,
    warehouse: WarehouseResource,
) -> MaterializeResult:
    """One row per ROME compétence: know-how, soft skill or knowledge (joins
    `offres_competences.code`).

    API ROME 4.0 - Compétences: one request for the whole list.
    """
    rows, stats = _refresh(francetravail, warehouse, refresh_rome_competences)

    context.log.info("ROME compétences: %d rows", rows)
    return MaterializeResult(metadata={"rows": rows, **stats})


@asset(
    group_name=ROME_GROUP,
    kinds={"python", "sql"},
    retry_policy=TRANSIENT_RETRY_POLICY,
)
def rome_fiches_metiers(
    context: AssetExecutionContext,
    francetravail: FranceTravailResource,
    warehouse: WarehouseResource,
) -> MaterializeResult:
    """One row per fiche métier (one per ROME code); `rome_fiches_metiers_competences`
    lists the compétences of each, by enjeu and knowledge category.

    API ROME 4.0 - Fiches métiers: the list, then one request per fiche for its
    content, at one request per second (about half an hour, in parallel with the
    métiers, whose quota is separate).
    """
    load, stats = _refresh(francetravail, warehouse, refresh_rome_fiches_metiers)

    context.log.info(
        "ROME fiches métiers: %d rows listing %d compétences, %d without detail",
        load.result.fiches,
        load.result.competences,
        len(load.details_missing),
    )
    return MaterializeResult(
        metadata={
            "rows": load.result.fiches,
            "competences_rows": load.result.competences,
            **_missing_metadata(load.details_missing),
            **stats,
        }
    )


@asset(
    group_name=ROME_GROUP,
    kinds={"python", "sql"},
    retry_policy=TRANSIENT_RETRY_POLICY,
)
def rome_contextes_travail(
    context: AssetExecutionContext,
    francetravail: FranceTravailResource,
    warehouse: WarehouseResource,
) -> MaterializeResult:
    """One row per ROME working context (hours, conditions, places).

    API ROME 4.0 - Contextes de travail: one request for the whole list.
    """
    rows, stats = _refresh(francetravail, warehouse, refresh_rome_contextes_travail)

    context.log.info("ROME contextes de travail: %d rows", rows)
    return MaterializeResult(metadata={"rows": rows, **stats})


rome_assets = [
    rome_metiers,
    rome_appellations,
    rome_competences,
    rome_fiches_metiers,
    rome_contextes_travail,
]
