# Generated from src/visionchat/_async/_transport.py by tools/gen_sync.py: do not edit; edit the async source.
"""What the client needs from a transport, as Protocols both hand-written transports satisfy.

The rest of the client names only these types; the concrete transport is chosen in
`_client.py`. mypy and pyright check each transport against them there, so a missing
or mistyped method fails the type check rather than a call at run time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from .._config import Timeout
from .._wire import Request


class SyncReply(Protocol):
    """An open reply: status and headers now, the body when read; always closed by the caller."""

    @property
    def status(self) -> int:
        """The HTTP status code."""
        ...

    @property
    def headers(self) -> Mapping[str, str]:
        """The reply headers, looked up case-insensitively."""
        ...

    @property
    def content_type(self) -> str:
        """The media type of the body, without parameters."""
        ...

    def read(self, limit: int) -> bytes:
        """The whole body; `ResponseDecodeError` when it is over `limit` bytes."""
        ...

    def next_chunk(self) -> bytes:
        """The next bytes of the body as they arrive; b"" at its end."""
        ...

    def close(self) -> None:
        """Release the connection: back to the pool when the body was read, else closed."""
        ...


class SyncTransport(Protocol):
    """Sends requests over one connection pool; library errors leave it as the SDK's own."""

    def open(self, request: Request, timeout: Timeout, *, stream: bool) -> SyncReply:
        """Send the request and return once the status line and headers have arrived."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait between retries in the transport's own way (never blocking an event loop)."""
        ...

    def close(self) -> None:
        """Close the pool if this transport created it; a borrowed session stays open."""
        ...
