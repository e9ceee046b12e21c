"""Run the simulator as a real HTTP server on 127.0.0.1, in a background thread.

    with SimulatorServer(SimulatorConfig(seed=1)) as sim:
        httpx.post(sim.token_url, data={...})

The server listens on 127.0.0.1 only, on a free port unless one is given.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn

from pipelines.simulator.app import create_app
from pipelines.simulator.catalogue import PARTNER_PREFIX, TOKEN_PATH
from pipelines.simulator.config import SimulatorConfig
from pipelines.simulator.gateway import ABORT_EXTENSION
from pipelines.simulator.state import SimulatorState

HOST = "127.0.0.1"
STARTUP_TIMEOUT_SECONDS = 10.0

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Protocol
except ImportError:  # httptools is optional; h11 is always there.
    from uvicorn.protocols.http.h11_impl import H11Protocol as _Protocol


class _AbortableProtocol(_Protocol):
    """uvicorn's HTTP protocol, plus a way for the application to drop the connection.

    ASGI has no message for "close without answering", which the simulator's faults
    need; each request's scope gets a callable that closes this connection's transport.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        application = self.app

        async def with_abort(scope, receive, send):
            scope.setdefault("extensions", {})[ABORT_EXTENSION] = self._close_transport
            await application(scope, receive, send)

        self.app = with_abort

    def _close_transport(self) -> None:
        self.transport.close()


class SimulatorServer:
    """A simulator served by uvicorn in a background thread.

    Args:
        config: what to serve; the defaults when None.
        port: the port to listen on, 0 for a free one.
    """

    def __init__(self, config: SimulatorConfig | None = None, port: int = 0) -> None:
        self.config = config or SimulatorConfig()
        self.state = SimulatorState(self.config)
        self.app = create_app(self.state)
        self._requested_port = port
        self._port: int | None = None
        self._socket: socket.socket | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port listened on (still readable after a stop)."""
        if self._port is None:
            raise RuntimeError("the simulator has not been started")
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}{TOKEN_PATH}?realm=%2Fpartenaire"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}{PARTNER_PREFIX}"

    def start(self) -> SimulatorServer:
        """Listen, start serving, and return once the server accepts connections."""
        if self._thread is not None:
            raise RuntimeError("the simulator is already running")
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, self._requested_port))
        self._socket = listener
        self._port = listener.getsockname()[1]

        config = uvicorn.Config(
            self.app,
            http=_AbortableProtocol,
            lifespan="on",
            log_config=None,
            access_log=False,
            server_header=False,
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [listener]},
            name=f"ft-simulator-{self.port}",
            daemon=True,
        )
        self._thread.start()

        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the simulator did not start; see the log above")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
