"""Reading every offer of a window, past the cap of one search, and proving it.

One search reaches 3,150 offers at most, while a day can hold tens of thousands. A
window whose total is over the cap is split into slices that each fit:

1. on creation time: into as many equal parts as the total calls for (so a busy day is
   cut once, not halved again and again), down to one second;
2. where one second still holds too many, on facets that partition the offers:
   ``origineOffre`` (France Travail or partner), then ``typeContrat``, then
   ``departement`` (five per request, then one by one).

A window nothing can split raises `errors.WindowTooDense`: offers are never dropped in
silence. The first page of every search doubles as its probe (it tells the total) and
its offers are kept. The report reconciles the totals: each split's slices against
the window they came from, and the offers fetched against the offers announced.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from pipelines.calendar import TimeWindow, paris_date, parse_api_datetime
from pipelines.francetravail import errors
from pipelines.francetravail.days import format_api_datetime
from pipelines.francetravail.redaction import quote

# Facets tried, in order, on a one-second window still over the cap.
SPLIT_FACETS = ("origineOffre", "typeContrat", "departement")
# How many values of a facet one search may combine (the API's limit for départements).
FACET_GROUP_SIZE = {"departement": 5}
# Time splits aim each slice at this share of the cap, so that an uneven spread of
# offers inside a window rarely needs a second split.
DEFAULT_SPLIT_FILL = 0.9


@dataclass(frozen=True)
class Slice:
    """One search of a window: its creation window and the facet values narrowing it."""

    window: TimeWindow
    facets: tuple[tuple[str, str], ...] = ()

    def params(self) -> dict[str, str]:
        """The query parameters that select this slice."""
        return {
            "minCreationDate": format_api_datetime(self.window.start),
            "maxCreationDate": format_api_datetime(self.window.end),
            **dict(self.facets),
        }

    def __str__(self) -> str:
        text = (
            f"{format_api_datetime(self.window.start)}.."
            f"{format_api_datetime(self.window.end)}"
        )
        for name, value in self.facets:
            # Facet values come from the API's référentiels: quoted like server text.
            text += f" {name}={quote(value, limit=60)}"
        return text


FacetValues = Callable[[str], list[str]]


def split_slice(
    piece: Slice,
    total: int,
    cap: int,
    facet_values: FacetValues,
    *,
    fixed: frozenset[str] = frozenset(),
    fill: float = DEFAULT_SPLIT_FILL,
) -> list[Slice]:
    """Slices that together hold the offers of ``piece``, each likely under the cap.

    Args:
        piece: the slice whose total is over the cap.
        total: its total.
        cap: offers one search can reach.
        facet_values: the values of a facet (``origineOffre``, ``typeContrat``...).
        fixed: facets the caller's criteria already set: never split on them.
        fill: share of the cap each time slice aims at.

    Raises:
        errors.WindowTooDense: one second, every facet split, still over the cap.
    """
    seconds = int(piece.window.seconds)
    if seconds >= 2:
        parts = min(seconds, max(2, math.ceil(total / (cap * fill))))
        start = piece.window.start
        bounds = [start + timedelta(seconds=i * seconds // parts) for i in range(parts)]
        bounds.append(piece.window.end)
        return [Slice(TimeWindow(a, b), piece.facets) for a, b in pairwise(bounds)]

    for position, (name, value) in enumerate(piece.facets):
        if "," in value:
            # A group of values is still over the cap: one search per value.
            rest = piece.facets[:position] + piece.facets[position + 1 :]
            return [
                Slice(piece.window, (*rest, (name, single)))
                for single in value.split(",")
            ]

    used = fixed | {name for name, _ in piece.facets}
    for facet in SPLIT_FACETS:
        if facet in used:
            continue
        values = facet_values(facet)
        if len(values) < 2:
            continue
        size = FACET_GROUP_SIZE.get(facet, 1)
        groups = [values[i : i + size] for i in range(0, len(values), size)]
        return [
            Slice(piece.window, (*piece.facets, (facet, ",".join(group))))
            for group in groups
        ]

    raise errors.WindowTooDense(
        f"The search {piece} matches {total} offers, more than the {cap} one search "
        "can reach, and no facet is left to split it on: narrow the criteria or "
        "raise the range cap if the API allows more.",
        missing=total - cap,
        window=str(piece),
    )


@dataclass
class WindowReport:
    """A leaf of the split: a slice read page by page.

    Attributes:
        slice: the search.
        total: offers its first page announced.
        fetched: distinct offers its pages returned.
        pages: requests its pages took.
        total_changed: a later page announced another total, and no read of the slice
            settled it: the pages may have shifted under the read.
    """

    slice: Slice
    total: int
    fetched: int = 0
    pages: int = 0
    total_changed: bool = False

    @property
    def missing(self) -> int:
        return max(0, self.total - self.fetched)


@dataclass
class SplitReport:
    """A window over the cap, its total, and what its slices announced together.

    ``slices_total`` follows the slices that were read again after their total changed.
    """

    slice: Slice
    total: int
    slices: int
    slices_total: int

    @property
    def gap(self) -> int:
        """Offers the window announced that none of its slices did."""
        return max(0, self.total - self.slices_total)


@dataclass
class CoverageReport:
    """What reading one window took and whether every offer came.

    Attributes:
        window: the creation window read.
        criteria: the caller's extra search criteria.
        expected: offers the window's first page announced.
        unique: distinct offers fetched (each one yielded once).
        received: offers received, counting each time one came again.
        requests: HTTP requests sent (retries included).
        rereads: slices read again from their first page because their total changed
            while they were read.
        windows: the leaf slices, with their totals and what they returned.
        split_windows: the windows that were split, with their slices' totals.
    """

    window: TimeWindow
    criteria: dict[str, Any] = field(default_factory=dict)
    expected: int = 0
    unique: int = 0
    received: int = 0
    requests: int = 0
    rereads: int = 0
    windows: list[WindowReport] = field(default_factory=list)
    split_windows: list[SplitReport] = field(default_factory=list)
    _per_day: Counter[date | None] = field(default_factory=Counter, repr=False)

    @property
    def leaves(self) -> int:
        """How many slices were read page by page."""
        return len(self.windows)

    @property
    def splits(self) -> int:
        """How many windows were over the cap and split."""
        return len(self.split_windows)

    @property
    def leaf_total(self) -> int:
        """What the leaf slices announced together (equals `expected` when whole)."""
        return sum(leaf.total for leaf in self.windows)

    @property
    def duplicates(self) -> int:
        """Offers received more than once (from overlapping slices or pages)."""
        return self.received - self.unique

    @property
    def missing(self) -> int:
        """Offers announced but not fetched."""
        return max(0, self.expected - self.unique)

    @property
    def complete(self) -> bool:
        """Every offer announced, by the window and by each slice, was fetched, and
        every slice's total held still while it was read."""
        return (
            self.missing == 0
            and all(leaf.missing == 0 for leaf in self.windows)
            and not any(leaf.total_changed for leaf in self.windows)
            and all(split.gap == 0 for split in self.split_windows)
        )

    def count(self, offer: dict[str, Any]) -> None:
        """Record one newly seen offer."""
        self.unique += 1
        try:
            day: date | None = paris_date(parse_api_datetime(offer["dateCreation"]))
        except (KeyError, TypeError, ValueError):
            day = None
        self._per_day[day] += 1

    def unique_in(self, day: date) -> int:
        """Distinct offers fetched whose creation falls on the Paris day ``day``."""
        return self._per_day[day]

    def as_metadata(self) -> dict[str, Any]:
        """The figures, as plain values for logs or materialization metadata."""
        return {
            "offers_expected": self.expected,
            "offers_fetched": self.unique,
            "offers_received": self.received,
            "offers_missing": self.missing,
            "leaf_windows_total": self.leaf_total,
            "requests": self.requests,
            "slices_read_again": self.rereads,
            "leaf_windows": self.leaves,
            "windows_split": self.splits,
            "complete": self.complete,
        }


def reconcile(report: CoverageReport, tolerance: float) -> None:
    """Fail when more offers are missing than ``tolerance`` (a share) allows.

    Offers withdrawn while a window is read leave a small gap between what was
    announced and what came; beyond the tolerance the gap means lost offers.

    Raises:
        errors.CoverageError: with the count and the slice that lost the most.
    """
    allowed = math.floor(report.expected * tolerance)
    if report.missing <= allowed:
        return
    places = [(leaf.missing, str(leaf.slice)) for leaf in report.windows]
    places += [
        (split.gap, f"{split.slice} (its slices)") for split in report.split_windows
    ]
    worst_count, worst = max(places, default=(0, str(Slice(report.window))))
    where = f"{worst_count} of them in {worst}" if worst_count else "across the window"
    raise errors.CoverageError(
        f"Fetched {report.unique} of the {report.expected} offers announced for "
        f"{Slice(report.window)}: {report.missing} are missing ({where}), more than "
        f"the {allowed} tolerated; run the load again, since offers withdrawn during "
        "a run are the usual cause.",
        missing=report.missing,
        window=str(Slice(report.window)),
    )
