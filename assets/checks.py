"""Asset checks that run on their own, outside a materialization.

The per-partition checks (ids landed once, coverage) are reported by the `offres` asset
itself, from what it fetched; the checks here look at the whole warehouse or at the
Dagster instance.
"""

from datetime import datetime, timedelta

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetKey,
    asset_check,
)

from assets.offres import offres
from assets.referentiels import ASSET_NAMES
from assets.resources import WarehouseResource
from pipelines.calendar import PARIS
from pipelines.warehouse.quality import unmatched_codes


@asset_check(
    asset=offres,
    name="codes_join_referentiels",
    description=(
        "Every code used by an offer (contract type, département, commune, ROME, "
        "NAF...) is found in its référentiel."
    ),
    additional_deps=[AssetKey(name) for name in ASSET_NAMES],
)
def codes_join_referentiels(warehouse: WarehouseResource) -> AssetCheckResult:
    with warehouse.open_engine() as engine:
        unmatched = unmatched_codes(engine)
    return AssetCheckResult(
        passed=not any(unmatched.values()),
        severity=AssetCheckSeverity.WARN,
        metadata={
            column: ", ".join(codes[:20]) or "all found"
            for column, codes in unmatched.items()
        },
    )


@asset_check(
    asset=offres,
    name="yesterday_loaded",
    description="Yesterday's partition (Paris time) has been materialized.",
)
def yesterday_loaded(context: AssetCheckExecutionContext) -> AssetCheckResult:
    yesterday = (datetime.now(PARIS).date() - timedelta(days=1)).isoformat()
    materialized = context.instance.get_materialized_partitions(AssetKey("offres"))
    # A warning, not an error: the check also runs after each backfilled day, before
    # the nightly run has loaded yesterday.
    return AssetCheckResult(
        passed=yesterday in materialized,
        severity=AssetCheckSeverity.WARN,
        metadata={"partition": yesterday},
    )


asset_checks = [codes_join_referentiels, yesterday_loaded]
