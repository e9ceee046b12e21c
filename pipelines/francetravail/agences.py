"""Référentiel des agences: the France Travail agencies, in one list."""

from __future__ import annotations

from typing import Any

from pipelines.francetravail.catalogue import AGENCES_API
from pipelines.francetravail.http import FranceTravailClient
from pipelines.francetravail.listing import fetch_list


class AgencesApi:
    """Reads the agencies, all of them or those serving one commune."""

    def __init__(self, client: FranceTravailClient) -> None:
        self._client = client

    def fetch(
        self,
        *,
        commune: str | None = None,
        horaires: bool = False,
        zone_competence: bool = False,
    ) -> list[dict[str, Any]]:
        """The agencies, with their opening hours or served communes if asked.

        Args:
            commune: an INSEE code: only the agencies serving it.
            horaires: include each agency's opening hours.
            zone_competence: include the communes each agency serves.
        """
        params: dict[str, str] = {}
        if commune:
            params["commune"] = commune
        if horaires:
            params["horaire"] = "true"
        if zone_competence:
            params["zonecompetence"] = "true"
        return fetch_list(self._client, AGENCES_API, "agences", params)
