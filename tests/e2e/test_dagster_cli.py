"""The README's production command, run for real: `dagster asset materialize` in a
subprocess, from the repository root, against a simulator over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from pipelines.simulator import SimulatorConfig, SimulatorServer

REPO_ROOT = Path(__file__).resolve().parents[2]
DAGSTER = Path(sys.executable).with_name("dagster")
DAY = date(2026, 10, 14)
NEXT_DAY = date(2026, 10, 15)
EMPTY_DAY = date(2026, 10, 16)

pytestmark = pytest.mark.slow


def materialize(
    server: SimulatorServer, database_url: str, tmp_path: Path, *args: str, **env: str
) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "FT_TOKEN_URL": server.token_url,
        "FT_API_URL": server.api_url,
        "FT_CLIENT_ID": "simulator-client",
        "FT_CLIENT_SECRET": "simulator-secret",
        "FT_RATELIMIT_URL": (tmp_path / "ratelimit").as_uri(),
        "DATABASE_URL": database_url,
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
        **env,
    }
    (tmp_path / "dagster_home").mkdir(exist_ok=True)
    command = [str(DAGSTER), "asset", "materialize", "-m", "pipelines.definitions"]
    return subprocess.run(
        [*command, *args],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def offer_ids(database_url: str) -> list[str]:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(
                    sa.text("SELECT id FROM offres ORDER BY id")
                ).scalars()
            )
    finally:
        engine.dispose()


def test_the_cli_lands_a_days_offers_once_and_a_rerun_changes_nothing(
    tmp_path, database_url
):
    config = SimulatorConfig(
        seed=11,
        day_volumes={DAY: 412, NEXT_DAY: 300, EMPTY_DAY: 0},
        first_day=date(2026, 10, 10),
        last_day=date(2026, 10, 20),
    )
    with SimulatorServer(config) as server:
        expected = sorted(server.state.corpus.ids_created_on(DAY))

        # The day, the same day again, then a day without offers.
        for partition in ("2026-10-14", "2026-10-14", "2026-10-16"):
            run = materialize(
                server,
                database_url,
                tmp_path,
                "--select",
                "offres",
                "--partition",
                partition,
            )
            assert run.returncode == 0, run.stderr[-3000:]
            assert offer_ids(database_url) == expected

    assert len(expected) == 412
    assert len(set(expected)) == 412


def test_real_captured_bytes_land_through_the_cli(tmp_path, database_url, samples_dir):
    """Replay the captured API responses: the product works on real API bytes."""
    with SimulatorServer(SimulatorConfig(replay_dir=samples_dir)) as server:
        offers = materialize(
            server,
            database_url,
            tmp_path,
            "--select",
            "offres",
            "--partition",
            "2024-11-27",
            FT_PARTITIONS_START="2024-11-01",
        )
        pays = materialize(
            server, database_url, tmp_path, "--select", "referentiel_pays"
        )

    assert offers.returncode == 0, offers.stderr[-3000:]
    assert pays.returncode == 0, pays.stderr[-3000:]
    # The captured page holds 26 offers; six were created on 2024-11-27, Paris time.
    assert offer_ids(database_url) == sorted(
        ["184SFBG", "184RQDK", "8422355", "8418187", "8418036", "8393092"]
    )
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            origins = dict(
                connection.execute(
                    sa.text("SELECT id, origine_offre_origine FROM offres")
                ).all()
            )
            contact_names = connection.execute(
                sa.text("SELECT count(*) FROM offres WHERE raw LIKE '%REDACTED_NAME%'")
                if database_url.startswith("sqlite")
                else sa.text(
                    "SELECT count(*) FROM offres WHERE raw::text LIKE '%REDACTED_NAME%'"
                )
            ).scalar_one()
            pays_rows = connection.execute(
                sa.text("SELECT count(*) FROM referentiel_pays")
            ).scalar_one()
    finally:
        engine.dispose()
    assert origins == {
        "184SFBG": "1",
        "184RQDK": "1",
        "8422355": "2",
        "8418187": "2",
        "8418036": "2",
        "8393092": "2",
    }
    assert contact_names == 0  # contact names are not stored by default
    assert pays_rows == 221
