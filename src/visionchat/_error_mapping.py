"""Turn an error reply (status, headers, body), or a failed transport call, into a typed exception.

The protocol allows three error-body shapes, and gateways add a fourth (anything
else: HTML, plain text, nothing). All are read here, once, for both modes.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Callable, Mapping
from typing import Any, cast
from urllib.parse import urlsplit

from ._decode import any_json, excerpt
from ._retry import QUOTA_CODES, parse_retry_after
from ._wire import Request
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimitError,
    ResponseDecodeError,
    UnprocessableEntityError,
)

_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
}


def body_too_large(limit: int, status: int) -> ResponseDecodeError:
    """The error for a reply larger than the client's `max_body_bytes` cap."""
    return ResponseDecodeError(
        f"the reply is larger than the {limit}-byte limit (max_body_bytes)", status_code=status
    )


#: What a body that its `Content-Encoding` cannot decode amounts to, in both transports.
UNDECODABLE = "the body does not decode as its Content-Encoding says"

#: What a reply whose status no HTTP server sends amounts to.
NOT_HTTP = "the reply is not HTTP (is something else listening on that port?)"


def transport_failure(
    request: Request, exc: BaseException, *, timed_out: bool, what: str | None = None
) -> APIConnectionError:
    """A transport library's exception as the SDK's, in its own words.

    Says what happened (`what`, from the transport, or read from the standard-library
    exception at the root of `exc`) and to which host and port; names the method and
    path, never the query (it may hold user text) nor headers. The caller chains `exc`.
    """
    parts = urlsplit(request.url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if what is None:
        what = "timed out" if timed_out else describe_failure(exc)
    message = f"{request.method} {parts.path} to {host}:{port} failed: {what}"
    kind = APITimeoutError if timed_out else APIConnectionError
    return kind(message, host=host, port=port)


def _causes(exc: BaseException) -> list[BaseException]:
    """`exc` and every exception it wraps (causes, contexts, `reason`s, arguments), outermost first."""
    found: list[BaseException] = []
    todo: list[object] = [exc]
    while todo and len(found) < 20:
        item = todo.pop(0)
        if not isinstance(item, BaseException) or any(item is f for f in found):
            continue
        found.append(item)
        todo += [item.__cause__, item.__context__, getattr(item, "reason", None), *item.args]
    return found


def _certificate(cause: BaseException) -> str | None:
    detail = getattr(cause, "verify_message", None)  # aiohttp's own subclass has none
    return f"the server's TLS certificate was not accepted ({detail})" if detail else None


#: Standard-library errors, most telling first, and what each one means.
_MEANINGS: list[tuple[type[BaseException], Callable[[BaseException], str | None]]] = [
    (ssl.SSLCertVerificationError, _certificate),
    (ssl.SSLError, lambda c: f"the TLS handshake failed ({getattr(c, 'reason', None) or c})"),
    (http.client.RemoteDisconnected, lambda c: "the server closed the connection without replying"),
    (http.client.BadStatusLine, lambda c: NOT_HTTP),
    (http.client.IncompleteRead, lambda c: "the reply broke off before its end"),
    (ConnectionRefusedError, lambda c: "connection refused"),
    (socket.gaierror, lambda c: "the host name could not be resolved"),
    (ConnectionResetError, lambda c: "the connection was reset"),
]


def odd_status(request: Request, status: int) -> APIConnectionError:
    """The error for a reply whose status lies outside 100-599: no HTTP server sends one."""
    what = f"the reply is not HTTP (its status {status} lies outside 100-599)"
    return transport_failure(request, ValueError(status), timed_out=False, what=what)


def describe_failure(exc: BaseException) -> str:
    """What a failed connection or read amounts to, from the standard-library errors it wraps."""
    causes = _causes(exc)
    for kind, meaning in _MEANINGS:
        for cause in causes:
            if isinstance(cause, kind) and (text := meaning(cause)):
                return text
    root = causes[-1]
    if isinstance(root, OSError) and root.strerror:
        return root.strerror
    if type(root) is OSError:  # a bare one is a plain message ("Tunnel connection failed: …")
        return str(root)
    return f"{type(root).__name__}: {root}"


def _message_and_code(parsed: Any) -> tuple[str | None, str | None]:
    """Read the flat, envelope and validation error shapes."""
    if not isinstance(parsed, dict):
        return None, None
    body = cast("dict[str, Any]", parsed)
    error: Any = body.get("error")
    if isinstance(error, dict):  # envelope: {"error": {"code", "message", "details"}}
        envelope = cast("dict[str, Any]", error)
        return _as_str(envelope.get("message")), _as_str(envelope.get("code"))
    detail: object = body.get("detail")
    problems = _items(detail)
    if isinstance(detail, list):  # validation: {"detail": [{"loc", "msg", "type"}]}
        msgs = [_validation_line(d) for d in problems if isinstance(d, dict)]
        return "; ".join(msgs) or None, _as_str(body.get("error_code"))
    message = _as_str(error) or _as_str(body.get("message"))  # flat shape
    if isinstance(detail, str) and detail:
        message = f"{message}: {detail}" if message else detail
    return message, _as_str(body.get("error_code"))


def _validation_line(item: Any) -> str:
    entry = cast("dict[str, Any]", item)
    loc: Any = entry.get("loc")
    where = ".".join(str(p) for p in _items(loc))
    return f"{where}: {entry.get('msg', '')}"


def _items(value: object) -> list[object]:
    """The entries of a JSON array, or none when the value is not one."""
    return list(cast("list[object]", value)) if isinstance(value, list) else []


def _as_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def status_error(status: int, headers: Mapping[str, str], body: bytes) -> APIStatusError:
    """Build the exception for an error reply; never fails, whatever the body holds."""
    parsed = any_json(body)
    message, code = _message_and_code(parsed)
    if message is None:
        message = f"HTTP {status}"
        if body and parsed is None:
            message += f" with a non-JSON body: {excerpt(body)!r}"
    kwargs: dict[str, Any] = {
        "status_code": status,
        "error_code": code,
        "request_id": headers.get("X-Request-ID"),
        "headers": headers,
        "body": parsed if parsed is not None else excerpt(body),
    }
    if status == 429:
        if code in QUOTA_CODES:
            return QuotaExceededError(message, **kwargs)
        return RateLimitError(message, retry_after=parse_retry_after(headers), **kwargs)
    if status >= 500:
        return InternalServerError(message, **kwargs)
    return _BY_STATUS.get(status, APIStatusError)(message, **kwargs)
