"""What a failed step means for Dagster: retry it, retry it later, or stop and explain.

The client decides, in one place, whether an error is worth retrying
(`FranceTravailError.retryable`). This module maps that decision, and the database's
errors, onto Dagster:

- `RetryLater` (the API asked for a wait longer than a worker should sleep): the step is
  retried after that wait, without holding a worker meanwhile; a wait over
  `MAX_RETRY_LATER_SECONDS` fails the step instead, saying when to run it again;
- another retryable client error (5xx, timeouts after the client's own bounded retries),
  or a database connection error: raised as is, so the asset's `RetryPolicy` retries
  the step with backoff;
- anything else (bad credentials, a scope the application lacks, a rejected request, a
  bug): a `Failure` that is not retried, whose description is one sentence. Retrying a
  failure that will happen again only delays the alert.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from dagster import Backoff, Failure, Jitter, RetryPolicy, RetryRequested

from pipelines.francetravail import errors
from pipelines.warehouse.errors import WarehouseError

# Step retries for transient causes: 30 s, 60 s, 120 s, each with jitter.
TRANSIENT_RETRY_POLICY = RetryPolicy(
    max_retries=3, delay=30, backoff=Backoff.EXPONENTIAL, jitter=Jitter.PLUS_MINUS
)
MAX_THROTTLE_RETRIES = 3
# An API that asks for more than an hour is not throttling: the run stops and says so.
MAX_RETRY_LATER_SECONDS = 3600.0
# Database errors that a later attempt can get past: a lost connection, a lock.
TRANSIENT_DATABASE_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError)
MAX_QUOTED_CHARACTERS = 500


@contextmanager
def api_outcomes() -> Iterator[None]:
    """Translate the errors raised inside the block into Dagster outcomes."""
    try:
        yield
    except errors.RetryLater as error:
        if error.wait_seconds > MAX_RETRY_LATER_SECONDS:
            raise Failure(
                description=(
                    f"{error} The wait is over {MAX_RETRY_LATER_SECONDS / 3600:.0f} "
                    "hour: run this step again after it."
                ),
                allow_retries=False,
            ) from error
        raise RetryRequested(
            max_retries=MAX_THROTTLE_RETRIES, seconds_to_wait=error.wait_seconds
        ) from error
    except errors.FranceTravailError as error:
        if error.retryable:
            raise
        raise Failure(description=str(error), allow_retries=False) from error
    except WarehouseError as error:
        if error.retryable:
            raise
        raise Failure(description=str(error), allow_retries=False) from error
    except TRANSIENT_DATABASE_ERRORS:
        raise
    except (Failure, RetryRequested):
        raise
    except Exception as error:
        said = str(error)
        if len(said) > MAX_QUOTED_CHARACTERS:
            said = said[:MAX_QUOTED_CHARACTERS] + "…"
        raise Failure(
            description=(
                f"Unexpected {type(error).__name__}: {said}. Retrying would fail the "
                "same way; see the stack trace."
            ),
            allow_retries=False,
        ) from error
