"""Retry-After in every HTTP form, backoff, and the bounds of a call's retries."""

from __future__ import annotations

import pytest

from pipelines.francetravail import RetryPolicy
from pipelines.francetravail.retry import RetryBudget, parse_retry_after

from .francetravail_fakes import START, FakeClock

# START is 2026-05-28T20:26:40Z.
HTTP_DATES = {
    "imf-fixdate": "Thu, 28 May 2026 20:26:50 GMT",
    "rfc-850": "Thursday, 28-May-26 20:26:50 GMT",
    "asctime": "Thu May 28 20:26:50 2026",
}


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        pytest.param("2", 2.0, id="seconds"),
        pytest.param("120", 120.0, id="two-minutes"),
        pytest.param("1.5", 1.5, id="fraction"),
        pytest.param("  7  ", 7.0, id="spaces"),
        *[pytest.param(v, 10.0, id=k) for k, v in HTTP_DATES.items()],
    ],
)
def test_usable_retry_after_values(value, seconds):
    assert parse_retry_after(value, now=START) == seconds


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(None, id="absent"),
        pytest.param("", id="empty"),
        pytest.param("0", id="zero"),
        pytest.param("-3", id="negative"),
        pytest.param("soon", id="garbage"),
        pytest.param("inf", id="infinite"),
        pytest.param("nan", id="nan"),
        pytest.param("Thu, 28 May 2026 20:26:30 GMT", id="past-date"),
        pytest.param("Thu, 28 May 2026 20:26:40 GMT", id="date-now"),
        pytest.param("Thu, 32 May 2026 20:26:50 GMT", id="bad-date"),
    ],
)
def test_unusable_retry_after_values_mean_backoff(value):
    assert parse_retry_after(value, now=START) is None


def test_backoff_doubles_up_to_its_maximum():
    policy = RetryPolicy(backoff_initial=1, backoff_max=30, jitter=lambda: 1.0)

    assert [policy.backoff(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


def test_backoff_jitter_keeps_at_least_half_the_wait():
    low = RetryPolicy(jitter=lambda: 0.0)

    assert [low.backoff(n) for n in range(1, 4)] == [0.5, 1.0, 2.0]


def test_the_budget_gives_up_after_max_attempts():
    clock = FakeClock()
    budget = RetryBudget(RetryPolicy(max_attempts=3, jitter=lambda: 1.0), clock)

    assert budget.wait_before_retry() == 1.0
    assert budget.wait_before_retry(retry_after=5.0) == 5.0
    assert budget.wait_before_retry() is None


def test_the_budget_gives_up_when_the_wait_would_pass_the_time_limit():
    clock = FakeClock()
    budget = RetryBudget(RetryPolicy(max_elapsed=10, jitter=lambda: 1.0), clock)
    clock.advance(6)

    assert budget.wait_before_retry(retry_after=4.0) == 4.0
    assert budget.wait_before_retry(retry_after=4.5) is None


@pytest.mark.parametrize(
    "options",
    [{"max_attempts": 0}, {"backoff_initial": 0}, {"backoff_max": 0.5}],
)
def test_policies_that_cannot_work_are_refused(options):
    with pytest.raises(ValueError):
        RetryPolicy(**options)
