"""The SQL side of the pipeline: engine, schema and migrations, loaders, views.

It knows nothing of HTTP: its input is offer dicts as the offers API returns them.

    engine = create_engine(url)          # SQLite (default) or PostgreSQL
    upgrade(engine)                      # create or upgrade the schema
    with OffresLoader(engine, day) as loader:
        loader.add(page)                 # as pages arrive
        result = loader.commit()         # one transaction
"""

from pipelines.warehouse.engine import DEFAULT_DATABASE_URL, create_engine
from pipelines.warehouse.loader import LoadResult, OffresLoader
from pipelines.warehouse.migrate import current_revision, upgrade
from pipelines.warehouse.referentiels import load_referentiel
from pipelines.warehouse.schema import REFERENTIELS
from pipelines.warehouse.sweep import StockSweep, SweepResult

__all__ = [
    "DEFAULT_DATABASE_URL",
    "REFERENTIELS",
    "LoadResult",
    "OffresLoader",
    "StockSweep",
    "SweepResult",
    "create_engine",
    "current_revision",
    "load_referentiel",
    "upgrade",
]
