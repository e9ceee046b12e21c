"""The daily indicators of new offers, kept in step with `offres` by automation.

`offres_indicateurs_jour` has the same Paris-day partitions as `offres`, and each of its
partitions reads only the same day of `offres`. Nobody schedules it: its automation
condition asks for a day as soon as that day of `offres` has been (re)materialized,
whether by the nightly schedule, a backfill of old days or a run launched by hand.
"""

from dagster import (
    AssetExecutionContext,
    AutomationCondition,
    BackfillPolicy,
    MaterializeResult,
    MetadataValue,
    asset,
)

from assets.offres import offres
from assets.outcomes import TRANSIENT_RETRY_POLICY, api_outcomes
from assets.partitions import offres_days
from assets.resources import WarehouseResource
from pipelines.calendar import parse_partition_key
from pipelines.warehouse.indicateurs import DayIndicateurs, refresh_indicateurs

# `AutomationCondition.eager()` would be the usual choice, but it starts with
# `in_latest_time_window()`: it only ever looks at the newest partition, so a backfill
# of last month would leave last month's indicators stale. This condition drops that
# restriction. Read clause by clause, a day is requested when:
# - its `offres` partition was materialized since this asset last requested or
#   computed that day (`since_last_handled` remembers it across evaluations, so an
#   update seen while the day could not run yet is not forgotten);
# - or, at the condition's first evaluation only, the day has offers but no indicators
#   yet: days loaded before this asset was deployed are caught up once, and a day that
#   failed later is not asked for again and again;
# - and in either case, that `offres` partition is neither missing nor being loaded
#   right now (a run in progress, or a backfill that has not reached it yet), and the
#   day of this asset is not already being computed.
UPSTREAM_DAY_UPDATED = (
    (
        AutomationCondition.any_deps_updated().since_last_handled()
        | (AutomationCondition.initial_evaluation() & AutomationCondition.missing())
    )
    & ~AutomationCondition.any_deps_missing()
    & ~AutomationCondition.any_deps_in_progress()
    & ~AutomationCondition.in_progress()
).with_label("offres day (re)loaded")

PREVIEW_ROWS = 5


@asset(
    partitions_def=offres_days,
    deps=[offres],
    automation_condition=UPSTREAM_DAY_UPDATED,
    # A day is one INSERT ... SELECT of a few milliseconds: starting a run costs far
    # more, so consecutive days asked for together are computed in one run (each day
    # still in its own short transaction, so loads in parallel are not held up).
    backfill_policy=BackfillPolicy.single_run(),
    # A lost database connection is retried with backoff; anything else fails once.
    retry_policy=TRANSIENT_RETRY_POLICY,
    group_name="offres_emploi",
    kinds={"sql"},
)
def offres_indicateurs_jour(
    context: AssetExecutionContext, warehouse: WarehouseResource
) -> MaterializeResult:
    """One row per Paris creation day, département, ROME code and contract type, with
    its number of offers (and how many came from partners or state a salary).

    A partition is recomputed as a whole from the same day of `offres`, so it always
    matches what that day's last load stored.
    """
    days = [parse_partition_key(key) for key in context.partition_keys]

    with api_outcomes(), warehouse.open_engine() as engine:
        for day in days:
            indicateurs = refresh_indicateurs(engine, day, top=PREVIEW_ROWS)
            context.add_asset_metadata(
                day_metadata(indicateurs), partition_key=day.isoformat()
            )
            context.log.info(
                "indicateurs %s: %d rows for %d offers",
                day,
                indicateurs.rows,
                indicateurs.offres,
            )

    return MaterializeResult(metadata={"database": warehouse.redacted_url()})


def day_metadata(indicateurs: DayIndicateurs) -> dict:
    """The materialization metadata of one day."""
    return {
        "rows": indicateurs.rows,
        "offres": indicateurs.offres,
        "departements": indicateurs.departements,
        "preview": MetadataValue.md(preview_markdown(indicateurs.top)),
    }


def preview_markdown(rows: list[dict]) -> str:
    """A short Markdown table of the day's largest rows, for the asset page."""
    if not rows:
        return "No offer was created on this day."
    lines = [
        "| département | ROME | contrat | offres | partenaires | avec salaire |",
        "|---|---|---|---:|---:|---:|",
    ]
    for row in rows:
        cells = [
            row["departement"] or "",
            row["rome_code"] or "",
            row["type_contrat"] or "",
            row["nb_offres"],
            row["nb_offres_partenaires"],
            row["nb_offres_avec_salaire"],
        ]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    return "\n".join(lines)
