"""The job-offer assets: each Paris day's new offers, and the open stock's sweep."""

from datetime import date, datetime, timedelta

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    BackfillPolicy,
    Config,
    MaterializeResult,
    MetadataValue,
    asset,
)

from assets.loads import DayLoad, load_day, sweep_stock
from assets.outcomes import TRANSIENT_RETRY_POLICY
from assets.partitions import offres_days
from assets.resources import (
    FranceTravailResource,
    WarehouseResource,
    client_and_engine,
)
from pipelines.calendar import PARIS, parse_api_datetime, parse_partition_key
from pipelines.francetravail import CoverageReport

# Every partition of `offres` takes one slot of this pool while it talks to the API.
OFFRES_API_POOL = "francetravail_offres_api"


@asset(
    partitions_def=offres_days,
    # One run per day: a failed day fails alone and is retried alone, and each run
    # holds SQLite's single writer only for its own final transaction. Runs in
    # parallel share one request budget, so the quota holds however many run at once;
    # the pool and the run queue bound how many that is.
    backfill_policy=BackfillPolicy.multi_run(max_partitions_per_run=1),
    pool=OFFRES_API_POOL,
    retry_policy=TRANSIENT_RETRY_POLICY,
    group_name="offres_emploi",
    kinds={"python", "sql"},
    check_specs=[
        AssetCheckSpec(
            "ids_unique",
            asset="offres",
            description="Every offer fetched for the day landed exactly once.",
        ),
        AssetCheckSpec(
            "coverage",
            asset="offres",
            description="The offers fetched add up to the totals the API announced.",
        ),
    ],
)
def offres(
    context: AssetExecutionContext,
    francetravail: FranceTravailResource,
    warehouse: WarehouseResource,
) -> MaterializeResult:
    """One row per job offer created on the partition's day, in Europe/Paris time.

    The API filters creation dates in UTC, so the request window is padded around the
    Paris day and only offers whose `dateCreation` falls on that day are kept. Windows
    over the API's 3,150-result cap are split until every offer is reachable.
    """
    day = parse_partition_key(context.partition_key)

    with client_and_engine(francetravail, warehouse) as (client, engine):
        load = load_day(
            client,
            engine,
            day,
            range_cap=francetravail.range_cap,
            store_contacts=warehouse.store_contacts,
        )
        stats = client.stats.snapshot()

    result = load.result
    context.log.info(
        "offres %s: %d inserted, %d updated, %d unchanged in %d requests",
        day,
        result.inserted,
        result.updated,
        result.unchanged,
        stats["requests"],
    )
    return MaterializeResult(
        metadata={
            "rows_inserted": result.inserted,
            "rows_updated": result.updated,
            "rows_unchanged": result.unchanged,
            "rows_in_partition": result.rows_in_partition,
            "schema_drift": MetadataValue.json(sorted(result.drift)),
            **coverage_metadata(load.report),
            **request_metadata(stats),
            "attempt": context.retry_number + 1,
            "database": warehouse.redacted_url(),
            "preview": MetadataValue.md(preview_markdown(load.preview)),
        },
        check_results=[_ids_unique_check(load), _coverage_check(load.report)],
    )


class StockSweepConfig(Config):
    """How far back the sweep looks, in Paris days of creation ending yesterday."""

    days: int = 31


@asset(
    deps=[offres],
    pool=OFFRES_API_POOL,
    retry_policy=TRANSIENT_RETRY_POLICY,
    group_name="offres_emploi",
    kinds={"python", "sql"},
)
def offres_stock(
    context: AssetExecutionContext,
    config: StockSweepConfig,
    francetravail: FranceTravailResource,
    warehouse: WarehouseResource,
) -> MaterializeResult:
    """The open stock re-read: updated offers refreshed, withdrawn offers closed.

    The API filters only on creation dates, so a nightly load never sees an offer that
    changed or closed later. This sweep reads every offer still served over the last
    `days` creation days: an offer whose `dateActualisation` moved is updated (its
    previous version goes to `offres_history`), and an open offer no longer served is
    closed, on proof only: missing from a window the API served in full, or answered
    204 by `GET /offres/{id}`.
    """
    until = _paris_today() - timedelta(days=1)
    since = until - timedelta(days=config.days - 1)

    with client_and_engine(francetravail, warehouse) as (client, engine):
        sweep = sweep_stock(
            client,
            engine,
            since,
            until,
            range_cap=francetravail.range_cap,
            store_contacts=warehouse.store_contacts,
        )
        stats = client.stats.snapshot()

    result = sweep.result
    context.log.info(
        "stock %s..%s: %d updated, %d closed, %d reopened, %d still open",
        since,
        until,
        result.updated,
        result.closed,
        result.reopened,
        result.still_open,
    )
    return MaterializeResult(
        metadata={
            "span": f"{since}..{until}",
            "rows_inserted": result.inserted,
            "rows_updated": result.updated,
            "rows_closed": result.closed,
            "rows_reopened": result.reopened,
            "still_open": result.still_open,
            "listing_complete": sweep.complete,
            "closed_by_lookup": sweep.closed_by_lookup,
            **coverage_metadata(sweep.report),
            **request_metadata(stats),
            "attempt": context.retry_number + 1,
        }
    )


def coverage_metadata(report: CoverageReport) -> dict:
    return {
        "offers_expected": report.expected,
        "offers_fetched": report.unique,
        "windows_split": report.splits,
        "leaf_windows": report.leaves,
    }


def request_metadata(stats: dict) -> dict:
    return {
        "requests": int(stats["requests"]),
        "responses_429": int(stats["responses_429"]),
        "retries": int(stats["retries"]),
        "seconds_waited": round(stats["seconds_waited"], 3),
        "seconds_paced": round(stats["seconds_paced"], 3),
        "token_refreshes": int(stats["token_refreshes"]),
    }


def preview_markdown(offers: list[dict]) -> str:
    """A short Markdown table of the first offers, for the asset page.

    It runs after the load has committed, so it reads the offers defensively: a field
    of an unexpected shape shows as empty rather than failing the step.
    """
    if not offers:
        return "No offer was created on this day."
    lines = [
        "| id | intitulé | lieu | contrat | créée (Paris) |",
        "|---|---|---|---|---|",
    ]
    for offre in offers:
        place = offre.get("lieuTravail")
        cells = [
            offre.get("id"),
            offre.get("intitule"),
            place.get("libelle") if isinstance(place, dict) else None,
            offre.get("typeContrat"),
            _paris_minute(offre.get("dateCreation")),
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def _cell(value: object) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).replace("|", "/").replace("\n", " ")[:80]


def _paris_minute(value: object) -> str:
    try:
        return f"{parse_api_datetime(str(value)).astimezone(PARIS):%Y-%m-%d %H:%M}"
    except (ValueError, OverflowError):
        return ""


def _ids_unique_check(load: DayLoad) -> AssetCheckResult:
    landed = load.result.inserted + load.result.updated + load.result.unchanged
    fetched = load.report.unique_in(load.day)
    return AssetCheckResult(
        check_name="ids_unique",
        passed=landed == fetched,
        metadata={"landed": landed, "unique_ids_fetched": fetched},
    )


def _coverage_check(report: CoverageReport) -> AssetCheckResult:
    shortfall = max(report.expected - report.unique, 0)
    return AssetCheckResult(
        check_name="coverage",
        # A shortfall past the client's tolerance already failed the load; a smaller
        # one (offers withdrawn during the read) is worth a warning.
        passed=report.complete,
        severity=AssetCheckSeverity.WARN,
        metadata={
            "expected": report.expected,
            "fetched": report.unique,
            "shortfall": shortfall,
        },
    )


def _paris_today() -> date:
    return datetime.now(PARIS).date()
