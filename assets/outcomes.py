"""What a failed API call means for a Dagster step.

The client decides, in one place, whether an error is worth retrying
(`FranceTravailError.retryable`). This module only maps that decision onto Dagster:

- `RetryLater` (the API asked for a wait longer than a worker should sleep): the step is
  retried after that wait, without holding a worker meanwhile;
- another retryable error (5xx, timeouts after the client's own bounded retries): raised
  as is, so the asset's `RetryPolicy` retries the step with backoff;
- anything else (bad credentials, a scope the application lacks, a rejected request): a
  `Failure` that is not retried, whose description is the client's one-sentence message.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from dagster import Backoff, Failure, Jitter, RetryPolicy, RetryRequested

from pipelines.francetravail import errors

# Step retries for transient causes: 30 s, 60 s, 120 s, each with jitter.
TRANSIENT_RETRY_POLICY = RetryPolicy(
    max_retries=3, delay=30, backoff=Backoff.EXPONENTIAL, jitter=Jitter.PLUS_MINUS
)
MAX_THROTTLE_RETRIES = 3


@contextmanager
def api_outcomes() -> Iterator[None]:
    """Translate client errors raised inside the block into Dagster outcomes."""
    try:
        yield
    except errors.RetryLater as error:
        raise RetryRequested(
            max_retries=MAX_THROTTLE_RETRIES, seconds_to_wait=error.wait_seconds
        ) from error
    except errors.FranceTravailError as error:
        if error.retryable:
            raise
        raise Failure(description=str(error), allow_retries=False) from error
