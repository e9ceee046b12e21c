"""La Bonne Boîte: the establishments likely to hire, per département.

Analysts ask "who may hire for the jobs offered here": so one partition per
département, searching the ROME codes of that département's open offers in the
warehouse. Each partition is a run of its own, replaced as a whole, and every run shares
La Bonne Boîte's quota (two requests per second) through the request budget.
"""

from dagster import (
    AllPartitionMapping,
    AssetDep,
    AssetExecutionContext,
    BackfillPolicy,
    Config,
    MaterializeResult,
    MetadataValue,
    asset,
)

from assets.departements import departements_partitions
from assets.loads import (
    DEFAULT_MAX_PAGES_PER_SEARCH,
    DEFAULT_MAX_ROME_CODES,
    DEFAULT_ROME_CODES_PER_SEARCH,
    load_labonneboite_departement,
)
from assets.offres import offres, request_metadata
from assets.outcomes import TRANSIENT_RETRY_POLICY
from assets.resources import (
    FranceTravailResource,
    WarehouseResource,
    client_and_engine,
)

LABONNEBOITE_GROUP = "labonneboite"
# Partitions talking to La Bonne Boîte at once take a slot of this pool each.
LABONNEBOITE_API_POOL = "francetravail_labonneboite_api"


class LaBonneBoiteConfig(Config):
    """The bounds of one département's load (see `load_labonneboite_departement`)."""

    max_rome_codes: int = DEFAULT_MAX_ROME_CODES
    rome_codes_per_search: int = DEFAULT_ROME_CODES_PER_SEARCH
    max_pages_per_search: int = DEFAULT_MAX_PAGES_PER_SEARCH


@asset(
    partitions_def=departements_partitions,
    # The ROME codes searched are those of the open offers, whatever day they were
    # created on: every partition of `offres` feeds every département.
    deps=[AssetDep(offres, partition_mapping=AllPartitionMapping())],
    backfill_policy=BackfillPolicy.multi_run(max_partitions_per_run=1),
    pool=LABONNEBOITE_API_POOL,
    retry_policy=TRANSIENT_RETRY_POLICY,
    group_name=LABONNEBOITE_GROUP,
    kinds={"python", "sql"},
)
def labonneboite_entreprises(
    context: AssetExecutionContext,
    config: LaBonneBoiteConfig,
    francetravail: FranceTravailResource,
    warehouse: WarehouseResource,
) -> MaterializeResult:
    """One row per (establishment, ROME code) La Bonne Boîte expects to hire in the
    partition's département, for the ROME codes of the département's open offers.

    The codes are the `max_rome_codes` most frequent among the open offers
    (`offres.closed_at` empty) located in the département; they are searched
    `rome_codes_per_search` at a time, and each search is read for at most
    `max_pages_per_search` pages of 100, best hiring potential first. So a partition
    costs at most 100 requests (50 s at the API's quota) with the defaults, however
    large the département; one without open offers costs none and ends empty. The
    département's rows are replaced in one transaction: a partition loaded twice
    holds the same rows.

    API La Bonne Boîte v2.
    """
    departement = context.partition_key

    with client_and_engine(francetravail, warehouse) as (client, engine):
        load = load_labonneboite_departement(
            client,
            engine,
            departement,
            max_rome_codes=config.max_rome_codes,
            rome_codes_per_search=config.rome_codes_per_search,
            max_pages_per_search=config.max_pages_per_search,
            store_contacts=warehouse.store_contacts,
        )
        stats = client.stats.snapshot()

    result = load.result
    context.log.info(
        "La Bonne Boîte %s: %d establishments (%d before) for %d ROME codes in %d "
        "searches",
        departement,
        result.rows,
        result.previous_rows,
        len(load.rome_codes),
        load.searches,
    )
    if load.rome_codes_left_out or load.searches_cut:
        context.log.warning(
            "La Bonne Boîte %s: %d ROME codes left out, %d searches cut at the page "
            "limit",
            departement,
            load.rome_codes_left_out,
            load.searches_cut,
        )
    return MaterializeResult(
        metadata={
            "rows": result.rows,
            "previous_rows": result.previous_rows,
            "rome_codes": len(load.rome_codes),
            "rome_codes_searched": MetadataValue.text(" ".join(load.rome_codes)),
            "rome_codes_left_out": load.rome_codes_left_out,
            "searches": load.searches,
            "searches_cut": load.searches_cut,
            **request_metadata(stats),
        }
    )
