"""`make demo`: the whole pipeline on this machine, with nothing but the simulator.

It starts the France Travail API simulator on 127.0.0.1, then drives the real Dagster
CLI exactly as a user would against the real API:

    dagster asset materialize -m pipelines.definitions --select group:referentiels
    dagster asset materialize -m pipelines.definitions --select offres --partition DAY
    dagster asset materialize -m pipelines.definitions --select offres_stock

and prints what landed. The warehouse is always the demo's own SQLite file, whatever
`DATABASE_URL` or `.env` say, so a demo can never write simulated offers into a real
database.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from pipelines import settings
from pipelines.calendar import PARIS
from pipelines.simulator.process import simulator_subprocess
from pipelines.warehouse import create_engine

DEMO_DATABASE_URL = "sqlite:///data/demo.db"
SIMULATOR_CLIENT_ID = "simulator-client"
SIMULATOR_CLIENT_SECRET = "simulator-secret"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.demo", description=__doc__
    )
    parser.add_argument("--days", type=int, default=3, help="days to load (default 3)")
    parser.add_argument(
        "--offers-per-day",
        type=int,
        default=2000,
        help="offers the simulator creates per Paris day (default 2000)",
    )
    args = parser.parse_args(argv)

    yesterday = datetime.now(PARIS).date() - timedelta(days=1)
    days = [yesterday - timedelta(days=n) for n in reversed(range(args.days))]

    with running_simulator(args.offers_per_day) as simulator_env:
        env = {**os.environ, **simulator_env, settings.DATABASE_URL: DEMO_DATABASE_URL}
        started = time.monotonic()
        materialize(env, "group:referentiels")
        for day in days:
            materialize(env, "offres", partition=day.isoformat())
        sweep_config = {"ops": {"offres_stock": {"config": {"days": args.days}}}}
        materialize(env, "offres_stock", config=sweep_config)
        elapsed = time.monotonic() - started

    print_summary(days, elapsed)
    return 0


@contextmanager
def running_simulator(offers_per_day: int) -> Iterator[dict[str, str]]:
    """Start the simulator on a free port; yield the variables pointing at it."""
    with simulator_subprocess("--offers-per-day", str(offers_per_day)) as base_url:
        print(f"France Travail API simulator listening on {base_url}")
        yield {
            settings.TOKEN_URL: (
                f"{base_url}/connexion/oauth2/access_token?realm=%2Fpartenaire"
            ),
            settings.API_URL: f"{base_url}/partenaire",
            settings.CLIENT_ID: SIMULATOR_CLIENT_ID,
            settings.CLIENT_SECRET: SIMULATOR_CLIENT_SECRET,
        }


def materialize(
    env: dict[str, str],
    selection: str,
    partition: str | None = None,
    config: dict | None = None,
) -> None:
    """Run `dagster asset materialize` and stop the demo if the run fails."""
    command = [
        str(Path(sys.executable).with_name("dagster")),
        "asset",
        "materialize",
        "-m",
        "pipelines.definitions",
        "--select",
        selection,
    ]
    if partition:
        command += ["--partition", partition]
    if config:
        command += ["--config-json", json.dumps(config)]
    label = selection + (f" --partition {partition}" if partition else "")
    print(f"dagster asset materialize --select {label} ...", end=" ", flush=True)
    started = time.monotonic()
    completed = subprocess.run(command, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        print("failed")
        sys.stderr.write(completed.stdout[-4000:] + completed.stderr[-4000:])
        raise SystemExit(completed.returncode)
    print(f"done in {time.monotonic() - started:.1f} s")


def print_summary(days: list[date], elapsed: float) -> None:
    engine = create_engine(DEMO_DATABASE_URL)
    with engine.connect() as connection:
        per_day = connection.execute(
            sa.text(
                "SELECT jour_creation, count(*) FROM offres "
                "WHERE jour_creation BETWEEN :first AND :last "
                "GROUP BY jour_creation ORDER BY jour_creation"
            ),
            {"first": days[0], "last": days[-1]},
        ).all()
        top = connection.execute(
            sa.text(
                "SELECT departement_libelle, sum(nb_offres) AS offres "
                "FROM offres_nouvelles_par_jour "
                "WHERE jour_creation BETWEEN :first AND :last "
                "GROUP BY departement_libelle ORDER BY offres DESC LIMIT 5"
            ),
            {"first": days[0], "last": days[-1]},
        ).all()
    engine.dispose()

    print(f"\nLoaded in {elapsed:.0f} s into {DEMO_DATABASE_URL}")
    print("\nOffers per Paris day of creation:")
    for day, count in per_day:
        print(f"  {day}  {count:>6}")
    print(
        "\nNew offers by département over those days (view offres_nouvelles_par_jour):"
    )
    for label, count in top:
        print(f"  {label or '(no département)':<30} {count:>6}")
    print(
        "\nQuery it yourself:  sqlite3 data/demo.db "
        "'SELECT * FROM offres_ouvertes LIMIT 5'"
        "\nOr browse the demo's runs: make demo-ui  (http://127.0.0.1:3000)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
