"""A minimal local Chat API server for the benchmarks: pre-encoded bodies on 127.0.0.1.

Run as `python -m benchmarks.server '<scale json>'` in its own process, so its CPU
never shares the measured client's GIL. It prints its port on the first line of
stdout once it listens, and serves until its parent closes stdin or kills it.
Every body is built before listening; a request only writes bytes already made.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys

from aiohttp import web

from . import payloads as p
from .payloads import API, Scale

_WRITE = 64 * 1024  # one HTTP chunk per write, like a server flushing as it goes


class Bodies:
    def __init__(self, scale: Scale) -> None:
        self.send = p.send_reply()
        self.detail = p.session_detail(scale.messages)
        self.streams = {
            p.STREAM_TOKENS: p.token_stream(scale.tokens, token_chars=None, accumulated_cap=64),
            p.STREAM_ID_FIRST: p.token_stream(
                scale.tokens, token_chars=None, accumulated_cap=64, id_first=True
            ),
            p.STREAM_FULL: p.token_stream(
                scale.full_tokens, token_chars=scale.full_token_chars, accumulated_cap=None
            ),
            p.STREAM_LINE: p.one_line_stream(scale.line_bytes),
        }
        self.export = p.export_file(scale.export_bytes)


def make_app(bodies: Bodies) -> web.Application:
    async def send(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(body=bodies.send, content_type="application/json")

    async def detail(request: web.Request) -> web.Response:
        return web.Response(body=bodies.detail, content_type="application/json")

    async def stream(request: web.Request) -> web.StreamResponse:
        await request.read()
        body = bodies.streams.get(request.match_info["sid"])
        if body is None:
            raise web.HTTPNotFound()
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        view = memoryview(body)
        for start in range(0, len(body), _WRITE):
            await response.write(view[start : start + _WRITE])
        await response.write_eof()
        return response

    async def export(request: web.Request) -> web.Response:
        return web.Response(
            body=bodies.export,
            content_type="text/markdown",
            headers={"Content-Disposition": 'attachment; filename="export.md"'},
        )

    app = web.Application(client_max_size=16 * 1024 * 1024)
    app.router.add_post(API + "/chat/sessions/{sid}/messages", send)
    app.router.add_post(API + "/chat/sessions/{sid}/messages/stream", stream)
    app.router.add_get(API + "/chat/sessions/{sid}/export", export)
    app.router.add_get(API + "/chat/sessions/{sid}", detail)
    return app


async def serve(scale: Scale) -> None:
    bodies = Bodies(scale)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    runner = web.AppRunner(make_app(bodies), access_log=None)
    await runner.setup()
    site = web.SockSite(runner, sock, backlog=1024)
    await site.start()
    print(sock.getsockname()[1], flush=True)
    loop = asyncio.get_running_loop()
    # Serve until the parent closes our stdin (or kills us): never outlive the run.
    await loop.run_in_executor(None, sys.stdin.read)
    await runner.cleanup()


def main() -> None:
    scale = Scale(**json.loads(sys.argv[1])) if len(sys.argv) > 1 else Scale.full()
    asyncio.run(serve(scale))


if __name__ == "__main__":
    main()
