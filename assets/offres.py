"""The job-offer assets: the nightly load of one Paris day, and the sweep of the open stock."""

from datetime import date, timedelta

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

from assets.outcomes import TRANSIENT_RETRY_POLICY, api_outcomes
from assets.partitions import offres_days
from assets.resources import FranceTravailResource, WarehouseResource
from pipelines.calendar import PARIS, TimeWindow, paris_day_window, parse_partition_key
from pipelines.francetravail import CoverageReport, OffresApi
from pipelines.francetravail.offres import created_on, request_window

# Offers withdrawn while a day is being read make the fetched count fall slightly short of
# the total announced at the start; beyond this share the coverage check fails.
COVERAGE_TOLERANCE = 0.005
# Every partition of `offres` takes one slot of this pool while it talks to the API.
OFFRES_API_POOL = "francetravail_offres_api"
PREVIEW_ROWS = 5


@asset(
    partitions_def=offres_days,
    # One run per day: a failed day fails alone and is retried alone, and each run holds
    # SQLite's single writer lock only for its own final transaction. Runs in parallel
    # share one request budget, so the quota holds however many run at once; the pool and
    # the run queue bound how many that is.
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
            description="Offers fetched match the totals the API announced.",
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
    Paris day and only offers whose `dateCreation` falls on that day are kept. Windows over
    the API's 3,150-result cap are split until every offer is reachable.
    """
    day = parse_partition_key(context.partition_key)

    with api_outcomes(), francetravail.open_client() as client:
        api = OffresApi(client, range_cap=francetravail.range_cap)
        fetched_records = 0
        preview: list[dict] = []
        with warehouse.offres_loader(day) as loader:
            for page in api.fetch_window(request_window(day)):
                kept = created_on(page, day)
                fetched_records += len(kept)
                preview.extend(kept[: PREVIEW_ROWS - len(preview)])
                loader.add(kept)
            result = loader.commit()
        report = api.last_report
        stats = client.stats.snapshot()

    landed = result.inserted + result.updated + result.unchanged
    context.log.info(
        "offres %s: %d inserted, %d updated, %d unchanged (%d requests)",
        day,
        result.inserted,
        result.updated,
        result.unchanged,
        stats["requests"],
    )
    return MaterializeResult(
        metadata={
            **_load_metadata(result),
            **_coverage_metadata(report),
            **_request_metadata(stats),
            "database": warehouse.redacted_url(),
            "preview": MetadataValue.md(_preview_markdown(preview)),
        },
        check_results=[
            AssetCheckResult(
                check_name="ids_unique",
                passed=landed == report.unique_in(day),
                metadata={"landed": landed, "unique_ids_fetched": report.unique_in(day)},
            ),
            _coverage_check(report),
        ],
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
    `days` creation days: an offer whose `dateActualisation` moved is updated (its previous
    version goes to the history table), and an open offer that is no longer served is
    closed. An offer is closed only on proof: missing from a window the API served in
    full, or answered 204 by `GET /offres/{id}`.
    """
    until = date.today() - timedelta(days=1)
    since = until - timedelta(days=config.days - 1)
    window = TimeWindow(paris_day_window(since).start, paris_day_window(until).end)

    with api_outcomes(), francetravail.open_client() as client:
        api = OffresApi(client, range_cap=francetravail.range_cap)
        with warehouse.stock_sweep(since, until) as sweep:
            for page in api.fetch_window(request_window(since, until)):
                sweep.add(
                    [offre for offre in page if _in_span(offre, window)],
                )
            report = api.last_report
            complete = report.complete
            gone: set[str] = set()
            if not complete:
                # Without a complete listing, absence proves nothing: ask for each one.
                for offer_id in sweep.unseen_open_ids():
                    if api.get_offer(offer_id) is None:
                        gone.add(offer_id)
            result = sweep.commit(gone_ids=gone, complete=complete)
        stats = client.stats.snapshot()

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
            "rows_updated": result.updated,
            "rows_closed": result.closed,
            "rows_reopened": result.reopened,
            "still_open": result.still_open,
            "listing_complete": complete,
            "closed_by_lookup": len(gone),
            **_coverage_metadata(report),
            **_request_metadata(stats),
        }
    )


def _in_span(offre: dict, window: TimeWindow) -> bool:
    from pipelines.calendar import parse_api_datetime

    created = offre.get("dateCreation")
    return created is not None and window.contains(parse_api_datetime(created))


def _load_metadata(result) -> dict:
    return {
        "rows_inserted": result.inserted,
        "rows_updated": result.updated,
        "rows_unchanged": result.unchanged,
        "rows_in_partition": result.rows_in_partition,
        "schema_drift": MetadataValue.json(sorted(result.drift)),
    }


def _coverage_metadata(report: CoverageReport) -> dict:
    return {
        "offers_expected": report.expected,
        "offers_fetched": report.unique,
        "windows_split": report.splits,
        "leaf_windows": report.leaves,
    }


def _request_metadata(stats: dict) -> dict:
    return {
        "requests": stats["requests"],
        "responses_429": stats["responses_429"],
        "retries": stats["retries"],
        "seconds_waited": round(stats["seconds_waited"], 3),
        "token_refreshes": stats["token_refreshes"],
    }


def _coverage_check(report: CoverageReport) -> AssetCheckResult:
    shortfall = max(report.expected - report.unique, 0)
    allowed = int(report.expected * COVERAGE_TOLERANCE)
    return AssetCheckResult(
        check_name="coverage",
        passed=shortfall <= allowed,
        severity=AssetCheckSeverity.ERROR,
        metadata={
            "expected": report.expected,
            "fetched": report.unique,
            "shortfall": shortfall,
            "allowed_shortfall": allowed,
        },
    )


def _preview_markdown(offers: list[dict]) -> str:
    if not offers:
        return "No offer created on this day."
    lines = ["| id | intitulé | lieu | contrat | créée (Paris) |", "|---|---|---|---|---|"]
    for offre in offers:
        from pipelines.calendar import parse_api_datetime

        created = parse_api_datetime(offre["dateCreation"]).astimezone(PARIS)
        lines.append(
            "| {id} | {title} | {place} | {contract} | {created:%Y-%m-%d %H:%M} |".format(
                id=offre.get("id", ""),
                title=str(offre.get("intitule", "")).replace("|", "/"),
                place=(offre.get("lieuTravail") or {}).get("libelle", ""),
                contract=offre.get("typeContrat", ""),
                created=created,
            )
        )
    return "\n".join(lines)
