"""Reading the API into the warehouse: the one place where the client and the SQL meet.

The Dagster assets and the `ftpipe` command both call these functions, so a load run
by hand is the same load the schedule runs. Nothing here imports Dagster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import sqlalchemy as sa

from pipelines.calendar import TimeWindow, paris_day_window, parse_api_datetime
from pipelines.francetravail import (
    AgencesApi,
    CoverageReport,
    FranceTravailClient,
    LaBonneBoiteApi,
    MarcheTravailApi,
    OffresApi,
    ReferentielsApi,
    RomeApi,
    errors,
)
from pipelines.francetravail.labonneboite import MAX_PAGE_SIZE
from pipelines.francetravail.offres import created_on, request_window
from pipelines.warehouse import (
    AgencesResult,
    LaBonneBoiteResult,
    LoadResult,
    MarcheTravailResult,
    OffresLoader,
    RomeFichesResult,
    RomeMetiersResult,
    StockSweep,
    SweepResult,
    load_agences,
    load_labonneboite,
    load_marche_travail,
    load_referentiel,
    load_rome_appellations,
    load_rome_competences,
    load_rome_contextes_travail,
    load_rome_fiches_metiers,
    load_rome_metiers,
    open_offer_rome_codes,
    referentiel_size,
)

PREVIEW_ROWS = 5
# Below this many offers, a sweep may close any share of the open stock (small
# warehouses, tests); above it, never more than half at once.
MASS_CLOSURE_FLOOR = 100

# Called after each page with the number of offers read so far.
Progress = Callable[[int], None]

_T = TypeVar("_T")
_R = TypeVar("_R")


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
        if report.complete:
            _refuse_mass_closure(sweep.unseen_open_ids(), report, since, until)
        else:
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
        items = api.fetch(name)
        held = referentiel_size(engine, name)
        if not items and held:
            # Codes are not withdrawn all at once: an empty list is an API fault, and
            # replacing the table with it would orphan every offer's code.
            raise errors.CoverageError(
                f"The référentiel {name} came back empty while the warehouse holds "
                f"{held} of its codes: the table was kept; refresh it again later."
            )
        yield name, load_referentiel(engine, name, items)


def _refuse_mass_closure(
    unseen: list[str], report: CoverageReport, since: date, until: date
) -> None:
    """Stop a sweep whose listing would close most of the open stock at once.

    A listing the API announces as complete proves absence, unless the API itself
    misbehaved: one empty answer (204) where thousands of offers are open would close
    them all. Offers close a few percent a day; more than half of the open stock of the
    span missing at once, past a small absolute floor, is not believed.
    """
    listed = report.unique
    if len(unseen) > MASS_CLOSURE_FLOOR and len(unseen) > listed:
        raise errors.CoverageError(
            f"The API listed {listed} offers created {since}..{until} while "
            f"{len(unseen)} other open offers of that span are in the warehouse: "
            "closing more than half of the open stock at once looks like an API "
            "fault, so nothing was closed; run the sweep again later."
        )


def _created_in(offre: dict, span: TimeWindow) -> bool:
    created = offre.get("dateCreation")
    if not isinstance(created, str):
        return False
    try:
        return span.contains(parse_api_datetime(created))
    except ValueError:
        return False


# ROME 4.0 --------------------------------------------------------------------------


@dataclass(frozen=True)
class RomeMetiersLoad:
    """What refreshing the métiers did; ``details_missing`` were listed without one."""

    result: RomeMetiersResult
    details_missing: list[str]


@dataclass(frozen=True)
class RomeFichesLoad:
    """What refreshing the fiches métiers did; ``details_missing`` as for métiers."""

    result: RomeFichesResult
    details_missing: list[str]


def refresh_rome_metiers(
    client: FranceTravailClient, engine: sa.Engine
) -> RomeMetiersLoad:
    """Replace the métiers with the list and each métier's detail.

    The list gives codes and names only; the detail (one request per métier) brings
    the domain, the definition and the working contexts. A métier listed but without
    a detail (404) keeps its list item, and is reported.
    """
    api = RomeApi(client)
    merged, missing = _with_details(client, api.metiers(), api.metier)
    return RomeMetiersLoad(load_rome_metiers(engine, merged), missing)


def refresh_rome_appellations(client: FranceTravailClient, engine: sa.Engine) -> int:
    """Replace the appellations; returns the rows now stored."""
    return load_rome_appellations(engine, RomeApi(client).appellations())


def refresh_rome_competences(client: FranceTravailClient, engine: sa.Engine) -> int:
    """Replace the compétences; returns the rows now stored."""
    return load_rome_competences(engine, RomeApi(client).competences())


def refresh_rome_contextes_travail(
    client: FranceTravailClient, engine: sa.Engine
) -> int:
    """Replace the contextes de travail; returns the rows now stored."""
    return load_rome_contextes_travail(engine, RomeApi(client).contextes_travail())


def refresh_rome_fiches_metiers(
    client: FranceTravailClient, engine: sa.Engine
) -> RomeFichesLoad:
    """Replace the fiches métiers with the list and each fiche's detail.

    The detail (one request per fiche) lists the fiche's compétences by group. A fiche
    listed without a detail (404) keeps its list item, and is reported.
    """
    api = RomeApi(client)
    merged, missing = _with_details(client, api.fiches_metiers(), api.fiche_metier)
    return RomeFichesLoad(load_rome_fiches_metiers(engine, merged), missing)


def _with_details(
    client: FranceTravailClient,
    listed: list[dict[str, Any]],
    read: Callable[[str], dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[str]]:
    """Each listed item replaced by its detail, and the codes that have none.

    A listed code whose detail answers 404 keeps its list item: the lists can name a
    code whose detail is not published yet, and one such code should not fail the
    whole nomenclature.
    """

    def detail(code: str) -> dict[str, Any] | None:
        if not code:
            return None
        try:
            return read(code)
        except errors.RequestRejected as error:
            if error.status == 404:
                return None
            raise

    codes = [str(item.get("code") or "") for item in listed]
    details = _fetch_each(client, detail, codes)
    merged, missing = [], []
    for code, item, found in zip(codes, listed, details, strict=True):
        merged.append(found if found is not None else item)
        if found is None:
            missing.append(code)
    return merged, missing


def _fetch_each(
    client: FranceTravailClient, read: Callable[[_T], _R], keys: Sequence[_T]
) -> list[_R]:
    """``read(key)`` for every key on the client's workers, results in key order.

    The API's request budget paces the calls; the workers only keep several in
    flight so that the latency of one does not hold the next. The first error is
    raised once the calls already started have ended.
    """
    futures = [client.submit(read, key) for key in keys]
    try:
        return [future.result() for future in futures]
    finally:
        for future in futures:
            future.cancel()


# La Bonne Boîte ----------------------------------------------------------------------

# How much one département's load may ask: the most frequent ROME codes of its open
# offers, searched a few codes at a time, each search read up to a number of pages
# (results come by decreasing hiring potential, so a cut keeps the likeliest hirers).
DEFAULT_MAX_ROME_CODES = 100
DEFAULT_ROME_CODES_PER_SEARCH = 10
DEFAULT_MAX_PAGES_PER_SEARCH = 10


@dataclass(frozen=True)
class LaBonneBoiteLoad:
    """What loading one département of La Bonne Boîte did.

    Attributes:
        rome_codes: the ROME codes searched.
        rome_codes_left_out: codes of open offers beyond the limit, not searched.
        searches: searches made (each one or more pages).
        searches_cut: searches stopped at the page limit with a full last page.
    """

    result: LaBonneBoiteResult
    rome_codes: list[str]
    rome_codes_left_out: int
    searches: int
    searches_cut: int


def load_labonneboite_departement(
    client: FranceTravailClient,
    engine: sa.Engine,
    departement: str,
    *,
    max_rome_codes: int = DEFAULT_MAX_ROME_CODES,
    rome_codes_per_search: int = DEFAULT_ROME_CODES_PER_SEARCH,
    max_pages_per_search: int = DEFAULT_MAX_PAGES_PER_SEARCH,
    store_contacts: bool = False,
) -> LaBonneBoiteLoad:
    """Replace a département's establishments with those La Bonne Boîte finds for the
    ROME codes of its open offers.

    At most ``max_rome_codes / rome_codes_per_search * max_pages_per_search``
    requests and a hundred times as many establishments, however large the
    département. A département without open offers asks nothing and ends empty.
    """
    if rome_codes_per_search < 1 or max_pages_per_search < 1:
        raise ValueError("rome_codes_per_search and max_pages_per_search must be >= 1")
    rome = open_offer_rome_codes(engine, departement, max_rome_codes)
    api = LaBonneBoiteApi(client)

    items: list[dict] = []
    searches = cut = 0
    for start in range(0, len(rome.codes), rome_codes_per_search):
        batch = rome.codes[start : start + rome_codes_per_search]
        pages = api.search(batch, department_number=departement)
        searches += 1
        for number, page in enumerate(pages, start=1):
            items.extend(page)
            if number == max_pages_per_search:
                # A full last page means more were likely left unread.
                if len(page) == MAX_PAGE_SIZE:
                    cut += 1
                break
        pages.close()

    result = load_labonneboite(
        engine, departement, items, store_contacts=store_contacts
    )
    return LaBonneBoiteLoad(
        result=result,
        rome_codes=rome.codes,
        rome_codes_left_out=rome.total - len(rome.codes),
        searches=searches,
        searches_cut=cut,
    )


# Marché du travail -------------------------------------------------------------------

# The indicators read, with the nomenclature each is broken down by: offers by
# contract type, job seekers by category.
MARCHE_TRAVAIL_INDICATEURS: dict[str, str] = {
    "stat-offres": "TYPE_CONTRAT",
    "stat-demandeurs": "CATCAND",
}


@dataclass(frozen=True)
class MarcheTravailLoad:
    """What refreshing the indicators did: the requests made and the values written."""

    result: MarcheTravailResult
    queries: int


def marche_travail_query(departement: str, nomenclature: str) -> dict[str, Any]:
    """The body asking one département's quarterly values, every job, full history."""
    return {
        "codeTypeTerritoire": "DEP",
        "codeTerritoire": departement,
        "codeTypeActivite": "CUMUL",
        "codeActivite": "CUMUL",
        "codeTypePeriode": "TRIMESTRE",
        "codeTypeNomenclature": nomenclature,
        "dernierePeriode": False,
    }


def refresh_marche_travail(
    client: FranceTravailClient,
    engine: sa.Engine,
    departements: Sequence[str],
    *,
    indicateurs: Mapping[str, str] = MARCHE_TRAVAIL_INDICATEURS,
) -> MarcheTravailLoad:
    """Read each indicator for each département and write the values, in one
    transaction once every answer is in.
    """
    api = MarcheTravailApi(client)
    queries = [
        (name, marche_travail_query(departement, nomenclature))
        for name, nomenclature in indicateurs.items()
        for departement in departements
    ]
    answers = _fetch_each(client, lambda query: api.indicateur(*query), queries)
    documents = [
        (name, answer) for (name, _), answer in zip(queries, answers, strict=True)
    ]
    return MarcheTravailLoad(load_marche_travail(engine, documents), len(queries))


# Agencies ----------------------------------------------------------------------------


def refresh_agences(
    client: FranceTravailClient, engine: sa.Engine, *, store_contacts: bool = False
) -> AgencesResult:
    """Replace the agencies, with the communes each serves, from one request."""
    items = AgencesApi(client).fetch(horaires=True, zone_competence=True)
    return load_agences(engine, items, store_contacts=store_contacts)
