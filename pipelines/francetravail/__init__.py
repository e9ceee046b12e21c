"""A client for the France Travail partner APIs, for batch loads.

One `FranceTravailClient` per process and application: it holds the tokens (one per
API's scopes), paces requests under each API's quota with a budget shared by every
process (`MemoryBucketStore`, `FileBucketStore`, `RedisBucketStore`), retries what can
be retried within a `RetryPolicy`, and counts what it did in ``client.stats``. The
endpoints sit on top of it:

- `OffresApi`: the job offers, whole windows past the 3,150-result cap;
- `ReferentielsApi`: the code lists of the offers;
- `RomeApi`, `LaBonneBoiteApi`, `MarcheTravailApi`, `AgencesApi`: the other APIs.

Errors are in `errors`; each says whether retrying later can help. This package knows
nothing of Dagster or SQL.
"""

from pipelines.francetravail import errors
from pipelines.francetravail.agences import AgencesApi
from pipelines.francetravail.auth import Credentials, Secret
from pipelines.francetravail.catalogue import (
    AGENCES_API,
    ALL_APIS,
    LABONNEBOITE_API,
    MARCHE_TRAVAIL_API,
    OFFRES_API,
    ROME_COMPETENCES_API,
    ROME_CONTEXTES_TRAVAIL_API,
    ROME_FICHES_METIERS_API,
    ROME_METIERS_API,
    ApiSpec,
)
from pipelines.francetravail.clock import Clock, SystemClock
from pipelines.francetravail.coverage import CoverageReport, WindowReport
from pipelines.francetravail.days import created_on, request_window
from pipelines.francetravail.http import ApiResponse, FranceTravailClient
from pipelines.francetravail.labonneboite import LaBonneBoiteApi
from pipelines.francetravail.marche_travail import MarcheTravailApi
from pipelines.francetravail.offres import OffresApi
from pipelines.francetravail.ratelimit import (
    BucketStore,
    FileBucketStore,
    MemoryBucketStore,
    RateLimiter,
    RedisBucketStore,
    bucket_store_from_url,
)
from pipelines.francetravail.referentiels import REFERENTIELS, ReferentielsApi
from pipelines.francetravail.retry import RetryPolicy
from pipelines.francetravail.rome import RomeApi

__all__ = [
    "AGENCES_API",
    "ALL_APIS",
    "LABONNEBOITE_API",
    "MARCHE_TRAVAIL_API",
    "OFFRES_API",
    "REFERENTIELS",
    "ROME_COMPETENCES_API",
    "ROME_CONTEXTES_TRAVAIL_API",
    "ROME_FICHES_METIERS_API",
    "ROME_METIERS_API",
    "AgencesApi",
    "ApiResponse",
    "ApiSpec",
    "BucketStore",
    "Clock",
    "CoverageReport",
    "Credentials",
    "FileBucketStore",
    "FranceTravailClient",
    "LaBonneBoiteApi",
    "MarcheTravailApi",
    "MemoryBucketStore",
    "OffresApi",
    "RateLimiter",
    "RedisBucketStore",
    "ReferentielsApi",
    "RetryPolicy",
    "RomeApi",
    "Secret",
    "SystemClock",
    "WindowReport",
    "bucket_store_from_url",
    "created_on",
    "errors",
    "request_window",
]
