"""The job offers search (Offres d'emploi v2): windows of creation dates, read whole.

`OffresApi.fetch_window` reads every offer created in a window, however many there
are: it probes the window with its first page, splits it while its total is over the
cap (see `coverage`), reads the pages of each slice concurrently on the client's
workers, and yields each offer once, page by page, as pages arrive. Its
`CoverageReport` is left in `OffresApi.last_report`, filled as the read goes, and the
read fails with `errors.CoverageError` when more offers are missing than the tolerance
allows.

A slice's total can change while its pages are read: an offer created or withdrawn
shifts every later offer by one place, so a page may repeat an offer already read or
skip one never seen, and a grown total has pages the plan never asked for. Every page
therefore carries its total, and a page whose total differs from its slice's probe
sends the slice back to its first page: it is probed and read again whole, offers
already yielded are not yielded twice, and pages of the earlier pass still arriving
only add offers. A slice whose total still moves after `MAX_REREADS` new reads fails
the read with a retryable `errors.CoverageError`: the result never passes as complete.
"""

from __future__ import annotations

import logging
import math
from collections import deque
from collections.abc import Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from pipelines.calendar import TimeWindow
from pipelines.francetravail import errors
from pipelines.francetravail.catalogue import OFFRES_API
from pipelines.francetravail.coverage import (
    DEFAULT_SPLIT_FILL,
    CoverageReport,
    Slice,
    SplitReport,
    WindowReport,
    reconcile,
    split_slice,
)
from pipelines.francetravail.days import created_on, request_window, whole_seconds
from pipelines.francetravail.http import FranceTravailClient
from pipelines.francetravail.pagination import (
    DEFAULT_RANGE_CAP,
    MAX_PAGE_SIZE,
    PageRange,
    SearchPage,
    first_page,
    page_ranges,
    read_page,
)
from pipelines.francetravail.referentiels import ReferentielsApi

__all__ = ["DEFAULT_TOLERANCE", "OffresApi", "created_on", "request_window"]

SEARCH_PATH = "offres/search"
# Share of the announced offers that may be missing (withdrawn during the read)
# before a read fails.
DEFAULT_TOLERANCE = 0.005
# Parameters the window and the pagination set; criteria may not override them.
_RESERVED = frozenset({"range", "minCreationDate", "maxCreationDate"})
# origineOffre: 1 = France Travail, 2 = partners; every offer is one or the other.
_ORIGINS = ["1", "2"]
# How many times one slice is read again because its total changed under the read,
# before the read gives up.
MAX_REREADS = 2
# The lowest last range start an API version is known to accept (older accounts cap
# searches at 1,150 results: start <= 1000). A 400 on a range starting at or below it is
# not a cap.
SMALLEST_KNOWN_MAX_START = 1000

logger = logging.getLogger(__name__)


class OffresApi:
    """Searches and single offers of the Offres d'emploi v2 API.

    Args:
        client: the shared client.
        range_cap: offers one search can reach (3,150 today; 1,150 in older
            documentation).
        page_size: offers per request, at most 150.
        tolerance: share of announced offers that may be missing before a read fails.
        split_fill: share of the cap each time slice aims at when a window is split.
    """

    def __init__(
        self,
        client: FranceTravailClient,
        *,
        range_cap: int = DEFAULT_RANGE_CAP,
        page_size: int = MAX_PAGE_SIZE,
        tolerance: float = DEFAULT_TOLERANCE,
        split_fill: float = DEFAULT_SPLIT_FILL,
    ) -> None:
        page_ranges(0, page_size, range_cap)  # validates both
        if not 0 <= tolerance < 1:
            raise ValueError("tolerance is a share, in [0, 1)")
        self.client = client
        self.range_cap = range_cap
        self.page_size = page_size
        self.tolerance = tolerance
        self.split_fill = split_fill
        self._referentiels = ReferentielsApi(client)
        self._codes: dict[str, list[str]] = {}
        self.last_report: CoverageReport | None = None

    def __repr__(self) -> str:
        return f"OffresApi(range_cap={self.range_cap}, page_size={self.page_size})"

    def search(self, criteria: Mapping[str, Any], page: PageRange) -> SearchPage:
        """One page of a search, checked against the range asked for."""
        try:
            response = self.client.request(
                OFFRES_API, "GET", SEARCH_PATH, params={**criteria, "range": page.param}
            )
        except errors.RequestRejected as error:
            if error.status != 400 or page.first <= SMALLEST_KNOWN_MAX_START:
                raise
            # Only the range differs from the first page, which the API accepted, and
            # it starts past what every known API version accepts: the API caps
            # searches lower than this client was told.
            raise errors.RequestRejected(
                f"{OFFRES_API.title} refused range {page.param} ({error.message}): "
                f"it caps a search below the configured {self.range_cap} offers, so "
                "lower the range cap to match.",
                api=OFFRES_API.title,
                status=error.status,
                api_message=error.message,
                code=error.code,
            ) from error
        return read_page(page, response, OFFRES_API.title, self.client.quote)

    def get_offer(self, offer_id: str) -> dict[str, Any] | None:
        """One offer by id; None when the API no longer serves it (204)."""
        if not offer_id:
            raise ValueError("an offer id is required")
        response = self.client.request(
            OFFRES_API, "GET", f"offres/{quote(offer_id, safe='')}"
        )
        if response.status == 204:
            return None
        if not isinstance(response.data, dict):
            shown = self.client.quote(offer_id, limit=40)
            raise errors.UnexpectedResponse(
                f"{OFFRES_API.title} sent offer {shown} as something other than an "
                "object: retry; if it persists, the API's format has changed.",
                api=OFFRES_API.title,
                status=response.status,
            )
        return response.data

    def fetch_window(
        self, window: TimeWindow, criteria: Mapping[str, Any] | None = None
    ) -> Iterator[list[dict[str, Any]]]:
        """Every offer created in ``window`` (and matching ``criteria``), once each.

        Yields pages as they arrive; each holds only offers not yielded before. The
        read's report is `last_report`.

        Args:
            window: creation instants to read; widened to whole seconds.
            criteria: other search parameters (``departement``, ``codeROME``...).

        Raises:
            errors.CoverageError: more offers are missing than the tolerance allows.
            errors.WindowTooDense: a window no split brings under the cap.
        """
        criteria = dict(criteria or {})
        overridden = _RESERVED & criteria.keys()
        if overridden:
            raise ValueError(f"criteria may not set {', '.join(sorted(overridden))}")
        root = Slice(whole_seconds(window))
        report = CoverageReport(window=root.window, criteria=criteria)
        self.last_report = report

        yield from _WindowRead(self, report, criteria).pages(root)
        reconcile(report, self.tolerance)

    def count(
        self, window: TimeWindow, criteria: Mapping[str, Any] | None = None
    ) -> int:
        """How many offers were created in ``window``: one request for one offer."""
        params = {**dict(criteria or {}), **Slice(whole_seconds(window)).params()}
        return self.search(params, PageRange(0, 0)).total

    def estimate_requests(self, total: int) -> int:
        """Requests `fetch_window` should need for a window of ``total`` offers.

        Under the cap: one per page. Over it: the probe, one per page of offers, and
        one short last page per slice the window is cut into (slices aim at
        ``split_fill`` of the cap). Offers bunched inside one window can need a second
        split, so this is a lower estimate for very uneven days.
        """
        pages = max(1, math.ceil(total / self.page_size))
        if total <= self.range_cap:
            return pages
        slices = math.ceil(total / (self.range_cap * self.split_fill))
        return 1 + pages + slices

    def facet_values(self, facet: str, probe: SearchPage) -> list[str]:
        """The values a facet can take in a search, to split it on that facet."""
        if facet == "origineOffre":
            return list(_ORIGINS)
        if facet == "typeContrat":
            # The probe's own counts name exactly the contract types present. When
            # they do not add up to the total, some offers have none: splitting on
            # contract types would lose them, so the next facet is tried instead.
            for group in probe.filters:
                if group.get("filtre") == "typeContrat":
                    counts = {
                        str(item.get("valeurPossible")): int(item.get("nbResultats", 0))
                        for item in group.get("agregation") or []
                    }
                    if sum(counts.values()) != probe.total:
                        return []
                    return [value for value, count in counts.items() if count]
            return self._referentiel_codes("typesContrats")
        if facet == "departement":
            return self._referentiel_codes("departements")
        raise ValueError(f"cannot split on {facet!r}")

    def _referentiel_codes(self, name: str) -> list[str]:
        if name not in self._codes:
            items = self._referentiels.fetch(name)
            self._codes[name] = [str(item["code"]) for item in items if "code" in item]
        return self._codes[name]


@dataclass(eq=False)
class _Node:
    """A slice being read: a leaf read page by page, or a window split further.

    ``generation`` counts the passes over the slice: it grows each time the slice is
    read again, and a page sent for an earlier pass no longer speaks for its total.
    """

    slice: Slice
    parent: _Node | None = None
    total: int | None = None
    leaf: WindowReport | None = None
    ids: set[str] = field(default_factory=set)
    generation: int = 0
    slices: int = 0
    slices_left: int = 0
    slices_total: int = 0
    split: SplitReport | None = None


@dataclass(frozen=True)
class _Task:
    node: _Node
    page: PageRange
    probe: bool
    generation: int = 0


class _WindowRead:
    """The state of one `OffresApi.fetch_window`: a queue of page requests.

    Workers only send requests; this object's methods run in the consuming thread,
    so the report and the seen ids need no lock. At most ``max_concurrency`` requests
    are in flight, and none is sent while the consumer holds a page: a slow consumer
    slows the read instead of piling pages up in memory.
    """

    def __init__(
        self, api: OffresApi, report: CoverageReport, criteria: dict[str, Any]
    ) -> None:
        self._api = api
        self._report = report
        self._criteria = criteria
        self._fixed = frozenset(criteria)
        self._limit = api.client.max_concurrency
        self._pending: deque[_Task] = deque()
        self._seen: set[str] = set()

    def pages(self, root_slice: Slice) -> Iterator[list[dict[str, Any]]]:
        root = _Node(root_slice)
        # The first probe alone: nothing else can be planned before its total.
        task = _Task(root, first_page(self._api.page_size), probe=True)
        yield from self._take(task, self._fetch(task))

        in_flight: dict[Future[SearchPage], _Task] = {}
        try:
            while self._pending or in_flight:
                while self._pending and len(in_flight) < self._limit:
                    task = self._pending.popleft()
                    in_flight[self._api.client.submit(self._fetch, task)] = task
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    task = in_flight.pop(future)
                    yield from self._take(task, future.result())
        finally:
            for future in in_flight:
                future.cancel()
            wait(in_flight)

    def _fetch(self, task: _Task) -> SearchPage:
        return self._api.search(
            {**self._criteria, **task.node.slice.params()}, task.page
        )

    def _take(self, task: _Task, page: SearchPage) -> Iterator[list[dict[str, Any]]]:
        node = task.node
        self._report.requests += page.requests
        current = task.generation == node.generation
        if current and task.probe:
            self._settle(node, page)
        elif current and page.total != node.total:
            self._read_again(node, page.total)
            current = False
        if current and node.leaf is not None:
            node.leaf.pages += page.requests
            node.ids.update(_id(offer) for offer in page.offers)
            node.leaf.fetched = len(node.ids)

        new = []
        for offer in page.offers:
            offer_id = _id(offer)
            if offer_id not in self._seen:
                self._seen.add(offer_id)
                self._report.count(offer)
                new.append(offer)
        self._report.received += len(page.offers)
        if new:
            yield new

    def _settle(self, node: _Node, probe: SearchPage) -> None:
        """Make a probed slice a leaf (and plan its pages) or split it."""
        previous, node.total = node.total, probe.total
        if node.parent is None:
            self._report.expected = probe.total
        elif previous is None:
            self._count_in_parent(node.parent, probe.total)
        else:
            self._recount_in_parent(node.parent, probe.total - previous)

        if probe.total <= self._api.range_cap:
            node.leaf = WindowReport(node.slice, probe.total)
            self._report.windows.append(node.leaf)
            ranges = page_ranges(probe.total, self._api.page_size, self._api.range_cap)
            self._pending.extend(
                _Task(node, r, probe=False, generation=node.generation)
                for r in ranges[1:]
            )
            return

        slices = split_slice(
            node.slice,
            probe.total,
            self._api.range_cap,
            lambda facet: self._api.facet_values(facet, probe),
            fixed=self._fixed,
            fill=self._api.split_fill,
        )
        node.slices = node.slices_left = len(slices)
        # Probes go first: the sooner every slice is known, the fuller the workers.
        first = first_page(self._api.page_size)
        for piece in reversed(slices):
            self._pending.appendleft(_Task(_Node(piece, node), first, probe=True))

    def _read_again(self, node: _Node, seen: int) -> None:
        """Send a slice whose total changed back to its first page.

        Raises:
            errors.CoverageError: the slice was already read again `MAX_REREADS`
                times and its total still moves.
        """
        leaf = node.leaf
        if leaf is not None:
            leaf.total_changed = True
        announced = node.total or 0
        if node.generation >= MAX_REREADS:
            raise errors.CoverageError(
                f"The search {node.slice} announced {announced} offers, then {seen} "
                f"on a later page, after {node.generation + 1} reads: offers are "
                "created or withdrawn faster than it can be read; run the load again "
                "later.",
                missing=abs(seen - announced),
                window=str(node.slice),
            )

        logger.warning(
            "francetravail.total_changed slice=%s announced=%d seen=%d",
            node.slice,
            announced,
            seen,
            extra={
                "event": "francetravail.total_changed",
                "slice": str(node.slice),
                "announced": announced,
                "seen": seen,
            },
        )
        self._report.rereads += 1
        if leaf is not None:
            self._report.windows.remove(leaf)
            node.leaf = None
        node.ids = set()
        node.generation += 1
        # Pages planned for the pass that changed would be read for nothing.
        self._pending = deque(t for t in self._pending if t.node is not node)
        self._pending.appendleft(
            _Task(
                node,
                first_page(self._api.page_size),
                probe=True,
                generation=node.generation,
            )
        )

    def _count_in_parent(self, parent: _Node, total: int) -> None:
        parent.slices_total += total
        parent.slices_left -= 1
        if parent.slices_left == 0:
            parent.split = SplitReport(
                parent.slice,
                parent.total or 0,
                slices=parent.slices,
                slices_total=parent.slices_total,
            )
            self._report.split_windows.append(parent.split)

    def _recount_in_parent(self, parent: _Node, change: int) -> None:
        """A slice read again announced ``change`` more offers than at first."""
        parent.slices_total += change
        if parent.split is not None:
            parent.split.slices_total += change


def _id(offer: dict[str, Any]) -> str:
    offer_id = offer.get("id")
    if not isinstance(offer_id, str) or not offer_id:
        raise errors.UnexpectedResponse(
            f"{OFFRES_API.title} sent an offer without an id: retry; if it persists, "
            "the API's format has changed.",
            api=OFFRES_API.title,
        )
    return offer_id
