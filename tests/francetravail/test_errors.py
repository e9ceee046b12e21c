"""The exception tree: one root, and `retryable` decided per class."""

from __future__ import annotations

import pytest

from pipelines.francetravail import errors

RETRYABLE = {
    errors.FranceTravailError: False,
    errors.AuthenticationError: False,
    errors.AccessDenied: False,
    errors.RequestRejected: False,
    errors.TransientError: True,
    errors.ServerError: True,
    errors.NetworkError: True,
    errors.UnexpectedResponse: True,
    errors.RetryLater: True,
    errors.Throttled: True,
    errors.CoverageError: True,
    errors.WindowTooDense: False,
}


def test_every_error_class_says_whether_to_retry():
    public = {
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, errors.FranceTravailError)
    }

    assert public == set(RETRYABLE)
    assert {cls: cls.retryable for cls in public} == RETRYABLE


@pytest.mark.parametrize("cls", RETRYABLE)
def test_every_error_derives_from_the_root(cls):
    assert issubclass(cls, errors.FranceTravailError)


def test_throttled_is_a_retry_later_with_its_wait():
    error = errors.Throttled("429s", wait_seconds=12.5)

    assert isinstance(error, errors.RetryLater)
    assert error.wait_seconds == 12.5


def test_coverage_errors_say_how_many_and_where():
    error = errors.CoverageError("missing", missing=12, window="a..b")

    assert (error.missing, error.window, error.retryable) == (12, "a..b", True)
