"""The offers search's ``range`` pagination, and how to trust a page.

The search returns at most 150 offers per request, chosen by a ``range=first-last``
query parameter (zero-based, inclusive), with ``first <= 3000`` and ``last <= 3149``:
one search reaches 3,150 offers at most (older documentation says 1,150, so the cap is
a parameter). The answer's ``Content-Range`` says which offers came and how many match
in total, in forms seen in the wild:

- ``offres 0-149/353``: offers 0 to 149 of 353;
- ``offres */0`` or ``*/0``: nothing matches (a 204);
- ``offres -1--1/353``: a range that starts past the end (a 204);
- absent: only acceptable on a 200, which then holds the whole result.

The last page is decided from the total and the page size, not from 200 versus 206,
which the API uses inconsistently on the last page. A page whose range does not match
the request, or a header that cannot be read, is an error: never "no more data".
Headers quoted in those errors are server text: they go through the client's redaction
(`redaction.quote`) first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pipelines.francetravail import errors
from pipelines.francetravail.http import ApiResponse
from pipelines.francetravail.redaction import quote

MAX_PAGE_SIZE = 150
DEFAULT_RANGE_CAP = 3150

# ASCII digits only, and few enough that every number reads as a plain int.
_CONTENT_RANGE = re.compile(
    r"""^\s*
    (?:(?P<unit>[A-Za-z][\w-]*)\s+)?                  # "offres", optional
    (?:(?P<first>-?\d{1,18})-(?P<last>-?\d{1,18})|\*) # "0-149", "-1--1" or "*"
    \s*/\s*(?P<total>\d{1,18}|\*)\s*$                 # "/353" or "/*"
    """,
    re.VERBOSE | re.ASCII,
)
# Characters of a header quoted in an error.
_SHOWN = 80


@dataclass(frozen=True)
class ContentRange:
    """A parsed ``Content-Range``.

    Attributes:
        unit: ``offres`` or None when the header omits it.
        first: index of the first offer sent; None when the page holds none.
        last: index of the last offer sent; None when the page holds none.
        total: offers matching the search (not capped); None when the API wrote ``*``.
    """

    unit: str | None
    first: int | None
    last: int | None
    total: int | None

    @property
    def count(self) -> int:
        """How many offers the header says the page holds."""
        if self.first is None or self.last is None:
            return 0
        return self.last - self.first + 1


def parse_content_range(value: str | None) -> ContentRange | None:
    """Read a ``Content-Range`` header; None when there is none.

    Raises:
        ValueError: the header is present but unreadable or inconsistent.
    """
    if value is None:
        return None
    match = _CONTENT_RANGE.match(value)
    if match is None:
        raise ValueError(f"unreadable Content-Range {quote(value, limit=_SHOWN)!r}")
    unit = match["unit"]
    total = None if match["total"] == "*" else int(match["total"])
    if match["first"] is None:
        return ContentRange(unit, None, None, total)
    first, last = int(match["first"]), int(match["last"])
    if first == -1 and last == -1:
        # The API's way of saying the requested range starts past the last offer.
        return ContentRange(unit, None, None, total)
    if first < 0 or last < first or (total is not None and last >= total):
        raise ValueError(f"inconsistent Content-Range {quote(value, limit=_SHOWN)!r}")
    return ContentRange(unit, first, last, total)


@dataclass(frozen=True)
class PageRange:
    """The offers one request asks for: ``first`` to ``last``, both included."""

    first: int
    last: int

    def __post_init__(self) -> None:
        if self.first < 0 or self.last < self.first:
            raise ValueError(f"invalid range {self.first}-{self.last}")
        if self.size > MAX_PAGE_SIZE:
            raise ValueError(f"a page holds at most {MAX_PAGE_SIZE} offers")

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    @property
    def param(self) -> str:
        """The value of the ``range`` query parameter."""
        return f"{self.first}-{self.last}"


def first_page(page_size: int = MAX_PAGE_SIZE) -> PageRange:
    """The page every search starts with; its answer also tells the total."""
    return PageRange(0, page_size - 1)


def page_ranges(
    total: int, page_size: int = MAX_PAGE_SIZE, cap: int = DEFAULT_RANGE_CAP
) -> list[PageRange]:
    """Every page needed to read ``total`` offers, the first page included.

    Pages step by ``page_size`` up to the cap. When the cap is not a multiple of the
    page size, the last page starts at the highest start the API accepts
    (``cap - 150``) and ends at the cap, overlapping its predecessor.
    """
    if not 0 < page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}")
    if cap < MAX_PAGE_SIZE:
        raise ValueError(f"the range cap must be at least {MAX_PAGE_SIZE}")
    max_start = cap - MAX_PAGE_SIZE
    pages = []
    for first in range(0, min(total, cap), page_size):
        if first > max_start:
            pages.append(PageRange(max_start, cap - 1))
            break
        pages.append(PageRange(first, first + page_size - 1))
    return pages or [first_page(page_size)]


@dataclass(frozen=True)
class SearchPage:
    """One page of a search, checked against the range it was asked for.

    Attributes:
        requested: the range sent.
        total: offers matching the search, from ``Content-Range``.
        offers: the offers of the page.
        filters: ``filtresPossibles``: counts per facet value over the whole result.
        requests: HTTP requests the page took (retries included).
    """

    requested: PageRange
    total: int
    offers: list[dict[str, Any]]
    filters: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 1


def read_page(
    requested: PageRange,
    response: ApiResponse,
    api: str,
    redact: Callable[..., str] = quote,
) -> SearchPage:
    """Check an answer of the search against its request and read it.

    Args:
        requested: the range asked for.
        response: the answer.
        api: the API's title, for messages.
        redact: how server text is made fit for a message (the client's ``quote``,
            which knows its secrets).

    Raises:
        errors.UnexpectedResponse: the header is unreadable, or the page does not
            match the requested range.
    """

    def mismatch(problem: str) -> errors.UnexpectedResponse:
        return errors.UnexpectedResponse(
            f"{api} answered range {requested.param} with {problem}: the result "
            "changed or the API misbehaved; retry the load.",
            api=api,
            status=response.status,
        )

    header = response.headers.get("Content-Range")
    try:
        content_range = parse_content_range(header)
    except ValueError as error:
        raise mismatch(redact(error)) from None
    shown = redact(header, limit=_SHOWN) if header is not None else None

    if response.status == 204:
        total = 0 if content_range is None else content_range.total
        if total is None:
            raise mismatch(f"a 204 whose Content-Range {shown!r} gives no total")
        if total > requested.first:
            raise mismatch(f"no offer although Content-Range says {total} match")
        return SearchPage(requested, total, [], [], response.requests)

    body = response.data
    offers = body.get("resultats") if isinstance(body, dict) else None
    if not isinstance(offers, list) or not all(isinstance(o, dict) for o in offers):
        raise mismatch(f"a {response.status} whose body holds no list of offers")
    filters = body.get("filtresPossibles") or []

    if content_range is None:
        if response.status != 200 or requested.first != 0:
            raise mismatch(f"a {response.status} without Content-Range")
        if len(offers) >= requested.size:
            # A full page without a total could be followed by more: never guess.
            raise mismatch("a full page without Content-Range")
        return SearchPage(requested, len(offers), offers, filters, response.requests)

    if content_range.total is None:
        raise mismatch(f"Content-Range {shown!r} without a total")
    total = content_range.total
    expected_last = min(requested.last, total - 1)
    if content_range.first != requested.first or content_range.last != expected_last:
        raise mismatch(f"Content-Range {shown!r}")
    if len(offers) != content_range.count:
        raise mismatch(
            f"{len(offers)} offers where Content-Range {shown!r} announces "
            f"{content_range.count}"
        )
    return SearchPage(requested, total, offers, filters, response.requests)
