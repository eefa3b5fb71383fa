"""The Idempotency-Key extension: remember POST results and replay them on repeats.

A record is keyed by (tenant, key) and remembers method, path and a hash of the body.
A repeat with the same request replays the stored reply (for a stream, the events
rebuilt from the stored stream, after ``Last-Event-ID`` when given). A handler that
writes its own work stores the reply in that same transaction (``claim.stored``);
otherwise the reply is stored here after the handler returns. The same key with another request is 409
IDEMPOTENCY_KEY_REUSED. A repeat that arrives while the first request still runs waits
for it, so the work is never done twice.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import hashlib
import json

from aiohttp import web
from aiohttp.typedefs import Handler

from .clock import to_iso, utc_now
from .errors import ApiError
from .models import IdempotencyClaim, IdempotencyRow, StoredReply
from .state import FAULT_KEY, IDEMPOTENCY_KEY, TENANT_KEY, state_of
from .stored_stream import StoredStream
from .streaming import stream_events
from .validation import header_str

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
RETENTION = _dt.timedelta(hours=24)
WAIT_FOR_FIRST_SECONDS = 30.0
REPLAYED_HEADER = "Idempotent-Replayed"


def body_hash(raw: bytes) -> str:
    """Hash of a request body; JSON is canonicalised so key order does not matter."""
    try:
        canonical = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, RecursionError):  # not JSON, or nested too deeply to read
        canonical = raw
    return hashlib.sha256(canonical).hexdigest()


def _in_progress() -> ApiError:
    return ApiError(
        409,
        "IDEMPOTENCY_KEY_IN_PROGRESS",
        "A request with this Idempotency-Key is still being processed",
    )


def _storable(status: int) -> bool:
    """Replies worth replaying: success and client errors, not 409/429 or server errors."""
    return status < 500 and status not in (409, 429)


@web.middleware
async def idempotency_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Apply the Idempotency-Key extension to POST requests that carry the header."""
    if request.method != "POST":
        return await handler(request)
    key = header_str(request, HEADER, MAX_KEY_LENGTH)
    if key is None:
        return await handler(request)
    state = state_of(request)
    tenant = request[TENANT_KEY]
    digest = body_hash(await request.read())
    state.db.expire_idempotency(to_iso(utc_now() - RETENTION))

    claim = IdempotencyClaim(tenant, key, request.method, request.path, digest)
    for _attempt in range(3):
        record = state.db.get_idempotency(tenant, key)
        if record is None:
            if state.db.claim_idempotency(tenant, key, request.method, request.path, digest):
                break
            continue
        if (record.method, record.path, record.body_hash) != (request.method, request.path, digest):
            raise ApiError(
                409,
                "IDEMPOTENCY_KEY_REUSED",
                "This Idempotency-Key was already used for a different request",
            )
        if record.state == "done":
            return await _replay(request, record)
        waiter = state.idempotency_waiters.get((tenant, key))
        if waiter is None:
            raise _in_progress()
        try:
            await asyncio.wait_for(waiter.wait(), WAIT_FOR_FIRST_SECONDS)
        except TimeoutError:
            raise _in_progress() from None
    else:
        raise _in_progress()

    done = asyncio.Event()
    state.idempotency_waiters[(tenant, key)] = done
    request[IDEMPOTENCY_KEY] = claim
    try:
        try:
            response = await handler(request)
        except ApiError as error:
            if _storable(error.status):
                body = json.dumps(error.body()).encode()
                state.db.finish_idempotency(
                    StoredReply(claim, error.status, "application/json", body=body)
                )
            else:
                state.db.release_idempotency(tenant, key)
            raise
        except BaseException:
            state.db.release_idempotency(tenant, key)
            raise
        if claim.stored:
            return response
        if isinstance(response, web.Response) and _storable(response.status):
            body = response.body if isinstance(response.body, bytes) else b""
            state.db.finish_idempotency(
                StoredReply(claim, response.status, response.content_type, body=body)
            )
        else:
            state.db.release_idempotency(tenant, key)
        return response
    finally:
        done.set()
        state.idempotency_waiters.pop((tenant, key), None)


async def _replay(request: web.Request, record: IdempotencyRow) -> web.StreamResponse:
    """Send a stored reply again."""
    headers = {REPLAYED_HEADER: "true"}
    if record.stream is not None:
        state = state_of(request)
        try:
            start_after = int(request.headers.get("Last-Event-ID", "0").strip() or 0)
        except ValueError:
            start_after = 0
        return await stream_events(
            request,
            StoredStream.decode(record.stream),
            start_after=max(0, start_after),
            token_delay=state.config.token_delay,
            ping_interval=state.config.ping_interval,
            fault=request.get(FAULT_KEY),
            headers=headers,
        )
    return web.Response(
        status=record.status or 200,
        body=record.body or b"",
        content_type=record.content_type or "application/json",
        headers=headers,
    )
