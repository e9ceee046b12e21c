"""The offers API's référentiels: the code lists every offer's codes join to."""

from __future__ import annotations

from typing import Any

from pipelines.francetravail import errors
from pipelines.francetravail.catalogue import OFFRES_API
from pipelines.francetravail.http import FranceTravailClient
from pipelines.francetravail.pagination import parse_content_range

REFERENTIELS = (
    "appellations",
    "communes",
    "continents",
    "departements",
    "domaines",
    "langues",
    "metiers",
    "nafs",
    "naturesContrats",
    "niveauxFormations",
    "pays",
    "permis",
    "regions",
    "secteursActivites",
    "themes",
    "typesContrats",
)


class ReferentielsApi:
    """Reads the référentiels of the offers API, each in one request."""

    def __init__(self, client: FranceTravailClient) -> None:
        self._client = client

    def fetch(self, name: str) -> list[dict[str, Any]]:
        """Every item of one référentiel: ``{code, libelle}`` and its extra fields.

        Raises:
            ValueError: ``name`` is not a référentiel of the offers API.
            errors.UnexpectedResponse: the list is not what its header announced.
        """
        if name not in REFERENTIELS:
            known = ", ".join(REFERENTIELS)
            raise ValueError(f"unknown référentiel {name!r}; expected one of {known}")
        response = self._client.request(OFFRES_API, "GET", f"referentiel/{name}")
        if response.status == 204:
            return []

        items = response.data
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise errors.UnexpectedResponse(
                f"{OFFRES_API.title} sent référentiel {name} as something other than "
                "a list of items: retry; if it persists, the API's format has changed.",
                api=OFFRES_API.title,
                status=response.status,
            )
        # The header reads "<name> */<size>": a shorter list was cut on the way.
        try:
            announced = parse_content_range(response.headers.get("Content-Range"))
        except ValueError:
            announced = None
        if announced is not None and announced.total not in (None, len(items)):
            raise errors.UnexpectedResponse(
                f"{OFFRES_API.title} sent {len(items)} items of référentiel {name} "
                f"where its Content-Range announces {announced.total}: retry.",
                api=OFFRES_API.title,
                status=response.status,
            )
        return items
