"""Raw-socket HTTP for requests a client library refuses to send, and replies it would hide."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from typing import Any

from visionchat.server import ReferenceServer

TIMEOUT = 5.0


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def connect(server: ReferenceServer) -> socket.socket:
    """A blocking loopback socket to the server, with a timeout on every read."""
    sock = socket.create_connection((server.host, server.port), timeout=TIMEOUT)
    return sock


def read_reply(sock: socket.socket) -> Reply:
    """One whole reply (the server closes or sends Content-Length)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before a reply head: {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "-1"))
    while len(body) < length or length < 0:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return Reply(int(status_line.split()[1]), headers, body)


def exchange(server: ReferenceServer, raw: bytes) -> Reply:
    """Send ``raw`` on a new connection and read the reply."""
    with connect(server) as sock:
        sock.sendall(raw)
        return read_reply(sock)


def request(
    method: str, target: str, *, body: bytes = b"", headers: dict[str, str] | None = None
) -> bytes:
    """A request as bytes, with Content-Length and Connection: close."""
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    lines += [f"Content-Length: {len(body)}", "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogateescape") + body
