"""Connection guarding: deadlines, a cap on open connections, and quiet protocol errors.

aiohttp bounds idle keep-alive connections (``keepalive_timeout``) but has no deadline
for a request head that never completes on a new connection, no cap on connections,
and answers malformed requests (too long, bad bytes, folded headers) with a text body
quoting the request and a log line holding it, key included. :class:`GuardedHandler`,
aiohttp's request handler with those holes closed, is the protocol the listening
socket makes for each connection (:func:`listen`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.web_request import BaseRequest

from .errors import http_error

log = logging.getLogger("visionchat.server")


@dataclass(frozen=True)
class ConnectionLimits:
    """Deadlines (seconds) and the cap that keep slow or idle clients from holding the server.

    ``header_timeout``: a new connection must deliver a complete request head in this
    time, else it is answered 408 (if it sent anything) and closed. ``idle_timeout``: a
    keep-alive connection with no complete request for this long after its last reply is
    closed. ``body_timeout``: a request body must arrive whole in this time (408).
    ``max_connections``: connections beyond this many are answered 503 and closed.
    """

    header_timeout: float = 30.0
    idle_timeout: float = 30.0
    body_timeout: float = 30.0
    max_connections: int = 512

    def __post_init__(self) -> None:
        for name in ("header_timeout", "idle_timeout", "body_timeout"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be a positive number of seconds")
        if self.max_connections < 1:
            raise ValueError("max_connections must be at least 1")


@dataclass
class ConnectionCount:
    """Connections open now, and the most that were open at once (for tests and reports)."""

    open: int = 0
    peak: int = 0
    refused: int = 0

    def add(self) -> None:
        self.open += 1
        self.peak = max(self.peak, self.open)


class GuardedHandler(web.RequestHandler):
    """aiohttp's request handler with a head deadline, the connection cap and JSON errors."""

    def __init__(
        self, manager: web.Server, *, limits: ConnectionLimits, count: ConnectionCount, **kw: Any
    ) -> None:
        super().__init__(manager, keepalive_timeout=limits.idle_timeout, **kw)
        self._limits = limits
        self._count = count
        self._refused = False
        self._heard = False  # any bytes yet
        self._head_arrived = False  # a whole request head was parsed
        self._head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if self._count.open >= self._limits.max_connections:
            self._refused = True
            self._count.refused += 1
            _write_error(transport, 503, "TOO_MANY_CONNECTIONS", {"Retry-After": "1"})
            transport.close()
            return
        self._count.add()
        self._head_deadline = asyncio.get_running_loop().call_later(
            self._limits.header_timeout, self._head_overdue
        )
        super().connection_made(transport)

    def connection_lost(self, exc: BaseException | None) -> None:
        if self._refused:
            return
        self._count.open -= 1
        self._cancel_deadline()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        self._heard = self._heard or bool(data)
        super().data_received(data)

    def head_arrived(self) -> None:
        """A request reached the application: its head is complete; the deadline is over."""
        self._head_arrived = True
        self._cancel_deadline()

    def _cancel_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_overdue(self) -> None:
        self._head_deadline = None
        if self._head_arrived or self.transport is None:
            return
        if self._heard:
            _write_error(self.transport, 408, "REQUEST_TIMEOUT", {})
        self.force_close()

    def handle_error(
        self,
        request: BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        """A request aiohttp could not parse (or a failure outside the app) as a JSON error.

        One log line naming the kind of failure: never the request, whose headers may
        hold a key. The connection is closed afterwards, as aiohttp does.
        """
        kind = type(exc).__name__ if exc is not None else "error"
        if status >= 500:
            log.error("unhandled %s answering a request from %s", kind, request.remote)
        else:
            log.info("refused a malformed request from %s: %s", request.remote, kind)
        if request.writer.output_size > 0:
            raise ConnectionError("the reply had started; no error reply can follow")
        response = http_error(status).response()
        response.force_close()
        return response


def head_arrived(request: web.Request) -> None:
    """Tell the connection's guard that a request head arrived (a no-op on other servers)."""
    protocol = request.protocol
    if isinstance(protocol, GuardedHandler):
        protocol.head_arrived()


def _write_error(
    transport: asyncio.BaseTransport, status: int, code: str, headers: dict[str, str]
) -> None:
    """Write a whole chat-error reply straight to a connection that has no request object."""
    error = http_error(status, error_code=code)
    body = json.dumps(error.body()).encode()
    lines = [
        f"HTTP/1.1 {status} {error.message}",
        "Content-Type: application/json; charset=utf-8",
        f"Content-Length: {len(body)}",
        "Connection: close",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    assert isinstance(transport, asyncio.WriteTransport)
    transport.write("\r\n".join(lines).encode() + b"\r\n\r\n" + body)


async def listen(
    runner: web.AppRunner, sock: socket.socket, limits: ConnectionLimits, count: ConnectionCount
) -> asyncio.Server:
    """Serve ``runner``'s app on ``sock``, one :class:`GuardedHandler` per connection."""
    loop = asyncio.get_running_loop()
    manager = runner.server
    assert manager is not None, "runner.setup() first"

    def protocol() -> GuardedHandler:
        return GuardedHandler(manager, limits=limits, count=count, loop=loop, access_log=None)

    return await loop.create_server(protocol, sock=sock)


@dataclass
class AcceptErrorLog:
    """An event-loop exception handler that logs repeated accept failures once per period.

    Out of file descriptors, the loop retries ``accept()`` every second and would log a
    traceback each time; this logs one line per ``period`` with the number left out.
    """

    period: float = 60.0
    _last: float | None = None
    _left_out: int = 0
    _clock: Any = field(default=time.monotonic, repr=False)

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if "accept" not in str(context.get("message", "")):
            loop.default_exception_handler(context)
            return
        now = self._clock()
        if self._last is not None and now - self._last < self.period:
            self._left_out += 1
            return
        exc = context.get("exception")
        log.error(
            "cannot accept connections: %s (%d similar errors not logged)",
            exc if exc is not None else context.get("message"),
            self._left_out,
        )
        self._last = now
        self._left_out = 0
