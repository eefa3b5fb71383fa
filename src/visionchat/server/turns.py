"""One chat turn, shared by the JSON (send) and SSE (send_stream) endpoints, in steps:

- :func:`decide` runs the agents on the session as it is now; nothing is written.
- :func:`persist` checks that the session can still take the turn (open, budget left)
  and writes the selection, the plan and both messages.
- :func:`reply` builds the JSON answer; :func:`events` builds the stream's events.
- :func:`commit_json` / :func:`commit_stream` run persist and reply/events in one
  ``BEGIN IMMEDIATE`` transaction together with the idempotency record, so a turn is
  stored whole or not at all, and a check cannot go stale before the write it guards.
  They block on SQLite: handlers run them in a worker thread.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from ..markup import resolve
from .agent import AgentOutcome, Agents, Event, TurnRequest
from .clock import utc_now_iso
from .common import require_active
from .db import (
    Database,
    read_session,
    write_idempotency,
    write_json_reply,
    write_messages,
    write_plan,
    write_selection,
)
from .errors import ApiError
from .markup import count_tokens, split_tokens
from .models import IdempotencyClaim, MessageRow, PlanRow, SessionRow, StoredReply
from .state import ServerState
from .stored_stream import StoredStream
from .views import add_image_urls

PROVIDER = "reference"
MODEL = "visionchat-reference-agents-1"
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


@dataclass(frozen=True)
class SendBody:
    """A validated send request."""

    message: str
    force_detailed_analysis: bool = False
    expected_image_ids: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Decision:
    """What the agents made of one message; nothing of it is stored yet."""

    session_id: str
    selection: tuple[str, ...] | None  # the image selection the turn sets, if any
    outcome: AgentOutcome
    progress: list[Event]  # in protocol order, image URLs filled in
    image_context: list[dict[str, Any]] | None  # image URLs filled in
    user: MessageRow
    assistant: MessageRow
    plan: PlanRow | None


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


def decide(
    request: web.Request, state: ServerState, session: SessionRow, body: SendBody
) -> Decision:
    """Run the agents for ``body`` on the session's current library and selection."""
    selection = body.expected_image_ids
    selected_images = (
        selection if selection is not None else tuple(state.db.selection(session.id, "image"))
    )
    started = time.perf_counter()
    outcome = Agents(state.library(session.tenant_id)).run(
        TurnRequest(
            question=body.message,
            domain=session.domain,
            use_all_images=session.use_all_images,
            selected_image_ids=selected_images,
            selected_document_ids=tuple(state.db.selection(session.id, "document")),
            selected_video_ids=tuple(state.db.selection(session.id, "video")),
            force_detailed_analysis=body.force_detailed_analysis,
        )
    )
    elapsed_ms = max(1, round((time.perf_counter() - started) * 1000))
    progress: list[Event] = []
    for name, data in sorted(outcome.progress, key=lambda event: _PROGRESS_ORDER[event[0]]):
        if name == "image_results":
            data = {**data, "images": add_image_urls(request, state, data["images"]) or []}
        progress.append((name, data))
    plan = None
    if outcome.plan is not None:
        plan = PlanRow(
            id=outcome.plan.plan_id,
            session_id=session.id,
            tenant_id=session.tenant_id,
            status="pending",
            message=outcome.plan.message,
            steps=outcome.plan.steps,
            created_at=utc_now_iso(),
        )
    return Decision(
        session_id=session.id,
        selection=selection,
        outcome=outcome,
        progress=progress,
        image_context=add_image_urls(request, state, outcome.image_context),
        user=MessageRow(
            id=str(uuid.uuid4()),
            session_id=session.id,
            role="user",
            content=body.message,
            token_count=count_tokens(body.message),
            created_at=utc_now_iso(),
            metadata={"force_detailed_analysis": body.force_detailed_analysis},
        ),
        assistant=MessageRow(
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
        ),
        plan=plan,
    )


def persist(cur: sqlite3.Cursor, decision: Decision) -> SessionRow:
    """Check the session can take the turn, write it, and return the session after it.

    Runs inside the caller's transaction: the checks see the same rows the writes change.
    """
    session = read_session(cur, decision.session_id)
    assert session is not None  # sessions are closed, never deleted
    require_active(session)
    check_budget(session)
    if decision.selection is not None:
        write_selection(cur, session.id, "image", decision.selection)
    if decision.plan is not None:
        write_plan(cur, decision.plan)
    write_messages(cur, session.id, [decision.user, decision.assistant])
    after = read_session(cur, session.id)
    assert after is not None
    return after


def reply(decision: Decision, after: SessionRow) -> dict[str, Any]:
    """The JSON answer of endpoint 6."""
    assistant = decision.assistant
    return {
        "message_id": assistant.id,
        "content": assistant.content,
        "token_count": assistant.token_count,
        "processing_time_ms": assistant.processing_time_ms,
        "remaining_tokens": after.remaining_tokens,
        "remaining_messages": after.remaining_messages,
        "provider": PROVIDER,
        "model": MODEL,
        "image_context": decision.image_context,
        "metadata": assistant.metadata,
    }


def events(decision: Decision, after: SessionRow, *, debug_reasoning: bool) -> StoredStream:
    """The events of endpoint 7: a plan ends in ``plan_pending_approval``, an answer in
    tokens and ``complete``; ``close`` is last."""
    assistant = decision.assistant
    outcome = decision.outcome
    head: list[Event] = [
        ("connection", {"message_id": assistant.id, "status": "connected"}),
        ("thinking", {"status": "processing"}),
    ]
    for name, data in decision.progress:
        if name == "thinking_step" and not debug_reasoning:
            data = {k: v for k, v in data.items() if k != "reasoning"}
        head.append((name, data))
    tokens: list[str] = []
    if outcome.plan is not None:
        last: Event = (
            "plan_pending_approval",
            {
                "plan_id": outcome.plan.plan_id,
                "steps": outcome.plan.steps,
                "message": outcome.plan.message,
                "message_id": assistant.id,
            },
        )
    else:
        tokens = split_tokens(outcome.content)
        last = (
            "complete",
            {
                "content": outcome.content,
                "resolved_content": resolve(outcome.content, outcome.metadata),
                "message_id": assistant.id,
                "agents_used": outcome.agents_used,
                "has_results": outcome.result_count > 0,
                "result_count": outcome.result_count,
                "image_context": decision.image_context,
                "processing_time_ms": assistant.processing_time_ms,
                "token_count": assistant.token_count,
                "remaining_tokens": after.remaining_tokens,
                "remaining_messages": after.remaining_messages,
                "metadata": assistant.metadata,
            },
        )
    tail = [last, ("close", {"message_id": assistant.id})]
    return StoredStream(message_id=assistant.id, head=head, tokens=tokens, tail=tail)


def commit_json(db: Database, decision: Decision, claim: IdempotencyClaim | None) -> str:
    """Store the turn and, under the same transaction, its reply for the key; the reply."""
    with db.transaction() as cur:
        text = json.dumps(reply(decision, persist(cur, decision)))
        write_json_reply(cur, claim, text)
    return text


def commit_stream(
    db: Database, decision: Decision, claim: IdempotencyClaim | None, *, debug_reasoning: bool
) -> StoredStream:
    """Store the turn and, under the same transaction, its events for the key; the events."""
    with db.transaction() as cur:
        stream = events(decision, persist(cur, decision), debug_reasoning=debug_reasoning)
        if claim is not None:
            write_idempotency(
                cur, StoredReply(claim, 200, "text/event-stream", stream=stream.encode())
            )
    return stream
