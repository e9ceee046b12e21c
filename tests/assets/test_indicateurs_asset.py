"""`offres_indicateurs_jour`: computed from `offres`, and requested by automation for
every day whose offers were (re)loaded, old days included."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from dagster import (
    AssetKey,
    AssetMaterialization,
    AutomationCondition,
    DagsterInstance,
    Definitions,
    asset,
    evaluate_automation_conditions,
    materialize,
)

from assets.indicateurs import offres_indicateurs_jour
from assets.offres import offres
from assets.partitions import offres_days
from assets.resources import FranceTravailResource, WarehouseResource

from .conftest import DAY_VOLUMES, EMPTY_DAY, LOADED_DAY

INDICATEURS = AssetKey("offres_indicateurs_jour")
# A day long before the latest partition, as a backfill would reload.
OLD_DAY = "2025-02-03"


def partition_metadata(result, partition: str) -> dict:
    [materialization] = [
        m
        for m in result.asset_materializations_for_node("offres_indicateurs_jour")
        if m.partition == partition
    ]
    return {key: value.value for key, value in materialization.metadata.items()}


def indicator_totals(database_url: str) -> dict[str, int]:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT jour_creation, sum(nb_offres) FROM offres_indicateurs_jour "
                    "GROUP BY jour_creation ORDER BY jour_creation"
                )
            ).all()
    finally:
        engine.dispose()
    return {str(day): int(total) for day, total in rows}


def distinct_combinations(database_url: str, day: date) -> int:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(
                sa.text(
                    "SELECT count(*) FROM (SELECT DISTINCT lieu_travail_departement, "
                    "rome_code, type_contrat FROM offres "
                    "WHERE jour_creation = :day) AS combinations"
                ),
                {"day": day},
            ).scalar_one()
    finally:
        engine.dispose()


def test_indicators_of_a_range_of_days_in_one_run(resources, database_url):
    days = [date(2026, 11, 17), LOADED_DAY, date(2026, 11, 19)]
    for day in days:
        materialize([offres], partition_key=day.isoformat(), resources=resources)

    result = materialize(
        [offres, offres_indicateurs_jour],
        selection=[offres_indicateurs_jour],
        resources=resources,
        # How Dagster names a run over a range of partitions.
        tags={
            "dagster/asset_partition_range_start": "2026-11-17",
            "dagster/asset_partition_range_end": "2026-11-19",
        },
    )

    assert result.success
    assert indicator_totals(database_url) == {
        day.isoformat(): DAY_VOLUMES[day] for day in days
    }
    materialized = result.asset_materializations_for_node("offres_indicateurs_jour")
    assert sorted(m.partition for m in materialized) == [d.isoformat() for d in days]
    metadata = partition_metadata(result, "2026-11-18")
    assert metadata["offres"] == 353
    assert metadata["rows"] == distinct_combinations(database_url, LOADED_DAY)
    assert metadata["preview"].startswith("| département | ROME | contrat |")
    assert partition_metadata(result, "2026-11-17")["offres"] == 200


def test_a_day_without_offers_has_an_empty_preview(resources, database_url):
    result = materialize(
        [offres, offres_indicateurs_jour],
        selection=[offres_indicateurs_jour],
        partition_key=EMPTY_DAY.isoformat(),
        resources=resources,
    )

    metadata = partition_metadata(result, EMPTY_DAY.isoformat())
    assert (metadata["rows"], metadata["offres"]) == (0, 0)
    assert metadata["preview"] == "No offer was created on this day."
    assert indicator_totals(database_url) == {}


def requested(result) -> list[str]:
    [asset_result] = [r for r in result.results if r.key == INDICATEURS]
    return sorted(asset_result.true_subset.expensively_compute_partition_keys())


def automation_defs(*assets) -> Definitions:
    """The assets with resources that are never opened: conditions only read the
    instance (and the addresses are this machine's discard port anyway)."""
    nowhere = "http://127.0.0.1:9"
    return Definitions(
        assets=assets,
        resources={
            "francetravail": FranceTravailResource(token_url=nowhere, api_url=nowhere),
            "warehouse": WarehouseResource(database_url="sqlite://"),
        },
    )


def test_automation_requests_every_reloaded_day_not_only_the_latest():
    """A backfilled old day is refreshed too, which `eager()` would not do."""
    instance = DagsterInstance.ephemeral()
    latest = offres_days.get_last_partition_key()
    defs = automation_defs(offres, offres_indicateurs_jour)
    first = evaluate_automation_conditions(defs=defs, instance=instance)
    for partition in (OLD_DAY, latest):
        instance.report_runless_asset_event(
            AssetMaterialization(asset_key="offres", partition=partition)
        )

    second = evaluate_automation_conditions(
        defs=defs, instance=instance, cursor=first.cursor
    )
    third = evaluate_automation_conditions(
        defs=defs, instance=instance, cursor=second.cursor
    )

    assert first.total_requested == 0
    assert requested(second) == sorted([OLD_DAY, latest])
    # Requested once: the next tick does not ask again.
    assert third.total_requested == 0


def test_eager_alone_would_miss_the_backfilled_day():
    """Why the asset has a condition of its own: eager() sees only the latest day."""

    @asset(
        name="offres_indicateurs_jour",
        partitions_def=offres_days,
        deps=[offres],
        automation_condition=AutomationCondition.eager(),
    )
    def eager_indicateurs() -> None: ...

    instance = DagsterInstance.ephemeral()
    defs = automation_defs(offres, eager_indicateurs)
    first = evaluate_automation_conditions(defs=defs, instance=instance)
    instance.report_runless_asset_event(
        AssetMaterialization(asset_key="offres", partition=OLD_DAY)
    )

    second = evaluate_automation_conditions(
        defs=defs, instance=instance, cursor=first.cursor
    )

    assert second.total_requested == 0


def test_days_loaded_before_the_first_evaluation_are_caught_up_once():
    """Deployed on a warehouse that already holds days, the asset computes the days
    that lack indicators, once."""
    instance = DagsterInstance.ephemeral()
    defs = automation_defs(offres, offres_indicateurs_jour)
    for partition in ("2025-02-03", "2025-02-04"):
        instance.report_runless_asset_event(
            AssetMaterialization(asset_key="offres", partition=partition)
        )
    instance.report_runless_asset_event(
        AssetMaterialization(
            asset_key="offres_indicateurs_jour", partition="2025-02-04"
        )
    )

    first = evaluate_automation_conditions(defs=defs, instance=instance)
    second = evaluate_automation_conditions(
        defs=defs, instance=instance, cursor=first.cursor
    )

    assert requested(first) == ["2025-02-03"]
    assert second.total_requested == 0
