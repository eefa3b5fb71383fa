"""A lying server on loopback: compression bombs, endless bodies and redirects.

Its routes answer under `/api/v2/chat/sessions/...` so that ordinary client calls reach
them. It records what it was sent (redirects) and how much it wrote (endless body).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from aiohttp import web

#: How far a bomb expands, and how much an endless body sends before giving up.
BOMB_BYTES = 64 * 1024 * 1024
ENDLESS_BYTES = 64 * 1024 * 1024
_PIECE = 1024 * 1024


def _gzip_bomb(prefix: bytes, size: int) -> bytes:
    """A gzip body that decodes to `prefix` and then `size` bytes of `x`: a JSON string
    that never closes, about a thousandth of its decoded size on the wire."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(prefix)]
    piece = b"x" * _PIECE
    parts += [packer.compress(piece) for _ in range(size // _PIECE)]
    parts.append(packer.flush())
    return b"".join(parts)


@dataclass
class Hostile:
    """The running server: its base URL (127.0.0.1) and what it saw."""

    port: int
    bomb: bytes
    stream_bomb: bytes
    seen: list[tuple[str, str, bytes, str | None]] = field(default_factory=list)
    endless_sent: list[int] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v2"


def _app(state: Hostile) -> web.Application:
    bomb_headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}

    async def bomb(request: web.Request) -> web.StreamResponse:
        status = int(request.match_info["status"])
        if request.path.startswith("/api/v2/chat/sessions/c"):
            response = web.StreamResponse(status=status, headers=bomb_headers)
            response.enable_chunked_encoding()
            await response.prepare(request)
            for start in range(0, len(state.bomb), 64 * 1024):
                await response.write(state.bomb[start : start + 64 * 1024])
            return response
        return web.Response(status=status, body=state.bomb, headers=bomb_headers)

    async def stream_bomb(request: web.Request) -> web.Response:
        await request.read()
        headers = {"Content-Type": "text/event-stream", "Content-Encoding": "gzip"}
        return web.Response(body=state.stream_bomb, headers=headers)

    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        sent = 0
        piece = b"x" * 65536
        try:
            await response.write(b'{"session": {"id": "s", "title": "')
            while sent < ENDLESS_BYTES:
                await response.write(piece)
                sent += len(piece)
        finally:
            state.endless_sent.append(sent)
        return response

    async def redirect_post(request: web.Request) -> web.Response:
        body = await request.read()
        state.seen.append(
            (request.method, request.path, body, request.headers.get("Authorization"))
        )
        status = int(request.match_info["status"])
        other = f"http://localhost:{state.port}/api/v2/chat/sessions/landed/messages"
        return web.Response(status=status, headers={"Location": other})

    async def hops(request: web.Request) -> web.Response:
        state.seen.append((request.method, request.path, b"", request.headers.get("Authorization")))
        left = int(request.match_info["left"])
        if left:
            return web.Response(status=302, headers={"Location": f"hops-{left - 1}"})
        return web.json_response({"session": {"id": "arrived"}})

    async def to_https(request: web.Request) -> web.Response:
        where = f"https://127.0.0.1:{state.port}/api/v2/chat/sessions/hops-0"
        return web.Response(status=301, headers={"Location": where})

    app = web.Application()
    app.router.add_get("/api/v2/chat/sessions/bomb-{status}", bomb)
    app.router.add_get("/api/v2/chat/sessions/bomb-{status}/export", bomb)
    app.router.add_get("/api/v2/chat/sessions/cbomb-{status}", bomb)
    app.router.add_post("/api/v2/chat/sessions/bomb/messages/stream", stream_bomb)
    app.router.add_get("/api/v2/chat/sessions/endless", endless)
    app.router.add_get("/api/v2/chat/sessions/hops-{left}", hops)
    app.router.add_get("/api/v2/chat/sessions/to-https", to_https)
    app.router.add_post("/api/v2/chat/sessions/r{status}/messages", redirect_post)
    app.router.add_post("/api/v2/chat/sessions/r{status}/messages/stream", redirect_post)
    return app


@contextmanager
def serve(app: web.Application, tls: ssl.SSLContext | None = None) -> Iterator[int]:
    """Run an aiohttp app on a loopback port in a thread of its own; yield the port."""
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=tls)
    loop.run_until_complete(site.start())
    port: int = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


@contextmanager
def hostile() -> Iterator[Hostile]:
    """The lying server, started for the block."""
    state = Hostile(
        port=0,
        bomb=_gzip_bomb(b'{"session": {"id": "s", "title": "', BOMB_BYTES),
        stream_bomb=_gzip_bomb(b"event: token\ndata: ", BOMB_BYTES),
    )
    with serve(_app(state)) as port:
        state.port = port
        yield state


@contextmanager
def raw_listener(reply: bytes, *, hold: float = 0.0) -> Iterator[int]:
    """A loopback port that answers any request with `reply` (maybe b"") and hangs up,
    after `hold` seconds of silence (or when the block ends)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:  # the accept timed out (or the listener closed): look again
                continue
            with conn:
                conn.settimeout(2)
                try:
                    conn.recv(65536)
                    conn.sendall(reply)
                    stop.wait(hold)
                    # Half-close, then read until the client hangs up: closing with the
                    # rest of its request unread would reset the connection, and the
                    # client could lose the end of a long reply.
                    conn.shutdown(socket.SHUT_WR)
                    while conn.recv(65536):
                        pass
                except OSError:
                    pass

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        listener.close()


@contextmanager
def tls_server(tls: ssl.SSLContext) -> Iterator[str]:
    """An HTTPS server on loopback answering `get_session`; yields its base URL."""

    async def detail(request: web.Request) -> web.Response:
        return web.json_response({"session": {"id": request.match_info["sid"]}})

    app = web.Application()
    app.router.add_get("/api/v2/chat/sessions/{sid}", detail)
    with serve(app, tls) as port:
        yield f"https://127.0.0.1:{port}/api/v2"
