"""The client against the simulator: real HTTP on 127.0.0.1, the real clock.

These tests wait for real, as the quota requires (about ten requests a second).
"""

from __future__ import annotations

import json
import multiprocessing
import os
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from math import ceil
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from pipelines.francetravail import (
    Credentials,
    FileBucketStore,
    FranceTravailClient,
    LaBonneBoiteApi,
    MarcheTravailApi,
    MemoryBucketStore,
    OffresApi,
    ReferentielsApi,
    RetryPolicy,
    RomeApi,
    Secret,
    errors,
)
from pipelines.francetravail.offres import created_on, request_window
from pipelines.simulator import (
    ClientAccount,
    Fault,
    SimulatorConfig,
    SimulatorServer,
    Spike,
    max_requests_in_window,
)
from pipelines.simulator.process import simulator_subprocess

SEARCH_SAMPLE = "offres_search_206_appellation404278_2024-11-27_trimmed.json"
CLIENT = Credentials("simulator-client", Secret("simulator-secret"))
SEARCH = "/offres/search"
TODAY = datetime.now(UTC).date()
# Short retries: the simulator's faults are one-offs.
QUICK = RetryPolicy(backoff_initial=0.05, backoff_max=0.2)


def client_for(sim: SimulatorServer, **options) -> FranceTravailClient:
    settings = {
        "credentials": CLIENT,
        "token_url": sim.token_url,
        "api_url": sim.api_url,
        "bucket_store": MemoryBucketStore(),
        "retry": QUICK,
    }
    settings.update(options)
    return FranceTravailClient(**settings)


def load_day(client: FranceTravailClient, day: date) -> tuple[list[str], OffresApi]:
    """The ids of the offers created on ``day`` (Paris), as the asset loads them."""
    api = OffresApi(client)
    ids = []
    for page in api.fetch_window(request_window(day)):
        ids.extend(offer["id"] for offer in created_on(page, day))
    return ids, api


def api_records(sim: SimulatorServer, api: str = "offresdemploi"):
    return [r for r in sim.state.request_log if r.api == api]


@pytest.fixture(scope="module")
def sim():
    config = SimulatorConfig(seed=7, offers_per_day=400, latency_seconds=0.02)
    with SimulatorServer(config) as server:
        yield server


@pytest.fixture(autouse=True)
def fresh_log(request):
    if "sim" in request.fixturenames:
        server = request.getfixturevalue("sim")
        server.state.clear_log()
        server.state.faults.clear()


def test_a_day_loads_exactly_its_offers_once(sim):
    day = TODAY - timedelta(days=2)

    with client_for(sim) as client:
        ids, api = load_day(client, day)

    assert sorted(ids) == sorted(sim.state.ids_created_on(day))
    assert len(ids) == len(set(ids)) == 400
    assert api.last_report.complete is True
    assert api.last_report.unique_in(day) == 400
    assert api.last_report.requests == len(api_records(sim))


@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 10, 25)])
def test_clock_change_days_load_their_paris_offers(day):
    config = SimulatorConfig(
        seed=3,
        offers_per_day=300,
        first_day=day - timedelta(days=1),
        last_day=day + timedelta(days=1),
    )
    with SimulatorServer(config) as server, client_for(server) as client:
        ids, _ = load_day(client, day)

        assert sorted(ids) == sorted(server.state.ids_created_on(day))
        assert len(ids) == 300


def test_expired_tokens_are_refreshed_once_without_losing_a_page(sim):
    day = TODAY - timedelta(days=3)
    ids = []

    with client_for(sim, max_concurrency=4) as client:
        api = OffresApi(client)
        for number, page in enumerate(api.fetch_window(request_window(day))):
            if number == 0:
                sim.state.expire_tokens()
            ids.extend(o["id"] for o in created_on(page, day))
        stats = client.stats.snapshot()

    assert sorted(ids) == sorted(sim.state.ids_created_on(day))
    assert len(api_records(sim, "token")) == 2
    assert stats["token_refreshes"] == 1
    assert [r.status for r in api_records(sim)].count(401) >= 1


def test_tokens_shorter_than_the_run_are_renewed_before_they_expire():
    day = TODAY - timedelta(days=2)
    config = SimulatorConfig(seed=2, offers_per_day=3000, token_lifetime_seconds=1)
    with SimulatorServer(config) as server, client_for(server) as client:
        ids, _ = load_day(client, day)
        stats = client.stats.snapshot()
        statuses = [r.status for r in api_records(server)]

        assert sorted(ids) == sorted(server.state.ids_created_on(day))
    # About 22 requests at 9.8/s last two seconds: tokens of one second are renewed
    # at 0.9 s, before any request meets an expired one.
    assert stats["token_refreshes"] >= 2
    assert statuses.count(401) == 0


@pytest.mark.parametrize(
    "faults",
    [
        pytest.param([Fault.status(503), Fault.status(503)], id="503-twice"),
        pytest.param([Fault.retry_after("1")], id="retry-after-seconds"),
        pytest.param([Fault.retry_after("0.5")], id="retry-after-fraction"),
        pytest.param([Fault.truncated()], id="truncated"),
        pytest.param([Fault.non_json()], id="non-json"),
        pytest.param([Fault.disconnect()], id="disconnect"),
        pytest.param([Fault.delay(2.0)], id="timeout"),
    ],
)
def test_transient_failures_end_with_every_offer_loaded_once(sim, faults):
    day = TODAY - timedelta(days=4)
    sim.state.faults.push(*faults, api="offresdemploi", path_prefix=SEARCH)

    with client_for(sim, timeout=1.0) as client:
        ids, _ = load_day(client, day)
        stats = client.stats.snapshot()

    assert sorted(ids) == sorted(sim.state.ids_created_on(day))
    assert len(ids) == len(set(ids))
    assert stats["retries"] == len(faults)


def test_retry_after_as_an_http_date_is_honoured(sim):
    day = TODAY - timedelta(days=5)
    when = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=2)
    sim.state.faults.push(
        Fault.retry_after(format_datetime(when, usegmt=True)),
        api="offresdemploi",
        path_prefix=SEARCH,
    )

    with client_for(sim) as client:
        ids, _ = load_day(client, day)
        waited = client.stats.snapshot()["seconds_waited"]

    assert sorted(ids) == sorted(sim.state.ids_created_on(day))
    assert 0.5 < waited <= 2.0
    statuses = [r.status for r in api_records(sim)]
    assert statuses.count(429) == 1


def test_a_page_that_keeps_failing_fails_the_load(sim):
    day = TODAY - timedelta(days=6)
    sim.state.faults.push(
        *[Fault.status(503)] * 20, api="offresdemploi", path_prefix=SEARCH
    )
    policy = RetryPolicy(max_attempts=3, backoff_initial=0.05, backoff_max=0.1)

    with (
        client_for(sim, retry=policy) as client,
        pytest.raises(errors.ServerError) as raised,
    ):
        load_day(client, day)

    assert raised.value.retryable is True
    assert [r.status for r in api_records(sim)] == [503, 503, 503]


OAUTH_CASES = {
    # secret sent, scopes the account subscribed (None: all), error expected
    "invalid_client": ("wrong-secret", None, errors.AuthenticationError),
    "invalid_scope": ("secret", {"api_labonneboitev2"}, errors.AccessDenied),
}


@pytest.mark.parametrize(
    ("secret", "scopes", "error"), OAUTH_CASES.values(), ids=OAUTH_CASES.keys()
)
def test_oauth_errors_cost_one_token_request_and_no_api_request(secret, scopes, error):
    every = ClientAccount("x", "y").scopes
    account = ClientAccount("app", "secret", scopes=scopes or every)
    with SimulatorServer(SimulatorConfig(accounts=[account])) as server:
        client = client_for(server, credentials=Credentials("app", Secret(secret)))
        with client, pytest.raises(error) as raised:
            load_day(client, TODAY - timedelta(days=1))

        assert raised.value.retryable is False
        assert [r.api for r in server.state.request_log] == ["token"]


def test_a_refused_api_fails_alone():
    every = ClientAccount("x", "y")
    account = ClientAccount(
        "app", "secret", apis=every.apis - {"labonneboite"}, scopes=every.scopes
    )
    credentials = Credentials("app", Secret("secret"))
    server = SimulatorServer(SimulatorConfig(accounts=[account]))
    with server, client_for(server, credentials=credentials) as client:
        with pytest.raises(errors.AccessDenied) as raised:
            list(LaBonneBoiteApi(client).search("M1805", department_number="75"))
        pays = ReferentielsApi(client).fetch("pays")

    assert "La Bonne Boîte v2" in str(raised.value)
    assert {"code": "01", "libelle": "France"} in pays


def simulator_process(tmp_path: Path, *options: str):
    """The simulator's command line in a process of its own; yields its base URL."""
    return simulator_subprocess(*options, log=tmp_path / "simulator.log")


def _load_in_a_process(base_url, budget_dir, day, start, results):
    # The server's log is the judge, so its clock must not lag: on a busy two-core
    # machine, nine processes compete for the CPU, and a starved server stamps
    # arrivals late, bunching them. The loaders yield the CPU to it.
    os.nice(10)
    start.wait()
    client = FranceTravailClient(
        credentials=CLIENT,
        token_url=f"{base_url}/connexion/oauth2/access_token?realm=%2Fpartenaire",
        api_url=f"{base_url}/partenaire",
        bucket_store=FileBucketStore(budget_dir),
    )
    with client:
        ids, api = load_day(client, day)
    results[day.isoformat()] = (sorted(ids), api.last_report.complete)


def test_eight_processes_sharing_a_file_budget_stay_under_the_quota(tmp_path):
    days = [TODAY - timedelta(days=n) for n in range(2, 10)]
    options = ["--seed", "11", "--volume", "1000", "--latency", "0.05"]
    context = multiprocessing.get_context("spawn")
    with simulator_process(tmp_path, *options) as base_url, context.Manager() as m:
        results = m.dict()
        start = context.Barrier(len(days))
        workers = [
            context.Process(
                target=_load_in_a_process,
                args=(base_url, tmp_path / "budget", day, start, results),
            )
            for day in days
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
        loaded = dict(results)
        with httpx.Client(base_url=f"{base_url}/_simulator") as admin:
            log = [
                SimpleNamespace(**record)
                for record in admin.get("/requests").json()["requests"]
            ]
            truth = {
                day.isoformat(): sorted(admin.get(f"/days/{day}/ids").json()["ids"])
                for day in days
            }

    assert [worker.exitcode for worker in workers] == [0] * 8
    assert {day: ids for day, (ids, _) in loaded.items()} == truth
    assert all(complete for _, complete in loaded.values())
    assert max_requests_in_window(log, seconds=1.0, api="offresdemploi") <= 10
    assert [r.status for r in log].count(429) == 0


def test_a_spike_day_of_8000_loads_every_offer_once_within_the_cap(tmp_path):
    day = TODAY - timedelta(days=2)
    config = SimulatorConfig(
        seed=5,
        offers_per_day=300,
        day_volumes={day: 4000},
        spikes=[Spike(day=day, hour=14, offers=4000)],
    )
    with SimulatorServer(config) as server, client_for(server) as client:
        ids, api = load_day(client, day)
        records = api_records(server)
        truth = sorted(server.state.ids_created_on(day))

    assert len(truth) == 8000
    assert sorted(ids) == truth
    report = api.last_report
    starts = [int(r.query["range"].split("-")[0]) for r in records]
    assert max(starts) <= 3000
    assert report.requests == len(records)
    assert report.requests <= 1.10 * ceil(report.expected / 150) + report.leaves
    assert report.complete is True


def test_replayed_real_bytes_are_read(samples_dir):
    search = json.loads((samples_dir / SEARCH_SAMPLE).read_text())
    single = json.loads((samples_dir / "offre_184TRJB_2024-11-28.json").read_text())
    pays = json.loads((samples_dir / "referentiel_pays.json").read_text())
    server = SimulatorServer(SimulatorConfig(replay_dir=samples_dir))
    with server, client_for(server) as client:
        api = OffresApi(client)
        window = request_window(date(2024, 11, 27))
        offers = [o for page in api.fetch_window(window) for o in page]
        offer = api.get_offer("184TRJB")
        referentiel = ReferentielsApi(client).fetch("pays")

    assert [o["id"] for o in offers] == [o["id"] for o in search["resultats"]]
    assert offer == single
    assert referentiel == pays


def test_the_other_apis_answer_through_the_same_client(sim):
    with client_for(sim) as client:
        metiers = RomeApi(client).metiers()
        code = metiers[0]["code"]
        search = LaBonneBoiteApi(client).search(code, department_number="75")
        companies = [company for page in search for company in page]
        indicator = MarcheTravailApi(client).indicateur(
            "stat-offres",
            {
                "codeTypeTerritoire": "DEP",
                "codeTerritoire": "75",
                "codeTypeActivite": "ROME",
                "codeActivite": code,
                "codeTypePeriode": "TRIMESTRE",
                "codeTypeNomenclature": "CATCAND",
                "dernierePeriode": True,
            },
        )

    assert len(metiers) > 10
    assert all(company["rome"] == code for company in companies)
    assert len(indicator["listeValeursParPeriode"]) == 1


def test_a_quota_below_the_default_and_never_stated_is_found_in_a_few_429s():
    day = TODAY - timedelta(days=2)
    config = SimulatorConfig(
        seed=3,
        offers_per_day=100,
        day_volumes={day: 6000},
        quotas={"offresdemploi": 4},
        quota_headers=False,
    )
    with SimulatorServer(config) as server, client_for(server) as client:
        ids, _ = load_day(client, day)
        statuses = [r.status for r in api_records(server)]
        truth = sorted(server.state.ids_created_on(day))

    assert sorted(ids) == truth
    # 10/s (the documented default), then 7, 4.9 and 3.43 requests/s: three 429s at
    # most, where keeping the default would meet one every other second.
    assert 1 <= statuses.count(429) <= 3
    assert len(statuses) - statuses.count(429) >= ceil(6000 / 150)
