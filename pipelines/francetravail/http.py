"""The client every partner API call goes through.

`FranceTravailClient.request` is the one door: it builds the request with a current
token, waits until the API's shared budget admits it, sends it, and reads the answer,
response by response:

- 2xx: the body is decoded as JSON; a truncated, undecodable, non-JSON or absurdly
  nested body is retried, never read as "no data";
- 401: the token is dropped, a fresh one fetched (once for every thread that saw it
  fail) and the request replayed; a second 401 in a row is an authentication error;
- 403: the application lacks the API's scope or habilitation: `errors.AccessDenied`;
- other 4xx: the request itself is wrong: `errors.RequestRejected`, with the API's
  ``message`` and ``codeErreur``;
- 429: wait what ``Retry-After`` says (or a jittered backoff), holding every process of
  the budget; a wait longer than the policy allows raises `errors.RetryLater`, and
  holds the others no longer than the policy's longest wait;
- 5xx, 408, timeouts, broken connections: jittered exponential backoff.

Retries are bounded in attempts and total time by the `RetryPolicy`, and each attempt
by a deadline on the whole answer, body included (see `transfer`). Server text quoted
in an error (the API's ``message``, a header) goes through the client's `Redactor`
first: no secret the client holds or held, and no flood of text, reaches a message.
"""

from __future__ import annotations

import hashlib
import json as jsonlib
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from pipelines.francetravail import errors
from pipelines.francetravail.auth import AccessToken, Credentials, TokenProvider
from pipelines.francetravail.catalogue import ApiSpec
from pipelines.francetravail.clock import Clock, SystemClock
from pipelines.francetravail.logs import log_request, log_wait, redact_url
from pipelines.francetravail.ratelimit import (
    DEFAULT_MARGIN,
    BucketStore,
    FileBucketStore,
    RateLimiter,
    bucket_key,
)
from pipelines.francetravail.redaction import QUOTE_LIMIT, Redactor
from pipelines.francetravail.retry import (
    RetryBudget,
    RetryPolicy,
    describe_wait,
    parse_retry_after,
)
from pipelines.francetravail.stats import RequestStats
from pipelines.francetravail.transfer import Received, exchange

USER_AGENT = "francetravail-pipelines/0.1 (+httpx)"
# Besides 5xx: 429 asks to slow down, and a 408 says the server gave up waiting for the
# request, which a later attempt may not hit.
_RETRYABLE_STATUSES = frozenset({408, 429})
# Seconds one attempt may take, from sending to the last byte of the body.
DEFAULT_DEADLINE = 60.0

_T = TypeVar("_T")


@dataclass(frozen=True)
class ApiResponse:
    """A successful answer, body already decoded.

    Attributes:
        status: 200, 204, 206...
        headers: the response headers (``Content-Range`` and others).
        data: the decoded JSON body; None when the body is empty (204).
        requests: HTTP requests this call needed, retries and replays included.
    """

    status: int
    headers: httpx.Headers
    data: Any
    requests: int


class FranceTravailClient:
    """One client per process and application: tokens, budgets, retries, statistics.

    Args:
        credentials: the application's id and secret.
        token_url: the token endpoint, ``?realm=/partenaire`` included.
        api_url: the partner root, e.g. ``https://api.francetravail.io/partenaire``.
        bucket_store: where the request budget is shared; by default a directory in
            the temporary folder, shared by every process of this host.
        retry: bounds of the retries (attempts, total time, longest wait).
        clock: time source of every wait; tests pass a fake one.
        max_concurrency: requests in flight at once (pages fetched in parallel).
        timeout: seconds for connecting, and for each read or write.
        deadline: seconds one attempt may take in all, body included; a server that
            dribbles its answer is given up on after that (and the call retried).
        transport: an httpx transport, e.g. ``httpx.MockTransport`` in tests.
        rate_margin: how much longer than a second each window of a quota is: room
            for the milliseconds between a request's admission and its arrival.
    """

    def __init__(
        self,
        *,
        credentials: Credentials,
        token_url: str,
        api_url: str,
        bucket_store: BucketStore | None = None,
        retry: RetryPolicy | None = None,
        clock: Clock | None = None,
        max_concurrency: int = 8,
        timeout: float = 30.0,
        deadline: float = DEFAULT_DEADLINE,
        transport: httpx.BaseTransport | None = None,
        rate_margin: float = DEFAULT_MARGIN,
    ) -> None:
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        if deadline <= 0:
            raise ValueError("deadline must be positive")
        self._credentials = credentials
        self._token_url = token_url
        self._api_url = api_url.rstrip("/")
        self._store = bucket_store if bucket_store is not None else FileBucketStore()
        self._retry = retry or RetryPolicy()
        self._clock = clock or SystemClock()
        self._rate_margin = rate_margin
        self._deadline = deadline
        self._redactor = Redactor(credentials.client_secret.reveal())
        self.max_concurrency = max_concurrency
        self.stats = RequestStats()
        self._http = httpx.Client(
            transport=transport,
            timeout=timeout,
            headers={"User-Agent": USER_AGENT},
            limits=httpx.Limits(
                max_connections=max_concurrency + 2,
                max_keepalive_connections=max_concurrency + 2,
            ),
            follow_redirects=False,
        )
        self._lock = threading.Lock()
        self._limiters: dict[str, RateLimiter] = {}
        self._tokens: dict[str, TokenProvider] = {}
        self._executor: ThreadPoolExecutor | None = None

    def __repr__(self) -> str:
        fingerprint = hashlib.sha256(self._credentials.client_id.encode()).hexdigest()
        return (
            f"FranceTravailClient(api_url={redact_url(self._api_url)!r}, "
            f"client={fingerprint[:8]}, store={self._store!r})"
        )

    def __enter__(self) -> FranceTravailClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker threads and close the connections."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        self._http.close()

    @property
    def clock(self) -> Clock:
        return self._clock

    def quote(self, text: object, *, limit: int = QUOTE_LIMIT) -> str:
        """Server text made fit for a message: no secret of this client, one bounded
        line (see `redaction`)."""
        return self._redactor.quote(text, limit=limit)

    def submit(self, function: Callable[..., _T], *args: Any) -> Future[_T]:
        """Run ``function(*args)`` on one of the client's worker threads."""
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=self.max_concurrency,
                    thread_name_prefix="francetravail",
                )
            return self._executor.submit(function, *args)

    def limiter(self, api: ApiSpec) -> RateLimiter:
        """The pacing of ``api`` for this application (created on first use)."""
        with self._lock:
            limiter = self._limiters.get(api.name)
            if limiter is None:
                limiter = RateLimiter(
                    self._store,
                    bucket_key(self._credentials.client_id, api.name),
                    api.requests_per_second,
                    self._clock,
                    margin=self._rate_margin,
                    max_wait=self._retry.max_retry_after,
                    api_title=api.title,
                )
                self._limiters[api.name] = limiter
            return limiter

    def _token_provider(self, api: ApiSpec) -> TokenProvider:
        with self._lock:
            provider = self._tokens.get(api.scope)
            if provider is None:
                provider = TokenProvider(
                    http=self._http,
                    token_url=self._token_url,
                    credentials=self._credentials,
                    api=api,
                    clock=self._clock,
                    retry=self._retry,
                    stats=self.stats,
                    redactor=self._redactor,
                    deadline=self._deadline,
                )
                self._tokens[api.scope] = provider
            return provider

    def url(self, api: ApiSpec, path: str) -> str:
        """The full URL of ``path`` under ``api``'s base path."""
        return f"{self._api_url}/{api.base_path}/{path.lstrip('/')}"

    def request(
        self,
        api: ApiSpec,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> ApiResponse:
        """Send one API call, with pacing, authentication and bounded retries.

        Args:
            api: which API (scopes, budget, base path).
            method: ``GET``, ``POST``...
            path: path under the API's base path, e.g. ``offres/search``.
            params: query parameters; a list value repeats the parameter.
            json: a JSON body to send (``POST`` endpoints).

        Returns:
            The decoded 2xx answer.

        Raises:
            errors.FranceTravailError: a subclass that says whether to retry later.
        """
        url = self.url(api, path)
        limiter = self.limiter(api)
        tokens = self._token_provider(api)
        budget = RetryBudget(self._retry, self._clock)
        call = _Call(api=api, method=method, url=url, path=path)
        previous_was_401 = False

        while True:
            try:
                token, received = self._send_once(
                    call, tokens, limiter, budget, params, json
                )
            except httpx.TransportError as error:
                self._wait_or_raise(
                    call,
                    budget,
                    limiter,
                    cause=type(error).__name__,
                    retry_after=None,
                    origin=error,
                )
                continue

            response = received.response
            status = response.status_code
            limiter.observe(response.headers)
            if status == 401:
                if previous_was_401:
                    raise errors.AuthenticationError(
                        f"{api.title} refused two fresh access tokens in a row (401): "
                        "check that the application is active on francetravail.io "
                        "and that its credentials are current.",
                        api=api.title,
                        status=status,
                    )
                previous_was_401 = True
                tokens.invalidate(token)
                continue
            previous_was_401 = False

            if 200 <= status < 300:
                decoded = _decode(received, self.quote)
                if not isinstance(decoded, _Unreadable):
                    return ApiResponse(status, response.headers, decoded, call.sent)
                self._wait_or_raise(
                    call,
                    budget,
                    limiter,
                    cause=decoded.reason,
                    retry_after=None,
                    status=status,
                )
                continue
            if status in _RETRYABLE_STATUSES or status >= 500:
                retry_after = parse_retry_after(
                    response.headers.get("Retry-After"), self._clock.now()
                )
                if status == 429:
                    self.stats.add("responses_429")
                self._wait_or_raise(
                    call,
                    budget,
                    limiter,
                    cause=f"status {status}",
                    retry_after=retry_after,
                    status=status,
                )
                continue
            raise _rejection(api, method, path, received, self.quote)

    def _send_once(
        self,
        call: _Call,
        tokens: TokenProvider,
        limiter: RateLimiter,
        budget: RetryBudget,
        params: Mapping[str, Any] | None,
        body: Any,
    ) -> tuple[AccessToken, Received]:
        """One attempt: build with the current token, wait for a slot, send, read.

        Raises:
            httpx.TransportError: no complete answer came (timeout, refused, broken,
                past the attempt's deadline).
        """
        token = tokens.token()
        request = self._build(call, token, params, body)
        # Admission is the last step before sending: the budget records the instant
        # the request leaves.
        self.stats.add("seconds_paced", limiter.acquire())
        if self._clock.now() >= token.renew_at:
            # The wait for a slot outlasted the token: swap in a fresh one.
            token = tokens.token()
            request.headers["Authorization"] = token.authorization
        call.sent += 1
        self.stats.add("requests")
        if call.sent > 1:
            self.stats.add("retries")
        # The attempt ends at its own deadline, or when the call's time is spent.
        deadline = min(
            self._clock.now() + self._deadline,
            budget.started + self._retry.max_elapsed,
        )
        return token, self._send(call, request, deadline)

    def _build(
        self,
        call: _Call,
        token: AccessToken,
        params: Mapping[str, Any] | None,
        body: Any,
    ) -> httpx.Request:
        """The request of one attempt, or a refusal that quotes no header value."""
        try:
            return self._http.build_request(
                call.method,
                call.url,
                params=params,
                json=body,
                headers={
                    "Authorization": token.authorization,
                    "Accept": "application/json",
                },
            )
        except ValueError:
            # httpx's message names the offending value, the token maybe: the error
            # is raised below, outside the handler, so that nothing chains it.
            pass
        raise errors.RequestRejected(
            f"Cannot build {call.method} {call.path}: a header or parameter holds "
            "characters HTTP does not allow; check the request parameters.",
            api=call.api.title,
        )

    def _send(self, call: _Call, request: httpx.Request, deadline: float) -> Received:
        started = time.perf_counter()
        try:
            received = exchange(
                self._http, request, deadline=deadline, clock=self._clock
            )
        except (httpx.UnsupportedProtocol, httpx.LocalProtocolError) as error:
            refused = type(error).__name__
        except httpx.TransportError as error:
            log_request(
                call.method,
                str(request.url),
                type(error).__name__,
                time.perf_counter() - started,
            )
            raise
        else:
            log_request(
                call.method,
                str(request.url),
                received.response.status_code,
                time.perf_counter() - started,
            )
            return received

        # httpx quotes the offending URL or header value in its message, which may
        # hold the token: the error names the kind of failure only, and is raised
        # outside the handler so that nothing chains the original.
        log_request(
            call.method, str(request.url), refused, time.perf_counter() - started
        )
        raise errors.RequestRejected(
            f"Cannot send {call.method} {call.path} to {redact_url(self._api_url)} "
            f"({refused}): the API URL or a request parameter is not valid HTTP; "
            "check the API URL and the parameters.",
            api=call.api.title,
        )

    def _wait_or_raise(
        self,
        call: _Call,
        budget: RetryBudget,
        limiter: RateLimiter,
        *,
        cause: str,
        retry_after: float | None,
        status: int | None = None,
        origin: Exception | None = None,
    ) -> None:
        """Sleep before the next attempt, or raise the error that ends the call."""
        api = call.api
        if retry_after is not None and retry_after > self._retry.max_retry_after:
            # Every process of the budget is held, but no longer than a worker may
            # sleep: a hostile or broken header cannot stop them all for days. Each
            # one that then meets the same answer raises and holds again.
            limiter.hold(self._retry.max_retry_after)
            raise errors.RetryLater(
                f"{api.title} asked to wait {describe_wait(retry_after)} ({cause}), "
                f"longer than the {self._retry.max_retry_after:.0f} s a worker may "
                "sleep: retry after that wait.",
                wait_seconds=retry_after,
                api=api.title,
                status=status,
            )

        wait = budget.wait_before_retry(retry_after)
        if wait is None:
            raise _exhausted(call, budget, cause, status, retry_after) from origin

        throttled = status == 429
        log_wait(
            "francetravail.throttled" if throttled else "francetravail.retry",
            api=api.name,
            cause=cause,
            attempt=call.sent,
            wait=wait,
        )
        self.stats.add("seconds_waited", wait)
        if throttled:
            # The quota is spent for every process of this client id: hold them all,
            # and let the limiter sleep this worker until the hold ends.
            limiter.throttled()
            limiter.hold(wait)
        else:
            self._clock.sleep(wait)


@dataclass
class _Call:
    api: ApiSpec
    method: str
    url: str
    path: str
    sent: int = 0


@dataclass(frozen=True)
class _Unreadable:
    reason: str


def _decode(received: Received, quote: Callable[..., str]) -> Any:
    """The JSON body of a 2xx answer, or an `_Unreadable` saying why there is none."""
    if received.unreadable is not None:
        return _Unreadable(received.unreadable)
    response, content = received.response, received.content
    declared = response.headers.get("Content-Length", "")
    if (
        declared.isdigit()
        and "Content-Encoding" not in response.headers
        and (len(declared) > 18 or int(declared) != len(content))
    ):
        return _Unreadable(
            f"truncated body ({len(content)} of {quote(declared, limit=20)} bytes)"
        )
    if response.status_code == 204 or not content.strip():
        if response.status_code == 204:
            return None
        return _Unreadable(f"empty body on a {response.status_code}")
    try:
        return jsonlib.loads(content)
    except RecursionError:
        return _Unreadable("JSON nested too deeply to read")
    except ValueError:
        kind = response.headers.get("Content-Type", "no content type")
        return _Unreadable(f"non-JSON body ({quote(kind, limit=60)})")


def _exhausted(
    call: _Call,
    budget: RetryBudget,
    cause: str,
    status: int | None,
    retry_after: float | None,
) -> errors.FranceTravailError:
    """The error raised once the retries of a call are spent."""
    api = call.api
    spent = f"after {call.sent} attempts over {budget.elapsed:.0f} s"
    where = f"{call.method} {call.path}"
    if status == 429:
        return errors.Throttled(
            f"{api.title} kept answering 429 to {where} {spent}: retry later, or run "
            "fewer loads in parallel with this client id.",
            wait_seconds=retry_after or budget.policy.backoff_max,
            api=api.title,
            status=status,
        )
    if status is not None and (status >= 500 or status == 408):
        return errors.ServerError(
            f"{api.title} kept failing on {where} with {status} {spent}: retry "
            "later, or check the France Travail status page.",
            api=api.title,
            status=status,
        )
    if status is not None:
        return errors.UnexpectedResponse(
            f"{api.title} kept sending an unreadable answer to {where} ({cause}) "
            f"{spent}: retry later; if it persists, the API's format has changed.",
            api=api.title,
            status=status,
        )
    return errors.NetworkError(
        f"Could not get an answer from {api.title} for {where} ({cause}) {spent}: "
        "check the network and the API URL, then retry.",
        api=api.title,
    )


# What to do about each refused request, after the API's own words.
_ADVICE = {
    400: "correct the request parameters",
    404: "check the API URL and the resource path",
    405: "check the HTTP method of this endpoint",
    422: "correct the request parameters",
}


def _rejection(
    api: ApiSpec,
    method: str,
    path: str,
    received: Received,
    quote: Callable[..., str],
) -> errors.FranceTravailError:
    """The non-retryable error for a 3xx or 4xx answer other than 401 and 429."""
    status = received.response.status_code
    api_message, code = _error_fields(received.content, quote)
    said = ""
    if api_message or code:
        said = ": " + "; ".join(
            part
            for part in (api_message, f"codeErreur {code}" if code else None)
            if part
        )
    if status == 403:
        return errors.AccessDenied(
            f"{api.title} refused {method} {path} (403{said}): subscribe the "
            f"application to {api.title} on francetravail.io and check that it is "
            f"granted the scopes {api.scope!r}.",
            api=api.title,
            status=status,
        )
    if 300 <= status < 400:
        advice = "check the API URL (redirects are not followed)"
    else:
        advice = _ADVICE.get(status, "check the request and the API URL")
    return errors.RequestRejected(
        f"{api.title} rejected {method} {path} with {status}{said}; {advice}.",
        api=api.title,
        status=status,
        api_message=api_message,
        code=code,
    )


def _error_fields(
    content: bytes, quote: Callable[..., str]
) -> tuple[str | None, str | None]:
    """The ``message`` and ``codeErreur`` of an API error body, quoted, when present."""
    try:
        body = jsonlib.loads(content)
    except (ValueError, RecursionError):
        return None, None
    if not isinstance(body, dict):
        return None, None

    def field(name: str, limit: int) -> str | None:
        value = body.get(name)
        return None if value in (None, "") else quote(value, limit=limit) or None

    return field("message", QUOTE_LIMIT), field("codeErreur", 60)
