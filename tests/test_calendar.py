"""Paris days and API timestamps: what can be placed on a day, and what cannot."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from pipelines.calendar import paris_date, paris_day_window, parse_api_datetime


@pytest.mark.parametrize(
    ("text", "instant", "day"),
    [
        pytest.param(
            "2026-03-10T23:30:00.137Z",
            datetime(2026, 3, 10, 23, 30, 0, 137000, tzinfo=UTC),
            date(2026, 3, 11),
            id="z-millis",
        ),
        pytest.param(
            "2026-07-01T01:00:00+02:00",
            datetime(2026, 6, 30, 23, 0, tzinfo=UTC),
            date(2026, 7, 1),
            id="offset",
        ),
        pytest.param(
            "2026-03-10T10:00:00",
            datetime(2026, 3, 10, 10, 0, tzinfo=UTC),
            date(2026, 3, 10),
            id="bare-is-utc",
        ),
        pytest.param(
            "9999-12-31T22:59:59Z",
            datetime(9999, 12, 31, 22, 59, 59, tzinfo=UTC),
            date(9999, 12, 31),
            id="last-paris-second",
        ),
    ],
)
def test_api_timestamps_are_read_as_utc_and_placed_on_a_paris_day(text, instant, day):
    parsed = parse_api_datetime(text)

    assert parsed == instant
    assert parsed.tzinfo == UTC
    assert paris_date(parsed) == day


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("9999-12-31T23:59:59Z", id="year-10000-in-paris"),
        pytest.param("0001-01-01T00:00:00+01:00", id="year-0-in-utc"),
        pytest.param("not a date", id="garbage"),
    ],
)
def test_timestamps_outside_pythons_range_are_unreadable_dates(text):
    with pytest.raises(ValueError):
        parse_api_datetime(text)


def test_an_instant_whose_paris_day_is_past_9999_is_a_value_error():
    with pytest.raises(ValueError) as raised:
        paris_date(datetime(9999, 12, 31, 23, 30, tzinfo=UTC))

    assert "no Paris day" in str(raised.value)


def test_paris_days_around_the_clock_changes_last_23_24_and_25_hours():
    hours = [
        paris_day_window(day).seconds / 3600
        for day in (date(2026, 3, 29), date(2026, 3, 30), date(2026, 10, 25))
    ]

    assert hours == [23.0, 24.0, 25.0]
