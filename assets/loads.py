"""Reading the API into the warehouse: the one place where the client and the SQL meet.

The Dagster assets and the `ftpipe` command both call these functions, so a load run
by hand is the same load the schedule runs. Nothing here imports Dagster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from pipelines.calendar import TimeWindow, paris_day_window, parse_api_datetime
from pipelines.francetravail import (
    CoverageReport,
    FranceTravailClient,
    OffresApi,
    ReferentielsApi,
)
from pipelines.francetravail.offres import created_on, request_window
from pipelines.warehouse import (
    LoadResult,
    OffresLoader,
    StockSweep,
    SweepResult,
    load_referentiel,
)

PREVIEW_ROWS = 5

# Called after each page with the number of offers read so far.
Progress = Callable[[int], None]


@dataclass(frozen=True)
class DayLoad:
    """What loading one Paris day did."""

    day: date
    result: LoadResult
    report: CoverageReport
    preview: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class StockSweepLoad:
    """What one sweep of the open stock did."""

    since: date
    until: date
    result: SweepResult
    report: CoverageReport
    complete: bool
    closed_by_lookup: int


def load_day(
    client: FranceTravailClient,
    engine: sa.Engine,
    day: date,
    *,
    range_cap: int,
    store_contacts: bool = False,
    progress: Progress | None = None,
) -> DayLoad:
    """Load every offer created on one Paris day, in one transaction.

    The request window is padded around the day (see `request_window`); only offers
    whose `dateCreation` falls on the day are kept. Any error leaves the tables as
    they were.
    """
    api = OffresApi(client, range_cap=range_cap)
    preview: list[dict] = []
    read = 0
    with OffresLoader(engine, day, store_contacts=store_contacts) as loader:
        for page in api.fetch_window(request_window(day)):
            kept = created_on(page, day)
            preview.extend(kept[: PREVIEW_ROWS - len(preview)])
            loader.add(kept)
            read += len(page)
            if progress:
                progress(read)
        result = loader.commit()
    return DayLoad(day=day, result=result, report=api.last_report, preview=preview)


def sweep_stock(
    client: FranceTravailClient,
    engine: sa.Engine,
    since: date,
    until: date,
    *,
    range_cap: int,
    store_contacts: bool = False,
    progress: Progress | None = None,
) -> StockSweepLoad:
    """Re-read the offers still served, created on Paris days `since..until`.

    Offers whose `dateActualisation` moved are updated (the previous version goes to the
    history table). An open offer no longer served is closed only on proof: absent from
    a listing the API served in full, or answered 204 by `GET /offres/{id}` when the
    listing fell short of its announced total.
    """
    api = OffresApi(client, range_cap=range_cap)
    span = TimeWindow(paris_day_window(since).start, paris_day_window(until).end)
    read = 0
    with StockSweep(engine, since, until, store_contacts=store_contacts) as sweep:
        for page in api.fetch_window(request_window(since, until)):
            sweep.add([offre for offre in page if _created_in(offre, span)])
            read += len(page)
            if progress:
                progress(read)
        report = api.last_report
        gone: set[str] = set()
        if not report.complete:
            # Without a complete listing, absence proves nothing: ask for each one.
            gone = {
                offer_id
                for offer_id in sweep.unseen_open_ids()
                if api.get_offer(offer_id) is None
            }
        result = sweep.commit(gone_ids=gone, complete=report.complete)
    return StockSweepLoad(
        since=since,
        until=until,
        result=result,
        report=report,
        complete=report.complete,
        closed_by_lookup=len(gone),
    )


def refresh_referentiels(
    client: FranceTravailClient, engine: sa.Engine, names: list[str]
) -> Iterator[tuple[str, int]]:
    """Replace each référentiel's table; yields (name, rows) as each one lands."""
    api = ReferentielsApi(client)
    for name in names:
        yield name, load_referentiel(engine, name, api.fetch(name))


def _created_in(offre: dict, span: TimeWindow) -> bool:
    created = offre.get("dateCreation")
    if not isinstance(created, str):
        return False
    try:
        return span.contains(parse_api_datetime(created))
    except ValueError:
        return False
