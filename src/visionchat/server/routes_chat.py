"""Chat endpoints: send (JSON), send (SSE stream) and plan approve/cancel."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from aiohttp import web

from .common import ensure_owned, load_session, shown_id
from .errors import ApiError
from .models import SessionRow
from .plans import run_plan, start_plan
from .routes_sessions import MAX_IMAGE_IDS
from .state import FAULT_KEY, IDEMPOTENCY_KEY, ServerState, state_of
from .stored_stream import StoredStream
from .streaming import stream_events
from .turns import SendBody, commit_json, commit_stream, decide
from .validation import (
    body_bool,
    body_choice,
    body_ids,
    body_object,
    body_str,
    json_object,
    query_bool,
)

routes = web.RouteTableDef()
_T = TypeVar("_T")
_P = ParamSpec("_P")


async def _in_thread(work: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
    """Run blocking work (agents, SQLite) off the event loop. Shielded: once started it
    finishes and commits even if the request is cancelled, so what it stored holds."""
    return await asyncio.shield(asyncio.to_thread(work, *args, **kwargs))


async def _send_body(request: web.Request, state: ServerState, session: SessionRow) -> SendBody:
    body = await json_object(request)
    message = body_str(body, "message", required=True, lo=1, hi=10000)
    assert message is not None
    expected = body_ids(
        body, "expected_image_ids", limit=MAX_IMAGE_IDS, required=False, nullable=True, uuids=False
    )
    if expected is not None:
        ensure_owned(state, session.tenant_id, "image", expected)
    return SendBody(
        message=message,
        force_detailed_analysis=body_bool(body, "force_detailed_analysis", False),
        expected_image_ids=None if expected is None else tuple(expected),
    )


# Both send handlers read the body first and leave every check that a concurrent request
# can invalidate (session open, budget left) to the transaction that writes the turn.


@routes.post("/chat/sessions/{session_id}/messages")
async def send_message(request: web.Request) -> web.Response:
    """6. Send a message and return the whole answer."""
    state = state_of(request)
    session = load_session(request)
    body = await _send_body(request, state, session)
    claim = request.get(IDEMPOTENCY_KEY)

    def turn() -> str:
        return commit_json(state.db, decide(request, state, session, body), claim)

    text = await _in_thread(turn)
    if claim is not None:
        claim.stored = True
    return web.json_response(text=text)


@routes.post("/chat/sessions/{session_id}/messages/stream")
async def send_message_stream(request: web.Request) -> web.StreamResponse:
    """7. Send a message and stream the answer as Server-Sent Events."""
    state = state_of(request)
    session = load_session(request)
    body = await _send_body(request, state, session)
    debug = bool(query_bool(request, "debug_reasoning", False))
    claim = request.get(IDEMPOTENCY_KEY)

    def turn() -> StoredStream:
        decision = decide(request, state, session, body)
        return commit_stream(state.db, decision, claim, debug_reasoning=debug)

    stream = await _in_thread(turn)
    if claim is not None:
        claim.stored = True
    return await stream_events(
        request,
        stream,
        token_delay=state.config.token_delay,
        ping_interval=state.config.ping_interval,
        fault=request.get(FAULT_KEY),
    )


@routes.post("/chat/sessions/{session_id}/plans/{plan_id}/action")
async def plan_action(request: web.Request) -> web.Response:
    """15. Approve (run) or cancel a plan the planning agent proposed."""
    state = state_of(request)
    session = load_session(request)
    plan_id = request.match_info["plan_id"]
    plan = state.db.get_plan(plan_id)
    if plan is None or plan.session_id != session.id:
        raise ApiError(
            404, "PLAN_NOT_FOUND", "Plan not found", detail=f"plan {shown_id(plan_id)!r} not found"
        )
    request_body = await json_object(request)
    action = body_choice(request_body, "action", ("approve", "cancel"))
    # plan_data: the hosted API's deprecated field, checked, then ignored.
    body_object(request_body, "plan_data")
    claim = request.get(IDEMPOTENCY_KEY)
    if action == "cancel":
        cancelled = {
            "success": True,
            "plan_id": plan.id,
            "message": "Plan cancelled; nothing was changed.",
            "action_taken": "cancelled",
        }
        text = await _in_thread(start_plan, state.db, plan, "cancelled", cancelled, claim)
        if claim is not None:
            claim.stored = True
        return web.json_response(text=text)
    await _in_thread(start_plan, state.db, plan, "running", None, None)
    try:
        # Paced like the steps of a real plan, so that 'running' can be observed.
        if state.config.token_delay > 0:
            await asyncio.sleep(state.config.token_delay * 5 * len(plan.steps))
        text = await _in_thread(run_plan, state.db, plan, claim)
    except BaseException:
        state.db.transition_plan(plan.id, "running", "pending")
        raise
    finally:
        state.invalidate_library(plan.tenant_id)
    if claim is not None:
        claim.stored = True
    return web.json_response(text=text)
