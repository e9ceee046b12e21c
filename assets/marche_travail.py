"""Marché du travail: offer and job-seeker indicators per département, refreshed
weekly."""

from dagster import AssetExecutionContext, MaterializeResult, asset

from assets.departements import DEPARTEMENTS
from assets.loads import MARCHE_TRAVAIL_INDICATEURS, refresh_marche_travail
from assets.offres import request_metadata
from assets.outcomes import TRANSIENT_RETRY_POLICY
from assets.resources import (
    FranceTravailResource,
    WarehouseResource,
    client_and_engine,
)

MARCHE_TRAVAIL_GROUP = "marche_travail"


@asset(
    group_name=MARCHE_TRAVAIL_GROUP,
    kinds={"python", "sql"},
    retry_policy=TRANSIENT_RETRY_POLICY,
)
def marche_travail_indicateurs(
    context: AssetExecutionContext,
    francetravail: FranceTravailResource,
    warehouse: WarehouseResource,
) -> MaterializeResult:
    """One row per indicator value: offers registered (`stat-offres`) and job seekers
    (`stat-demandeurs`) per département and quarter, all jobs together, with their
    breakdowns (contract type, job-seeker category) in
    `marche_travail_caracteristiques`. `code_territoire` joins
    `offres.lieu_travail_departement`.

    The request set is the smallest that answers "how many offers and job seekers
    here, and how it moves": one POST per indicator and département (202 requests, 20
    s at the API's quota). Each asks the full quarterly history at once
    (`dernierePeriode` false), so a weekly run picks up a new quarter and the
    revisions of recent ones without asking period by period. National and regional
    figures are sums of départements, so they are not asked; per-ROME figures would
    multiply the requests by the 1,900 ROME codes and are left to targeted queries.
    Values of periods the API stops serving stay as history.

    API Marché du travail.
    """
    with client_and_engine(francetravail, warehouse) as (client, engine):
        load = refresh_marche_travail(client, engine, DEPARTEMENTS)
        stats = client.stats.snapshot()

    result = load.result
    context.log.info(
        "Marché du travail: %d values, %d breakdowns from %d queries",
        result.indicateurs,
        result.caracteristiques,
        load.queries,
    )
    return MaterializeResult(
        metadata={
            "rows": result.indicateurs,
            "caracteristiques_rows": result.caracteristiques,
            "values_skipped": result.skipped,
            "queries": load.queries,
            "indicateurs": ", ".join(MARCHE_TRAVAIL_INDICATEURS),
            "departements": len(DEPARTEMENTS),
            **request_metadata(stats),
        }
    )
