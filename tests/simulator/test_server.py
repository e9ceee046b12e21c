"""The server's life cycle: port, loopback only, start once, stop releases the port."""

from __future__ import annotations

import socket

import httpx
import pytest

from pipelines.simulator import SimulatorServer

from .helpers import make_config


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_server_listens_on_the_requested_loopback_port():
    port = free_port()
    server = SimulatorServer(make_config(), port=port)

    with server:
        answered = httpx.get(f"{server.base_url}/_simulator/requests")
        with pytest.raises(RuntimeError, match="already running"):
            server.start()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.base_url}/_simulator/requests")

    assert server.base_url == f"http://127.0.0.1:{port}"
    assert server.token_url == (
        f"http://127.0.0.1:{port}/connexion/oauth2/access_token?realm=%2Fpartenaire"
    )
    assert server.api_url == f"http://127.0.0.1:{port}/partenaire"
    assert answered.json() == {"requests": [], "next": 0}


def test_port_is_unknown_before_start():
    server = SimulatorServer(make_config())

    with pytest.raises(RuntimeError, match="not been started"):
        _ = server.base_url
