"""ROME 4.0, the job nomenclature: métiers, appellations, compétences, fiches métiers
and contextes de travail.

Four APIs, each with its own scope and a quota of about one request per second. Every
endpoint answers its full list in one response (no pagination), so a full refresh is a
handful of requests.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from pipelines.francetravail import errors
from pipelines.francetravail.catalogue import (
    ROME_COMPETENCES_API,
    ROME_CONTEXTES_TRAVAIL_API,
    ROME_FICHES_METIERS_API,
    ROME_METIERS_API,
    ApiSpec,
)
from pipelines.francetravail.http import FranceTravailClient
from pipelines.francetravail.listing import fetch_list


class RomeApi:
    """The ROME 4.0 lists, each read in one request."""

    def __init__(self, client: FranceTravailClient) -> None:
        self._client = client

    def metiers(self) -> list[dict[str, Any]]:
        """Every métier: ``{code, libelle}`` (about 1,900)."""
        return fetch_list(self._client, ROME_METIERS_API, "metiers/metier")

    def appellations(self) -> list[dict[str, Any]]:
        """Every appellation (job title) and the métier it belongs to."""
        return fetch_list(self._client, ROME_METIERS_API, "metiers/appellation")

    def competences(self) -> list[dict[str, Any]]:
        """Every compétence: ``{type, code, libelle}`` (about 35,000)."""
        return fetch_list(self._client, ROME_COMPETENCES_API, "competences/competence")

    def fiches_metiers(self) -> list[dict[str, Any]]:
        """Every fiche métier, with its groups of compétences and savoirs."""
        return fetch_list(
            self._client, ROME_FICHES_METIERS_API, "fiches-rome/fiche-metier"
        )

    def contextes_travail(self) -> list[dict[str, Any]]:
        """Every contexte de travail (working conditions)."""
        return fetch_list(
            self._client,
            ROME_CONTEXTES_TRAVAIL_API,
            "situations-travail/contexte-travail",
        )

    def metier(self, code: str) -> dict[str, Any]:
        """One métier in full: appellations, compétences, contexts, mobilities."""
        return self._detail(ROME_METIERS_API, "metiers/metier", code)

    def fiche_metier(self, code: str) -> dict[str, Any]:
        """One fiche métier in full: its groups of compétences and savoirs."""
        return self._detail(ROME_FICHES_METIERS_API, "fiches-rome/fiche-metier", code)

    def _detail(self, api: ApiSpec, path: str, code: str) -> dict[str, Any]:
        response = self._client.request(api, "GET", f"{path}/{quote(code, safe='')}")
        if not isinstance(response.data, dict):
            raise errors.UnexpectedResponse(
                f"{api.title} answered {path}/{code} without an object: retry; if "
                "it persists, the API's format has changed.",
                api=api.title,
                status=response.status,
            )
        return response.data
