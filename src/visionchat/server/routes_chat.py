"""Chat endpoints: send (JSON), send (SSE stream) and plan approve/cancel."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from aiohttp import web

from .clock import utc_now_iso
from .common import ensure_owned, load_session, require_active
from .errors import ApiError, validation_error
from .models import MessageRow, PlanRow, SessionRow
from .routes_sessions import MAX_IMAGE_IDS
from .state import FAULT_KEY, IDEMPOTENCY_KEY, ServerState, state_of
from .streaming import stream_events
from .turns import SendBody, run_turn
from .validation import body_bool, body_ids, body_str, json_object, query_bool

routes = web.RouteTableDef()
_NO_ACTION = object()


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


@routes.post("/chat/sessions/{session_id}/messages")
async def send_message(request: web.Request) -> web.Response:
    """6. Send a message and return the whole answer."""
    state = state_of(request)
    session = load_session(request)
    require_active(session)
    body = await _send_body(request, state, session)
    result = run_turn(request, state, session, body)
    return web.json_response(result.response)


@routes.post("/chat/sessions/{session_id}/messages/stream")
async def send_message_stream(request: web.Request) -> web.StreamResponse:
    """7. Send a message and stream the answer as Server-Sent Events."""
    state = state_of(request)
    session = load_session(request)
    require_active(session)
    body = await _send_body(request, state, session)
    debug = bool(query_bool(request, "debug_reasoning", False))
    result = run_turn(request, state, session, body, debug_reasoning=debug)
    handle = request.get(IDEMPOTENCY_KEY)
    if handle is not None:
        state.db.finish_idempotency(
            handle.tenant_id,
            handle.key,
            status=200,
            content_type="text/event-stream",
            events=result.events,
        )
        handle.stored = True
    return await stream_events(
        request,
        result.events,
        token_delay=state.config.token_delay,
        ping_interval=state.config.ping_interval,
        fault=request.get(FAULT_KEY),
    )


@routes.post("/chat/sessions/{session_id}/plans/{plan_id}/action")
async def plan_action(request: web.Request) -> web.Response:
    """15. Approve (run) or cancel a plan the planning agent proposed."""
    state = state_of(request)
    session = load_session(request)
    require_active(session)
    plan_id = request.match_info["plan_id"]
    plan = state.db.get_plan(plan_id)
    if plan is None or plan.session_id != session.id:
        raise ApiError(
            404, "PLAN_NOT_FOUND", "Plan not found", detail=f"plan {plan_id!r} not found"
        )
    action = (await json_object(request)).get("action", _NO_ACTION)
    if action is _NO_ACTION:
        raise validation_error(("body", "action"), "Field required", "missing")
    if action not in ("approve", "cancel"):
        raise validation_error(
            ("body", "action"), "Input should be 'approve' or 'cancel'", "literal_error"
        )
    if action == "cancel":
        if not state.db.transition_plan(plan.id, "pending", "cancelled"):
            raise _plan_conflict(state, plan.id)
        return web.json_response(
            {
                "success": True,
                "plan_id": plan.id,
                "message": "Plan cancelled; nothing was changed.",
                "action_taken": "cancelled",
            }
        )
    if not state.db.transition_plan(plan.id, "pending", "running"):
        raise _plan_conflict(state, plan.id)
    try:
        results = await _execute_plan(state, plan)
    except BaseException:
        state.db.transition_plan(plan.id, "running", "pending")
        raise
    affected = sum(int(r["affected_count"]) for r in results)
    summary = f"Plan approved: {len(results)} step(s) done, {affected} image change(s) applied."
    body: dict[str, Any] = {
        "success": True,
        "plan_id": plan.id,
        "message": summary,
        "action_taken": "approved",
        "results": results,
        "agent_results": {
            "planning_agent": {"steps_completed": len(results), "affected": affected}
        },
        "pending_actions": [],
    }
    state.db.transition_plan(plan.id, "running", "completed", result=body)
    state.db.add_messages(
        session.id,
        [
            MessageRow(
                id=str(uuid.uuid4()),
                session_id=session.id,
                role="system",
                content=summary,
                token_count=0,
                created_at=utc_now_iso(),
                metadata={"plan_id": plan.id},
            )
        ],
    )
    return web.json_response(body)


def _plan_conflict(state: ServerState, plan_id: str) -> ApiError:
    current = state.db.get_plan(plan_id)
    status = current.status if current else "unknown"
    if status == "running":
        return ApiError(409, "PLAN_IN_PROGRESS", "This plan is already being processed")
    return ApiError(
        409,
        "PLAN_ALREADY_PROCESSED",
        f"This plan was already {status}",
        extra={"plan_status": status},
    )


async def _execute_plan(state: ServerState, plan: PlanRow) -> list[dict[str, Any]]:
    """Apply each step to the library; paced by ``token_delay`` so 'running' is observable."""
    results: list[dict[str, Any]] = []
    for step in plan.steps:
        if state.config.token_delay > 0:
            await asyncio.sleep(state.config.token_delay * 5)
        ids = [str(i) for i in step.get("image_ids", [])]
        params = step.get("parameters", {})
        if step["action"] == "add_tag":
            affected = state.db.apply_image_changes(
                plan.tenant_id, add_tags={i: params["tag"] for i in ids}
            )
        elif step["action"] == "move_to_folder":
            affected = state.db.apply_image_changes(
                plan.tenant_id, folders={i: params["folder"] for i in ids}
            )
        elif step["action"] == "archive":
            affected = state.db.apply_image_changes(plan.tenant_id, archive=ids)
        else:
            raise ApiError(500, "PLAN_STEP_UNKNOWN", f"Unknown plan action {step['action']!r}")
        results.append(
            {
                "step": step["step"],
                "action": step["action"],
                "status": "completed",
                "affected_count": affected,
            }
        )
    state.invalidate_library(plan.tenant_id)
    return results
