"""Référentiel des agences: the France Travail agencies, refreshed weekly."""

from dagster import AssetExecutionContext, MaterializeResult, asset

from assets.loads import refresh_agences
from assets.offres import request_metadata
from assets.outcomes import TRANSIENT_RETRY_POLICY
from assets.resources import (
    FranceTravailResource,
    WarehouseResource,
    client_and_engine,
)

AGENCES_GROUP = "agences"


@asset(
    group_name=AGENCES_GROUP,
    kinds={"python", "sql"},
    retry_policy=TRANSIENT_RETRY_POLICY,
)
def agences(
    context: AssetExecutionContext,
    francetravail: FranceTravailResource,
    warehouse: WarehouseResource,
) -> MaterializeResult:
    """One row per agency, with its address and département; the communes each one
    serves are in `agences_zones_competence` (joins `offres.lieu_travail_commune`).

    One request brings every agency with its opening hours and served communes. The
    agency's phone number and e-mail are stored only when the warehouse resource's
    `store_contacts` is set.

    API Référentiel des agences.
    """
    with client_and_engine(francetravail, warehouse) as (client, engine):
        result = refresh_agences(
            client, engine, store_contacts=warehouse.store_contacts
        )
        stats = client.stats.snapshot()

    context.log.info(
        "agences: %d rows serving %d communes", result.agences, result.communes_servies
    )
    return MaterializeResult(
        metadata={
            "rows": result.agences,
            "communes_servies_rows": result.communes_servies,
            **request_metadata(stats),
        }
    )
