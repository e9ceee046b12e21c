"""Every error the France Travail client raises, in one tree.

Each class says, through its class attribute ``retryable``, whether the same call can
succeed later without anyone changing the configuration. That attribute is the one place
where "retry later" and "fix the configuration" are told apart; the Dagster layer reads
only it and `RetryLater.wait_seconds`.

::

    FranceTravailError             retryable
    ├── AuthenticationError        no    the token endpoint refused the credentials or
    │                                    the grant, or the API refused two fresh tokens
    ├── AccessDenied               no    a scope or an API subscription is missing
    │                                    (invalid_scope, 403); names the API
    ├── RequestRejected            no    the API refused the request itself (400, 404,
    │                                    405, 422...); carries `message` and `code`
    ├── TransientError             yes   still failing once the retries were spent
    │   ├── ServerError            yes     5xx answers
    │   ├── NetworkError           yes     timeouts, refused or broken connections,
    │   │                                  an answer still arriving at its deadline
    │   └── UnexpectedResponse     yes     truncated, undecodable, non-JSON or
    │                                      absurdly nested body, unreadable
    │                                      Content-Range, a page that does not match
    │                                      the range it was asked for
    ├── RetryLater                 yes   wait `wait_seconds`, then try again
    │   └── Throttled              yes     429 answers outlasted the retry budget
    └── CoverageError              yes   fewer offers fetched than the API announced,
        │                                or a total that kept changing under the read
        └── WindowTooDense         no      no split brings a window under the cap

Messages are one sentence: what was refused, then what to do. They never contain a
secret: no client secret, no token, no Authorization header; server text they quote
is masked and cut short first (see `redaction`).
"""

from __future__ import annotations

from typing import Any


class FranceTravailError(Exception):
    """Root of the client's errors.

    Attributes:
        api: title of the API the call went to, when there was one.
        status: HTTP status of the answer that caused the error, when there was one.
    """

    retryable: bool = False

    def __init__(
        self, message: str, *, api: str | None = None, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.api = api
        self.status = status

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep the keyword attributes when an error crosses a process boundary.
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(
    cls: type[FranceTravailError], args: tuple[Any, ...], state: dict[str, Any]
) -> FranceTravailError:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class AuthenticationError(FranceTravailError):
    """The credentials or the grant were refused: only a configuration change helps."""


class AccessDenied(FranceTravailError):
    """The application lacks a scope or the subscription to an API."""


class RequestRejected(FranceTravailError):
    """The API refused the request itself; sending it again gives the same answer.

    Attributes:
        message: the API's own ``message`` field, when the body had one.
        code: the API's ``codeErreur`` field, when the body had one.
    """

    def __init__(
        self,
        message: str,
        *,
        api: str | None = None,
        status: int | None = None,
        api_message: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message, api=api, status=status)
        self.message = api_message
        self.code = code


class TransientError(FranceTravailError):
    """A failure that may go away by itself; the client's own retries were spent."""

    retryable = True


class ServerError(TransientError):
    """The API kept answering with a 5xx status."""


class NetworkError(TransientError):
    """The API could not be reached, or the connection broke mid-answer."""


class UnexpectedResponse(TransientError):
    """The API answered something this client cannot trust as data."""


class RetryLater(FranceTravailError):
    """The API asked for a pause longer than a worker should sleep.

    Attributes:
        wait_seconds: how long to wait before the next attempt.
    """

    retryable = True

    def __init__(
        self,
        message: str,
        *,
        wait_seconds: float,
        api: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message, api=api, status=status)
        self.wait_seconds = wait_seconds


class Throttled(RetryLater):
    """The API kept answering 429 until the retry budget was spent."""


class CoverageError(FranceTravailError):
    """Fewer offers were fetched than the API announced for a window, or a slice's
    total kept changing while it was read.

    Offers created or withdrawn while a window is read are the usual cause, so a later
    run can succeed.

    Attributes:
        missing: how many offers are missing.
        window: the window, as written in the message.
    """

    retryable = True

    def __init__(self, message: str, *, missing: int, window: str) -> None:
        super().__init__(message)
        self.missing = missing
        self.window = window


class WindowTooDense(CoverageError):
    """A one-second window stays over the cap after every facet was split."""

    retryable = False
