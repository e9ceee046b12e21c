"""Real services for the end-to-end tests, each in its own process on 127.0.0.1.

- `running_simulator`: ``python -m pipelines.simulator`` on a free port, read through
  its admin endpoints (request log, ground truth of a day);
- `running_dagster`: ``dagster-webserver`` or ``dagster dev`` (webserver and daemon)
  on a free port, with a DAGSTER_HOME of the test's own holding `dagster.local.yaml`,
  queried through its GraphQL API as the UI queries it.

Every process is started in a session of its own and stopped with everything it
started (run workers included) when the block ends.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx

from pipelines.simulator.process import simulator_subprocess

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LOCAL_INSTANCE_CONFIG = REPO_ROOT / "dagster.local.yaml"
# The code location's name, as `workspace.yaml` loads it.
LOCATION = "pipelines.definitions"

SIMULATOR_CLIENT_ID = "simulator-client"
SIMULATOR_CLIENT_SECRET = "simulator-secret"
# Nothing listens on the discard port: settings that must never be used point there.
NOWHERE = "http://127.0.0.1:9"

T = TypeVar("T")


def free_port() -> int:
    """A TCP port nobody listens on right now, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(
    check: Callable[[], T | None], *, timeout: float, interval: float, what: str
) -> T:
    """Call ``check`` until it returns something other than None or False."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value is not None and value is not False:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not done after {timeout:.0f} s")
        time.sleep(interval)


def _start(
    command: list[str], log: Path, *, nice: int = 0, **options: Any
) -> subprocess.Popen:
    """Start a service in a session of its own, its output going to ``log``.

    ``nice`` lowers the priority of the service and of every process it starts.
    """

    def listen_to_interrupts() -> None:
        # A shell starts background jobs with SIGINT ignored, and Python keeps it so:
        # the service must see the interrupt `_stop` sends, whoever started pytest.
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if nice:
            os.nice(nice)

    with open(log, "wb") as output:
        return subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=listen_to_interrupts,
            **options,
        )


def _stop(process: subprocess.Popen, *, grace: float) -> None:
    """Interrupt the service as Ctrl-C would, then kill what is left of its session."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=grace)
    # The service runs in a session of its own: its group id is its pid, and every
    # process it started (webserver, daemon, code server, run workers) is in it.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


@dataclass(frozen=True)
class Simulator:
    """A simulator process: its base URL and the admin endpoints tests read."""

    base_url: str

    @property
    def environment(self) -> dict[str, str]:
        """The variables that point the pipeline at this simulator."""
        return {
            "FT_TOKEN_URL": (
                f"{self.base_url}/connexion/oauth2/access_token?realm=%2Fpartenaire"
            ),
            "FT_API_URL": f"{self.base_url}/partenaire",
            "FT_CLIENT_ID": SIMULATOR_CLIENT_ID,
            "FT_CLIENT_SECRET": SIMULATOR_CLIENT_SECRET,
        }

    def request_log(self) -> list[dict]:
        """Every request the simulator received, in arrival order."""
        records: list[dict] = []
        with httpx.Client(base_url=self.base_url, timeout=30) as client:
            while True:
                response = client.get(
                    "/_simulator/requests", params={"since": len(records)}
                )
                response.raise_for_status()
                page = response.json()["requests"]
                if not page:
                    return records
                records.extend(page)

    def day_ids(self, day: str) -> list[str]:
        """The ids of the offers created on a Paris day: the ground truth."""
        response = httpx.get(f"{self.base_url}/_simulator/days/{day}/ids", timeout=60)
        response.raise_for_status()
        return response.json()["ids"]


@contextmanager
def running_simulator(scratch: Path, *arguments: str) -> Iterator[Simulator]:
    """``python -m pipelines.simulator`` on a free port, stopped when the block ends."""
    with simulator_subprocess(*arguments, log=scratch / "simulator.log") as base_url:
        yield Simulator(base_url=base_url)


@dataclass(frozen=True)
class Dagster:
    """A running Dagster webserver (and daemon, under ``dagster dev``)."""

    url: str
    home: Path
    log: Path

    def graphql(self, query: str, **variables: Any) -> dict:
        """Run a query or mutation; fail the test on a GraphQL error."""
        response = httpx.post(
            f"{self.url}/graphql",
            json={"query": query, "variables": variables},
            timeout=120,
        )
        response.raise_for_status()
        body = response.json()
        if body.get("errors"):
            raise AssertionError(f"GraphQL errors: {body['errors']}")
        return body["data"]


def dagster_home(scratch: Path) -> Path:
    """A fresh DAGSTER_HOME with the workstation instance settings of the repository."""
    home = scratch / "dagster_home"
    home.mkdir()
    shutil.copy(LOCAL_INSTANCE_CONFIG, home / "dagster.yaml")
    return home


@contextmanager
def running_dagster(
    scratch: Path, environment: dict[str, str], *, daemon: bool
) -> Iterator[Dagster]:
    """The Dagster UI on a free port of 127.0.0.1, from the repository's workspace.

    Args:
        scratch: a folder of the test's own (DAGSTER_HOME and the log go there).
        environment: variables added to this process's environment.
        daemon: ``dagster dev`` (webserver and daemon: schedules, sensors, backfills,
            run queue) rather than ``dagster-webserver`` alone.
    """
    home = dagster_home(scratch)
    port = free_port()
    log_path = scratch / "dagster.log"
    address = ["-h", "127.0.0.1", "-p", str(port), "-w", "workspace.yaml"]
    if daemon:
        command = [str(BIN / "dagster"), "dev", *address]
    else:
        command = [str(BIN / "dagster-webserver"), *address]
    env = {**os.environ, **environment, "DAGSTER_HOME": str(home)}
    # The simulator's request log judges the quota, so its clock must not lag: on a
    # two-core machine Dagster's processes would starve it and it would stamp
    # arrivals late, bunched together. Dagster and its runs yield the CPU to it.
    process = _start(command, log_path, nice=10, env=env)
    url = f"http://127.0.0.1:{port}"
    try:

        def serving() -> bool:
            if process.poll() is not None:
                raise AssertionError(
                    f"{command[0]} exited with {process.returncode}: "
                    + log_path.read_text(errors="replace")[-3000:]
                )
            try:
                return httpx.get(f"{url}/server_info", timeout=5).status_code == 200
            except httpx.TransportError:
                return False

        wait_for(serving, timeout=120, interval=0.5, what="Dagster webserver start")
        yield Dagster(url=url, home=home, log=log_path)
    finally:
        # `dagster dev` stops its webserver and daemon itself on an interrupt;
        # whatever is left after that is killed.
        _stop(process, grace=30)
