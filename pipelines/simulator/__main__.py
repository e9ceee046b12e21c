"""``python -m pipelines.simulator`` / ``ft-simulator``: serve until stopped.

It listens on 127.0.0.1 only and prints the environment variables that point the
pipeline at it. With ``--ready-file`` it writes its base URL to that file once it
accepts connections (and removes the file when it stops), for scripts to wait on.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from datetime import date
from pathlib import Path

from pipelines.simulator.catalogue import ALL_API_NAMES
from pipelines.simulator.config import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    RETRY_AFTER_STYLES,
    ClientAccount,
    SimulatorConfig,
    Spike,
)
from pipelines.simulator.server import SimulatorServer

DEFAULT_PORT = 8787


def _day_volume(text: str) -> tuple[date, int]:
    day, _, count = text.partition("=")
    return date.fromisoformat(day), int(count)


def _spike(text: str) -> Spike:
    try:
        day, hour, offers = text.split(":")
        return Spike(date.fromisoformat(day), int(hour), int(offers))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected YYYY-MM-DD:HOUR:OFFERS, e.g. 2026-03-29:14:4000"
        ) from None


def _quota(text: str) -> tuple[str, float]:
    api, _, rate = text.rpartition("=")
    api = api or "offresdemploi"
    if api not in ALL_API_NAMES:
        raise argparse.ArgumentTypeError(
            f"unknown API {api!r}; one of {', '.join(sorted(ALL_API_NAMES))}"
        )
    return api, float(rate)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ft-simulator",
        description="Serve a France Travail API simulator on 127.0.0.1.",
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="0 = any free port"
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="equal seeds serve equal bytes (default 1)"
    )
    parser.add_argument(
        "--offers-per-day",
        "--volume",
        type=int,
        default=300,
        dest="offers_per_day",
        help="offers created per Paris day (default 300)",
    )
    parser.add_argument(
        "--day-volume",
        type=_day_volume,
        action="append",
        default=[],
        metavar="YYYY-MM-DD=N",
        help="offers created that Paris day (repeatable)",
    )
    parser.add_argument(
        "--spike",
        type=_spike,
        action="append",
        default=[],
        metavar="YYYY-MM-DD:HOUR:N",
        help="N extra offers inside one Paris hour (repeatable)",
    )
    parser.add_argument(
        "--first-day",
        type=date.fromisoformat,
        help="first Paris day holding offers (default: 60 days before the last)",
    )
    parser.add_argument(
        "--last-day",
        type=date.fromisoformat,
        help="last Paris day holding offers (default: yesterday)",
    )
    parser.add_argument(
        "--partner-share",
        type=float,
        default=0.25,
        help="share of partner offers, origineOffre 2 (default 0.25)",
    )
    parser.add_argument(
        "--quota",
        type=_quota,
        action="append",
        default=[],
        metavar="[API=]RPS",
        help="requests per second per client (offresdemploi when no API is named)",
    )
    parser.add_argument(
        "--latency", type=float, default=0.0, help="seconds per response"
    )
    parser.add_argument(
        "--token-lifetime",
        type=int,
        default=1499,
        metavar="SECONDS",
        help="expires_in of issued tokens (default 1499)",
    )
    parser.add_argument(
        "--range-max-start",
        "--cap",
        type=int,
        default=3000,
        dest="range_max_start",
        help="highest range start accepted (default 3000; older APIs 1000)",
    )
    parser.add_argument(
        "--final-page-status",
        type=int,
        choices=(200, 206),
        default=206,
        help="status of the last page of a multi-page result (default 206)",
    )
    parser.add_argument(
        "--retry-after-style",
        choices=RETRY_AFTER_STYLES,
        default="seconds",
        help="how 429 answers write Retry-After (default seconds)",
    )
    parser.add_argument(
        "--no-quota-headers",
        dest="quota_headers",
        action="store_false",
        help="send no X-Ratelimit-* headers: the client must find the quota alone",
    )
    parser.add_argument(
        "--replay", type=Path, metavar="DIR", help="serve captured files"
    )
    parser.add_argument(
        "--samples", type=Path, metavar="DIR", help="captured référentiels to serve"
    )
    parser.add_argument(
        "--client-id",
        default=DEFAULT_CLIENT_ID,
        help=f"the one application accepted (default {DEFAULT_CLIENT_ID})",
    )
    parser.add_argument(
        "--client-secret", default=DEFAULT_CLIENT_SECRET, help="its secret"
    )
    parser.add_argument(
        "--ready-file",
        type=Path,
        metavar="PATH",
        help="write the base URL there once listening (for scripts)",
    )
    return parser


def config_from_args(args: argparse.Namespace) -> SimulatorConfig:
    return SimulatorConfig(
        seed=args.seed,
        offers_per_day=args.offers_per_day,
        day_volumes=dict(args.day_volume),
        spikes=tuple(args.spike),
        first_day=args.first_day,
        last_day=args.last_day,
        partner_share=args.partner_share,
        accounts=[ClientAccount(args.client_id, args.client_secret)],
        quotas=dict(args.quota),
        latency_seconds=args.latency,
        token_lifetime_seconds=args.token_lifetime,
        range_max_start=args.range_max_start,
        final_page_status=args.final_page_status,
        retry_after_style=args.retry_after_style,
        quota_headers=args.quota_headers,
        replay_dir=args.replay,
        samples_dir=args.samples,
    )


def _write_ready_file(path: Path, base_url: str) -> None:
    # Written whole then renamed, so a script polling for it never reads half a line.
    partial = path.with_name(path.name + ".partial")
    partial.write_text(base_url + "\n", encoding="utf-8")
    os.replace(partial, path)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        config = config_from_args(args)
        server = SimulatorServer(config, port=args.port).start()
    except (ValueError, OSError) as error:
        print(f"ft-simulator: {error}", file=sys.stderr)
        return 2

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())

    corpus = server.state.corpus
    print(
        f"France Travail simulator on {server.base_url} (seed {config.seed}, "
        f"{config.offers_per_day} offers/day, {corpus.first_day} to {corpus.last_day})"
    )
    print("Point the pipeline at it with:")
    print(f"export FT_TOKEN_URL='{server.token_url}'")
    print(f"export FT_API_URL='{server.api_url}'")
    print(f"export FT_CLIENT_ID='{args.client_id}'")
    # The simulator's own made-up credential, printed so a user can export it.
    print(f"export FT_CLIENT_SECRET='{args.client_secret}'")
    print("Stop with Ctrl-C.", flush=True)
    if args.ready_file is not None:
        _write_ready_file(args.ready_file, server.base_url)

    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        if args.ready_file is not None:
            args.ready_file.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
