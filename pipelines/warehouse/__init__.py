"""The SQL side of the pipeline: engine, schema and migrations, loaders, views.

It knows nothing of HTTP: its input is items as the APIs return them.

    engine = create_engine(url)          # SQLite (default) or PostgreSQL
    upgrade(engine)                      # create or upgrade the schema
    with OffresLoader(engine, day) as loader:
        loader.add(page)                 # as pages arrive
        result = loader.commit()         # one transaction

The other partner APIs land through `load_rome_*`, `load_labonneboite`,
`load_marche_travail` and `load_agences`, each from the items its API returns.
"""

from pipelines.warehouse.agences import AgencesResult, load_agences
from pipelines.warehouse.engine import DEFAULT_DATABASE_URL, create_engine
from pipelines.warehouse.labonneboite import (
    LaBonneBoiteResult,
    RomeCodes,
    load_labonneboite,
    open_offer_rome_codes,
)
from pipelines.warehouse.loader import LoadResult, OffresLoader
from pipelines.warehouse.marche_travail import MarcheTravailResult, load_marche_travail
from pipelines.warehouse.migrate import current_revision, upgrade
from pipelines.warehouse.referentiels import load_referentiel, referentiel_size
from pipelines.warehouse.rome import (
    RomeFichesResult,
    RomeMetiersResult,
    load_rome_appellations,
    load_rome_competences,
    load_rome_contextes_travail,
    load_rome_fiches_metiers,
    load_rome_metiers,
)
from pipelines.warehouse.schema import REFERENTIELS
from pipelines.warehouse.sweep import StockSweep, SweepResult

__all__ = [
    "DEFAULT_DATABASE_URL",
    "REFERENTIELS",
    "AgencesResult",
    "LaBonneBoiteResult",
    "LoadResult",
    "MarcheTravailResult",
    "OffresLoader",
    "RomeCodes",
    "RomeFichesResult",
    "RomeMetiersResult",
    "StockSweep",
    "SweepResult",
    "create_engine",
    "current_revision",
    "load_agences",
    "load_labonneboite",
    "load_marche_travail",
    "load_referentiel",
    "load_rome_appellations",
    "load_rome_competences",
    "load_rome_contextes_travail",
    "load_rome_fiches_metiers",
    "load_rome_metiers",
    "open_offer_rome_codes",
    "referentiel_size",
    "upgrade",
]
