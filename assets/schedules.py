"""Jobs and schedules, all on Paris time.

- 02:30 every night: yesterday's offers (the last partition of `offres`);
- 04:30 every night: the sweep of the open stock (updates and withdrawals);
- 01:30 on Mondays: the référentiels;
- 08:00 every morning: the check that yesterday's partition is there.

The schedules are on by default: a deployment whose daemon runs loads every night
without anyone turning them on.
"""

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    ScheduleDefinition,
    build_schedule_from_partitioned_job,
    define_asset_job,
)

from assets.checks import yesterday_loaded
from assets.offres import offres, offres_stock
from assets.partitions import PARIS_TIMEZONE
from assets.referentiels import REFERENTIELS_GROUP

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

schedules = [
    build_schedule_from_partitioned_job(
        offres_job,
        name="offres_nightly",
        hour_of_day=2,
        minute_of_hour=30,
        default_status=DefaultScheduleStatus.RUNNING,
    ),
    ScheduleDefinition(
        name="offres_stock_nightly",
        job=offres_stock_job,
        cron_schedule="30 4 * * *",
        execution_timezone=PARIS_TIMEZONE,
        default_status=DefaultScheduleStatus.RUNNING,
    ),
    ScheduleDefinition(
        name="referentiels_weekly",
        job=referentiels_job,
        cron_schedule="30 1 * * 1",
        execution_timezone=PARIS_TIMEZONE,
        default_status=DefaultScheduleStatus.RUNNING,
    ),
    ScheduleDefinition(
        name="freshness_morning",
        job=freshness_job,
        cron_schedule="0 8 * * *",
        execution_timezone=PARIS_TIMEZONE,
        default_status=DefaultScheduleStatus.RUNNING,
    ),
]
jobs = [offres_job, offres_stock_job, referentiels_job, freshness_job]
