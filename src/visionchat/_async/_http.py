"""Send requests through the transport, retrying what the policy allows and mapping errors."""

from __future__ import annotations

import time

from .. import _log
from .._config import ClientConfig
from .._decode import excerpt
from .._error_mapping import status_error
from .._tracing import CallSpan, start_span
from .._wire import Request, Response
from ..errors import APIConnectionError, APIStatusError, ResponseDecodeError
from ._transport import AsyncReply, AsyncTransport


class AsyncHTTPClient:
    """One client's way to the network: config plus a (possibly shared) transport."""

    def __init__(self, config: ClientConfig, transport: AsyncTransport) -> None:
        self.config = config
        self.transport = transport

    def span(self, request: Request) -> CallSpan:
        """Start the span of one call; its owner ends it when the body or stream is done."""
        return start_span(request, self.config.tracing)

    async def open(self, request: Request, span: CallSpan, *, stream: bool = False) -> AsyncReply:
        """Open a reply with a success status, retrying failures the policy allows.

        Every retry sends the same `Request`, idempotency key included, so the server
        can recognise a repeat of work it already did. Attempts are recorded on `span`,
        which stays open: the caller ends it.
        """
        policy = self.config.retry
        timeout = self.config.timeout if request.timeout is None else request.timeout
        attempt = 0
        with span.current():
            while True:
                started = time.monotonic()
                try:
                    response = await self.transport.open(request, timeout, stream=stream)
                except APIConnectionError as exc:
                    _log.attempt(request, started, attempt, error=exc)
                    span.attempt(attempt, None)
                    delay = policy.connection_delay(attempt)
                    if delay is None:
                        exc.attempts = attempt + 1
                        raise
                else:
                    _log.attempt(
                        request, started, attempt, status=response.status, headers=response.headers
                    )
                    span.attempt(attempt, response.status)
                    if response.status < 400:
                        return response
                    error = await self._status_error(response)
                    delay = policy.status_delay(
                        attempt, response.status, error.error_code, response.headers
                    )
                    if delay is None:
                        raise error
                await self.transport.sleep(delay)
                attempt += 1

    async def _status_error(self, response: AsyncReply) -> APIStatusError:
        """Read and release an error reply, then build its exception."""
        body = await _drain(response, self.config.max_body_bytes)
        return status_error(response.status, response.headers, body)

    async def request(self, request: Request) -> Response:
        """Send a request and return the whole reply, its connection already released."""
        started = time.monotonic()
        with self.span(request) as span:
            response = await self.open(request, span)
            try:
                body = await response.read(self.config.max_body_bytes)
            finally:
                await response.close()
        return Response(response.status, response.headers, body, time.monotonic() - started)

    async def open_stream(self, request: Request, span: CallSpan) -> AsyncReply:
        """Open an event stream, refusing a success reply that is not one (an HTML page, say)."""
        response = await self.open(request, span, stream=True)
        if response.content_type != "text/event-stream":
            body = await _drain(response, 4096)
            raise ResponseDecodeError(
                f"expected an event stream but the server sent {response.content_type or 'no content type'!r}",
                status_code=response.status,
                request_id=response.headers.get("X-Request-ID"),
                excerpt=excerpt(body),
            )
        return response


async def _drain(response: AsyncReply, limit: int) -> bytes:
    """Read a reply that will not be used (to describe it in an error) and release it.

    A body that cannot be read, or is over `limit`, counts as empty: the error about
    the reply matters more than one about its body.
    """
    try:
        return await response.read(limit)
    except (APIConnectionError, ResponseDecodeError):
        return b""
    finally:
        await response.close()
