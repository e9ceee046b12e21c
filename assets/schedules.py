"""Jobs and schedules, all on Paris time.

- 02:30 every night: yesterday's offers (the last partition of `offres`);
- 04:30 every night: the sweep of the open stock (updates and withdrawals);
- 01:30 on Mondays: the référentiels;
- 08:00 every morning: the check that yesterday's partition is there;
- weekly, each partner API on its own quota: ROME 4.0 on Sundays at 03:00 (about an
  hour), the agencies on Mondays at 01:45, the Marché du travail indicators on Mondays
  at 05:00, and La Bonne Boîte on Mondays at 06:00, one run per département, once the
  night's offers and stock sweep have set the open offers whose ROME codes it searches.

The schedules are on by default: a deployment whose daemon runs loads every night
without anyone turning them on.

Assets downstream of these loads are not scheduled: they declare an automation
condition, which `automation_sensor` evaluates every 30 seconds. The sensor is on by
default too (the one Dagster would create implicitly starts stopped).
"""

from dagster import (
    AssetSelection,
    AutomationConditionSensorDefinition,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    build_schedule_from_partitioned_job,
    define_asset_job,
    schedule,
)

from assets.agences import AGENCES_GROUP
from assets.checks import yesterday_loaded
from assets.departements import DEPARTEMENTS
from assets.labonneboite import LABONNEBOITE_GROUP
from assets.marche_travail import MARCHE_TRAVAIL_GROUP
from assets.offres import offres, offres_stock
from assets.partitions import PARIS_TIMEZONE
from assets.referentiels import REFERENTIELS_GROUP
from assets.rome import ROME_GROUP

offres_job = define_asset_job(
    "offres_job",
    selection=AssetSelection.assets(offres),
    description="Load the job offers created on one Paris day.",
)
offres_stock_job = define_asset_job(
    "offres_stock_job",
    selection=AssetSelection.assets(offres_stock),
    description="Re-read the open stock: refresh updated offers, close withdrawn ones.",
)
referentiels_job = define_asset_job(
    "referentiels_job",
    selection=AssetSelection.groups(REFERENTIELS_GROUP),
    description="Refresh the référentiels of the offers API.",
)
freshness_job = define_asset_job(
    "freshness_job",
    selection=AssetSelection.checks(yesterday_loaded),
    description="Check that yesterday's offers were loaded.",
)
rome_job = define_asset_job(
    "rome_job",
    selection=AssetSelection.groups(ROME_GROUP),
    description="Refresh the ROME 4.0 nomenclature.",
)
labonneboite_job = define_asset_job(
    "labonneboite_job",
    selection=AssetSelection.groups(LABONNEBOITE_GROUP),
    description="Load La Bonne Boîte's establishments of one département.",
)
marche_travail_job = define_asset_job(
    "marche_travail_job",
    selection=AssetSelection.groups(MARCHE_TRAVAIL_GROUP),
    description="Refresh the Marché du travail indicators of every département.",
)
agences_job = define_asset_job(
    "agences_job",
    selection=AssetSelection.groups(AGENCES_GROUP),
    description="Refresh the France Travail agencies.",
)


@schedule(
    name="labonneboite_weekly",
    job=labonneboite_job,
    cron_schedule="0 6 * * 1",
    execution_timezone=PARIS_TIMEZONE,
    default_status=DefaultScheduleStatus.RUNNING,
)
def labonneboite_weekly(context: ScheduleEvaluationContext) -> list[RunRequest]:
    """One run per département; the run key makes each week's runs start once."""
    week = context.scheduled_execution_time.date().isoformat()
    return [
        RunRequest(run_key=f"{week}:{departement}", partition_key=departement)
        for departement in DEPARTEMENTS
    ]


def _paris_schedule(name: str, job, cron: str) -> ScheduleDefinition:
    """A schedule of an asset job on Paris time, running as soon as the code location
    loads."""
    return ScheduleDefinition(
        name=name,
        job=job,
        cron_schedule=cron,
        execution_timezone=PARIS_TIMEZONE,
        default_status=DefaultScheduleStatus.RUNNING,
    )


schedules = [
    build_schedule_from_partitioned_job(
        offres_job,
        name="offres_nightly",
        hour_of_day=2,
        minute_of_hour=30,
        default_status=DefaultScheduleStatus.RUNNING,
    ),
    _paris_schedule("offres_stock_nightly", offres_stock_job, "30 4 * * *"),
    _paris_schedule("referentiels_weekly", referentiels_job, "30 1 * * 1"),
    _paris_schedule("freshness_morning", freshness_job, "0 8 * * *"),
    _paris_schedule("rome_weekly", rome_job, "0 3 * * 0"),
    _paris_schedule("agences_weekly", agences_job, "45 1 * * 1"),
    _paris_schedule("marche_travail_weekly", marche_travail_job, "0 5 * * 1"),
    labonneboite_weekly,
]
jobs = [
    offres_job,
    offres_stock_job,
    referentiels_job,
    freshness_job,
    rome_job,
    labonneboite_job,
    marche_travail_job,
    agences_job,
]

# How often declarative automation looks for upstream changes. A day refreshed by a
# backfill is picked up at the next evaluation.
AUTOMATION_INTERVAL_SECONDS = 30

automation_sensor = AutomationConditionSensorDefinition(
    "automation_sensor",
    target=AssetSelection.all(),
    default_status=DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=AUTOMATION_INTERVAL_SECONDS,
    description="Requests every asset whose automation condition is true.",
)
sensors = [automation_sensor]
