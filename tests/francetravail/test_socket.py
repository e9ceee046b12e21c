"""What only a real socket shows: bodies dribbled in real time, encodings that lie.

A tiny HTTP server on 127.0.0.1 writes raw bytes; the client runs on the system clock
with a single attempt per call, so nothing waits for a retry.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pipelines.francetravail import (
    OFFRES_API,
    Credentials,
    FranceTravailClient,
    MemoryBucketStore,
    RetryPolicy,
    Secret,
    SystemClock,
    errors,
)

from .francetravail_fakes import CLIENT_ID, CLIENT_SECRET

BODY = json.dumps({"resultats": []}).encode()
ONE_ATTEMPT = RetryPolicy(max_attempts=1)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    mode = "plain"

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        token = json.dumps({"access_token": "tok3n-value-1", "expires_in": 1499})
        self._send(b"Content-Type: application/json", token.encode())

    def do_GET(self) -> None:
        if self.mode == "gzip-lie":
            self._send(b"Content-Encoding: gzip", BODY)
        elif self.mode == "dribble":
            self._send(b"Content-Type: application/json", b"", length=len(BODY))
            for byte in BODY:
                time.sleep(0.1)
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
        else:
            self._send(b"Content-Type: application/json", BODY)

    def _send(self, header: bytes, body: bytes, length: int | None = None) -> None:
        size = str(len(body) if length is None else length).encode()
        self.wfile.write(
            b"HTTP/1.1 200 OK\r\n" + header + b"\r\nContent-Length: " + size
        )
        self.wfile.write(b"\r\n\r\n" + body)
        self.wfile.flush()


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    Handler.mode = "plain"


def real_client(base: str, **options) -> FranceTravailClient:
    return FranceTravailClient(
        credentials=Credentials(CLIENT_ID, Secret(CLIENT_SECRET)),
        token_url=f"{base}/connexion/oauth2/access_token?realm=%2Fpartenaire",
        api_url=f"{base}/partenaire",
        bucket_store=MemoryBucketStore(),
        retry=ONE_ATTEMPT,
        clock=SystemClock(),
        **options,
    )


def test_a_body_dribbled_over_a_real_socket_ends_at_the_deadline(server):
    Handler.mode = "dribble"
    started = time.monotonic()

    with (
        real_client(server, timeout=1.0, deadline=0.5) as client,
        pytest.raises(errors.NetworkError) as raised,
    ):
        client.request(OFFRES_API, "GET", "offres/search")

    # 17 bytes at 0.1 s would take 1.7 s; each read stays well inside the 1 s timeout.
    elapsed = time.monotonic() - started
    assert 0.5 <= elapsed < 1.2
    assert "(DeadlineExceeded) after 1 attempts" in str(raised.value)


def test_a_gzip_header_on_a_plain_body_over_a_real_socket_is_unreadable(server):
    Handler.mode = "gzip-lie"

    with (
        real_client(server) as client,
        pytest.raises(errors.UnexpectedResponse) as raised,
    ):
        client.request(OFFRES_API, "GET", "offres/search")

    assert "(undecodable body (gzip)) after 1 attempts" in str(raised.value)
    assert raised.value.retryable is True


def test_a_plain_answer_over_a_real_socket_is_read(server):
    with real_client(server) as client:
        response = client.request(OFFRES_API, "GET", "offres/search")

    assert (response.status, response.data, response.requests) == (
        200,
        {"resultats": []},
        1,
    )
