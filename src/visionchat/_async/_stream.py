"""A streamed reply: an iterator of `ChatToken`s that always releases its connection."""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator

from .._chat_events import ChatEventReader
from .._sse import ServerSentEvent, SSEDecoder, SSELineTooLong
from .._tracing import CallSpan
from .._wire import Request
from ..errors import APIConnectionError, APITimeoutError, StreamError, VisionChatError
from ..models import ChatResponse, ChatToken
from ._closing import ClosingOnExit
from ._http import AsyncHTTPClient
from ._transport import AsyncReply


class AsyncChatStream(ClosingOnExit):
    """The tokens of one answer, in order, as they arrive.

    Iterate it for every event as a `ChatToken`; nothing is sent until iteration
    starts. Leaving the loop by an exception or cancellation releases the connection
    at once. After a `break` it is released when the abandoned loop iterator is
    finalised (at once in blocking code, a moment later by the event loop in async
    code); a `with` block or `close()` releases it at once in both.

    A stream that breaks is opened again with the same idempotency key: from the
    start before any event reached the caller, else resuming after the last event
    id, so the caller sees no gap and no duplicate. When that cannot be done it
    raises `StreamError` carrying the text received so far.
    """

    def __init__(
        self,
        http: AsyncHTTPClient,
        request: Request,
        session_id: str,
    ) -> None:
        self._http = http
        self._request = request
        self._reader = ChatEventReader(session_id)
        self._decoder = SSEDecoder(http.config.max_line_bytes)
        self._queue: deque[ServerSentEvent] = deque()
        # The call's span, from the first attempt until the stream is done.
        self._span: CallSpan | None = None
        self._response: AsyncReply | None = None
        self._done = False
        self._iterating = 0  # loops over this stream started and not yet finished
        self._closed_by_caller = False
        self._reopens = 0  # times the stream was opened again after breaking

    @property
    def session_id(self) -> str:
        """The session this answer belongs to."""
        return self._reader.session_id

    @property
    def message_id(self) -> str | None:
        """The id of the answer, once the server has said it."""
        return self._reader.message_id

    @property
    def text(self) -> str:
        """The answer text received so far."""
        return self._reader.text

    @property
    def last_event_id(self) -> str | None:
        """The id of the last event received, for resuming."""
        return self._reader.last_event_id

    async def __aiter__(self) -> AsyncIterator[ChatToken]:
        # A generator, so that leaving the loop early (break, an exception, cancellation)
        # runs the `finally` and releases the connection. Events already decoded are
        # handed out here directly; the network is read only when none are left.
        reader, queue = self._reader, self._queue
        error: BaseException | None = None
        try:
            while queue or await self._fill():
                token = reader.token(queue.popleft())
                if token is None:
                    continue
                if reader.closed:
                    queue.clear()  # the last frame: nothing after it counts
                self._iterating += 1
                try:
                    yield token
                finally:
                    self._iterating -= 1
        except GeneratorExit:
            self._closed_by_caller = True  # the caller's loop was left (break) or closed
            raise
        except BaseException as exc:
            error = exc
            raise
        finally:
            await self._release()
            self._end_span(error)

    async def response(self) -> ChatResponse:
        """Read the stream to its end, if not yet done, and return the final answer.

        After the caller left a loop over the stream early (or closed it) the rest of
        the answer is gone: that raises `StreamError` with code `STREAM_CLOSED`.
        """
        if self._reader.response is None and (self._closed_by_caller or self._iterating):
            await self._release()
            reader = self._reader
            raise StreamError(
                "the stream was closed by the caller (a loop over it was left early, or "
                "close() was called) before its final answer arrived",
                code="STREAM_CLOSED",
                partial_content=reader.text,
                last_event_id=reader.last_event_id,
                message_id=reader.message_id,
            )
        async for _ in self:
            pass
        if self._reader.response is None:
            raise self._reader.cut_off("the stream ended without a final answer")
        return self._reader.response

    async def close(self) -> None:
        """Stop reading and release the connection; safe to call more than once."""
        if self._reader.response is None:
            self._closed_by_caller = True
        await self._release()
        self._end_span()

    def _end_span(self, error: BaseException | None = None) -> None:
        span, self._span = self._span, None
        if span is not None:
            span.end(error)

    async def _release(self) -> None:
        self._done = True
        self._queue.clear()
        response, self._response = self._response, None
        if response is not None:
            await response.close()

    async def _fill(self) -> bool:
        """Read until at least one event is queued; False once the stream is over."""
        while not self._queue:
            if self._done:
                return False
            if self._reader.closed:
                await self._read_to_end()
                return False
            response = self._response
            if response is None:
                response = await self._open(self._request)
            try:
                chunk = await response.next_chunk()
            except APITimeoutError as exc:
                if self._reader.events:
                    raise self._reader.timed_out(str(exc)) from exc
                raise
            except APIConnectionError as exc:
                await self._recover(str(exc))
                continue
            if not chunk:
                await self._recover("the connection ended before the final event")
                continue
            try:
                self._queue.extend(self._decoder.feed(chunk))
            except SSELineTooLong as exc:
                raise self._reader.cut_off(str(exc)) from None
        return True

    async def _read_to_end(self) -> None:
        """After the last frame, read the end of the body so the connection can be reused.

        A server ends the body right after `close`; if it sends more bytes instead, the
        connection is closed rather than reused. The answer is complete either way, so
        nothing here raises.
        """
        if self._response is not None:
            try:
                await self._response.next_chunk()
            except VisionChatError:
                pass
        await self._release()

    async def _recover(self, reason: str) -> None:
        """Open a broken stream again, or raise `StreamError` with what arrived.

        Before any event reached the caller the request is simply sent again. After
        that it resumes with `Last-Event-ID` (and the same idempotency key), so a
        server that keeps the answer replays only what the caller has not seen.
        """
        started = self._reader.events > 0
        delay = self._http.config.retry.connection_delay(self._reopens)
        if delay is None or (started and self._reader.last_event_id is None):
            raise self._reader.cut_off(reason)
        self._reopens += 1
        await self._release()
        self._done = False
        self._decoder = SSEDecoder(self._http.config.max_line_bytes)
        await self._http.transport.sleep(delay)
        if not started:
            return  # the next read opens the stream as on the first try
        last_event_id = self._reader.expect_resume()
        try:
            await self._open(self._request.with_headers({"Last-Event-ID": last_event_id}))
        except VisionChatError as exc:
            raise self._reader.cut_off(f"{reason}; resuming failed: {exc}") from exc

    async def open_now(self) -> AsyncReply:
        """Send the request now rather than when iteration starts (for `with_raw_response`,
        which hands back the reply's status and headers); a failure ends the call's span."""
        try:
            return await self._open(self._request)
        except BaseException as exc:
            self._end_span(exc)
            raise

    async def _open(self, request: Request) -> AsyncReply:
        if self._span is None:
            self._span = self._http.span(self._request)
        response = self._response = await self._http.open_stream(request, self._span)
        self._reader.request_id = response.headers.get("X-Request-ID")
        return response
