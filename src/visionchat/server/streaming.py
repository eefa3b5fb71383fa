"""Server-Sent Events writer: numbered frames, paced tokens, keep-alive pings, faults.

Every event of a turn has an ``id:`` equal to its 1-based position in the turn's event
list, so a client that lost the connection can resume with ``Last-Event-ID`` (the
stored stream is replayed from the next id). ``ping`` frames are keep-alives sent on a
timer; they carry no ``id:`` so they never shift the resumable numbering.
"""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web

from .faults import FaultRule
from .stored_stream import StoredStream, format_frame

SSE_HEADERS = {
    "Cache-Control": "no-cache",
    "X-Accel-Buffering": "no",
}
_ENDLESS_CHUNK = 64 * 1024


class SseWriter:
    """Writes frames to one prepared response; a lock keeps pings between frames."""

    def __init__(self, response: web.StreamResponse, ping_interval: float) -> None:
        self.response = response
        self.ping_interval = ping_interval
        self._lock = asyncio.Lock()
        self._ping_task: asyncio.Task[None] | None = None

    async def write(self, frame: bytes) -> None:
        async with self._lock:
            await self.response.write(frame)

    def start_pings(self) -> None:
        if self.ping_interval > 0:
            self._ping_task = asyncio.create_task(self._pings())

    async def stop_pings(self) -> None:
        if self._ping_task is not None:
            self._ping_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                await self._ping_task
            self._ping_task = None

    async def _pings(self) -> None:
        while True:
            await asyncio.sleep(self.ping_interval)
            await self.write(format_frame("ping", {}))


async def stream_events(
    request: web.Request,
    stream: StoredStream,
    *,
    start_after: int = 0,
    token_delay: float = 0.0,
    ping_interval: float = 15.0,
    fault: FaultRule | None = None,
    headers: dict[str, str] | None = None,
) -> web.StreamResponse:
    """Send the stream's events (ids ``1..n``) after id ``start_after`` as an SSE response.

    A lost client is not an error: writing stops quietly.
    """
    if fault is not None and fault.kind == "lost_reply":
        # The work is done and stored; the fault middleware now drops the connection.
        return web.Response(status=200)
    response = web.StreamResponse(status=200, headers={**SSE_HEADERS, **(headers or {})})
    content_type = "text/event-stream"
    if fault is not None and fault.kind == "wrong_content_type":
        content_type = str(fault.param("content_type"))
    response.content_type = content_type
    response.charset = "utf-8"
    await response.prepare(request)
    writer = SseWriter(response, ping_interval)
    writer.start_pings()
    tokens_sent = 0
    try:
        for name, frame in stream.frames(start_after):
            if name == "token" and token_delay > 0:
                await asyncio.sleep(token_delay)
            await writer.write(frame)
            if name == "token":
                tokens_sent += 1
                if fault is not None and tokens_sent >= int(fault.param("after_tokens") or 0):
                    if await _inject(request, writer, fault, stream.message_id):
                        return response
        await writer.stop_pings()
        await response.write_eof()
    except ConnectionError:
        pass  # the client went away; nothing left to do
    finally:
        await writer.stop_pings()
    return response


async def _inject(
    request: web.Request, writer: SseWriter, fault: FaultRule, message_id: str
) -> bool:
    """Apply a stream fault at this point; True when the stream must end here."""
    if fault.kind == "cut_stream":
        await writer.stop_pings()
        if fault.param("abort") and request.transport is not None:
            request.transport.abort()
        else:
            await writer.response.write_eof()
        return True
    if fault.kind == "error_event":
        await writer.write(
            format_frame("error", {"code": fault.param("code"), "message": fault.param("message")})
        )
        await writer.write(format_frame("close", {"message_id": message_id}))
        await writer.stop_pings()
        await writer.response.write_eof()
        return True
    if fault.kind == "endless_sse_line":
        await writer.stop_pings()
        remaining = int(fault.param("max_bytes"))
        await writer.write(b"event: token\ndata: ")
        while remaining > 0:
            size = min(_ENDLESS_CHUNK, remaining)
            await writer.write(b"x" * size)
            remaining -= size
        await writer.response.write_eof()
        return True
    return False
