"""The exceptions the SDK raises, in one flat hierarchy.

Every error the SDK raises on purpose derives from `VisionChatError`. Argument
checks raise the built-in `ValueError` before any request is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InsecureTransportWarning",
    "InternalServerError",
    "NotFoundError",
    "PermissionDeniedError",
    "QuotaExceededError",
    "RateLimitError",
    "RedirectError",
    "ResponseDecodeError",
    "StreamError",
    "StreamTimeoutError",
    "UnprocessableEntityError",
    "VisionChatError",
]


class VisionChatError(Exception):
    """Base class of every error raised by the SDK."""


class APIStatusError(VisionChatError):
    """The server answered with an error status (4xx or 5xx), or a redirect not followed.

    Attributes:
        status_code: the HTTP status.
        error_code: the protocol's code (`SESSION_CLOSED`, …), when the body gave one.
        message: the server's message, or a description of the body.
        request_id: the server's `X-Request-ID`, for support.
        headers: the reply's headers.
        body: the decoded JSON body, or an excerpt of a body that was not JSON.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        error_code: str | None = None,
        request_id: str | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.error_code = error_code
        self.request_id = request_id
        self.headers: Mapping[str, str] = headers if headers is not None else {}
        self.body = body

    def __str__(self) -> str:
        parts = [f"{self.status_code}"]
        if self.error_code:
            parts.append(self.error_code)
        text = f"[{' '.join(parts)}] {self.message}"
        if self.request_id:
            text += f" (request id {self.request_id})"
        return text


class BadRequestError(APIStatusError):
    """400: the request was refused (for example `SESSION_CLOSED`)."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, invalid or expired."""


class PermissionDeniedError(APIStatusError):
    """403: the key may not touch this resource (another tenant's, say)."""


class NotFoundError(APIStatusError):
    """404: the session, plan or id does not exist for this key."""


class ConflictError(APIStatusError):
    """409: a plan is already being processed, or an idempotency key was reused."""


class UnprocessableEntityError(APIStatusError):
    """422: the server's validation failed."""


class RateLimitError(APIStatusError):
    """429 rate limit: slow down; `retry_after` says for how long, when the server said."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class QuotaExceededError(APIStatusError):
    """429 with a quota code (`TOKEN_LIMIT_EXCEEDED`, `USAGE_LIMIT_EXCEEDED`): never retried."""


class InternalServerError(APIStatusError):
    """5xx: the server or its upstream AI provider failed."""


class RedirectError(APIStatusError):
    """3xx: a redirect the SDK does not follow, so the call did not happen elsewhere.

    A call that sends something (any method but GET) is never redirected, and a GET
    follows at most a few redirects, never to another scheme.

    Attributes:
        location: where the server pointed (the `Location` header, as sent); None when
            the reply had none.
    """

    def __init__(self, message: str, *, location: str | None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.location = location


class APIConnectionError(VisionChatError):
    """The server could not be reached, or the connection broke before a reply.

    The message says what happened and to which host and port; the transport
    library's own exception is chained as `__cause__`.

    Attributes:
        host: the host the SDK was talking to, when known.
        port: its port, when known.
        attempts: how many times the SDK tried before giving up, when it retried here.
    """

    attempts: int | None = None

    def __init__(self, message: str, *, host: str | None = None, port: int | None = None) -> None:
        super().__init__(message)
        self.host = host
        self.port = port

    def __str__(self) -> str:
        text = super().__str__()
        if self.attempts is not None:
            plural = "s" if self.attempts != 1 else ""
            text += f" (gave up after {self.attempts} attempt{plural})"
        return text


class APITimeoutError(APIConnectionError):
    """A connect, read or stream-idle timeout ran out."""


class ResponseDecodeError(VisionChatError):
    """A reply is not what the protocol says (HTML, truncated JSON, wrong shape).

    Attributes:
        status_code: the HTTP status of the reply, when there was one.
        request_id: the server's `X-Request-ID`, when sent.
        excerpt: the first characters of the body, to see what came instead.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        request_id: str | None = None,
        excerpt: str = "",
    ) -> None:
        if excerpt:
            message = f"{message}; the reply began: {excerpt!r}"
        super().__init__(message)
        self.status_code = status_code
        self.request_id = request_id
        self.excerpt = excerpt


class StreamError(VisionChatError):
    """A stream failed: cut off before its end, or the server sent an error event.

    It carries what arrived before the failure, so nothing received is lost.

    Attributes:
        code: `STREAM_CUT_OFF`, `STREAM_TIMEOUT`, or the error event's own code.
        partial_content: the answer text received so far.
        last_event_id: the id of the last event received.
        message_id: the answer's id, when the server had said it.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        partial_content: str = "",
        last_event_id: str | None = None,
        message_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.partial_content = partial_content
        self.last_event_id = last_event_id
        self.message_id = message_id


class StreamTimeoutError(StreamError, APITimeoutError):
    """A stream went quiet for longer than the idle timeout after events had arrived.

    Both a `StreamError` (it carries the text so far) and an `APITimeoutError`.
    """


class InsecureTransportWarning(UserWarning):
    """The base URL would send the API key in clear text to a host that is not this machine."""
