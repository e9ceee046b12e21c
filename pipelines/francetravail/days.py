"""From Paris calendar days to the creation window sent to the offers search.

A partition is a day in Europe/Paris (23, 24 or 25 hours long). The search filters on
``minCreationDate`` and ``maxCreationDate`` written ``yyyy-MM-ddTHH:mm:ssZ``; the API
documents them as UTC, but which zone the server really reads them in cannot be
checked from outside. The request window therefore covers the day under both
readings, with the least padding that allows (it costs requests), and the offers are
then assigned to days by their ``dateCreation`` in Paris time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from pipelines.calendar import (
    PARIS,
    TimeWindow,
    paris_date,
    paris_day_window,
    parse_api_datetime,
)
from pipelines.francetravail.redaction import quote

logger = logging.getLogger("pipelines.francetravail")


def request_window(first_day: date, last_day: date | None = None) -> TimeWindow:
    """The creation window to request for the Paris days ``first_day..last_day``.

    Read as UTC, the window must start no later than Paris midnight (22:00 or 23:00 UTC
    the day before) and end no earlier than the next Paris midnight. Read as Paris
    time, its end must reach the next midnight on the wall clock. Paris is always ahead
    of UTC, so the UTC start satisfies both readings, and the end is the later of the
    two: the next Paris midnight written as if it were UTC. The padding is the Paris
    offset at the end of the span, one or two hours.
    """
    last_day = first_day if last_day is None else last_day
    if last_day < first_day:
        raise ValueError(f"{last_day} comes before {first_day}")
    start = paris_day_window(first_day).start
    end = paris_day_window(last_day).end
    wall_clock_end = end.astimezone(PARIS).replace(tzinfo=UTC)
    return TimeWindow(start, max(end, wall_clock_end))


def created_on(
    offers: Iterable[dict], first_day: date, last_day: date | None = None
) -> list[dict]:
    """The offers whose ``dateCreation`` falls on the Paris days given, in order.

    An offer without a readable creation date (absent, malformed, or out of the years
    1 to 9999) cannot be placed on a day: it is left out, with a warning.
    """
    last_day = first_day if last_day is None else last_day
    kept = []
    for offer in offers:
        try:
            day = paris_date(parse_api_datetime(offer["dateCreation"]))
        except (KeyError, TypeError, ValueError):
            logger.warning(
                "francetravail.offer_without_date id=%s",
                quote(offer.get("id"), limit=40),
                extra={"event": "francetravail.offer_without_date"},
            )
            continue
        if first_day <= day <= last_day:
            kept.append(offer)
    return kept


def format_api_datetime(instant: datetime) -> str:
    """An instant as the search expects it: UTC, whole seconds, ``Z``."""
    if instant.tzinfo is None:
        raise ValueError("a naive datetime has no defined instant")
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def whole_seconds(window: TimeWindow) -> TimeWindow:
    """The smallest window of whole seconds that contains ``window``.

    The search reads dates to the second, so every window it is sent starts and ends
    on a second.
    """
    start = window.start.astimezone(UTC).replace(microsecond=0)
    end = window.end.astimezone(UTC)
    if end.microsecond:
        end = end.replace(microsecond=0) + timedelta(seconds=1)
    return TimeWindow(start, end)
