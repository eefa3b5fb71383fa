"""One chat turn, shared by the JSON (send) and SSE (send_stream) endpoints.

Checks the budget, applies ``expected_image_ids``, runs the agents, stores both messages
(and a plan, if one was proposed) and returns both the JSON reply and the event list.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from ..markup import resolve
from .agent import Agents, Event, TurnRequest
from .clock import utc_now_iso
from .errors import ApiError
from .markup import count_tokens, split_tokens
from .models import MessageRow, PlanRow, SessionRow
from .state import ServerState
from .views import add_image_urls

PROVIDER = "reference"
# The protocol lists stream events in this order; agents' progress is sent sorted by it
# (stable, so each kind keeps the agents' execution order).
_PROGRESS_ORDER = {
    "thinking_step": 0,
    "status": 1,
    "tool_invocation": 2,
    "tool_result": 3,
    "image_results": 4,
    "document_results": 5,
}
MODEL = "visionchat-reference-agents-1"


@dataclass(frozen=True)
class SendBody:
    """A validated send request."""

    message: str
    force_detailed_analysis: bool = False
    expected_image_ids: tuple[str, ...] | None = None


@dataclass
class TurnResult:
    """The stored turn as JSON reply (endpoint 6) and as SSE events (endpoint 7)."""

    message_id: str
    response: dict[str, Any]
    events: list[Event]


def check_budget(session: SessionRow) -> None:
    """429 TOKEN_LIMIT_EXCEEDED (a quota: no Retry-After) when the budget is spent."""
    if session.remaining_tokens <= 0 or session.remaining_messages <= 0:
        raise ApiError(
            429,
            "TOKEN_LIMIT_EXCEEDED",
            "This session's token or message budget is spent",
            extra={
                "remaining_tokens": session.remaining_tokens,
                "remaining_messages": session.remaining_messages,
            },
        )


def run_turn(
    request: web.Request,
    state: ServerState,
    session: SessionRow,
    body: SendBody,
    *,
    debug_reasoning: bool = False,
) -> TurnResult:
    """Do the work of one turn and return it in both shapes."""
    check_budget(session)
    if body.expected_image_ids is not None:
        current = state.db.selection(session.id, "image")
        if list(body.expected_image_ids) != current:
            state.db.set_selection(session.id, "image", list(body.expected_image_ids))
    started = time.perf_counter()
    turn = TurnRequest(
        question=body.message,
        domain=session.domain,
        use_all_images=session.use_all_images,
        selected_image_ids=tuple(state.db.selection(session.id, "image")),
        selected_document_ids=tuple(state.db.selection(session.id, "document")),
        selected_video_ids=tuple(state.db.selection(session.id, "video")),
        force_detailed_analysis=body.force_detailed_analysis,
    )
    outcome = Agents(state.library(session.tenant_id)).run(turn)
    elapsed_ms = max(1, round((time.perf_counter() - started) * 1000))

    user = MessageRow(
        id=str(uuid.uuid4()),
        session_id=session.id,
        role="user",
        content=body.message,
        token_count=count_tokens(body.message),
        created_at=utc_now_iso(),
        metadata={"force_detailed_analysis": body.force_detailed_analysis},
    )
    assistant = MessageRow(
        id=str(uuid.uuid4()),
        session_id=session.id,
        role="assistant",
        content=outcome.content,
        token_count=count_tokens(outcome.content),
        created_at=utc_now_iso(),
        processing_time_ms=elapsed_ms,
        provider=PROVIDER,
        model=MODEL,
        image_context=outcome.image_context,
        metadata={**outcome.metadata, "agents_used": outcome.agents_used},
    )
    if outcome.plan is not None:
        state.db.create_plan(
            PlanRow(
                id=outcome.plan.plan_id,
                session_id=session.id,
                tenant_id=session.tenant_id,
                status="pending",
                message=outcome.plan.message,
                steps=outcome.plan.steps,
                created_at=utc_now_iso(),
            )
        )
    state.db.add_messages(session.id, [user, assistant])
    after = state.db.get_session(session.id)
    assert after is not None

    image_context = add_image_urls(request, state, outcome.image_context)
    response: dict[str, Any] = {
        "message_id": assistant.id,
        "content": assistant.content,
        "token_count": assistant.token_count,
        "processing_time_ms": elapsed_ms,
        "remaining_tokens": after.remaining_tokens,
        "remaining_messages": after.remaining_messages,
        "provider": PROVIDER,
        "model": MODEL,
        "image_context": image_context,
        "metadata": assistant.metadata,
    }

    events: list[Event] = [
        ("connection", {"message_id": assistant.id, "status": "connected"}),
        ("thinking", {"status": "processing"}),
    ]
    for name, data in sorted(outcome.progress, key=lambda event: _PROGRESS_ORDER[event[0]]):
        if name == "thinking_step" and not debug_reasoning:
            data = {k: v for k, v in data.items() if k != "reasoning"}
        if name == "image_results":
            images = add_image_urls(request, state, data["images"]) or []
            data = {**data, "images": images}
        events.append((name, data))
    if outcome.plan is not None:
        events.append(
            (
                "plan_pending_approval",
                {
                    "plan_id": outcome.plan.plan_id,
                    "steps": outcome.plan.steps,
                    "message": outcome.plan.message,
                    "message_id": assistant.id,
                },
            )
        )
    else:
        accumulated = ""
        for index, token in enumerate(split_tokens(outcome.content)):
            accumulated += token
            events.append(
                ("token", {"content": token, "accumulated": accumulated, "token_index": index})
            )
        events.append(
            (
                "complete",
                {
                    "content": outcome.content,
                    "resolved_content": resolve(outcome.content, outcome.metadata),
                    "message_id": assistant.id,
                    "agents_used": outcome.agents_used,
                    "has_results": outcome.result_count > 0,
                    "result_count": outcome.result_count,
                    "image_context": image_context,
                    "processing_time_ms": elapsed_ms,
                    "token_count": assistant.token_count,
                    "remaining_tokens": after.remaining_tokens,
                    "remaining_messages": after.remaining_messages,
                    "metadata": assistant.metadata,
                },
            )
        )
    events.append(("close", {"message_id": assistant.id}))
    return TurnResult(message_id=assistant.id, response=response, events=events)
