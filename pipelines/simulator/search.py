"""The offers search: parameter validation, filtering, ordering and paging.

Results come newest first (``dateCreation`` descending, then id ascending), a total
order, so consecutive ``range`` pages never overlap or skip an offer.
``minCreationDate`` and ``maxCreationDate`` are read as UTC instants and select ``min <=
dateCreation < max``: the real API does not document whether the upper bound is
inclusive, and a half-open window lets a client split a window in two without counting
an offer twice.

Supported filters: the creation dates, ``origineOffre``, ``departement`` (up to 5),
``region``, ``typeContrat``, ``natureContrat``, ``codeROME`` (up to 200),
``qualification`` and ``publieeDepuis``. Other documented parameters are accepted and
ignored.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.datastructures import QueryParams

from pipelines.simulator import geography, nomenclature
from pipelines.simulator.corpus import Corpus
from pipelines.simulator.records import CompactOffer
from pipelines.simulator.responses import ApiError, bad_value

PAGE_LIMIT = 150
DEFAULT_RANGE = (0, PAGE_LIMIT - 1)
PUBLIEE_DEPUIS_DAYS = frozenset({1, 3, 7, 14, 31})

_API_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_RANGE = re.compile(r"^(\d+)-(\d+)$")
_ROME_CODE = re.compile(r"^[A-N]\d{4}$")

RANGE_FORMAT_MESSAGE = (
    "Format du paramètre « range » incorrect. <entier>-<entier> attendu."
)
RANGE_SPAN_MESSAGE = "La plage de résultats demandée est trop importante."
RANGE_START_MESSAGE = "La position de début doit être inférieure ou égale à {cap}."


@dataclass(frozen=True)
class SearchFilters:
    """A validated search, ``range`` excluded: it selects the whole result."""

    start_ms: int | None = None
    end_ms: int | None = None
    origine: str | None = None
    departements: frozenset[str] | None = None
    regions: frozenset[str] | None = None
    types_contrat: frozenset[str] | None = None
    natures: frozenset[str] | None = None
    romes: frozenset[str] | None = None
    qualification: str | None = None

    def accepts(self, offer: CompactOffer) -> bool:
        return (
            (self.origine is None or offer.origine == self.origine)
            and (self.departements is None or offer.departement in self.departements)
            and (self.regions is None or offer.region in self.regions)
            and (self.types_contrat is None or offer.type_contrat in self.types_contrat)
            and (self.natures is None or offer.nature in self.natures)
            and (
                self.qualification is None or offer.qualification == self.qualification
            )
            and (
                self.romes is None
                or nomenclature.metiers()[offer.rome].code in self.romes
            )
        )


@dataclass(frozen=True)
class SearchResult:
    offers: list[CompactOffer]
    filtres_possibles: list[dict]


@dataclass(frozen=True)
class Page:
    """One answer to a ``range``: its status, ``Content-Range`` and items."""

    status: int
    content_range: str
    items: Sequence


def _parse_api_date(name: str, value: str) -> int:
    if not _API_DATE.match(value):
        raise ApiError(
            400,
            f"Format du paramètre « {name} » incorrect. "
            "Date au format yyyy-MM-dd'T'hh:mm:ss'Z' attendue.",
        )
    try:
        instant = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise ApiError(400, f"Valeur du paramètre « {name} » incorrecte.") from None
    return int(instant.timestamp() * 1000)


def _codes(
    params: QueryParams, name: str, allowed: Callable[[str], bool], most: int
) -> frozenset[str] | None:
    raw = params.get(name)
    if raw is None:
        return None
    codes = [code.strip() for code in raw.split(",")]
    if not codes or len(codes) > most or not all(allowed(code) for code in codes):
        raise bad_value(name)
    return frozenset(codes)


def parse_filters(params: QueryParams, now: float) -> SearchFilters:
    """Validate the search parameters the way the API does (400 with its messages)."""
    minimum, maximum = params.get("minCreationDate"), params.get("maxCreationDate")
    if (minimum is None) != (maximum is None):
        missing = "maxCreationDate" if maximum is None else "minCreationDate"
        present = "minCreationDate" if maximum is None else "maxCreationDate"
        raise ApiError(
            400,
            f"Le paramètre « {missing} » est obligatoire lorsque « {present} » est "
            "renseigné.",
        )
    start_ms = None if minimum is None else _parse_api_date("minCreationDate", minimum)
    end_ms = None if maximum is None else _parse_api_date("maxCreationDate", maximum)

    published = params.get("publieeDepuis")
    if published is not None:
        if not published.isdigit() or int(published) not in PUBLIEE_DEPUIS_DAYS:
            raise bad_value("publieeDepuis")
        since_ms = int((now - int(published) * 86_400) * 1000)
        start_ms = since_ms if start_ms is None else max(start_ms, since_ms)

    origine = params.get("origineOffre")
    if origine is not None and origine not in ("1", "2"):
        raise bad_value("origineOffre")
    qualification = params.get("qualification")
    if qualification is not None and qualification not in ("0", "9"):
        raise bad_value("qualification")

    return SearchFilters(
        start_ms=start_ms,
        end_ms=end_ms,
        origine=origine,
        departements=_codes(
            params, "departement", geography.departements_by_code().__contains__, 5
        ),
        regions=_codes(params, "region", geography.regions_by_code().__contains__, 1),
        types_contrat=_codes(
            params, "typeContrat", nomenclature.TYPES_CONTRATS.__contains__, 20
        ),
        natures=_codes(
            params, "natureContrat", nomenclature.NATURES_CONTRATS.__contains__, 20
        ),
        romes=_codes(
            params, "codeROME", lambda code: bool(_ROME_CODE.match(code)), 200
        ),
        qualification=qualification,
    )


def parse_range(value: str | None, max_start: int) -> tuple[int, int]:
    """``range=p-d`` as (first, last), zero-based and inclusive; 0-149 when absent."""
    if value is None:
        return DEFAULT_RANGE
    match = _RANGE.match(value)
    if match is None or int(match[2]) < int(match[1]):
        raise ApiError(400, RANGE_FORMAT_MESSAGE)
    first, last = int(match[1]), int(match[2])
    if last - first + 1 > PAGE_LIMIT:
        raise ApiError(400, RANGE_SPAN_MESSAGE)
    if first > max_start:
        raise ApiError(400, RANGE_START_MESSAGE.format(cap=max_start))
    return first, last


def _filtres_possibles(offers: list[CompactOffer]) -> list[dict]:
    """Counts per facet value over the whole result, as the API's
    ``filtresPossibles``."""
    facets = (
        ("typeContrat", Counter(offer.type_contrat for offer in offers)),
        ("experience", Counter(offer.experience for offer in offers)),
        ("qualification", Counter(offer.qualification for offer in offers)),
        ("natureContrat", Counter(offer.nature for offer in offers)),
    )
    return [
        {
            "filtre": name,
            "agregation": [
                {"valeurPossible": value, "nbResultats": count}
                for value, count in sorted(counts.items())
            ],
        }
        for name, counts in facets
    ]


class SearchIndex:
    """Answers searches over a corpus, remembering recent results.

    The pages of one window repeat the same search with another ``range``; the result of
    a search is kept until the corpus changes (a withdrawal or an update). Searches run
    in the server's worker threads, one at a time.
    """

    def __init__(self, corpus: Corpus, cache_size: int = 32) -> None:
        self._corpus = corpus
        self._cache: OrderedDict[tuple, SearchResult] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def result(self, filters: SearchFilters) -> SearchResult:
        with self._lock:
            return self._cached_result(filters)

    def _cached_result(self, filters: SearchFilters) -> SearchResult:
        key = (filters, self._corpus.version)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached

        withdrawn = self._corpus.withdrawn
        offers: list[CompactOffer] = []
        for day in reversed(
            self._corpus.days_overlapping(filters.start_ms, filters.end_ms)
        ):
            candidates = self._corpus.day(day).between(filters.start_ms, filters.end_ms)
            offers.extend(
                offer
                for offer in candidates
                if offer.id not in withdrawn and filters.accepts(offer)
            )
        result = SearchResult(offers, _filtres_possibles(offers))

        self._cache[key] = result
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return result


def page(items: Sequence, first: int, last: int, final_page_status: int) -> Page:
    """Cut one ``range`` out of a whole result, with the API's status and Content-Range.

    204 when nothing matches or the range starts past the end, 200 when the page holds
    the whole result, 206 for any other page (the last one per configuration).
    """
    total = len(items)
    if total == 0:
        return Page(204, "offres */0", [])
    if first >= total:
        return Page(204, f"offres -1--1/{total}", [])

    end = min(last, total - 1)
    if first == 0 and end == total - 1:
        status = 200
    elif end == total - 1:
        status = final_page_status
    else:
        status = 206
    return Page(status, f"offres {first}-{end}/{total}", items[first : end + 1])
