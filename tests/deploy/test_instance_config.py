"""The Dagster instance files: each is what Dagster accepts, and says what the
operations guide says it does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from dagster import DagsterInstance
from dagster._core.instance.config import dagster_instance_config
from dagster._core.workspace.config_schema import ensure_workspace_config

REPO_ROOT = Path(__file__).resolve().parents[2]
LOCAL = REPO_ROOT / "dagster.local.yaml"
PRODUCTION = REPO_ROOT / "deploy" / "dagster.production.yaml"
PRODUCTION_WORKSPACE = REPO_ROOT / "deploy" / "workspace.production.yaml"

# What a run needs to load offers from any container: credentials, the warehouse, and
# the request budget that every run must share.
PIPELINE_VARIABLES = {"FT_CLIENT_ID", "FT_CLIENT_SECRET", "DATABASE_URL"}


def validated(source: Path, home: Path) -> dict:
    """The file's settings, once Dagster's own schema has accepted them."""
    home.mkdir(exist_ok=True)
    shutil.copy(source, home / "dagster.yaml")
    settings, _ = dagster_instance_config(str(home))
    return settings


@pytest.fixture
def local_instance(tmp_path) -> DagsterInstance:
    """A real instance built from the workstation file, storage under tmp_path."""
    home = tmp_path / "home"
    validated(LOCAL, home)
    instance = DagsterInstance.from_config(str(home))
    yield instance
    instance.dispose()


def test_the_workstation_instance_queues_retries_and_bounds_the_pools(local_instance):
    concurrency = local_instance.get_concurrency_config()
    queue = concurrency.run_queue_config

    assert type(local_instance.run_coordinator).__name__ == "QueuedRunCoordinator"
    assert queue.max_concurrent_runs == 4
    assert concurrency.pool_config.default_pool_limit == 4
    assert concurrency.pool_config.pool_granularity.value == "run"
    assert (
        local_instance.run_retries_enabled,
        local_instance.run_retries_max_retries,
        local_instance.run_retries_retry_on_asset_or_op_failure,
    ) == (True, 2, False)
    assert local_instance.run_monitoring_enabled
    assert local_instance.run_monitoring_max_runtime_seconds == 21600


def test_the_production_file_is_a_valid_instance(tmp_path):
    settings = validated(PRODUCTION, tmp_path / "home")

    database = settings["storage"]["postgres"]["postgres_db"]
    launcher = settings["run_launcher"]
    assert {key: database[key] for key in ("hostname", "db_name", "username")} == {
        "hostname": {"env": "DAGSTER_PG_HOST"},
        "db_name": {"env": "DAGSTER_PG_DB"},
        "username": {"env": "DAGSTER_PG_USER"},
    }
    # No password is written in the file, only the variable that holds it.
    assert database["password"] == {"env": "DAGSTER_PG_PASSWORD"}
    assert settings["run_retries"] == {
        "enabled": True,
        "max_retries": 2,
        "retry_on_asset_or_op_failure": False,
    }
    assert settings["concurrency"] == {
        "runs": {"max_concurrent_runs": 8},
        "pools": {"default_limit": 4, "granularity": "run"},
    }
    assert (launcher["module"], launcher["class"]) == (
        "dagster_docker",
        "DockerRunLauncher",
    )
    assert {"FT_RATELIMIT_URL", *PIPELINE_VARIABLES} <= set(
        launcher["config"]["env_vars"]
    )


def test_the_production_settings_build_an_instance(tmp_path):
    """Everything but the PostgreSQL storage and the Docker launcher (libraries of the
    production image) is instantiated for real, on SQLite and the default launcher."""
    settings = yaml.safe_load(PRODUCTION.read_text())
    del settings["storage"], settings["run_launcher"]
    settings["compute_logs"]["config"]["base_dir"] = str(tmp_path / "compute_logs")
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text(yaml.safe_dump(settings))

    instance = DagsterInstance.from_config(str(home))
    try:
        queue = instance.get_concurrency_config().run_queue_config
        assert queue.max_concurrent_runs == 8
        assert (
            queue.max_user_code_failure_retries,
            queue.user_code_failure_retry_delay,
        ) == (
            3,
            30,
        )
        assert instance.run_monitoring_start_timeout_seconds == 300
        assert instance.run_retries_max_retries == 2
    finally:
        instance.dispose()


def test_the_production_workspace_loads_the_code_location_from_its_server():
    workspace = yaml.safe_load(PRODUCTION_WORKSPACE.read_text())

    ensure_workspace_config(workspace, str(PRODUCTION_WORKSPACE))

    assert workspace["load_from"] == [
        {
            "grpc_server": {
                "host": "dagster-code",
                "port": 4000,
                "location_name": "pipelines.definitions",
            }
        }
    ]
