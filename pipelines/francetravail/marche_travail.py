"""Marché du travail: offer and job-seeker indicators per territory and period.

Indicators are asked with a POST whose JSON body names the territory, the activity and
the period. The API answers XML unless the request says ``Accept: application/json``,
which the client sends on every call.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from pipelines.francetravail import errors
from pipelines.francetravail.catalogue import MARCHE_TRAVAIL_API
from pipelines.francetravail.http import FranceTravailClient
from pipelines.francetravail.listing import fetch_list

INDICATEURS = (
    "stat-offres",
    "stat-demandeurs",
    "stat-perspective-employeur",
    "stat-dynamique-emploi",
    "stat-salaires-en-poste",
)


class MarcheTravailApi:
    """Indicators and territories of the Marché du travail API."""

    def __init__(self, client: FranceTravailClient) -> None:
        self._client = client

    def indicateur(self, name: str, query: Mapping[str, Any]) -> dict[str, Any]:
        """One indicator for one query.

        Args:
            name: ``stat-offres``, ``stat-demandeurs``...
            query: the body: ``codeTypeTerritoire``, ``codeTerritoire``,
                ``codeTypeActivite``, ``codeActivite``, ``codeTypePeriode``,
                ``codeTypeNomenclature``, ``dernierePeriode``...
        """
        if name not in INDICATEURS:
            raise ValueError(
                f"unknown indicator {name!r}; expected one of {', '.join(INDICATEURS)}"
            )
        response = self._client.request(
            MARCHE_TRAVAIL_API, "POST", f"indicateur/{name}", json=dict(query)
        )
        if response.status == 204:
            return {}
        if not isinstance(response.data, dict):
            raise errors.UnexpectedResponse(
                f"{MARCHE_TRAVAIL_API.title} answered indicator {name} with something "
                "other than an object: retry; if it persists, the format has changed.",
                api=MARCHE_TRAVAIL_API.title,
                status=response.status,
            )
        return response.data

    def territoires(self, type_territoire: str) -> list[dict[str, Any]]:
        """The territories of one type (``REG``, ``DEP``, ``BASSIN``...)."""
        return fetch_list(
            self._client,
            MARCHE_TRAVAIL_API,
            f"referentiel/territoires/{quote(type_territoire, safe='')}",
        )
