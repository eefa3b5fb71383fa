"""Slow and idle connections cannot take the server down: deadlines, a cap, a quiet log."""

from __future__ import annotations

import asyncio
import logging
import selectors
import socket
import time
from collections.abc import Iterator

import pytest

from visionchat.server import ConnectionLimits, ReferenceServer

from .conftest import AUTH
from .rawhttp import Reply, connect, read_reply, request

#: Generous bound for things that must happen "soon"; never a speed assertion.
SOON = 10.0


@pytest.fixture
def strict_server(db_file: str) -> Iterator[ReferenceServer]:
    """Sub-second deadlines and a cap of 50 connections."""
    limits = ConnectionLimits(
        header_timeout=0.3, idle_timeout=0.3, body_timeout=0.3, max_connections=50
    )
    with ReferenceServer(db_file, limits=limits) as running:
        yield running


def _closed_by_server(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (bounded by the timeout)."""
    sock.settimeout(SOON)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass  # closed with our unread bytes in its buffer: a reset, after what it sent
    return data


def _reply_of(data: bytes) -> Reply:
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split()[1])
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in head.decode().split("\r\n")[1:])
    }
    return Reply(status, headers, body)


def test_a_silent_connection_is_closed_after_the_head_deadline(strict_server) -> None:
    with connect(strict_server) as sock:
        assert _closed_by_server(sock) == b""


def test_a_head_sent_a_byte_at_a_time_is_answered_408_and_closed(strict_server) -> None:
    raw = request("GET", "/api/v2/chat/sessions", headers=AUTH)
    with connect(strict_server) as sock:
        sent = 0
        sock.settimeout(0.05)
        data = b""
        for byte in raw[:-4]:  # never the blank line that ends the head
            try:
                sock.sendall(bytes([byte]))
                sent += 1
                data = sock.recv(65536)
            except TimeoutError:
                continue
            except ConnectionError:
                break
            break  # the server spoke (or closed)
        data += _closed_by_server(sock)
    assert sent < len(raw) - 4, "the server waited for the whole trickled head"
    reply = _reply_of(data)
    assert reply.status == 408 and reply.headers["content-type"].startswith("application/json")
    assert reply.json()["error_code"] == "REQUEST_TIMEOUT"


def test_an_idle_keep_alive_connection_is_closed(strict_server) -> None:
    raw = b"GET /api/v2/chat/sessions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer vc-demo-key\r\n\r\n"
    with connect(strict_server) as sock:
        sock.sendall(raw)
        assert read_reply(sock).status == 200
        assert _closed_by_server(sock) == b""


def test_a_body_that_never_arrives_whole_is_408(strict_server) -> None:
    head = request(
        "POST",
        "/api/v2/chat/sessions",
        body=b"{}",
        headers={**AUTH, "Content-Type": "application/json"},
    ).replace(b"Content-Length: 2", b"Content-Length: 200")
    with connect(strict_server) as sock:
        sock.sendall(head)  # "{}": 2 of the 200 bytes announced
        reply = _reply_of(_closed_by_server(sock))
    assert reply.status == 408
    assert reply.json()["error_code"] == "REQUEST_TIMEOUT"


def _open(server: ReferenceServer, count: int) -> list[socket.socket]:
    socks = []
    for _ in range(count):
        socks.append(socket.create_connection((server.host, server.port), timeout=SOON))
    return socks


def _wait_until(check, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + SOON
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def test_connections_over_the_cap_are_answered_503_and_the_server_keeps_serving(
    db_file: str,
) -> None:
    limits = ConnectionLimits(header_timeout=SOON * 3, max_connections=50)
    with ReferenceServer(db_file, limits=limits) as server:
        socks = _open(server, 200)
        try:
            _wait_until(lambda: server.connection_counts.refused == 150, "150 refused")
            assert server.open_connections == 50
            refused = _replies(socks, 150)
            assert {r.status for r in refused} == {503}
            assert {r.json()["error_code"] for r in refused} == {"TOO_MANY_CONNECTIONS"}
            assert all(r.headers["retry-after"] == "1" for r in refused)
        finally:
            for sock in socks:
                sock.close()
        _wait_until(lambda: server.open_connections == 0, "the held connections closed")
        with connect(server) as sock:
            sock.sendall(request("GET", "/api/v2/chat/sessions", headers=AUTH))
            assert read_reply(sock).status == 200
        assert server.connection_counts.peak == 50


def _replies(socks: list[socket.socket], expected: int) -> list[Reply]:
    """The replies of the first ``expected`` sockets the server answers (then closes)."""
    replies = []
    with selectors.DefaultSelector() as selector:
        for sock in socks:
            selector.register(sock, selectors.EVENT_READ)
        deadline = time.monotonic() + SOON
        while len(replies) < expected and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=0.1):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                selector.unregister(sock)
                replies.append(_reply_of(_closed_by_server(sock)))
    return replies


def test_slow_sockets_are_all_let_go(strict_server) -> None:
    """200 sockets trickling heads: at most the cap is held, and every one is closed."""
    socks = _open(strict_server, 200)
    try:
        for sock in socks:
            try:
                sock.send(b"G")
            except OSError:
                pass  # already refused and closed
        for sock in socks:
            _closed_by_server(sock)
    finally:
        for sock in socks:
            sock.close()
    counts = strict_server.connection_counts
    assert counts.peak <= 50 and counts.refused + counts.peak >= 50
    _wait_until(lambda: strict_server.open_connections == 0, "every slow socket let go")


def test_repeated_accept_errors_are_logged_once_per_period(server, caplog) -> None:
    context = {
        "message": "socket.accept() out of system resource",
        "exception": OSError(24, "Too many open files"),
    }
    loop = server._loop
    assert loop is not None

    async def fail_often() -> None:
        for _ in range(500):
            asyncio.get_running_loop().call_exception_handler(dict(context))

    asyncio.run_coroutine_threadsafe(fail_often(), loop).result(timeout=SOON)
    lines = [r for r in caplog.records if "accept" in r.getMessage()]
    assert len(lines) == 1, caplog.text
    assert lines[0].levelno == logging.ERROR and not lines[0].exc_info


def test_the_limits_are_settable_from_the_command_line() -> None:
    from visionchat.server.__main__ import build_parser, limits_from_args

    args = build_parser().parse_args(
        [
            "--header-timeout",
            "0.5",
            "--idle-timeout",
            "2",
            "--body-timeout",
            "3",
            "--max-connections",
            "7",
        ]
    )
    assert limits_from_args(args) == ConnectionLimits(0.5, 2.0, 3.0, 7)
    for bad in (["--idle-timeout", "0"], ["--max-connections", "0"], ["--body-timeout", "nan"]):
        with pytest.raises(SystemExit):
            build_parser().parse_args(bad)
    with pytest.raises(ValueError, match="header_timeout"):
        ConnectionLimits(header_timeout=-1)
