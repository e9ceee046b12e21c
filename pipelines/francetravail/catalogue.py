"""The partner APIs this client knows: where they live, their scopes, their quota.

Each API gets a token for its own scopes and a request budget of its own, so a refused
subscription or a slow API never holds the others back. The default rates are the
per-application quotas France Travail publishes; the limiter then follows the quota the
API reports in its ``X-Ratelimit-*`` headers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ApiSpec:
    """One partner API.

    Attributes:
        name: short identifier, also the key of its request budget.
        title: the name users know it by, used in error messages.
        base_path: path under the partner root (``.../partenaire``), without slashes
            at either end.
        scopes: the OAuth2 scopes a token needs to call it.
        requests_per_second: the documented per-application quota.
    """

    name: str
    title: str
    base_path: str
    scopes: tuple[str, ...]
    requests_per_second: float

    def __post_init__(self) -> None:
        if self.requests_per_second <= 0:
            raise ValueError(f"{self.name}: requests_per_second must be positive")
        if not self.scopes:
            raise ValueError(f"{self.name}: an API needs at least one scope")

    @property
    def scope(self) -> str:
        """The scopes as the token endpoint expects them: space-separated."""
        return " ".join(self.scopes)


OFFRES_API = ApiSpec(
    name="offresdemploi",
    title="Offres d'emploi v2",
    base_path="offresdemploi/v2",
    scopes=("api_offresdemploiv2", "o2dsoffre"),
    requests_per_second=10.0,
)
ROME_METIERS_API = ApiSpec(
    name="rome-metiers",
    title="ROME 4.0 - Métiers",
    base_path="rome-metiers/v1",
    scopes=("api_rome-metiersv1", "nomenclatureRome"),
    requests_per_second=1.0,
)
ROME_COMPETENCES_API = ApiSpec(
    name="rome-competences",
    title="ROME 4.0 - Compétences",
    base_path="rome-competences/v1",
    scopes=("api_rome-competencesv1", "nomenclatureRome"),
    requests_per_second=1.0,
)
ROME_FICHES_METIERS_API = ApiSpec(
    name="rome-fiches-metiers",
    title="ROME 4.0 - Fiches métiers",
    base_path="rome-fiches-metiers/v1",
    scopes=("api_rome-fiches-metiersv1", "nomenclatureRome"),
    requests_per_second=1.0,
)
ROME_CONTEXTES_TRAVAIL_API = ApiSpec(
    name="rome-contextes-travail",
    title="ROME 4.0 - Contextes de travail",
    base_path="rome-contextes-travail/v1",
    scopes=("api_rome-contextes-travailv1", "nomenclatureRome"),
    requests_per_second=1.0,
)
LABONNEBOITE_API = ApiSpec(
    name="labonneboite",
    title="La Bonne Boîte v2",
    base_path="labonneboite/v2",
    # All three are required: with fewer, the API answers 403 "Invalid scope".
    scopes=("api_labonneboitev2", "search", "office"),
    requests_per_second=2.0,
)
MARCHE_TRAVAIL_API = ApiSpec(
    name="stats-offres-demandes-emploi",
    title="Marché du travail",
    base_path="stats-offres-demandes-emploi/v1",
    scopes=("api_stats-offres-demandes-emploiv1", "offresetdemandesemploi"),
    requests_per_second=10.0,
)
AGENCES_API = ApiSpec(
    name="referentielagences",
    title="Référentiel des agences",
    base_path="referentielagences/v1",
    scopes=("api_referentielagencesv1", "organisationpe"),
    # No published quota: start where the other small APIs are, then follow the headers.
    requests_per_second=10.0,
)

ALL_APIS = (
    OFFRES_API,
    ROME_METIERS_API,
    ROME_COMPETENCES_API,
    ROME_FICHES_METIERS_API,
    ROME_CONTEXTES_TRAVAIL_API,
    LABONNEBOITE_API,
    MARCHE_TRAVAIL_API,
    AGENCES_API,
)
