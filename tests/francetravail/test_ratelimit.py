"""The shared request budget: GCRA slots in memory, in files, in Redis; the limiter."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import stat
import threading
import uuid
from itertools import pairwise

import httpx
import pytest

from pipelines.francetravail import (
    OFFRES_API,
    FileBucketStore,
    MemoryBucketStore,
    RateLimiter,
    RedisBucketStore,
    bucket_store_from_url,
    errors,
)
from pipelines.francetravail.ratelimit import MIN_REQUESTS_PER_SECOND, bucket_key

from .francetravail_fakes import CLIENT_ID, FakeClock, json_response

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
INTERVAL = 1.02 / 10  # 10 requests in every window of 1.02 s
LIMIT = 1000.0  # the longest wait a caller of the stores accepts, unless said otherwise


def test_store_keys_hash_the_client_id():
    key = bucket_key(CLIENT_ID, "offresdemploi")

    assert key == "offresdemploi." + hashlib.sha256(CLIENT_ID.encode()).hexdigest()[:20]
    assert CLIENT_ID not in key
    assert bucket_key("another-client", "offresdemploi") != key
    assert bucket_key(CLIENT_ID, "labonneboite").endswith(key.split(".")[1])


@pytest.fixture(params=["memory", "file"])
def store(request, tmp_path):
    if request.param == "memory":
        return MemoryBucketStore()
    return FileBucketStore(tmp_path / "budget")


def at(instant: float):
    """A clock reading that never moves."""
    return lambda: instant


def test_slots_follow_each_other_one_interval_apart(store):
    waits = [store.reserve("k", 0.25, LIMIT, now=at(100.0)) for _ in range(4)]

    assert waits == [0.0, 0.25, 0.5, 0.75]


def test_a_free_slot_in_the_past_is_taken_now(store):
    store.reserve("k", 0.25, LIMIT, now=at(100.0))

    assert store.reserve("k", 0.25, LIMIT, now=at(200.0)) == 0.0
    assert store.reserve("k", 0.25, LIMIT, now=at(200.0)) == 0.25


def test_a_hold_pushes_every_later_slot(store):
    store.reserve("k", 0.25, LIMIT, now=at(100.0))

    store.hold("k", 3.0, now=at(100.0))

    assert store.held_for("k", now=at(101.0)) == 2.0
    assert store.reserve("k", 0.25, LIMIT, now=at(101.0)) == 2.0
    assert store.reserve("k", 0.25, LIMIT, now=at(101.0)) == 2.25
    assert store.held_for("k", now=at(104.0)) == -1.0


def test_admission_lets_count_departures_leave_per_window(store):
    waits = [store.admit("k", 3, 1.0, now=at(100.0 + 0.1 * n)) for n in range(4)]

    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3] == pytest.approx(0.7)  # the first left at 100.0
    assert store.admit("k", 3, 1.0, now=at(101.0)) == 0.0
    assert store.admit("k", 3, 1.0, now=at(101.0)) == pytest.approx(0.1)


def test_budgets_do_not_share_slots(store):
    store.reserve("offres", 1.0, LIMIT, now=at(100.0))

    assert store.reserve("rome", 1.0, LIMIT, now=at(100.0)) == 0.0


def test_file_budgets_are_private_files_named_by_key(tmp_path):
    store = FileBucketStore(tmp_path / "budget")
    key = bucket_key(CLIENT_ID, "offresdemploi")

    store.reserve(key, 0.5, LIMIT, now=at(100.0))

    path = tmp_path / "budget" / f"{key}.bucket"
    assert path.read_text() == "100.500000 0.000000"
    store.admit(key, 10, 1.02, now=at(100.25))
    assert path.read_text() == "100.500000 0.000000 100.250000"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "budget").stat().st_mode) == 0o700


def test_a_corrupt_budget_file_reads_as_free(tmp_path):
    store = FileBucketStore(tmp_path)
    (tmp_path / "k.bucket").write_text("garbage")

    assert store.reserve("k", 0.5, LIMIT, now=at(100.0)) == 0.0


def _reserve_many(directory: str, count: int, results) -> None:
    store = FileBucketStore(directory)
    results.extend(
        [store.reserve("shared", 0.1, LIMIT, now=at(1000.0)) for _ in range(count)]
    )


def test_processes_sharing_a_file_budget_never_get_the_same_slot(tmp_path):
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        results = manager.list()
        workers = [
            context.Process(target=_reserve_many, args=(str(tmp_path), 25, results))
            for _ in range(4)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        waits = sorted(results)

    assert [round(wait, 6) for wait in waits] == [round(k * 0.1, 6) for k in range(100)]


def test_threads_sharing_a_file_budget_never_get_the_same_slot(tmp_path):
    store = FileBucketStore(tmp_path)
    results: list[float] = []
    lock = threading.Lock()

    def reserve() -> None:
        for _ in range(20):
            wait = store.reserve("shared", 0.1, LIMIT, now=at(1000.0))
            with lock:
                results.append(round(wait, 6))

    threads = [threading.Thread(target=reserve) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [round(k * 0.1, 6) for k in range(100)]


@pytest.fixture
def redis_store():
    redis = pytest.importorskip("redis")
    prefix = f"test:{uuid.uuid4().hex}:"
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")
    yield RedisBucketStore(REDIS_URL, prefix=prefix)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()


def test_redis_slots_follow_each_other_on_the_servers_clock(redis_store):
    waits = [redis_store.reserve("k", 1.0, LIMIT, now=at(0.0)) for _ in range(4)]

    # Redis's own clock moves a little between calls: each wait is one interval
    # later, less the microseconds spent.
    assert waits[0] == 0.0
    assert [round(later - wait, 2) for wait, later in pairwise(waits)] == [1.0] * 3


def test_redis_holds_push_the_next_slots(redis_store):
    redis_store.hold("k", 5.0, now=at(0.0))

    assert redis_store.held_for("k", now=at(0.0)) == pytest.approx(5.0, abs=0.05)
    assert redis_store.reserve("k", 1.0, LIMIT, now=at(0.0)) == pytest.approx(
        5.0, abs=0.05
    )


def test_redis_admission_counts_departures_per_window(redis_store):
    waits = [redis_store.admit("k", 3, 5.0, now=at(0.0)) for _ in range(4)]

    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3] == pytest.approx(5.0, abs=0.05)


def test_redis_reserves_nothing_past_the_limit(redis_store):
    redis_store.hold("k", 5.0, now=at(0.0))

    refused = redis_store.reserve("k", 1.0, 2.0, now=at(0.0))
    taken = redis_store.reserve("k", 1.0, 10.0, now=at(0.0))
    next_one = redis_store.reserve("k", 1.0, 10.0, now=at(0.0))

    assert [round(wait) for wait in (refused, taken, next_one)] == [5, 5, 6]


def test_redis_forgets_instants_past_the_horizon(redis_store):
    year_9999 = "253402300799"
    key = redis_store._prefix + "k"
    redis_store._redis.hset(key, mapping={"slot": year_9999, "held": year_9999})
    redis_store._redis.lpush(key + ":departures", year_9999)

    assert redis_store.held_for("k", now=at(0.0)) <= 0
    assert redis_store.reserve("k", 1.0, 120.0, now=at(0.0)) == 0.0
    assert redis_store.admit("k", 1, 1.0, now=at(0.0)) == 0.0


def test_redis_threads_never_get_the_same_slot(redis_store):
    results: list[float] = []
    lock = threading.Lock()

    def reserve() -> None:
        for _ in range(10):
            wait = redis_store.reserve("shared", 10.0, LIMIT, now=at(0.0))
            with lock:
                results.append(wait)

    threads = [threading.Thread(target=reserve) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(round(wait / 10) for wait in results) == list(range(40))


def test_an_unreachable_redis_is_a_retryable_error_without_the_password():
    store = RedisBucketStore("redis://:hunter2@127.0.0.1:1/0")

    with pytest.raises(errors.NetworkError) as raised:
        store.reserve("k", 1.0, LIMIT, now=at(0.0))

    assert raised.value.retryable is True
    assert "hunter2" not in str(raised.value)
    assert "hunter2" not in repr(store)


def test_store_urls(tmp_path):
    assert bucket_store_from_url("memory://") is bucket_store_from_url("memory://")
    assert bucket_store_from_url("memory://a") is not bucket_store_from_url("memory://")
    file_store = bucket_store_from_url((tmp_path / "budget dir").as_uri())
    assert isinstance(file_store, FileBucketStore)
    assert file_store.directory == tmp_path / "budget dir"
    assert isinstance(bucket_store_from_url(REDIS_URL), RedisBucketStore)


@pytest.mark.parametrize(
    "url", ["http://user:hunter2@127.0.0.1/", "file://otherhost/tmp", "file://"]
)
def test_bad_store_urls_are_refused(url):
    with pytest.raises(ValueError) as raised:
        bucket_store_from_url(url)

    assert "hunter2" not in str(raised.value)


def make_limiter(clock: FakeClock, rate: float = 10.0, **options) -> RateLimiter:
    return RateLimiter(MemoryBucketStore(), "k", rate, clock, **options)


def test_the_limiter_paces_at_the_quota_less_its_margin(clock):
    limiter = make_limiter(clock)
    starts = []

    for _ in range(100):
        limiter.acquire()
        starts.append(clock.now())

    assert clock.sleeps == [pytest.approx(INTERVAL, abs=1e-6)] * 99
    # No one-second window holds more than 10 starts, and the rate is 9.8/s.
    assert (
        max(sum(1 for s in starts if first <= s < first + 1.0) for first in starts)
        == 10
    )
    assert (starts[-1] - starts[0]) == pytest.approx(99 * 0.102, abs=1e-3)


def test_a_hold_delays_the_next_slot(clock):
    limiter = make_limiter(clock)
    limiter.acquire()

    limiter.hold(2.0)
    slept = limiter.acquire()

    assert slept == 2.0
    assert clock.sleeps == [2.0]


class HoldingClock(FakeClock):
    """A clock on which a 429 arrives while the first sleeper sleeps."""

    def __init__(self) -> None:
        super().__init__()
        self.during_first_sleep = None

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        if self.during_first_sleep is not None:
            hook, self.during_first_sleep = self.during_first_sleep, None
            hook()


def test_a_hold_during_the_wait_sends_the_caller_back_in_line():
    clock = HoldingClock()
    limiter = make_limiter(clock)
    limiter.acquire()
    clock.during_first_sleep = lambda: limiter.hold(3.0)

    limiter.acquire()

    assert clock.sleeps == [pytest.approx(INTERVAL, abs=1e-6), 3.0]


class LateClock(FakeClock):
    """A clock on which one sleeper wakes up later than asked, as a busy CPU does."""

    def __init__(self, late_sleep: int, lateness: float) -> None:
        super().__init__()
        self.late_sleep = late_sleep
        self.lateness = lateness

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        if len(self.sleeps) == self.late_sleep:
            self.advance(self.lateness)


def test_a_request_that_left_late_delays_the_ones_a_window_later():
    clock = LateClock(late_sleep=1, lateness=0.05)  # the 2nd request leaves 50 ms late
    limiter = make_limiter(clock)
    departures = []

    for _ in range(12):
        limiter.acquire()
        departures.append(clock.now())

    # The 12th slot came 1.02 s after the 2nd was due, 0.97 s after it left: admission
    # made it wait the 50 ms, so no window of 1.02 s holds more than ten departures.
    assert clock.sleeps[-2:] == [pytest.approx(INTERVAL, abs=1e-6), 0.05]
    assert departures[11] - departures[1] == pytest.approx(1.02, abs=1e-6)
    assert (
        max(
            sum(1 for d in departures if first <= d < first + 1.02 - 1e-6)
            for first in departures
        )
        == 10
    )


def test_a_slot_further_than_the_maximum_wait_raises_retry_later_reserving_nothing(
    clock,
):
    store = MemoryBucketStore()
    limiter = RateLimiter(store, "k", 1.0, clock, max_wait=120.0)
    for _ in range(119):  # other workers queued 119 slots of 1.02 s: 121.38 s
        store.reserve("k", 1.02, LIMIT, now=clock.now)

    with pytest.raises(errors.RetryLater) as raised:
        limiter.acquire()
    with pytest.raises(errors.RetryLater) as again:
        limiter.acquire()

    # Giving up left no slot behind: the next caller is told the same wait.
    assert raised.value.wait_seconds == pytest.approx(121.38)
    assert again.value.wait_seconds == pytest.approx(121.38)
    assert clock.sleeps == []


def test_a_hold_lasts_no_longer_than_the_maximum_wait(clock):
    limiter = make_limiter(clock, max_wait=120.0)

    limiter.hold(1e9)
    slept = limiter.acquire()

    assert slept == 120.0
    assert clock.sleeps == [120.0]


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("inf inf", id="infinite"),
        pytest.param("1e308 0", id="slot-far-ahead"),
        pytest.param("0 253402300799", id="hold-until-9999"),
        pytest.param("0 0 1e300", id="departure-far-ahead"),
    ],
)
def test_a_budget_file_with_instants_past_the_horizon_heals(tmp_path, content):
    store = FileBucketStore(tmp_path)
    (tmp_path / "k.bucket").write_text(content)

    assert store.held_for("k", now=at(100.0)) <= 0
    assert store.reserve("k", 0.5, 120.0, now=at(100.0)) == 0.0
    assert store.admit("k", 10, 1.02, now=at(100.0)) == 0.0
    assert (tmp_path / "k.bucket").read_text().split()[0] == "100.500000"


BURST = "X-Ratelimit-Burst-Capacity-Clientidlimiter"
REPLENISH = "X-Ratelimit-Replenish-Rate-Clientidlimiter"


@pytest.mark.parametrize(
    ("headers", "rate"),
    [
        pytest.param({REPLENISH: "4"}, 4.0, id="replenish"),
        pytest.param({BURST: "5"}, 5.0, id="burst"),
        pytest.param({BURST: "20", REPLENISH: "15"}, 15.0, id="both"),
        pytest.param({BURST: "ten"}, 10.0, id="garbage"),
        pytest.param({}, 10.0, id="none"),
    ],
)
def test_the_limiter_follows_the_quota_the_api_reports(clock, headers, rate):
    limiter = make_limiter(clock)

    limiter.observe(headers)

    assert limiter.requests_per_second == rate
    assert limiter.interval == pytest.approx(1.02 / rate)


def test_no_calls_remaining_waits_for_one_to_refill(clock):
    limiter = make_limiter(clock, rate=4.0)
    limiter.acquire()
    clock.advance(1.0)

    limiter.observe({"X-Ratelimit-Remaining-Clientidlimiter": "0"})
    limiter.acquire()

    assert clock.sleeps == [0.25]  # 1 / 4 requests/s


@pytest.mark.parametrize(
    "value", ["inf", "Infinity", "1e400", "nan", "-1", "0", "1e18", "ten"]
)
def test_quota_headers_that_are_not_sane_numbers_are_ignored_with_one_warning(
    clock, caplog, value
):
    limiter = make_limiter(clock)

    limiter.observe({REPLENISH: value})
    limiter.observe({REPLENISH: value})
    limiter.acquire()

    assert limiter.requests_per_second == 10.0
    assert limiter.interval == pytest.approx(INTERVAL)
    ignored = [
        r for r in caplog.records if r.event == "francetravail.ratelimit_header_ignored"
    ]
    assert [(r.header, r.value) for r in ignored] == [(REPLENISH, value)]


def test_a_tiny_quota_is_raised_to_the_floor(clock):
    limiter = make_limiter(clock)

    limiter.observe({REPLENISH: "0.000001"})
    limiter.acquire()
    limiter.acquire()

    assert limiter.requests_per_second == MIN_REQUESTS_PER_SECOND == 1.0
    assert clock.sleeps == [pytest.approx(1.02)]


@pytest.mark.parametrize("value", ["-inf", "nan", "none"])
def test_a_remaining_count_that_is_not_a_number_holds_nothing(clock, value):
    limiter = make_limiter(clock)
    limiter.acquire()
    clock.advance(1.0)

    limiter.observe({"X-Ratelimit-Remaining-Clientidlimiter": value})
    limiter.acquire()

    assert clock.sleeps == []


def answer_with(**headers: str):
    """An API route answering an empty page with ``headers``."""
    return lambda request: json_response(200, {"resultats": []}, **headers)


def test_a_hostile_quota_seen_by_one_process_does_not_starve_another(
    make_client, fake, clock, tmp_path
):
    fake.routes["/partenaire/"] = answer_with(**{REPLENISH: "0.000001"})
    first = make_client(bucket_store=FileBucketStore(tmp_path))
    for _ in range(3):
        first.request(OFFRES_API, "GET", "offres/search")
    fake.routes["/partenaire/"] = answer_with()
    second = make_client(bucket_store=FileBucketStore(tmp_path))

    second.request(OFFRES_API, "GET", "offres/search")

    # The first process paced itself at the one-per-second floor (1.02 s apart, less
    # the 0.2 s each answer took); its last slot was over when the second came, which
    # went at once instead of waiting 11 days.
    assert first.limiter(OFFRES_API).requests_per_second == 1.0
    assert clock.sleeps == [pytest.approx(0.82)] * 2
    assert len(fake.api_requests) == 4


def test_a_far_future_retry_after_holds_another_process_only_the_maximum_wait(
    make_client, fake, clock, tmp_path
):
    far = "Fri, 31 Dec 9999 23:59:59 GMT"
    fake.api_script.append(httpx.Response(429, headers={"Retry-After": far}))
    first = make_client(bucket_store=FileBucketStore(tmp_path))
    with pytest.raises(errors.RetryLater) as raised:
        first.request(OFFRES_API, "GET", "offres/search")
    fake.routes["/partenaire/"] = answer_with()
    second = make_client(bucket_store=FileBucketStore(tmp_path))

    response = second.request(OFFRES_API, "GET", "offres/search")

    assert raised.value.wait_seconds == pytest.approx(253402300799 - clock.now(), 1)
    assert "asked to wait 251622300" in str(raised.value)
    assert response.status == 200
    assert clock.sleeps == [120.0]


def test_a_429_from_an_api_that_states_no_quota_lowers_the_pace(clock, caplog):
    caplog.set_level("INFO")
    limiter = make_limiter(clock)

    rates = []
    for _ in range(8):
        limiter.throttled()
        rates.append(limiter.requests_per_second)

    assert rates == pytest.approx([7.0, 4.9, 3.43, 2.401, 1.6807, 1.17649, 1.0, 1.0])
    changes = [r for r in caplog.records if r.event == "francetravail.quota_changed"]
    assert [r.requests_per_second for r in changes][:2] == pytest.approx([7.0, 4.9])


def test_a_429_from_an_api_that_states_its_quota_keeps_that_quota(clock):
    limiter = make_limiter(clock)
    limiter.observe({REPLENISH: "10"})

    limiter.throttled()

    assert limiter.requests_per_second == 10.0


def test_a_long_wait_for_the_budget_is_logged_a_short_one_is_not(clock, caplog):
    limiter = make_limiter(clock)
    limiter.acquire()

    limiter.hold(1.0)
    limiter.acquire()
    limiter.hold(30.0)
    limiter.acquire()

    waits = [r for r in caplog.records if r.event == "francetravail.budget_wait"]
    assert [r.wait_seconds for r in waits] == [30.0]
    assert "shared request budget is held" in waits[0].getMessage()
