"""Request pipeline: request ids and error bodies, faults, auth, rate limit.

Order (outermost first): ``errors_middleware`` (root app) then, for ``/api/v2``,
``faults_middleware`` → ``auth_middleware`` → ``body_deadline_middleware`` →
``rate_limit_middleware`` → ``idempotency_middleware`` → handler. Faults sit outside auth, like a misbehaving
proxy in front of the service.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid

from aiohttp import web
from aiohttp.typedefs import Handler

from .connections import head_arrived
from .errors import ApiError, http_error
from .faults import AFTER_HANDLER, FaultRule
from .state import (
    API_KEY_KEY,
    FAULT_KEY,
    RATE_HEADERS_KEY,
    REQUEST_ID_KEY,
    TENANT_KEY,
    state_of,
)
from .validation import is_text

log = logging.getLogger("visionchat.server")
_REQUEST_ID = re.compile(r"^[\x21-\x7e]{1,128}$")
STREAM_SUFFIX = "/messages/stream"

_HTML_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>"
    "<body><h1>Bad Gateway</h1><p>The upstream server sent an invalid response.</p>"
    "<hr><address>reference-proxy</address></body></html>\n"
)
_STATUS_CODES = {
    500: "INTERNAL_ERROR",
    502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE",
    504: "GATEWAY_TIMEOUT",
}


@web.middleware
async def errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Give every request an id, and turn every failure into a flat JSON error body."""
    head_arrived(request)  # the connection's head deadline is over
    incoming = request.headers.get("X-Request-ID", "")
    request[REQUEST_ID_KEY] = incoming if _REQUEST_ID.match(incoming) else f"req_{uuid.uuid4().hex}"
    try:
        return await handler(request)
    except ApiError as error:
        return error.response()
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return http_error(exc.status, _kept_headers(exc)).response()
    except (asyncio.CancelledError, ConnectionError):
        raise
    except Exception:
        log.exception("unhandled error for %s %s", request.method, request.path)
        return ApiError(500, "INTERNAL_ERROR", "Internal server error").response()


def _kept_headers(exc: web.HTTPException) -> dict[str, str]:
    """The exception's own headers (``Allow`` on a 405), minus those of its text body."""
    return {
        name: value
        for name, value in exc.headers.items()
        if name.lower() not in ("content-type", "content-length")
    }


@web.middleware
async def body_deadline_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Read an authenticated request's body within ``body_timeout`` (else 408, closed).

    Every later reader (idempotency hash, JSON parsing) gets the body already read.
    """
    if request.can_read_body:
        try:
            async with asyncio.timeout(state_of(request).config.body_timeout):
                await request.read()
        except TimeoutError:
            return await _answer_and_close(request, 408)
        except web.RequestPayloadError:
            # The body cannot be read (a Content-Encoding it does not follow, a broken
            # chunk): the client's fault, and the rest of the connection is unusable.
            return await _answer_and_close(request, 400)
    return await handler(request)


async def _answer_and_close(request: web.Request, status: int) -> web.StreamResponse:
    """Send an error for a body that could not be read, then close the connection at once.

    Otherwise aiohttp would go on reading the rest of the body ("lingering") for another
    10 s, or log the body's own error as an unhandled exception while it does.
    """
    response = http_error(status).response()
    response.force_close()
    await response.prepare(request)
    await response.write_eof()
    request.protocol.force_close()
    return response


async def on_response_prepare(request: web.Request, response: web.StreamResponse) -> None:
    """Echo the request id and add rate-limit headers to every response (streams too)."""
    request_id = request.get(REQUEST_ID_KEY)
    if request_id is not None:
        response.headers["X-Request-ID"] = request_id
    for name, value in request.get(RATE_HEADERS_KEY, {}).items():
        response.headers.setdefault(name, value)


@web.middleware
async def faults_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Apply the next matching fault rule (no-op unless faults are enabled)."""
    state = state_of(request)
    rule = state.faults.take(
        request.method, request.path, is_stream=request.path.endswith(STREAM_SUFFIX)
    )
    if rule is None:
        return await handler(request)
    if rule.kind == "slow":
        await asyncio.sleep(float(rule.param("delay")))
        return await handler(request)
    if rule.kind == "status":
        return _status_fault(rule)
    if rule.kind == "rate_limit":
        retry_after = int(rule.param("retry_after"))
        return ApiError(
            429,
            "RATE_LIMIT_ERROR",
            "Rate limit exceeded",
            detail=f"retry after {retry_after} s",
            headers={
                "Retry-After": str(retry_after),
                "X-RateLimit-Limit": str(rule.param("limit")),
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": str(retry_after),
            },
        ).response()
    if rule.kind == "html":
        return web.Response(
            status=int(rule.param("status")), text=_HTML_PAGE, content_type="text/html"
        )
    request[FAULT_KEY] = rule
    response = await handler(request)
    if rule.kind in AFTER_HANDLER:
        return _after_fault(request, rule, response)
    return response


def _status_fault(rule: FaultRule) -> web.Response:
    status = int(rule.param("status"))
    code = rule.param("error_code") or _STATUS_CODES.get(status, "INJECTED_ERROR")
    headers = {}
    if rule.param("retry_after") is not None:
        headers["Retry-After"] = str(rule.param("retry_after"))
    return ApiError(
        status, str(code), "Injected failure", detail=f"fault rule {rule.id}", headers=headers
    ).response()


def _after_fault(
    request: web.Request, rule: FaultRule, response: web.StreamResponse
) -> web.StreamResponse:
    """Mangle (or drop) a reply whose work has been done."""
    if rule.kind == "lost_reply":
        if request.transport is not None:
            request.transport.abort()
        # aiohttp handles a cancelled handler like a client that vanished: no reply is
        # written and nothing is logged, which is exactly a lost reply.
        raise asyncio.CancelledError()
    if not isinstance(response, web.Response) or response.prepared:
        return response  # already streamed (SSE faults are applied by the writer)
    body = response.body if isinstance(response.body, bytes) else b""
    if rule.kind == "truncated_json":
        return web.Response(
            status=response.status, body=body[: len(body) // 2], content_type="application/json"
        )
    if rule.kind == "empty_body":
        return web.Response(status=200, body=b"", content_type="application/json")
    return web.Response(
        status=response.status, body=body, content_type=str(rule.param("content_type"))
    )


@web.middleware
async def auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Bearer key → tenant; 401 INVALID_API_KEY, 403 when X-Tenant-ID disagrees."""
    state = state_of(request)
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    key = key.strip()
    # A key that is not text (non-UTF-8 bytes) matches none, and the database cannot take it.
    usable = scheme.lower() == "bearer" and key and is_text(key)
    tenant = state.db.tenant_for_key(key) if usable else None
    if tenant is None:
        raise ApiError(
            401,
            "INVALID_API_KEY",
            "Missing or invalid API key",
            headers={"WWW-Authenticate": 'Bearer realm="visionchat"'},
        )
    claimed = request.headers.get("X-Tenant-ID")
    if claimed is not None and claimed != tenant:
        raise ApiError(403, "TENANT_MISMATCH", "X-Tenant-ID does not match the API key's tenant")
    request[TENANT_KEY] = tenant
    request[API_KEY_KEY] = key
    return await handler(request)


@web.middleware
async def rate_limit_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Per-key requests-per-minute limit; 429 RATE_LIMIT_ERROR with Retry-After."""
    limiter = state_of(request).rate_limiter
    if limiter is None:
        return await handler(request)
    decision = limiter.check(request[API_KEY_KEY])
    request[RATE_HEADERS_KEY] = decision.headers()
    if not decision.allowed:
        raise ApiError(
            429,
            "RATE_LIMIT_ERROR",
            "Rate limit exceeded",
            detail=f"{decision.limit} requests per minute",
            headers=decision.headers(),
        )
    return await handler(request)
