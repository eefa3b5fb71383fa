"""Raw replies: a call's status, headers and timing, with `parse()` for its usual result."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, cast

from .._results import AsyncResult
from .._wire import Response
from ._closing import ClosingOnExit

if TYPE_CHECKING:
    from ._stream import AsyncChatStream

T = TypeVar("T")
P = ParamSpec("P")

_UNPARSED = object()


class AsyncRawResponse(ClosingOnExit, Generic[T]):
    """The HTTP reply to one call, before it becomes the call's usual result.

    `parse()` gives what the call returns without `with_raw_response` (decoded once,
    then kept). For `send_stream` the reply holds an open stream: `parse()` gives it,
    ready to iterate; a reply never parsed should be closed (`close()` or `with`).
    """

    __slots__ = ("_parse", "_parsed", "_stream", "elapsed", "headers", "status_code")

    status_code: int
    """The HTTP status of the reply."""
    headers: Mapping[str, str]
    """The reply's headers, case-insensitive (`X-RateLimit-Remaining`, say)."""
    elapsed: timedelta
    """From the call's first attempt to its reply: retries and their waits included; for a
    stream, until the headers arrived."""

    def __init__(
        self,
        status_code: int,
        headers: Mapping[str, str],
        elapsed: float,
        parse: Callable[[], T],
        stream: AsyncChatStream | None = None,
    ) -> None:
        self.status_code = status_code
        self.headers = headers
        self.elapsed = timedelta(seconds=elapsed)
        self._parse = parse
        self._parsed: object = _UNPARSED
        self._stream = stream

    @classmethod
    def of(cls, reply: Response, parse: Callable[[Response], T]) -> AsyncRawResponse[T]:
        """The raw form of a whole reply, parsed by `parse` when asked."""
        return cls(reply.status, reply.headers, reply.elapsed, lambda: parse(reply))

    @property
    def request_id(self) -> str | None:
        """The server's `X-Request-ID` for this reply, for support and logs."""
        return self.headers.get("X-Request-ID")

    def parse(self) -> T:
        """The call's usual result, built from this reply."""
        if self._parsed is _UNPARSED:
            self._parsed = self._parse()
        return cast(T, self._parsed)

    async def close(self) -> None:
        """Release the connection of a stream that was not read to its end; else nothing."""
        if self._stream is not None:
            await self._stream.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.status_code} request_id={self.request_id!r}>"


def decoded(reply: Response, value: T) -> AsyncRawResponse[T]:
    """The raw form of a whole reply already decoded to `value`."""
    return AsyncRawResponse(reply.status, reply.headers, reply.elapsed, lambda: value)


def as_raw(method: Callable[P, AsyncResult[T]]) -> Callable[P, AsyncResult[AsyncRawResponse[T]]]:
    """Type a method of a raw-mode `AsyncChats` as what it returns: the raw reply.

    Such a `AsyncChats` builds every reply with `AsyncRawResponse.of`; this gives its
    methods that return type, with their parameters unchanged.
    """
    return cast(Any, method)  # type: ignore[no-any-return]
