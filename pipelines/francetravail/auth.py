"""OAuth2 client credentials for the partner realm: secrets, and cached access tokens.

The application's id and secret go in the form body of a POST to the token endpoint,
with the scopes of one API (France Travail does not document HTTP Basic). A token is
reused until shortly before it expires, and when several threads need a new one at
once, a single request serves them all. The token endpoint's OAuth errors cannot be
fixed by retrying, so they fail at once with a sentence that says what to change; its
429, 5xx and network failures are retried within the `RetryPolicy`.

Every token received is handed to the client's `Redactor` at once, so that no error
message built from server text can show it, even after it was replaced; a token that
could not travel in an HTTP header (control, blank or non-ASCII characters) is refused
like a missing one, never sent.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass

import httpx

from pipelines.francetravail import errors
from pipelines.francetravail.catalogue import ApiSpec
from pipelines.francetravail.clock import Clock
from pipelines.francetravail.logs import log_request, log_wait
from pipelines.francetravail.redaction import Redactor
from pipelines.francetravail.retry import (
    RetryBudget,
    RetryPolicy,
    describe_wait,
    parse_retry_after,
)
from pipelines.francetravail.stats import RequestStats
from pipelines.francetravail.transfer import Received, exchange

# A token is renewed this long before it expires (at most), so a request never leaves
# with a token that dies on the way.
MAX_EXPIRY_MARGIN = 60.0
# For short-lived tokens the margin is this share of the lifetime instead.
EXPIRY_MARGIN_SHARE = 0.1
# What a bearer token may hold to travel in an Authorization header: visible ASCII,
# no blank. Anything else (a CR/LF that would inject a header, a non-ASCII character
# httpx cannot encode) is refused on arrival.
_SENDABLE_TOKEN = re.compile(r"[\x21-\x7e]+")


class Secret:
    """A string that never shows itself in a repr, a str, a log or a traceback."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("a Secret wraps a str")
        self._value = value

    def reveal(self) -> str:
        """The value itself, for the one place that must send it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return (
            hashlib.sha256(self._value.encode()).digest()
            == hashlib.sha256(other._value.encode()).digest()
        )

    def __hash__(self) -> int:
        return hash(hashlib.sha256(self._value.encode()).digest())

    def __bool__(self) -> bool:
        return bool(self._value)

    def __getstate__(self) -> str:
        return self._value

    def __setstate__(self, value: str) -> None:
        self._value = value


@dataclass(frozen=True)
class Credentials:
    """The id and secret of a francetravail.io application."""

    client_id: str
    client_secret: Secret

    def __post_init__(self) -> None:
        if not self.client_id:
            raise ValueError("the client id is empty")
        if not isinstance(self.client_secret, Secret):
            raise TypeError("wrap the client secret in Secret(...)")


@dataclass(frozen=True)
class AccessToken:
    """A bearer token and the instant (epoch seconds) it stops being used."""

    value: Secret
    scopes: tuple[str, ...]
    renew_at: float

    @property
    def authorization(self) -> str:
        return f"Bearer {self.value.reveal()}"


# One sentence per documented error code: what was refused, then what to do.
_TOKEN_ERRORS: dict[str, str] = {
    "invalid_client": (
        "The token endpoint rejected the client id or secret ({detail}): check the "
        "credentials of the application on francetravail.io."
    ),
    "unsupported_grant_type": (
        "The token endpoint does not accept the client-credentials grant ({detail}): "
        "check that the token URL is the partner realm's (realm=/partenaire)."
    ),
    "invalid_grant": (
        "The token endpoint rejected the grant as invalid, expired or revoked "
        "({detail}): check that the application is still active on francetravail.io "
        "and that its credentials are current."
    ),
    "redirect_uri_mismatch": (
        "The token endpoint answered with a redirect-URI error ({detail}), which only "
        "authorization-code flows should see: check that the token URL is the "
        "client-credentials endpoint of the partner realm."
    ),
}


class TokenProvider:
    """Access tokens for one set of scopes, cached and shared by every thread.

    Args:
        http: the client's HTTP session.
        token_url: the token endpoint, realm included.
        credentials: the application's id and secret.
        api: the API the scopes belong to, named in error messages.
        clock: the time source of the expiry checks and retry waits.
        retry: bounds of the retries on 429, 5xx and network failures.
        stats: where token requests and refreshes are counted.
        redactor: told every token received, and used to quote the endpoint's errors.
        deadline: seconds one request to the endpoint may take, body included.
    """

    def __init__(
        self,
        *,
        http: httpx.Client,
        token_url: str,
        credentials: Credentials,
        api: ApiSpec,
        clock: Clock,
        retry: RetryPolicy,
        stats: RequestStats,
        redactor: Redactor,
        deadline: float,
    ) -> None:
        self._http = http
        self._token_url = token_url
        self._credentials = credentials
        self._api = api
        self._clock = clock
        self._retry = retry
        self._stats = stats
        self._redactor = redactor
        self._deadline = deadline
        self._lock = threading.Lock()
        self._token: AccessToken | None = None
        self._fetched = 0

    def __repr__(self) -> str:
        return f"TokenProvider(api={self._api.name!r}, scope={self._api.scope!r})"

    def token(self) -> AccessToken:
        """A token valid for at least the safety margin, fetched only when needed.

        Threads that arrive while a token is being fetched wait for that one.
        """
        with self._lock:
            if self._token is None or self._clock.now() >= self._token.renew_at:
                self._token = self._fetch()
            return self._token

    def invalidate(self, rejected: AccessToken) -> None:
        """Forget ``rejected`` (an API answered 401 to it), unless already replaced."""
        with self._lock:
            if self._token is rejected:
                self._token = None

    def _fetch(self) -> AccessToken:
        """Ask the token endpoint, retrying what a retry can fix."""
        budget = RetryBudget(self._retry, self._clock)
        while True:
            attempt = budget.failures + 1
            try:
                received = self._post(budget)
            except httpx.TransportError as error:
                failure = errors.NetworkError(
                    f"Could not reach the token endpoint ({type(error).__name__}) "
                    f"after {attempt} attempts: check the network and the token URL, "
                    "then retry.",
                    api=self._api.title,
                )
                self._wait_or_fail(budget, None, type(error).__name__, failure, error)
                continue

            response = received.response
            status = response.status_code
            if status in (400, 401):
                raise self._refusal(received)
            if status == 200:
                token = self._read_token(received)
                if isinstance(token, AccessToken):
                    return self._count(token)
                failure = errors.UnexpectedResponse(
                    f"The token endpoint answered 200 {token}: check that the token "
                    "URL is the OAuth2 endpoint, then retry.",
                    api=self._api.title,
                    status=status,
                )
                self._wait_or_fail(budget, None, "unusable token", failure)
                continue
            if status == 429 or status >= 500:
                retry_after = parse_retry_after(
                    response.headers.get("Retry-After"), self._clock.now()
                )
                self._raise_if_too_long(retry_after, status)
                failure = self._still_failing(status, attempt, retry_after)
                self._wait_or_fail(budget, retry_after, f"status {status}", failure)
                continue
            raise errors.AuthenticationError(
                f"The token endpoint answered {status}: check the token URL "
                f"({self._token_url.split('?')[0]}).",
                api=self._api.title,
                status=status,
            )

    def _post(self, budget: RetryBudget) -> Received:
        """One request to the token endpoint, logged without its form."""
        form = {
            "grant_type": "client_credentials",
            "client_id": self._credentials.client_id,
            "client_secret": self._credentials.client_secret.reveal(),
            "scope": self._api.scope,
        }
        self._stats.add("token_requests")
        started = time.perf_counter()
        request = self._http.build_request(
            "POST", self._token_url, data=form, headers={"Accept": "application/json"}
        )
        deadline = min(
            self._clock.now() + self._deadline,
            budget.started + self._retry.max_elapsed,
        )
        try:
            received = exchange(
                self._http, request, deadline=deadline, clock=self._clock
            )
        except httpx.TransportError as error:
            elapsed = time.perf_counter() - started
            log_request("POST", self._token_url, type(error).__name__, elapsed)
            raise
        elapsed = time.perf_counter() - started
        log_request("POST", self._token_url, received.response.status_code, elapsed)
        return received

    def _count(self, token: AccessToken) -> AccessToken:
        self._fetched += 1
        if self._fetched > 1:
            self._stats.add("token_refreshes")
        return token

    def _still_failing(
        self, status: int, attempts: int, retry_after: float | None
    ) -> errors.FranceTravailError:
        """The error to raise if this 429 or 5xx is the last attempt."""
        if status == 429:
            return errors.Throttled(
                f"The token endpoint kept answering 429 after {attempts} attempts: "
                "retry in a minute.",
                wait_seconds=retry_after or self._retry.backoff_max,
                api=self._api.title,
                status=status,
            )
        return errors.ServerError(
            f"The token endpoint kept answering {status} after {attempts} attempts: "
            "retry later, or check the France Travail status page.",
            api=self._api.title,
            status=status,
        )

    def _read_token(self, received: Received) -> AccessToken | str:
        """The token of a 200, or why there is none usable (to end a sentence)."""
        unusable = "without a usable access token"
        try:
            body = json.loads(received.content)
            value = body["access_token"]
            lifetime = float(body.get("expires_in", 1499))
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return unusable
        if not isinstance(value, str) or not value or lifetime <= 0:
            return unusable
        # Masked from every message from now on, whether it is used or not.
        self._redactor.remember(value)
        if not _SENDABLE_TOKEN.fullmatch(value):
            return (
                "with an access token that cannot travel in an HTTP header (control, "
                "blank or non-ASCII characters)"
            )
        margin = min(MAX_EXPIRY_MARGIN, lifetime * EXPIRY_MARGIN_SHARE)
        scopes = tuple(str(body.get("scope") or self._api.scope).split())
        return AccessToken(
            value=Secret(value),
            scopes=scopes,
            renew_at=self._clock.now() + lifetime - margin,
        )

    def _refusal(self, received: Received) -> errors.FranceTravailError:
        response = received.response
        code, description = _oauth_error(received)
        # The endpoint may echo the form it was sent, client secret included.
        code = self._redactor.quote(code, limit=60)
        description = self._redactor.quote(description)
        detail = f"{code}: {description}" if description else code
        if code == "invalid_scope":
            return errors.AccessDenied(
                f"The token endpoint refused the scopes {self._api.scope!r} of "
                f"{self._api.title} ({detail}): subscribe the application to "
                f"{self._api.title} on francetravail.io, or correct the scopes.",
                api=self._api.title,
                status=response.status_code,
            )
        template = _TOKEN_ERRORS.get(
            code,
            "The token endpoint refused the request ({detail}): check the token URL "
            "and the application's credentials.",
        )
        return errors.AuthenticationError(
            template.format(detail=detail),
            api=self._api.title,
            status=response.status_code,
        )

    def _raise_if_too_long(self, retry_after: float | None, status: int) -> None:
        if retry_after is not None and retry_after > self._retry.max_retry_after:
            raise errors.RetryLater(
                f"The token endpoint asked to wait {describe_wait(retry_after)} "
                f"({status}), longer than the {self._retry.max_retry_after:.0f} s a "
                "worker may sleep: retry after that wait.",
                wait_seconds=retry_after,
                api=self._api.title,
                status=status,
            )

    def _wait_or_fail(
        self,
        budget: RetryBudget,
        retry_after: float | None,
        cause: str,
        failure: errors.FranceTravailError,
        origin: Exception | None = None,
    ) -> None:
        """Sleep before the next attempt, or raise ``failure`` when retries are out."""
        wait = budget.wait_before_retry(retry_after)
        if wait is None:
            raise failure from origin
        log_wait(
            "francetravail.token_retry",
            api=self._api.name,
            cause=cause,
            attempt=budget.failures,
            wait=wait,
        )
        self._stats.add("retries")
        self._stats.add("seconds_waited", wait)
        self._clock.sleep(wait)


def _oauth_error(received: Received) -> tuple[str, str]:
    """The ``error`` and ``error_description`` of an OAuth2 error body, unquoted."""
    response = received.response
    try:
        body = json.loads(received.content)
    except (ValueError, RecursionError):
        return f"HTTP {response.status_code}", ""
    if not isinstance(body, dict):
        return f"HTTP {response.status_code}", ""
    return (
        str(body.get("error") or f"HTTP {response.status_code}"),
        str(body.get("error_description") or ""),
    )
