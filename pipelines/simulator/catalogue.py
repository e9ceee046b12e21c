"""The partner APIs the simulator serves: base paths, scopes and default quotas.

Each API lives under ``/partenaire/<code>/<version>`` and needs every scope listed for
it in the access token (the ``api_<code><version>`` scope plus its applicative scope).
The quota is requests per second per client id, as the gateway's ``Clientidlimiter``
reports it.
"""

from __future__ import annotations

from dataclasses import dataclass

PARTNER_PREFIX = "/partenaire"
TOKEN_PATH = "/connexion/oauth2/access_token"
REALM = "/partenaire"

# Name under which token-endpoint requests appear in the request log and fault queue.
TOKEN_API = "token"


@dataclass(frozen=True)
class ApiDefinition:
    """One partner API as the gateway sees it."""

    name: str
    base_path: str
    scopes: frozenset[str]
    default_quota: float

    @property
    def prefix(self) -> str:
        """The absolute path prefix of the API, e.g.
        ``/partenaire/offresdemploi/v2``."""
        return PARTNER_PREFIX + self.base_path


APIS: tuple[ApiDefinition, ...] = (
    ApiDefinition(
        "offresdemploi",
        "/offresdemploi/v2",
        frozenset({"api_offresdemploiv2", "o2dsoffre"}),
        10,
    ),
    ApiDefinition(
        "labonneboite",
        "/labonneboite/v2",
        frozenset({"api_labonneboitev2", "search", "office"}),
        2,
    ),
    ApiDefinition(
        "rome-metiers",
        "/rome-metiers/v1",
        frozenset({"api_rome-metiersv1", "nomenclatureRome"}),
        1,
    ),
    ApiDefinition(
        "rome-competences",
        "/rome-competences/v1",
        frozenset({"api_rome-competencesv1", "nomenclatureRome"}),
        1,
    ),
    ApiDefinition(
        "rome-fiches-metiers",
        "/rome-fiches-metiers/v1",
        frozenset({"api_rome-fiches-metiersv1", "nomenclatureRome"}),
        1,
    ),
    ApiDefinition(
        "rome-contextes-travail",
        "/rome-contextes-travail/v1",
        frozenset({"api_rome-contextes-travailv1", "nomenclatureRome"}),
        1,
    ),
    ApiDefinition(
        "stats-offres-demandes-emploi",
        "/stats-offres-demandes-emploi/v1",
        frozenset({"api_stats-offres-demandes-emploiv1", "offresetdemandesemploi"}),
        10,
    ),
    ApiDefinition(
        "referentielagences",
        "/referentielagences/v1",
        frozenset({"api_referentielagencesv1", "organisationpe"}),
        10,
    ),
)

APIS_BY_NAME: dict[str, ApiDefinition] = {api.name: api for api in APIS}
ALL_API_NAMES: frozenset[str] = frozenset(APIS_BY_NAME)
ALL_SCOPES: frozenset[str] = frozenset(scope for api in APIS for scope in api.scopes)
DEFAULT_QUOTAS: dict[str, float] = {api.name: api.default_quota for api in APIS}


def api_for_path(path: str) -> ApiDefinition | None:
    """The API whose base path starts ``path``, or None for any other path."""
    for api in APIS:
        if path == api.prefix or path.startswith(api.prefix + "/"):
            return api
    return None
