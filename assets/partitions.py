"""Partitions: one per calendar day in Europe/Paris.

The key ``YYYY-MM-DD`` names a Paris day, 23 to 25 hours long. The last partition is
yesterday: today's offers are still arriving.
"""

import os

from dagster import DailyPartitionsDefinition

from pipelines.settings import DEFAULT_PARTITIONS_START, PARTITIONS_START

PARIS_TIMEZONE = "Europe/Paris"

offres_days = DailyPartitionsDefinition(
    start_date=os.environ.get(PARTITIONS_START) or DEFAULT_PARTITIONS_START,
    timezone=PARIS_TIMEZONE,
    end_offset=0,
)
