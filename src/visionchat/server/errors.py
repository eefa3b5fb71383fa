"""Error bodies and the exceptions handlers raise to produce them.

Chat errors answer ``{error, error_code, detail, timestamp}`` with ``detail`` a string or
null (structured extras ride in further fields). A request that fails validation answers
422 ``{"detail": [{"loc", "msg", "type"}]}``, the shape the hosted API's framework writes.
Raising either exception anywhere below the middleware yields exactly that body.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from aiohttp import web

from .clock import utc_now_iso

_HTTP_CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    408: "REQUEST_TIMEOUT",
    413: "PAYLOAD_TOO_LARGE",
    414: "URI_TOO_LONG",
    431: "HEADERS_TOO_LARGE",
    500: "INTERNAL_ERROR",
    503: "SERVICE_UNAVAILABLE",
}

#: A location in the request: ``("body", "message")``, ``("query", "limit")``, ...
Loc = tuple[str | int, ...]


class ApiError(Exception):
    """An error answer: HTTP status, machine code, human message and optional detail."""

    def __init__(
        self,
        status: int,
        error_code: str,
        message: str,
        *,
        detail: str | None = None,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error_code = error_code
        self.message = message
        self.detail = detail
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})

    def body(self) -> dict[str, Any]:
        """The flat JSON body for this error."""
        payload: dict[str, Any] = {
            "error": self.message,
            "error_code": self.error_code,
            "detail": self.detail,
            "timestamp": utc_now_iso(),
        }
        payload.update(self.extra)
        return payload

    def response(self) -> web.Response:
        """Render as an aiohttp JSON response."""
        return web.json_response(self.body(), status=self.status, headers=self.headers)


class RequestInvalid(ApiError):
    """422: the request does not fit the operation's schema (type, range, missing field)."""

    def __init__(self, loc: Loc, msg: str, kind: str) -> None:
        super().__init__(422, "VALIDATION_ERROR", f"{'.'.join(map(str, loc))}: {msg}")
        self.loc = loc
        self.msg = msg
        self.kind = kind

    def body(self) -> dict[str, Any]:
        """``{"detail": [{"loc", "msg", "type"}]}``."""
        return {"detail": [{"loc": list(self.loc), "msg": self.msg, "type": self.kind}]}


def validation_error(loc: Loc, msg: str, kind: str) -> RequestInvalid:
    """422 for a request the schema refuses: where (``loc``), why (``msg``), what kind."""
    return RequestInvalid(loc, msg, kind)


def bad_request(error_code: str, message: str, detail: str | None = None) -> ApiError:
    """400 for a well-formed request the server refuses (closed session, too many ids)."""
    return ApiError(400, error_code, message, detail=detail)


def http_error(
    status: int, headers: Mapping[str, str] | None = None, *, error_code: str | None = None
) -> ApiError:
    """A status decided below the routes (unknown route, wrong method, unparsable request).

    The body never quotes the request back: a path or header may hold a key.
    """
    code = error_code or _HTTP_CODES.get(status, "HTTP_ERROR")
    return ApiError(status, code, HTTPStatus(status).phrase, headers=headers)
