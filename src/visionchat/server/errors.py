"""Flat protocol error bodies and the exception handlers raise to produce them.

Every chat endpoint answers errors as ``{error, error_code, detail?, timestamp?}``;
raising :class:`ApiError` anywhere below the middleware yields exactly that shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from .clock import utc_now_iso


class ApiError(Exception):
    """An error answer: HTTP status, machine code, human message and optional detail."""

    def __init__(
        self,
        status: int,
        error_code: str,
        message: str,
        *,
        detail: Any = None,
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
        payload: dict[str, Any] = {"error": self.message, "error_code": self.error_code}
        if self.detail is not None:
            payload["detail"] = self.detail
        payload["timestamp"] = utc_now_iso()
        payload.update(self.extra)
        return payload

    def response(self) -> web.Response:
        """Render as an aiohttp JSON response."""
        return web.json_response(self.body(), status=self.status, headers=self.headers)


def not_found(what: str, ident: str) -> ApiError:
    """404 for an id this tenant does not know."""
    code = f"{what.upper()}_NOT_FOUND"
    return ApiError(
        404, code, f"{what.capitalize()} not found", detail=f"{what} {ident!r} not found"
    )


def validation_error(detail: str) -> ApiError:
    """422 for a request that is syntactically wrong (bad id, out-of-range value)."""
    return ApiError(422, "VALIDATION_ERROR", "Validation failed", detail=detail)


def bad_request(error_code: str, message: str, detail: Any = None) -> ApiError:
    """400 for a well-formed request the server refuses (closed session, too many ids)."""
    return ApiError(400, error_code, message, detail=detail)
