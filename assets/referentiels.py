"""The offers API's référentiels: one asset per code list, refreshed weekly.

Each asset replaces its table as a whole, so every code in `offres` can be joined to its
label (`referentiel_types_contrats.code = offres.type_contrat`, ...). They are computed
together by one step, which takes one token and one request per list; any subset can be
refreshed on its own.
"""

import re
from collections.abc import Iterator

from dagster import (
    AssetExecutionContext,
    AssetSpec,
    MaterializeResult,
    multi_asset,
)

from assets.loads import refresh_referentiels
from assets.outcomes import TRANSIENT_RETRY_POLICY
from assets.resources import (
    FranceTravailResource,
    WarehouseResource,
    client_and_engine,
)
from pipelines.francetravail import REFERENTIELS

REFERENTIELS_GROUP = "referentiels"


def referentiel_asset_name(name: str) -> str:
    """`typesContrats` -> `referentiel_types_contrats`."""
    return "referentiel_" + re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


ASSET_NAMES = {referentiel_asset_name(name): name for name in REFERENTIELS}


@multi_asset(
    specs=[
        AssetSpec(
            asset_name,
            group_name=REFERENTIELS_GROUP,
            kinds={"python", "sql"},
            description=(
                f"The référentiel `{name}` of the offers API: one row per code with "
                "its label. Replaced as a whole at each refresh."
            ),
            skippable=True,
        )
        for asset_name, name in ASSET_NAMES.items()
    ],
    can_subset=True,
    retry_policy=TRANSIENT_RETRY_POLICY,
)
def referentiels(
    context: AssetExecutionContext,
    francetravail: FranceTravailResource,
    warehouse: WarehouseResource,
) -> Iterator[MaterializeResult]:
    selected = [
        ASSET_NAMES[key.path[-1]] for key in sorted(context.selected_asset_keys)
    ]
    with client_and_engine(francetravail, warehouse) as (client, engine):
        for name, rows in refresh_referentiels(client, engine, selected):
            context.log.info("référentiel %s: %d rows", name, rows)
            yield MaterializeResult(
                asset_key=referentiel_asset_name(name), metadata={"rows": rows}
            )
