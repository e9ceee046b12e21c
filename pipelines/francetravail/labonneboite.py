"""La Bonne Boîte v2: companies likely to hire, per ROME code and place.

The search pages with ``page`` (from 1) and ``page_size`` (at most 100) and answers
``{hits, items}``. It needs a place (an INSEE code, a département, coordinates...);
without one the API answers 422, so the client refuses before sending. ``rome`` is
repeated once per code: the comma form matches nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from pipelines.francetravail import errors
from pipelines.francetravail.catalogue import LABONNEBOITE_API
from pipelines.francetravail.http import FranceTravailClient

MAX_PAGE_SIZE = 100
SEARCH_PATH = "recherche"


class LaBonneBoiteApi:
    """Searches of La Bonne Boîte v2, read page by page."""

    def __init__(self, client: FranceTravailClient) -> None:
        self._client = client

    def search(
        self,
        rome: str | Sequence[str],
        *,
        citycode: str | None = None,
        department_number: str | None = None,
        postcode: str | None = None,
        region: str | None = None,
        latitude: float | None = None,
        longitude: float | None = None,
        distance: int | None = None,
        naf: str | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> Iterator[list[dict[str, Any]]]:
        """The companies for some ROME codes around one place, page by page.

        Raises:
            ValueError: no place was given, or ``page_size`` is out of bounds.
        """
        codes = [rome] if isinstance(rome, str) else list(rome)
        if not codes:
            raise ValueError("at least one ROME code is required")
        if not 0 < page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}")
        place = {
            "citycode": citycode,
            "department_number": department_number,
            "postcode": postcode,
            "region": region,
            "latitude": latitude,
            "longitude": longitude,
        }
        place = {name: value for name, value in place.items() if value is not None}
        if not place or ("latitude" in place) != ("longitude" in place):
            raise ValueError(
                "La Bonne Boîte needs a place: citycode, department_number, postcode, "
                "region, or latitude with longitude"
            )
        params: dict[str, Any] = {"rome": codes, **place, "page_size": page_size}
        if distance is not None:
            params["distance"] = distance
        if naf:
            params["naf"] = naf

        page, read = 1, 0
        while True:
            response = self._client.request(
                LABONNEBOITE_API, "GET", SEARCH_PATH, params={**params, "page": page}
            )
            body = response.data if response.status != 204 else {"hits": 0, "items": []}
            items = body.get("items") if isinstance(body, dict) else None
            hits = body.get("hits") if isinstance(body, dict) else None
            if not isinstance(items, list) or not isinstance(hits, int):
                raise errors.UnexpectedResponse(
                    f"{LABONNEBOITE_API.title} answered page {page} without "
                    "hits and items: retry; if it persists, the API's format has "
                    "changed.",
                    api=LABONNEBOITE_API.title,
                    status=response.status,
                )
            if items:
                yield items
            read += len(items)
            if not items or read >= hits:
                return
            page += 1
