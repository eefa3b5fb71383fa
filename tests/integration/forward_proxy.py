"""A small forward proxy on loopback, for tests: plain-http forwarding and CONNECT tunnels.

It records each request's first line and `Proxy-Authorization`, may ask for credentials
(407), and relays bytes both ways until either side closes. Each client connection is
tied to the first target it asks for (as our clients use it).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class ProxyLog:
    """What the proxy saw: (method, target, Proxy-Authorization) per request head."""

    port: int = 0
    seen: list[tuple[str, str, str | None]] = field(default_factory=list)
    required: str | None = None  # the Proxy-Authorization value to insist on

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


def _headers(head: bytes) -> tuple[str, str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    return method, target, headers


async def _handle(
    log: ProxyLog, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        writer.close()
        return
    method, target, headers = _headers(head)
    credentials = headers.get("proxy-authorization")
    log.seen.append((method, target, credentials))
    if log.required is not None and credentials != log.required:
        writer.write(
            b"HTTP/1.1 407 Proxy Authentication Required\r\n"
            b'Proxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n'
        )
        await writer.drain()
        writer.close()
        return
    if method == "CONNECT":
        host, _, port = target.rpartition(":")
        up_reader, up_writer = await asyncio.open_connection(host, int(port))
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
    else:
        parts = urlsplit(target)
        up_reader, up_writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        rest = head.split(b"\r\n", 1)[1]
        kept = b"".join(
            line + b"\r\n"
            for line in rest.split(b"\r\n")
            if line and not line.lower().startswith(b"proxy-")
        )
        up_writer.write(f"{method} {path} HTTP/1.1\r\n".encode() + kept + b"\r\n")
    await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))


@contextmanager
def forward_proxy(required: str | None = None) -> Iterator[ProxyLog]:
    """Run the proxy in a thread of its own for the block."""
    log = ProxyLog(required=required)
    loop = asyncio.new_event_loop()

    async def start() -> asyncio.Server:
        return await asyncio.start_server(lambda r, w: _handle(log, r, w), "127.0.0.1", 0)

    server = loop.run_until_complete(start())
    log.port = server.sockets[0].getsockname()[1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield log
    finally:

        async def stop() -> None:
            server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
