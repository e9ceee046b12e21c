"""The simulator in a process of its own, for scripts, the demo and tests.

`SimulatorServer` runs in a thread of the caller; a process of its own keeps the
simulator's clock and event loop apart from the processes under test, as a real API
server would be, so that its request log is a fair judge of their pace.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

READY_TIMEOUT_SECONDS = 60.0


@contextmanager
def simulator_subprocess(*arguments: str, log: Path | None = None) -> Iterator[str]:
    """Run ``python -m pipelines.simulator ARGUMENTS`` on a free port of 127.0.0.1.

    Yields its base URL once it accepts connections, and stops it when the block ends.

    Args:
        arguments: command-line flags (``--volume 1000``, ``--quota 10``...).
        log: a file for its output; by default the output is dropped, and only quoted
            if the simulator fails to start.

    Raises:
        RuntimeError: the simulator exited or did not start in time.
    """
    with tempfile.TemporaryDirectory(prefix="ft-simulator-") as scratch:
        ready_file = Path(scratch, "url")
        output_path = log or Path(scratch, "output")
        command = [
            *(sys.executable, "-m", "pipelines.simulator", "--port", "0"),
            *("--ready-file", str(ready_file), *arguments),
        ]
        with open(output_path, "wb") as output:
            process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
            try:
                yield _wait_until_ready(process, ready_file, output_path)
            finally:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _wait_until_ready(process: subprocess.Popen, ready_file: Path, output: Path) -> str:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            said = output.read_text(errors="replace")[-2000:]
            raise RuntimeError(
                f"the simulator exited with {process.returncode}: {said}"
            )
        if ready_file.exists():
            url = ready_file.read_text().strip()
            if url:
                return url
        time.sleep(0.05)
    raise RuntimeError(f"the simulator did not start within {READY_TIMEOUT_SECONDS} s")
