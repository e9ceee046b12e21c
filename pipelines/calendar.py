"""Paris calendar days and the UTC instants that bound them.

A partition is a calendar day in Europe/Paris. Such a day lasts 23 hours on the spring
clock change and 25 hours on the autumn one, so its bounds are always computed through
the time zone, never by adding 24 hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True, order=True)
class TimeWindow:
    """A half-open interval of instants, [start, end), both timezone-aware in UTC."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("TimeWindow bounds must be timezone-aware")
        if self.end <= self.start:
            raise ValueError(f"empty time window: {self.start} .. {self.end}")

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


def paris_day_window(day: date) -> TimeWindow:
    """The UTC instants of one Paris calendar day: 23, 24 or 25 hours long."""
    start = datetime(day.year, day.month, day.day, tzinfo=PARIS)
    next_day = day + timedelta(days=1)
    end = datetime(next_day.year, next_day.month, next_day.day, tzinfo=PARIS)
    return TimeWindow(start.astimezone(UTC), end.astimezone(UTC))


def parse_api_datetime(value: str) -> datetime:
    """Parse an API timestamp such as ``2024-11-27T14:45:20.137Z`` into aware UTC.

    The instant returned can always be placed on a Paris day (`paris_date`).

    Raises:
        ValueError: the text is not a timestamp, or its instant lies outside the
            years 1 to 9999 in UTC or in Paris time (``9999-12-31T23:59:59Z`` is already
            year 10000 in Paris).
    """
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        # The API writes UTC with a trailing Z; a bare timestamp is read the same way.
        parsed = parsed.replace(tzinfo=UTC)
    try:
        instant = parsed.astimezone(UTC)
        instant.astimezone(PARIS)
    except OverflowError:
        raise ValueError(f"timestamp {value!r} is out of the readable range") from None
    return instant


def paris_date(instant: datetime) -> date:
    """The Paris calendar day an instant falls on.

    Raises:
        ValueError: the day lies outside the years 1 to 9999.
    """
    try:
        return instant.astimezone(PARIS).date()
    except OverflowError:
        raise ValueError(f"{instant} has no Paris day in years 1 to 9999") from None


def parse_partition_key(key: str) -> date:
    """Read a partition key ``YYYY-MM-DD``; anything else is a clear error."""
    try:
        return date.fromisoformat(key)
    except ValueError:
        raise ValueError(
            f"partition key {key!r} is not a day written YYYY-MM-DD"
        ) from None
