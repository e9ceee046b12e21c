"""`ftpipe`: the pipeline's jobs from a shell, for cron users and for debugging.

The commands run the same loads as the Dagster assets (`assets.loads`), with the same
settings (environment variables and `.env`), and share the same request budget with
any Dagster run on the machine:

    ftpipe load 2026-12-01 [2026-12-03]   every offer created on those Paris days
    ftpipe sweep [--days 31]              refresh updated offers, close withdrawn ones
    ftpipe referentiels [NAME ...]        refresh the référentiels
    ftpipe estimate 2026-11-01 2026-11-30 what a backfill of those days would cost
    ftpipe rome | agences | marche-travail    the other partner APIs
    ftpipe labonneboite [DEPARTEMENT ...]     companies hiring, per département
    ftpipe upgrade                        create or upgrade the warehouse schema

Progress goes to stderr; a summary table goes to stdout. The exit status is 0 on
success, 1 when a load failed, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import math
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from assets.departements import DEPARTEMENTS
from assets.loads import (
    load_day,
    load_labonneboite_departement,
    refresh_agences,
    refresh_marche_travail,
    refresh_referentiels,
    refresh_rome_appellations,
    refresh_rome_competences,
    refresh_rome_contextes_travail,
    refresh_rome_fiches_metiers,
    refresh_rome_metiers,
    sweep_stock,
)
from assets.resources import FranceTravailResource, WarehouseResource
from pipelines import settings
from pipelines.calendar import PARIS
from pipelines.francetravail import (
    OFFRES_API,
    REFERENTIELS,
    FranceTravailClient,
    OffresApi,
    errors,
)
from pipelines.francetravail.offres import request_window
from pipelines.warehouse import current_revision
from pipelines.warehouse.errors import WarehouseError

logger = logging.getLogger("pipelines.cli")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    settings.load_environment()
    config = settings.Settings.from_env()
    try:
        return args.command(args, config)
    except (errors.FranceTravailError, WarehouseError) as error:
        print(f"ftpipe: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ftpipe",
        description="Run the France Travail pipeline's jobs outside Dagster.",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log every request (INFO)"
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    load = commands.add_parser("load", help="load the offers of Paris days")
    load.add_argument("first", type=_day, help="first day, YYYY-MM-DD")
    load.add_argument("last", type=_day, nargs="?", help="last day (default: first)")
    load.set_defaults(command=run_load)

    sweep = commands.add_parser("sweep", help="re-read the open stock")
    sweep.add_argument(
        "--days",
        type=_positive,
        default=31,
        help="creation days swept, ending yesterday (default: 31)",
    )
    sweep.set_defaults(command=run_sweep)

    referentiels = commands.add_parser("referentiels", help="refresh référentiels")
    referentiels.add_argument(
        "names", nargs="*", help=f"default: all of {', '.join(REFERENTIELS)}"
    )
    referentiels.set_defaults(command=run_referentiels)

    estimate = commands.add_parser(
        "estimate", help="requests and duration of a backfill, at the current quota"
    )
    estimate.add_argument("first", type=_day)
    estimate.add_argument("last", type=_day)
    estimate.set_defaults(command=run_estimate)

    rome = commands.add_parser("rome", help="refresh the ROME 4.0 tables")
    rome.set_defaults(command=run_rome)
    agences = commands.add_parser("agences", help="refresh the agencies")
    agences.set_defaults(command=run_agences)
    marche = commands.add_parser(
        "marche-travail", help="refresh the Marché du travail indicators"
    )
    marche.set_defaults(command=run_marche_travail)
    labonneboite = commands.add_parser(
        "labonneboite", help="refresh La Bonne Boîte's companies per département"
    )
    labonneboite.add_argument(
        "departements", nargs="*", metavar="DEPARTEMENT", help="default: all 101"
    )
    labonneboite.set_defaults(command=run_labonneboite)

    upgrade = commands.add_parser("upgrade", help="create or upgrade the schema")
    upgrade.set_defaults(command=run_upgrade)
    return parser


def run_load(args: argparse.Namespace, config: settings.Settings) -> int:
    days = _days(args.first, args.last or args.first)
    today = datetime.now(PARIS).date()
    if days[-1] > today:
        print(f"ftpipe: {days[-1]} is in the future (Paris time)", file=sys.stderr)
        return 2
    if days[-1] == today:
        print(
            f"warning: {today} is today: its offers are still arriving, so load it "
            "again tomorrow to complete it",
            file=sys.stderr,
        )
    francetravail, warehouse = _resources(config)
    print(
        f"Loading {len(days)} day(s) into {warehouse.redacted_url()}", file=sys.stderr
    )
    rows = []
    failed = False
    with francetravail.open_client() as client, warehouse.open_engine() as engine:
        for day in days:
            started = time.monotonic()
            before = client.stats.snapshot()
            try:
                with _progress(f"{day}") as progress:
                    load = load_day(
                        client,
                        engine,
                        day,
                        range_cap=config.range_cap,
                        store_contacts=config.store_contacts,
                        progress=progress,
                    )
            except errors.FranceTravailError as error:
                print(f"{day}  failed: {error}", file=sys.stderr)
                failed = True
                if not error.retryable:
                    break
                continue
            requests = client.stats.snapshot()["requests"] - before["requests"]
            result = load.result
            rows.append(
                (
                    day.isoformat(),
                    result.inserted,
                    result.updated,
                    result.unchanged,
                    load.report.expected,
                    int(requests),
                    f"{time.monotonic() - started:.1f}",
                )
            )
    if rows:
        _print_table(
            (
                "day",
                "inserted",
                "updated",
                "unchanged",
                "in window",
                "requests",
                "secs",
            ),
            rows,
        )
        print(
            "(in window: offers the API announced for the request window, which is "
            "padded by an hour or two past the day; only the day's offers are kept)",
            file=sys.stderr,
        )
    return 1 if failed else 0


def run_sweep(args: argparse.Namespace, config: settings.Settings) -> int:
    until = datetime.now(PARIS).date() - timedelta(days=1)
    since = until - timedelta(days=args.days - 1)
    francetravail, warehouse = _resources(config)
    with francetravail.open_client() as client, warehouse.open_engine() as engine:
        with _progress(f"stock {since}..{until}") as progress:
            sweep = sweep_stock(
                client,
                engine,
                since,
                until,
                range_cap=config.range_cap,
                store_contacts=config.store_contacts,
                progress=progress,
            )
        requests = client.stats.snapshot()["requests"]
    result = sweep.result
    _print_table(
        ("span", "inserted", "updated", "closed", "reopened", "open", "requests"),
        [
            (
                f"{since}..{until}",
                result.inserted,
                result.updated,
                result.closed,
                result.reopened,
                result.still_open,
                int(requests),
            )
        ],
    )
    return 0


def run_referentiels(args: argparse.Namespace, config: settings.Settings) -> int:
    names = args.names or list(REFERENTIELS)
    if _unknown("référentiel", names, REFERENTIELS):
        return 2
    francetravail, warehouse = _resources(config)
    rows = []
    with francetravail.open_client() as client, warehouse.open_engine() as engine:
        for name, count in refresh_referentiels(client, engine, names):
            print(f"référentiel {name}: {count} rows", file=sys.stderr)
            rows.append((name, count))
    _print_table(("référentiel", "rows"), rows)
    return 0


def run_estimate(args: argparse.Namespace, config: settings.Settings) -> int:
    """Count each day's offers (one request a day) and price the backfill."""
    days = _days(args.first, args.last)
    francetravail, _ = _resources(config)
    rows = []
    total_requests = 0
    with francetravail.open_client() as client:
        api = OffresApi(client, range_cap=config.range_cap)
        for day in days:
            announced = api.count(request_window(day))
            requests = api.estimate_requests(announced)
            total_requests += requests
            rows.append((day.isoformat(), announced, requests))
        quota = _quota(client)
    _print_table(("day", "offers in window", "requests"), rows)
    seconds = total_requests / quota
    print(
        f"\n{len(days)} day(s): about {total_requests} requests, "
        f"{_duration(seconds)} at {quota:g} requests/s "
        f"(parallel runs share the quota: more runs do not make it shorter)."
    )
    return 0


def run_rome(args: argparse.Namespace, config: settings.Settings) -> int:
    refreshes = {
        "métiers": refresh_rome_metiers,
        "appellations": refresh_rome_appellations,
        "compétences": refresh_rome_competences,
        "fiches métiers": refresh_rome_fiches_metiers,
        "contextes de travail": refresh_rome_contextes_travail,
    }
    francetravail, warehouse = _resources(config)
    rows = []
    with francetravail.open_client() as client, warehouse.open_engine() as engine:
        for name, refresh in refreshes.items():
            print(f"ROME {name}...", file=sys.stderr)
            rows.append((name, _summary(refresh(client, engine))))
    _print_table(("ROME", "loaded"), rows)
    return 0


def run_agences(args: argparse.Namespace, config: settings.Settings) -> int:
    francetravail, warehouse = _resources(config)
    with francetravail.open_client() as client, warehouse.open_engine() as engine:
        result = refresh_agences(client, engine, store_contacts=config.store_contacts)
    _print_table(("agences", "loaded"), [("agences", _summary(result))])
    return 0


def run_marche_travail(args: argparse.Namespace, config: settings.Settings) -> int:
    francetravail, warehouse = _resources(config)
    with francetravail.open_client() as client, warehouse.open_engine() as engine:
        load = refresh_marche_travail(client, engine, DEPARTEMENTS)
    _print_table(
        ("marché du travail", "loaded"),
        [(f"{load.queries} queries", _summary(load.result))],
    )
    return 0


def run_labonneboite(args: argparse.Namespace, config: settings.Settings) -> int:
    departements = args.departements or list(DEPARTEMENTS)
    if _unknown("département", departements, DEPARTEMENTS):
        return 2
    francetravail, warehouse = _resources(config)
    rows = []
    with francetravail.open_client() as client, warehouse.open_engine() as engine:
        for departement in departements:
            load = load_labonneboite_departement(
                client, engine, departement, store_contacts=config.store_contacts
            )
            rows.append((departement, len(load.rome_codes), _summary(load.result)))
    _print_table(("département", "ROME codes", "loaded"), rows)
    return 0


def _summary(result: object) -> str:
    """`field=value` for each count of a result (a dataclass or a number)."""
    if isinstance(result, int):
        return f"rows={result}"
    if hasattr(result, "result"):
        result = result.result
    return " ".join(
        f"{field.name}={getattr(result, field.name)}"
        for field in dataclasses.fields(result)
        if isinstance(getattr(result, field.name), int)
    )


def run_upgrade(args: argparse.Namespace, config: settings.Settings) -> int:
    _, warehouse = _resources(config)
    with warehouse.open_engine() as engine:
        print(f"{warehouse.redacted_url()} is at revision {current_revision(engine)}")
    return 0


def _resources(
    config: settings.Settings,
) -> tuple[FranceTravailResource, WarehouseResource]:
    francetravail = FranceTravailResource(
        client_id=config.client_id,
        client_secret=config.client_secret,
        token_url=config.token_url,
        api_url=config.api_url,
        ratelimit_url=config.ratelimit_url,
        range_cap=config.range_cap,
    )
    warehouse = WarehouseResource(
        database_url=config.database_url, store_contacts=config.store_contacts
    )
    return francetravail, warehouse


def _quota(client: FranceTravailClient) -> float:
    """The offers API's quota as the client knows it now (after the API's headers)."""
    return client.limiter(OFFRES_API).requests_per_second


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int], None]]:
    """A progress line on stderr, rewritten in place on a terminal."""
    interactive = sys.stderr.isatty()
    started = time.monotonic()

    def report(read: int) -> None:
        if interactive:
            elapsed = time.monotonic() - started
            print(
                f"\r{label}  {read:>8,} offers read  {elapsed:6.1f} s",
                end="",
                file=sys.stderr,
                flush=True,
            )

    try:
        yield report
    finally:
        if interactive:
            print(file=sys.stderr)


def _print_table(header: tuple[str, ...], rows: list[tuple]) -> None:
    cells = [tuple(str(c) for c in header), *[tuple(str(c) for c in r) for r in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for row in cells:
        first, *rest = zip(row, widths, strict=True)
        print("  ".join([first[0].ljust(first[1]), *(c.rjust(w) for c, w in rest)]))


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{math.ceil(seconds)} s"
    if seconds < 7200:
        return f"{math.ceil(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a day written YYYY-MM-DD"
        ) from None


def _unknown(kind: str, names: list[str], known: Iterable[str]) -> bool:
    """Say which of ``names`` are not ``known``; True when there are any."""
    unknown = sorted(set(names) - set(known))
    if unknown:
        print(f"ftpipe: unknown {kind}(s): {', '.join(unknown)}", file=sys.stderr)
    return bool(unknown)


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days >= 1")
    return number


def _days(first: date, last: date) -> list[date]:
    if last < first:
        # An argument error, like a day in the future: exit status 2.
        print(
            f"ftpipe: the last day {last} comes before the first, {first}",
            file=sys.stderr,
        )
        raise SystemExit(2)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


if __name__ == "__main__":
    raise SystemExit(main())
