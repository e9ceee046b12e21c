"""ROME 4.0, La Bonne Boîte, Marché du travail and the agencies end to end: Dagster,
client, simulator and a real database."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
import sqlalchemy as sa
from dagster import materialize

from assets.agences import agences
from assets.departements import DEPARTEMENTS
from assets.labonneboite import labonneboite_entreprises
from assets.loads import (
    load_day,
    load_labonneboite_departement,
    refresh_marche_travail,
    refresh_rome_fiches_metiers,
)
from assets.marche_travail import marche_travail_indicateurs
from assets.referentiels import ASSET_NAMES, referentiels
from assets.resources import FranceTravailResource, WarehouseResource
from assets.rome import rome_assets
from pipelines.francetravail import (
    Credentials,
    FileBucketStore,
    FranceTravailClient,
    Secret,
)
from pipelines.simulator import (
    ClientAccount,
    SimulatorServer,
    max_requests_in_window,
)
from pipelines.simulator.catalogue import ALL_API_NAMES, ALL_SCOPES
from pipelines.simulator.labonneboite import LaBonneBoiteApi as SimulatedLaBonneBoite
from pipelines.simulator.process import simulator_subprocess
from pipelines.warehouse import create_engine, upgrade

from .conftest import (
    DAY_VOLUMES,
    LOADED_DAY,
    francetravail_resource,
    simulator_config,
)

CLIENT_ID, CLIENT_SECRET = "simulator-client", "simulator-secret"
# Quotas high enough for a test to read the slow APIs in seconds; the quota test below
# keeps them low.
FAST_QUOTAS = dict.fromkeys(ALL_API_NAMES, 200.0)
PARTNER_ASSETS = [
    *rome_assets,
    marche_travail_indicateurs,
    agences,
    labonneboite_entreprises,
]
PARTNER_ASSET_NAMES = {a.key.to_user_string() for a in PARTNER_ASSETS}
# The département whose La Bonne Boîte partition the runs load: 33 open offers of the
# loaded day over 27 ROME codes.
DEPARTEMENT = "75"
# A département without any offer on the loaded day.
QUIET_DEPARTEMENT = "12"

# Rows each table holds after one run, from the simulator's nomenclature (64 métiers,
# 121 appellations, 59 compétences, 12 contexts), its 232 agencies, and 101
# départements x 2 indicators x 8 quarters (4 contract types or 3 job-seeker
# categories each).
EXPECTED_ROWS = {
    "rome_metiers": 64,
    "rome_metiers_contextes_travail": 176,
    "rome_appellations": 121,
    "rome_competences": 59,
    "rome_fiches_metiers": 64,
    "rome_fiches_metiers_competences": 720,
    "rome_contextes_travail": 12,
    "marche_travail_indicateurs": 1616,
    "marche_travail_caracteristiques": 5656,
    "agences": 232,
    "agences_zones_competence": 232,
    "labonneboite_entreprises": 254,
}
# Requests each asset sends: a list and one detail per item for the métiers and the
# fiches; one POST per indicator and département; one page per search of 10 codes.
EXPECTED_REQUESTS = {
    "rome_metiers": 65,
    "rome_appellations": 1,
    "rome_competences": 1,
    "rome_fiches_metiers": 65,
    "rome_contextes_travail": 1,
    "marche_travail_indicateurs": 202,
    "agences": 1,
    "labonneboite_entreprises": 4,
}


# The tables each asset writes.
ASSET_TABLES = {
    "rome_metiers": {"rome_metiers", "rome_metiers_contextes_travail"},
    "rome_appellations": {"rome_appellations"},
    "rome_competences": {"rome_competences"},
    "rome_fiches_metiers": {"rome_fiches_metiers", "rome_fiches_metiers_competences"},
    "rome_contextes_travail": {"rome_contextes_travail"},
    "marche_travail_indicateurs": {
        "marche_travail_indicateurs",
        "marche_travail_caracteristiques",
    },
    "agences": {"agences", "agences_zones_competence"},
    "labonneboite_entreprises": {"labonneboite_entreprises"},
}


def labonneboite_requests(server: SimulatorServer) -> list[tuple[list[str], str]]:
    """The ROME codes and the page of each La Bonne Boîte request."""
    requests = []
    for record in server.state.request_log:
        if record.api == "labonneboite":
            assert record.query["page_size"] == "100"
            codes = record.query["rome"]
            # The log keeps a parameter given once as a plain value.
            requests.append(
                ([codes] if isinstance(codes, str) else codes, record.query["page"])
            )
    return requests


def count(database_url: str, table: str, where: str = "") -> int:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            sql = f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else "")
            return connection.execute(sa.text(sql)).scalar_one()
    finally:
        engine.dispose()


def seed_offers(server: SimulatorServer, database_url: str) -> None:
    """Load the simulator's busy day: the open offers La Bonne Boîte searches for."""
    resource = francetravail_resource(server, ratelimit_url="memory://")
    with resource.open_client() as client:
        engine = create_engine(database_url)
        upgrade(engine)
        load_day(client, engine, LOADED_DAY, range_cap=3000)
        engine.dispose()
    server.state.clear_log()


def metadata_of(result, asset_name: str) -> dict:
    [materialization] = result.asset_materializations_for_node(asset_name)
    return {key: value.value for key, value in materialization.metadata.items()}


def failed_steps(result) -> dict[str, str]:
    return {
        event.step_key: event.step_failure_data.error.message
        for event in result.all_events
        if event.event_type_value == "STEP_FAILURE"
    }


@pytest.fixture
def fast_simulator() -> Iterator[SimulatorServer]:
    with SimulatorServer(simulator_config(quotas=FAST_QUOTAS)) as server:
        yield server


def test_every_partner_api_lands_its_rows(fast_simulator, database_url):
    seed_offers(fast_simulator, database_url)
    resources = {
        "francetravail": francetravail_resource(fast_simulator),
        "warehouse": WarehouseResource(database_url=database_url),
    }

    result = materialize(PARTNER_ASSETS, partition_key=DEPARTEMENT, resources=resources)

    assert result.success
    assert {table: count(database_url, table) for table in EXPECTED_ROWS} == (
        EXPECTED_ROWS
    )
    assert {
        name: metadata_of(result, name)["requests"] for name in EXPECTED_REQUESTS
    } == EXPECTED_REQUESTS
    log = fast_simulator.state.request_log
    assert sorted({r.api for r in log} - {"token"}) == sorted(
        ALL_API_NAMES - {"offresdemploi"}
    )
    assert {r.status for r in log} == {200}
    # Agency contacts are not stored by default.
    assert count(database_url, "agences", "contact_email IS NOT NULL") == 0


def test_la_bonne_boite_finds_the_simulators_companies_for_open_offers(
    fast_simulator, database_url
):
    seed_offers(fast_simulator, database_url)
    engine = create_engine(database_url)
    with engine.connect() as connection:
        codes = set(
            connection.scalars(
                sa.text(
                    "SELECT DISTINCT rome_code FROM offres WHERE closed_at IS NULL "
                    "AND lieu_travail_departement = :d"
                ),
                {"d": DEPARTEMENT},
            )
        )
    expected = {
        (item["siret"], item["rome"])
        for item in SimulatedLaBonneBoite(seed=7).companies(DEPARTEMENT)
        if item["rome"] in codes
    }
    resource = francetravail_resource(fast_simulator)

    with resource.open_client() as client:
        load = load_labonneboite_departement(client, engine, DEPARTEMENT)

    with engine.connect() as connection:
        landed = set(
            connection.execute(
                sa.text("SELECT siret, rome FROM labonneboite_entreprises")
            ).all()
        )
    engine.dispose()
    assert len(codes) == 27
    assert len(expected) == 254
    assert landed == expected
    assert (load.result.rows, load.searches, load.searches_cut) == (254, 3, 0)
    requests = labonneboite_requests(fast_simulator)
    # The first ten codes have more than a page of establishments.
    assert [(len(batch), page) for batch, page in requests] == [
        (10, "1"),
        (10, "2"),
        (10, "1"),
        (7, "1"),
    ]
    assert {code for batch, _ in requests for code in batch} == codes


def test_a_partition_is_bounded_and_loads_the_same_twice(fast_simulator, sqlite_url):
    seed_offers(fast_simulator, sqlite_url)
    resources = {
        "francetravail": francetravail_resource(fast_simulator),
        "warehouse": WarehouseResource(database_url=sqlite_url),
    }
    bounds = {
        "max_rome_codes": 5,
        "rome_codes_per_search": 2,
        "max_pages_per_search": 1,
    }
    run_config = {"ops": {"labonneboite_entreprises": {"config": bounds}}}

    def run(partition: str):
        return materialize(
            [labonneboite_entreprises],
            partition_key=partition,
            resources=resources,
            run_config=run_config,
        )

    first = run(DEPARTEMENT)
    rows_after_first = count(sqlite_url, "labonneboite_entreprises")
    second = run(DEPARTEMENT)

    metadata = metadata_of(second, "labonneboite_entreprises")
    assert metadata_of(first, "labonneboite_entreprises")["previous_rows"] == 0
    assert (metadata["rows"], metadata["previous_rows"]) == (
        rows_after_first,
        rows_after_first,
    )
    assert (metadata["rome_codes"], metadata["rome_codes_left_out"]) == (5, 22)
    assert (metadata["searches"], metadata["requests"]) == (3, 3)
    requests = labonneboite_requests(fast_simulator)
    assert [(len(batch), page) for batch, page in requests] == [
        (2, "1"),
        (2, "1"),
        (1, "1"),
    ] * 2
    # A département without open offers asks nothing and holds nothing.
    fast_simulator.state.clear_log()

    empty = run(QUIET_DEPARTEMENT)

    assert metadata_of(empty, "labonneboite_entreprises")["rows"] == 0
    assert labonneboite_requests(fast_simulator) == []
    assert count(sqlite_url, "labonneboite_entreprises", "departement = '75'") == (
        rows_after_first
    )


@pytest.mark.parametrize(
    ("account", "failed", "message"),
    [
        pytest.param(
            ClientAccount(
                CLIENT_ID, CLIENT_SECRET, apis=ALL_API_NAMES - {"labonneboite"}
            ),
            {"labonneboite_entreprises"},
            "subscribe the application to La Bonne Boîte v2 on francetravail.io",
            id="labonneboite-not-granted-403",
        ),
        pytest.param(
            ClientAccount(
                CLIENT_ID, CLIENT_SECRET, apis=ALL_API_NAMES - {"rome-metiers"}
            ),
            {"rome_metiers", "rome_appellations"},
            "subscribe the application to ROME 4.0 - Métiers on francetravail.io",
            id="rome-metiers-not-granted-403",
        ),
        pytest.param(
            ClientAccount(
                CLIENT_ID, CLIENT_SECRET, scopes=ALL_SCOPES - {"offresetdemandesemploi"}
            ),
            {"marche_travail_indicateurs"},
            "subscribe the application to Marché du travail on francetravail.io",
            id="marche-travail-scope-refused-invalid-scope",
        ),
    ],
)
def test_a_refused_api_fails_only_its_own_assets(sqlite_url, account, failed, message):
    config = simulator_config(quotas=FAST_QUOTAS, accounts=[account])
    with SimulatorServer(config) as server:
        seed_offers(server, sqlite_url)
        resources = {
            "francetravail": francetravail_resource(server),
            "warehouse": WarehouseResource(database_url=sqlite_url),
        }

        result = materialize(
            [*PARTNER_ASSETS, referentiels],
            partition_key=DEPARTEMENT,
            resources=resources,
            raise_on_error=False,
        )

    failures = failed_steps(result)
    materialized = {
        event.asset_key.to_user_string()
        for event in result.get_asset_materialization_events()
    }
    assert set(failures) == failed
    assert all(message in text for text in failures.values())
    assert CLIENT_SECRET not in repr(failures)
    assert materialized == (PARTNER_ASSET_NAMES | set(ASSET_NAMES)) - failed
    assert count(sqlite_url, "referentiel_departements") == 101
    untouched = set().union(*(ASSET_TABLES[name] for name in failed))
    assert {table: count(sqlite_url, table) for table in EXPECTED_ROWS} == {
        table: 0 if table in untouched else rows
        for table, rows in EXPECTED_ROWS.items()
    }


def simulator_process(tmp_path: Path, *options: str):
    """The simulator's command line in a process of its own; yields its base URL."""
    return simulator_subprocess(*options, log=tmp_path / "simulator.log")


# The client's default margin (2 % of a second) covers the milliseconds between a
# request's admission and its arrival on an idle host. Here three loads, the simulator
# and the test share two cores, and a stalled process can stamp its arrivals a few
# hundred milliseconds late; a wider margin keeps the check on the budgets rather than
# on the scheduler.
QUOTA_TEST_MARGIN = 0.5
ROME_QUOTA, MARCHE_QUOTA = 20.0, 80.0


def _client(base_url: str, budget_dir: Path) -> FranceTravailClient:
    return FranceTravailClient(
        credentials=Credentials(CLIENT_ID, Secret(CLIENT_SECRET)),
        token_url=f"{base_url}/connexion/oauth2/access_token?realm=%2Fpartenaire",
        api_url=f"{base_url}/partenaire",
        bucket_store=FileBucketStore(budget_dir),
        rate_margin=QUOTA_TEST_MARGIN,
    )


def test_each_api_keeps_to_its_own_quota(tmp_path, sqlite_url):
    """Three loads at once, each on its own quota: the slow one delays none other."""
    days = [f"--day-volume={day}={n}" for day, n in DAY_VOLUMES.items()]
    options = [
        *("--seed", "7", "--volume", "50", *days),
        *("--first-day", "2026-11-10", "--last-day", "2026-11-25"),
        *("--quota", f"rome-fiches-metiers={ROME_QUOTA:g}"),
        *("--quota", f"stats-offres-demandes-emploi={MARCHE_QUOTA:g}"),
        *("--quota", "labonneboite=2"),
    ]
    budget = tmp_path / "budget"
    engine = create_engine(sqlite_url)
    upgrade(engine)
    loads = [
        lambda client: refresh_rome_fiches_metiers(client, engine),
        lambda client: refresh_marche_travail(client, engine, DEPARTEMENTS),
        lambda client: load_labonneboite_departement(client, engine, DEPARTEMENT),
    ]
    failures: list[BaseException] = []
    start = threading.Barrier(len(loads))

    def run(base_url: str, load) -> None:
        # A client of its own per load, as each Dagster step has, on one budget.
        try:
            with _client(base_url, budget) as client:
                start.wait()
                load(client)
        except BaseException as error:
            failures.append(error)

    with simulator_process(tmp_path, *options) as base_url:
        with _client(base_url, budget) as client:
            load_day(client, engine, LOADED_DAY, range_cap=3000)
        threads = [
            threading.Thread(target=run, args=(base_url, load)) for load in loads
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        engine.dispose()
        with httpx.Client(base_url=f"{base_url}/_simulator") as admin:
            log = [
                SimpleNamespace(**record)
                for record in admin.get("/requests").json()["requests"]
            ]

    def arrivals(api: str) -> list[float]:
        return sorted(r.at for r in log if r.api == api)

    rome = arrivals("rome-fiches-metiers")
    marche = arrivals("stats-offres-demandes-emploi")
    marche_during_rome = [
        r for r in log if r.api == "stats-offres-demandes-emploi" and rome[0] <= r.at
    ]
    assert failures == []
    assert (len(rome), len(marche), len(arrivals("labonneboite"))) == (65, 202, 4)
    assert max_requests_in_window(log, 1.0, api="rome-fiches-metiers") <= ROME_QUOTA
    assert (
        max_requests_in_window(log, 1.0, api="stats-offres-demandes-emploi")
        <= MARCHE_QUOTA
    )
    assert max_requests_in_window(log, 1.0, api="labonneboite") <= 2
    # While ROME paced itself at its quota, the indicators went at half as fast again
    # and more, and their 202 requests took less time than ROME's pace would allow.
    assert max_requests_in_window(marche_during_rome, 1.0) >= 1.5 * ROME_QUOTA
    assert marche[-1] - marche[0] < len(marche) / ROME_QUOTA


def test_agency_contacts_are_stored_when_asked(fast_simulator, sqlite_url):
    resources = {
        "francetravail": francetravail_resource(fast_simulator),
        "warehouse": WarehouseResource(database_url=sqlite_url, store_contacts=True),
    }

    materialize([agences], resources=resources)

    assert count(sqlite_url, "agences", "contact_email LIKE 'ape.%'") == 232
    assert count(sqlite_url, "agences", "contact_telephone_public = '39 49'") == 232


def test_a_resource_without_credentials_names_the_variables(sqlite_url):
    resources = {
        "francetravail": FranceTravailResource(),
        "warehouse": WarehouseResource(database_url=sqlite_url),
    }

    result = materialize([agences], resources=resources, raise_on_error=False)

    [message] = failed_steps(result).values()
    assert "FT_CLIENT_ID and FT_CLIENT_SECRET are not set" in message
