"""The reference server on a loopback port, shared by the async and the generated sync suites."""

from __future__ import annotations

import asyncio
import http.server
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from typing import ClassVar

import pytest
import trustme
from aiohttp import web

from tests.integration.forward_proxy import ProxyLog, forward_proxy
from tests.integration.hostile import Hostile, hostile, raw_listener, tls_server
from visionchat.server import ReferenceServer

OTHER_TENANT_KEY = "vc-other-tenant-key"


@pytest.fixture(scope="session")
def server() -> Iterator[ReferenceServer]:
    """One server for the run: two tenants, fault injection on, small budgets kept large."""
    with ReferenceServer(
        api_keys=["vc-demo-key", f"other:{OTHER_TENANT_KEY}"], faults=True, ping_interval=0.2
    ) as srv:
        yield srv


@pytest.fixture(autouse=True)
def _no_leftover_faults(server: ReferenceServer) -> Iterator[None]:
    server.faults.clear()
    yield
    server.faults.clear()


def settled_connections(server: ReferenceServer, at_most: int, timeout: float = 3.0) -> int:
    """Wait until the server holds at most `at_most` client connections; return the count."""
    deadline = time.monotonic() + timeout
    while True:
        count = server.open_connections
        if count <= at_most or time.monotonic() >= deadline:
            return count
        time.sleep(0.02)


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Redirects `/api/v2/...` to another host name for this same server, and records headers."""

    seen: ClassVar[list[tuple[str, str | None]]] = []

    def do_GET(self) -> None:
        port = self.server.server_address[1]
        self.seen.append((self.path, self.headers.get("Authorization")))
        if self.path.startswith("/api/v2/"):
            other = "localhost" if self.headers.get("Host", "").startswith("127.") else "127.0.0.1"
            self.send_response(307)
            self.send_header("Location", f"http://{other}:{port}/landed")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b'{"session": {"id": "landed"}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture
def redirector() -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
    """A loopback server that redirects to itself under another host name."""
    _Recorder.seen = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/api/v2", _Recorder.seen
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


async def _paced_stream(request: web.Request) -> web.StreamResponse:
    """connection, a 0.5 s gap for sessions `quiet` and `with-pings` (pinged every 0.1 s),
    then the answer.

    After `close`, session `open-after-close` holds the body open for 0.6 s and
    session `more-after-close` sends one more frame.
    """
    sid = request.match_info["sid"]
    pings = sid == "with-pings"
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await response.prepare(request)

    async def send(event: str, data: str, event_id: int) -> None:
        await response.write(f"id: {event_id}\nevent: {event}\ndata: {data}\n\n".encode())

    await send("connection", '{"type": "connection", "message_id": "m-1"}', 1)
    await send("token", '{"type": "token", "content": "Before the gap. "}', 2)
    for _ in range(5 if sid in ("quiet", "with-pings") else 0):
        await asyncio.sleep(0.1)
        if pings:
            await response.write(b'event: ping\ndata: {"type": "ping"}\n\n')
    await send("token", '{"type": "token", "content": "After it."}', 3)
    await send("complete", '{"type": "complete", "content": "Before the gap. After it."}', 4)
    await send("close", '{"type": "close", "message_id": "m-1"}', 5)
    if sid == "open-after-close":
        await asyncio.sleep(0.6)
    elif sid == "more-after-close":
        await send("token", '{"type": "token", "content": "Not part of it."}', 6)
    return response


async def _endless_json(request: web.Request) -> web.StreamResponse:
    """A JSON body with no length that goes on (up to 8 MB, so the test stays bounded)."""
    response = web.StreamResponse(headers={"Content-Type": "application/json"})
    await response.prepare(request)
    await response.write(b'{"session": {"id": "s", "title": "')
    for _ in range(128):
        await response.write(b"x" * 65536)
    await response.write(b'"}}')
    return response


@pytest.fixture(scope="session")
def paced_server() -> Iterator[str]:
    """A loopback server with hostile replies: a stream that pauses mid-answer, and a JSON
    body that does not end; yields its base URL."""
    app = web.Application()
    app.router.add_post("/api/v2/chat/sessions/{sid}/messages/stream", _paced_stream)
    app.router.add_get("/api/v2/chat/sessions/{sid}", _endless_json)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/api/v2"
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


@pytest.fixture
def unanswered_url() -> Iterator[str]:
    """A loopback base URL whose listener's accept queue is full: connecting hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port), timeout=2)  # takes the one slot
    try:
        yield f"http://127.0.0.1:{port}/api/v2"
    finally:
        filler.close()
        listener.close()


@pytest.fixture(scope="session")
def small_budget_server() -> Iterator[ReferenceServer]:
    """A server whose sessions may hold only four messages (two turns)."""
    with ReferenceServer(message_budget=4) as srv:
        yield srv


@pytest.fixture(scope="session")
def _hostile_session() -> Iterator[Hostile]:
    with hostile() as state:
        yield state


@pytest.fixture
def hostile_server(_hostile_session: Hostile) -> Hostile:
    """A lying server (compression bombs, endless bodies, redirects), its records cleared."""
    _hostile_session.seen.clear()
    _hostile_session.endless_sent.clear()
    return _hostile_session


@pytest.fixture(scope="session")
def not_http_url() -> Iterator[str]:
    """A loopback port that answers in another protocol (an SSH banner)."""
    with raw_listener(b"SSH-2.0-OpenSSH_9.6\r\n") as port:
        yield f"http://127.0.0.1:{port}/api/v2"


@pytest.fixture(scope="session")
def hang_up_url() -> Iterator[str]:
    """A loopback port that reads the request and closes without a word."""
    with raw_listener(b"") as port:
        yield f"http://127.0.0.1:{port}/api/v2"


@pytest.fixture
def refused_url() -> str:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/v2"


@pytest.fixture(scope="session")
def test_ca() -> trustme.CA:
    """A certificate authority made for the run; nothing outside the tests trusts it."""
    return trustme.CA()


@pytest.fixture(scope="session")
def https_url(test_ca: trustme.CA) -> Iterator[str]:
    """An HTTPS server on loopback with a certificate from `test_ca` for 127.0.0.1."""
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    test_ca.issue_cert("127.0.0.1", "localhost").configure_cert(tls)
    with tls_server(tls) as url:
        yield url


@pytest.fixture
def proxy() -> Iterator[ProxyLog]:
    """A forward proxy on loopback that records what passes."""
    with forward_proxy() as log:
        yield log


@pytest.fixture
def strict_proxy() -> Iterator[ProxyLog]:
    """A forward proxy that insists on user `pat`, password `s3cret w0rd` (407 otherwise)."""
    with forward_proxy(required="Basic cGF0OnMzY3JldCB3MHJk") as log:
        yield log


@pytest.fixture
def no_env_proxies(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A clean proxy environment, for tests that set their own."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch
