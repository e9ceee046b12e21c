"""The request budget: pace every process that shares a client id under the API's quota.

France Travail counts requests per application and per API in a token bucket that
refills its quota every second (10 requests/s for the offers), and answers 429 beyond
it. Instead of hitting that wall and backing off, the client paces itself, in two
steps kept in a `BucketStore` shared by every process that uses the same client id:

1. Spacing, with a GCRA ("generic cell rate algorithm"): the store keeps the instant of
   the next free slot; a caller reserves one atomically (the next moves one interval
   later) and sleeps until it comes. Slots are ``(1 + margin) / quota`` apart.
2. Admission, just before the request leaves: the store keeps the instants the last
   requests actually left at, and admits a request only if fewer than the quota left
   in the last ``1 + margin`` seconds. A worker that woke up late (a busy CPU, a long
   garbage collection) would otherwise leave too close to the requests scheduled after
   it; admission turns any such delay into a wait for the next ones instead.

So every one-second window of the server's log stays within the quota, with the margin
absorbing the few milliseconds between admission and arrival, while the achieved rate
stays at ``quota / (1 + margin)``.

Stores: in memory (one process), files under an ``fcntl`` lock (every process of one
host; the default) or Redis (every host). A 429 holds the shared budget for the wait it
asked for, so every process backs off together instead of each one learning it on its
own. An API that states no quota in its headers and still answers 429 grants less than
the documented default: each such 429 also lowers the pace of the process by 30 %.
Store keys are derived from a hash of the client id, never the id itself.

What one answer can do to every process is bounded, since a single broken or hostile
header would otherwise stop them all:

- a hold lasts at most the limiter's ``max_wait`` (the policy's longest sleep);
- a caller told to retry later reserves nothing, so giving up leaves no slot behind;
- a quota header is followed only when it is a finite number up to
  `MAX_REQUESTS_PER_SECOND`, and never below `MIN_REQUESTS_PER_SECOND`; other values
  are ignored, with one warning per header;
- an instant further than `HORIZON` ahead in a store (a corrupt file, an older client)
  is forgotten.
"""

from __future__ import annotations

import fcntl
import hashlib
import math
import os
import tempfile
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol, TypeVar
from urllib.parse import unquote, urlsplit

from pipelines.francetravail import errors
from pipelines.francetravail.clock import Clock
from pipelines.francetravail.logs import logger, redact_url
from pipelines.francetravail.redaction import quote
from pipelines.francetravail.retry import describe_wait

# Windows of the budget are this share longer than a second: room for the milliseconds
# between a request's admission and its arrival at the server, at a cost of 2 % of the
# quota.
DEFAULT_MARGIN = 0.02
# A wait shorter than this is float noise, not a wait.
_EPSILON = 1e-6
# The range of quotas a header may set. No partner API publishes less than one request
# per second, and a slower pace would make every process of the client id wait on one
# header; a quota over a thousand is not one any API grants.
MIN_REQUESTS_PER_SECOND = 1.0
MAX_REQUESTS_PER_SECOND = 1000.0
# How far ahead a store's instants may be. Holds and slot queues stay within a worker's
# longest sleep (minutes); an instant further ahead can only come from a corrupt store,
# and is forgotten.
HORIZON = 86_400.0
# On a 429 from an API that states no quota, the pace is multiplied by this.
SLOWDOWN = 0.7
# A wait for a slot this long is logged: the run is not stuck, it waits its turn.
LONG_WAIT = 5.0

BURST_CAPACITY_HEADER = "X-Ratelimit-Burst-Capacity-Clientidlimiter"
REMAINING_HEADER = "X-Ratelimit-Remaining-Clientidlimiter"
REPLENISH_RATE_HEADER = "X-Ratelimit-Replenish-Rate-Clientidlimiter"

_T = TypeVar("_T")

DEFAULT_DIRECTORY = Path(tempfile.gettempdir(), "francetravail-ratelimit")


def bucket_key(client_id: str, api_name: str) -> str:
    """The store key of one API's budget for one client id (hashed, never in clear)."""
    digest = hashlib.sha256(client_id.encode()).hexdigest()[:20]
    return f"{api_name}.{digest}"


Now = Callable[[], float]


class BucketStore(Protocol):
    """Where each budget's slots and recent departures are kept; every method is atomic.

    ``now`` reads the current time (epoch seconds). A store calls it once the budget is
    locked, so that a caller kept waiting for the lock is not recorded as having left
    earlier than it did; a store with a clock of its own (Redis) uses that instead.
    Waits are answered in seconds from that instant.
    """

    def reserve(self, key: str, interval: float, limit: float, now: Now) -> float:
        """Take the next free slot of ``key`` and move it ``interval`` later.

        A slot further than ``limit`` seconds away is not taken: the caller will not
        wait that long, and a slot reserved by no one would delay everyone else.

        Returns:
            Seconds until the slot starts (zero if it is free); more than ``limit``
            when nothing was reserved.
        """
        ...

    def admit(self, key: str, count: int, window: float, now: Now) -> float:
        """Let a request leave now if fewer than ``count`` left in the last ``window``.

        Returns:
            Zero when admitted (the departure is recorded); otherwise the seconds until
            one more would fit, and nothing is recorded.
        """
        ...

    def hold(self, key: str, seconds: float, now: Now) -> None:
        """Start no slot of ``key`` for the next ``seconds``."""
        ...

    def held_for(self, key: str, now: Now) -> float:
        """Seconds until the latest hold on ``key`` ends; zero or less when none."""
        ...


class _Budget:
    """One budget: next slot, end of the hold, last departures (oldest first)."""

    __slots__ = ("departures", "held", "slot")

    def __init__(
        self,
        slot: float = 0.0,
        held: float = 0.0,
        departures: list[float] | None = None,
    ) -> None:
        self.slot = slot
        self.held = held
        self.departures = departures or []

    def reserve(self, interval: float, limit: float, now: float) -> float:
        self.heal(now)
        slot = max(now, self.slot)
        if slot - now <= limit:
            self.slot = slot + interval
        return slot - now

    def admit(self, count: int, window: float, now: float) -> float:
        self.heal(now)
        recent = self.departures[-count:]
        if len(recent) == count:
            wait = recent[0] + window - now
            if wait > _EPSILON:
                return wait
        self.departures = [*recent[1 - count :], now] if count > 1 else [now]
        return 0.0

    def hold(self, seconds: float, now: float) -> None:
        self.heal(now)
        until = now + seconds
        self.slot = max(self.slot, until)
        self.held = max(self.held, until)

    def held_for(self, now: float) -> float:
        self.heal(now)
        return self.held - now

    def heal(self, now: float) -> None:
        """Forget instants beyond the horizon: only a corrupt store holds them."""
        horizon = now + HORIZON
        if self.slot > horizon:
            self.slot = now
        if self.held > horizon:
            self.held = now
        if any(departure > horizon for departure in self.departures):
            self.departures = []

    def dump(self) -> str:
        return " ".join(f"{t:.6f}" for t in (self.slot, self.held, *self.departures))

    @classmethod
    def load(cls, text: str) -> _Budget:
        # A file cut short by a crash reads as an empty budget: the next slot is free.
        try:
            slot, held, *departures = (float(t) for t in text.split())
        except ValueError:
            return cls()
        if not all(math.isfinite(t) for t in (slot, held, *departures)):
            return cls()
        return cls(slot, held, departures)


class _BudgetStore:
    """The store operations, each one `_update` of a `_Budget` done atomically by the
    store that keeps it."""

    def _update(self, key: str, change: Callable[[_Budget], _T]) -> _T:
        raise NotImplementedError

    def reserve(self, key: str, interval: float, limit: float, now: Now) -> float:
        return self._update(key, lambda b: b.reserve(interval, limit, now()))

    def admit(self, key: str, count: int, window: float, now: Now) -> float:
        return self._update(key, lambda budget: budget.admit(count, window, now()))

    def hold(self, key: str, seconds: float, now: Now) -> None:
        self._update(key, lambda budget: budget.hold(seconds, now()))

    def held_for(self, key: str, now: Now) -> float:
        return self._update(key, lambda budget: budget.held_for(now()))


class MemoryBucketStore(_BudgetStore):
    """Budgets kept in this process: right when one process talks to the API."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._budgets: dict[str, _Budget] = {}

    def __repr__(self) -> str:
        return "MemoryBucketStore()"

    def _update(self, key: str, change: Callable[[_Budget], _T]) -> _T:
        with self._lock:
            return change(self._budgets.setdefault(key, _Budget()))


class FileBucketStore(_BudgetStore):
    """Budgets kept in small files of one directory, shared by every local process.

    Each budget is one file holding epoch instants: the next free slot, the end of the
    latest hold, then the recent departures. Every operation opens the file, takes an
    exclusive ``flock``, reads, writes and closes it: a fresh open per operation makes
    the lock exclude the threads of this process as well as other processes. Instants
    are wall-clock time, which every process of the host shares.
    """

    def __init__(self, directory: str | os.PathLike[str] = DEFAULT_DIRECTORY) -> None:
        self.directory = Path(directory)

    def __repr__(self) -> str:
        return f"FileBucketStore({str(self.directory)!r})"

    def _update(self, key: str, change: Callable[[_Budget], _T]) -> _T:
        fd = self._open(self.directory / f"{key}.bucket")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            before = os.pread(fd, 65536, 0).decode("ascii", "replace")
            budget = _Budget.load(before)
            result = change(budget)
            after = budget.dump()
            if after != before:
                os.pwrite(fd, after.encode(), 0)
                os.ftruncate(fd, len(after))
            return result
        finally:
            os.close(fd)  # also releases the lock

    def _open(self, path: Path) -> int:
        try:
            return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except FileNotFoundError:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)


# The scripts read Redis's own clock, so hosts with drifting clocks still agree on what
# "now" is. Each budget is a hash {slot, held} and a list of departures (newest first),
# both expiring a minute after they stop mattering. `stored` reads one instant of the
# hash, forgetting it past the horizon, as `_Budget.heal` does.
_REDIS_NOW = (
    f"local horizon = {HORIZON:.1f}"
    + """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local function stored(field)
  local value = tonumber(redis.call('HGET', KEYS[1], field) or '0') or 0
  if value ~= value or value > now + horizon then
    return 0
  end
  return value
end
"""
)
_REDIS_RESERVE = (
    _REDIS_NOW
    + """
local slot = math.max(now, stored('slot'))
if slot - now > tonumber(ARGV[2]) then
  return string.format('%.6f', slot - now)
end
local next_slot = slot + tonumber(ARGV[1])
redis.call('HSET', KEYS[1], 'slot', string.format('%.6f', next_slot))
redis.call('PEXPIRE', KEYS[1], math.ceil((next_slot - now + 60) * 1000))
return string.format('%.6f', slot - now)
"""
)
_REDIS_ADMIT = (
    _REDIS_NOW
    + """
local count = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local oldest = redis.call('LINDEX', KEYS[2], count - 1)
if oldest and tonumber(oldest) > now + horizon then
  redis.call('DEL', KEYS[2])
  oldest = false
end
if oldest then
  local wait = tonumber(oldest) + window - now
  if wait > 0.000001 then
    return string.format('%.6f', wait)
  end
end
redis.call('LPUSH', KEYS[2], string.format('%.6f', now))
redis.call('LTRIM', KEYS[2], 0, count - 1)
redis.call('PEXPIRE', KEYS[2], math.ceil((window + 60) * 1000))
return '0'
"""
)
_REDIS_HOLD = (
    _REDIS_NOW
    + """
local held_until = now + tonumber(ARGV[1])
local slot = math.max(held_until, stored('slot'))
local held = math.max(held_until, stored('held'))
redis.call('HSET', KEYS[1], 'slot', string.format('%.6f', slot))
redis.call('HSET', KEYS[1], 'held', string.format('%.6f', held))
redis.call('PEXPIRE', KEYS[1], math.ceil((math.max(slot, held) - now + 60) * 1000))
return 0
"""
)
_REDIS_HELD_FOR = (
    _REDIS_NOW
    + """
return string.format('%.6f', stored('held') - now)
"""
)


class RedisBucketStore:
    """Budgets kept in Redis, shared by every process on every host.

    Each operation is one Lua script, so it is atomic on the server, and reads Redis's
    clock rather than ``now``.
    """

    def __init__(self, url: str, *, prefix: str = "francetravail:ratelimit:") -> None:
        import redis  # only this backend needs the library

        self._url = redact_url(url)
        self._prefix = prefix
        self._redis = redis.Redis.from_url(url)
        self._errors = redis.RedisError
        self._reserve = self._redis.register_script(_REDIS_RESERVE)
        self._admit = self._redis.register_script(_REDIS_ADMIT)
        self._hold = self._redis.register_script(_REDIS_HOLD)
        self._held_for = self._redis.register_script(_REDIS_HELD_FOR)

    def __repr__(self) -> str:
        return f"RedisBucketStore({self._url!r})"

    def reserve(self, key: str, interval: float, limit: float, now: Now) -> float:
        return float(self._call(self._reserve, key, f"{interval:.6f}", f"{limit:.6f}"))

    def admit(self, key: str, count: int, window: float, now: Now) -> float:
        return float(self._call(self._admit, key, str(count), f"{window:.6f}"))

    def hold(self, key: str, seconds: float, now: Now) -> None:
        self._call(self._hold, key, f"{seconds:.6f}")

    def held_for(self, key: str, now: Now) -> float:
        return float(self._call(self._held_for, key))

    def _call(self, script, key: str, *args: str):
        keys = [self._prefix + key, self._prefix + key + ":departures"]
        try:
            return script(keys=keys, args=list(args))
        except self._errors as error:
            raise errors.NetworkError(
                f"The shared request budget at {self._url} is unreachable "
                f"({type(error).__name__}): check that Redis is up, then retry."
            ) from error


_MEMORY_STORES: dict[str, MemoryBucketStore] = {}
_MEMORY_LOCK = threading.Lock()


def bucket_store_from_url(url: str) -> BucketStore:
    """The store a URL names.

    - ``memory://`` (or ``memory://name``): this process only; the same name gives the
      same store;
    - ``file:///path/to/directory``: every process of this host;
    - ``redis://host:port/db`` (or ``rediss://``): every host that reaches that Redis.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "memory":
        name = parts.netloc + parts.path
        with _MEMORY_LOCK:
            return _MEMORY_STORES.setdefault(name, MemoryBucketStore())
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise ValueError(f"a file budget lives on this host, not on {parts.netloc}")
        if not parts.path:
            raise ValueError(f"{url!r} names no directory")
        return FileBucketStore(unquote(parts.path))
    if scheme in ("redis", "rediss"):
        return RedisBucketStore(url)
    raise ValueError(
        f"unknown request-budget URL {redact_url(url)!r}: use memory://, "
        "file:///directory or redis://host:port/db"
    )


class RateLimiter:
    """Paces one API's requests for one client id, across every process of the store.

    Args:
        store: where the shared slots and departures live.
        key: the budget's key in the store (see `bucket_key`).
        requests_per_second: the quota to start from; the API's headers update it.
        clock: time source for ``now`` and the sleeps.
        margin: how much longer than a second each window of the quota is.
        max_wait: longest sleep for a slot, and longest hold this limiter puts on the
            budget; a slot further away raises `errors.RetryLater`.
        api_title: the API's name, for messages.
    """

    def __init__(
        self,
        store: BucketStore,
        key: str,
        requests_per_second: float,
        clock: Clock,
        *,
        margin: float = DEFAULT_MARGIN,
        max_wait: float = 120.0,
        api_title: str = "the API",
    ) -> None:
        if not 0 <= margin < 1:
            raise ValueError("margin must be in [0, 1)")
        if not math.isfinite(requests_per_second) or requests_per_second <= 0:
            raise ValueError("requests_per_second must be a positive number")
        self._store = store
        self._key = key
        self._rate = float(requests_per_second)
        self._clock = clock
        self._margin = margin
        self._max_wait = max_wait
        self._api_title = api_title
        self._lock = threading.Lock()
        self._ignored: set[str] = set()
        # Whether the API has stated its quota in headers: then a 429 means someone
        # else spends it, not that the quota followed is wrong.
        self._stated = False

    def __repr__(self) -> str:
        return f"RateLimiter({self._key!r}, {self._rate:g}/s, store={self._store!r})"

    @property
    def requests_per_second(self) -> float:
        """The quota currently followed (documented default, then the API's)."""
        return self._rate

    @property
    def burst(self) -> int:
        """Requests admitted per window: the quota, at least one."""
        return max(1, math.floor(self._rate))

    @property
    def window(self) -> float:
        """Seconds in which at most `burst` requests may leave."""
        return self.burst / self._rate * (1.0 + self._margin)

    @property
    def interval(self) -> float:
        """Seconds between two slots."""
        return self.window / self.burst

    def acquire(self) -> float:
        """Wait until a request may leave, and record that it leaves; the seconds slept.

        Call it right before sending: the admission is recorded at the instant it
        returns.

        Raises:
            errors.RetryLater: the next slot is further away than ``max_wait`` (the API
                asked every client to hold off, or too many workers queue for it);
                nothing was reserved.
        """
        slept = 0.0
        while True:
            slept += self._sleep(
                self._store.reserve(
                    self._key, self.interval, self._max_wait, self._clock.now
                )
            )
            while not self._held():
                wait = self._store.admit(
                    self._key, self.burst, self.window, self._clock.now
                )
                if wait <= 0:
                    return slept
                # Earlier requests left late and closer together than planned.
                slept += self._sleep(wait)
            # A 429 arrived after this slot was reserved and holds every caller: this
            # one queues again behind the hold instead of adding to the storm.

    def _held(self) -> bool:
        return self._store.held_for(self._key, self._clock.now) > _EPSILON

    def _sleep(self, wait: float) -> float:
        if wait > self._max_wait:
            raise errors.RetryLater(
                f"{self._api_title} has no free slot for {describe_wait(wait)} (a 429 "
                "asked every client to hold off, or too many workers share its "
                f"quota), longer than the {self._max_wait:.0f} s a worker may sleep: "
                "retry after that wait.",
                wait_seconds=wait,
                api=self._api_title,
            )
        if wait <= _EPSILON:
            return 0.0
        if wait >= LONG_WAIT:
            logger.warning(
                "francetravail.budget_wait api=%s wait=%.3fs: the shared request "
                "budget is held (a 429 asked every client to hold off) or other runs "
                "use it",
                self._api_title,
                wait,
                extra={
                    "event": "francetravail.budget_wait",
                    "api": self._api_title,
                    "wait_seconds": round(wait, 6),
                },
            )
        self._clock.sleep(wait)
        return wait

    def hold(self, seconds: float) -> None:
        """Start no request of this budget, in any process, for ``seconds``.

        The hold lasts at most ``max_wait``: longer, and one answer would stop every
        process of the client id for as long as it liked.
        """
        if not seconds > 0:  # also refuses NaN
            return
        self._store.hold(self._key, min(seconds, self._max_wait), self._clock.now)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Follow the quota and the remaining calls the API reports.

        A quota is taken from the replenish rate, else from the burst capacity, when it
        is a number in ``(0, MAX_REQUESTS_PER_SECOND]``; under
        `MIN_REQUESTS_PER_SECOND` it is raised to that floor. Any other value, and a
        remaining count that is not a finite number, is ignored with one warning.
        """
        quota = self._quota(headers, REPLENISH_RATE_HEADER)
        if quota is None:
            quota = self._quota(headers, BURST_CAPACITY_HEADER)
        if quota is not None:
            self._stated = True
            self._follow(quota)

        remaining = self._number(headers, REMAINING_HEADER)
        if remaining is not None and remaining <= 0:
            # The server's bucket is empty (someone else spends this quota too): give
            # it the time to refill one call before the next slot.
            self.hold(1.0 / self._rate)

    def throttled(self) -> None:
        """Take a 429 into account: when the API states no quota in its headers, the
        one followed (the documented default) is more than the application's, and the
        pace drops by `SLOWDOWN` (never under `MIN_REQUESTS_PER_SECOND`), so that a
        run meets a few 429s rather than one every second."""
        if not self._stated:
            self._follow(max(MIN_REQUESTS_PER_SECOND, self._rate * SLOWDOWN))

    def _follow(self, quota: float) -> None:
        if quota == self._rate:
            return
        logger.info(
            "francetravail.quota_changed api=%s from=%g to=%g",
            self._api_title,
            self._rate,
            quota,
            extra={
                "event": "francetravail.quota_changed",
                "api": self._api_title,
                "requests_per_second": quota,
            },
        )
        self._rate = quota

    def _quota(self, headers: Mapping[str, str], name: str) -> float | None:
        quota = self._number(headers, name)
        if quota is None:
            return None
        if not 0 < quota <= MAX_REQUESTS_PER_SECOND:
            self._ignore(name, headers[name])
            return None
        return max(quota, MIN_REQUESTS_PER_SECOND)

    def _number(self, headers: Mapping[str, str], name: str) -> float | None:
        """The header as a finite number; None when absent or not one."""
        value = headers.get(name)
        if value is None:
            return None
        try:
            number = float(value.strip())
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            self._ignore(name, value)
            return None
        return number

    def _ignore(self, name: str, value: str) -> None:
        """Warn, once per header and limiter, that a value was not followed."""
        with self._lock:
            if name in self._ignored:
                return
            self._ignored.add(name)
        shown = quote(value, limit=40)
        logger.warning(
            "francetravail.ratelimit_header_ignored api=%s header=%s value=%r",
            self._api_title,
            name,
            shown,
            extra={
                "event": "francetravail.ratelimit_header_ignored",
                "api": self._api_title,
                "header": name,
                "value": shown,
            },
        )
