"""The Dagster code location, loaded by `dagster dev` and `dagster ... -m`.

Resources are bound to environment variables here, and only here. A variable that is
set is passed as `EnvVar`, which Dagster resolves at run time and shows by name in the
UI; a variable that is not set leaves the resource's default (the real API, a SQLite
file under `data/`).
"""

from __future__ import annotations

import os

from dagster import Definitions, EnvVar, in_process_executor

from assets import (
    agences,
    checks,
    indicateurs,
    labonneboite,
    marche_travail,
    offres,
    referentiels,
    rome,
    schedules,
)
from assets.resources import FranceTravailResource, WarehouseResource
from pipelines import settings

settings.load_environment()


def _bind(**fields: str) -> dict[str, EnvVar]:
    """Map resource fields to the environment variables that are set."""
    return {
        field: EnvVar(variable)
        for field, variable in fields.items()
        if os.environ.get(variable)
    }


francetravail = FranceTravailResource(
    **_bind(
        client_id=settings.CLIENT_ID,
        client_secret=settings.CLIENT_SECRET,
        token_url=settings.TOKEN_URL,
        api_url=settings.API_URL,
        ratelimit_url=settings.RATELIMIT_URL,
    ),
    **(
        {"range_cap": int(os.environ[settings.RANGE_CAP])}
        if os.environ.get(settings.RANGE_CAP)
        else {}
    ),
)
warehouse = WarehouseResource(
    **_bind(database_url=settings.DATABASE_URL),
    store_contacts=settings.read_flag(os.environ.get(settings.STORE_CONTACTS)),
)

defs = Definitions(
    assets=[
        offres.offres,
        offres.offres_stock,
        indicateurs.offres_indicateurs_jour,
        referentiels.referentiels,
        *rome.rome_assets,
        labonneboite.labonneboite_entreprises,
        marche_travail.marche_travail_indicateurs,
        agences.agences,
    ],
    asset_checks=checks.asset_checks,
    jobs=schedules.jobs,
    schedules=schedules.schedules,
    sensors=schedules.sensors,
    resources={"francetravail": francetravail, "warehouse": warehouse},
    # Each run executes its steps one after another in the run's own process. The runs
    # here are one load each (a day, a référentiel refresh) and its checks, paced by
    # the API's quota: a process per step (the multiprocess default) only added a
    # Python start-up per step, several seconds on a small machine, and no speed. Work
    # scales out across runs instead: the run queue, the pools and the run launcher.
    executor=in_process_executor,
)
