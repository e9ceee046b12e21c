"""Paris days to request windows, padded for either reading of the dates."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import pytest

from pipelines.calendar import PARIS, TimeWindow, paris_day_window
from pipelines.francetravail.days import (
    created_on,
    format_api_datetime,
    request_window,
    whole_seconds,
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# Paris day -> request window (UTC), its length in hours
SINGLE_DAYS = {
    "winter": (date(2026, 3, 10), "2026-03-09T23:00", "2026-03-11T00:00", 25),
    "spring-23h": (date(2026, 3, 29), "2026-03-28T23:00", "2026-03-30T00:00", 25),
    "summer": (date(2026, 7, 14), "2026-07-13T22:00", "2026-07-15T00:00", 26),
    "autumn-25h": (date(2026, 10, 25), "2026-10-24T22:00", "2026-10-26T00:00", 26),
}


@pytest.mark.parametrize(
    ("day", "start", "end", "hours"), SINGLE_DAYS.values(), ids=SINGLE_DAYS.keys()
)
def test_request_windows_of_single_days(day, start, end, hours):
    window = request_window(day)

    assert window == TimeWindow(utc(start), utc(end))
    assert window.seconds == hours * 3600


def test_the_paris_days_of_the_clock_changes_last_23_and_25_hours():
    assert paris_day_window(date(2026, 3, 29)).seconds == 23 * 3600
    assert paris_day_window(date(2026, 10, 25)).seconds == 25 * 3600


def as_paris_wall_clock(instant: datetime) -> datetime:
    """What an API reading the written UTC time as Paris time would understand."""
    return instant.replace(tzinfo=None).replace(tzinfo=PARIS)


def test_every_day_of_2026_is_covered_under_both_readings_with_least_padding():
    for offset in range(365):
        day = date(2026, 1, 1) + timedelta(days=offset)
        paris = paris_day_window(day)

        window = request_window(day)

        assert window.start <= paris.start and window.end >= paris.end
        assert as_paris_wall_clock(window.start) <= paris.start
        assert as_paris_wall_clock(window.end) >= paris.end
        # Least padding: neither bound can move in without losing one reading.
        assert window.start == paris.start
        assert as_paris_wall_clock(window.end) == paris.end


def test_a_span_of_days_is_one_window():
    window = request_window(date(2026, 3, 28), date(2026, 3, 30))

    assert window == TimeWindow(utc("2026-03-27T23:00"), utc("2026-03-31T00:00"))


def test_a_reversed_span_is_refused():
    with pytest.raises(ValueError):
        request_window(date(2026, 3, 30), date(2026, 3, 28))


SPRING, AUTUMN = date(2026, 3, 29), date(2026, 10, 25)
# creation instant (UTC) -> kept on that Paris day?
BOUNDARIES = {
    "spring-before": (SPRING, "2026-03-28T22:59:59.999Z", False),
    "spring-first": (SPRING, "2026-03-28T23:00:00.000Z", True),
    "spring-at-change": (SPRING, "2026-03-29T01:30:00.000Z", True),
    "spring-last": (SPRING, "2026-03-29T21:59:59.999Z", True),
    "spring-after": (SPRING, "2026-03-29T22:00:00.000Z", False),
    "autumn-before": (AUTUMN, "2026-10-24T21:59:59.999Z", False),
    "autumn-first": (AUTUMN, "2026-10-24T22:00:00.000Z", True),
    "autumn-twice": (AUTUMN, "2026-10-25T00:30:00.000Z", True),
    "autumn-last": (AUTUMN, "2026-10-25T22:59:59.999Z", True),
    "autumn-after": (AUTUMN, "2026-10-25T23:00:00.000Z", False),
}


@pytest.mark.parametrize(
    ("day", "created", "kept"), BOUNDARIES.values(), ids=BOUNDARIES.keys()
)
def test_offers_are_kept_by_their_paris_creation_day(day, created, kept):
    offers = [{"id": "184TRJB", "dateCreation": created}]

    assert created_on(offers, day) == (offers if kept else [])


def test_offers_without_a_creation_date_are_left_out_with_a_warning(caplog):
    offers = [{"id": "1"}, {"id": "2", "dateCreation": "not a date"}]

    with caplog.at_level(logging.WARNING, logger="pipelines.francetravail"):
        kept = created_on(offers, date(2026, 3, 29))

    assert kept == []
    assert [r.getMessage() for r in caplog.records] == [
        "francetravail.offer_without_date id=1",
        "francetravail.offer_without_date id=2",
    ]


def test_offers_dated_out_of_pythons_range_are_left_out_with_a_warning(caplog):
    offers = [
        {"id": "late", "dateCreation": "9999-12-31T23:59:59Z"},
        {"id": "early", "dateCreation": "0001-01-01T00:00:00+01:00"},
        {"id": "ok", "dateCreation": "2026-03-29T12:00:00.000Z"},
    ]

    with caplog.at_level(logging.WARNING, logger="pipelines.francetravail"):
        kept = created_on(offers, date(2026, 3, 29))

    assert [o["id"] for o in kept] == ["ok"]
    assert [r.getMessage() for r in caplog.records] == [
        "francetravail.offer_without_date id=late",
        "francetravail.offer_without_date id=early",
    ]


def test_created_on_a_span_of_days():
    offers = [
        {"id": "a", "dateCreation": "2026-03-27T23:30:00.000Z"},
        {"id": "b", "dateCreation": "2026-03-29T12:00:00.000Z"},
        {"id": "c", "dateCreation": "2026-03-30T23:30:00.000Z"},
    ]

    kept = created_on(offers, date(2026, 3, 28), date(2026, 3, 30))

    assert [o["id"] for o in kept] == ["a", "b"]


def test_api_datetimes_are_utc_whole_seconds_with_z():
    instant = datetime(2026, 3, 29, 3, 4, 5, 999_000, tzinfo=PARIS)

    assert format_api_datetime(instant) == "2026-03-29T01:04:05Z"


def test_windows_are_widened_to_whole_seconds():
    window = TimeWindow(utc("2026-03-29T01:00:00.250"), utc("2026-03-29T02:00:00.001"))

    assert whole_seconds(window) == TimeWindow(
        utc("2026-03-29T01:00:00"), utc("2026-03-29T02:00:01")
    )
