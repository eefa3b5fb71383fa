"""Plan actions: start (approve) or cancel a pending plan, and run an approved one.

Each is one transaction that checks what it depends on where it writes: starting or
cancelling checks the session is open and moves the plan by compare-and-set; running
applies every step, completes the plan and records its ``system`` message together, so a
failing step leaves the library as it was. The reply stored under an ``Idempotency-Key``
is written in the same transaction. All of it blocks on SQLite: run it in a worker thread.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from typing import Any

from .clock import utc_now_iso
from .common import require_active
from .db import (
    Database,
    read_session,
    write_image_changes,
    write_json_reply,
    write_messages,
    write_plan_status,
)
from .errors import ApiError
from .models import IdempotencyClaim, MessageRow, PlanRow


def start_plan(
    db: Database,
    plan: PlanRow,
    to_status: str,
    reply: dict[str, Any] | None,
    claim: IdempotencyClaim | None,
) -> str:
    """Move a pending plan on if its session is still open: the checks and the write (and
    the key's reply, when the action ends here) are one transaction. Returns the reply."""
    text = json.dumps(reply)
    with db.transaction() as cur:
        session = read_session(cur, plan.session_id)
        assert session is not None  # sessions are closed, never deleted
        require_active(session)
        if not write_plan_status(cur, plan.id, "pending", to_status):
            raise _plan_conflict(db, plan.id)
        write_json_reply(cur, claim, text)
    return text


def run_plan(db: Database, plan: PlanRow, claim: IdempotencyClaim | None) -> str:
    """Apply every step, mark the plan completed, record the system message and the key's
    reply: one transaction, so a failing step leaves the library as it was."""
    with db.transaction() as cur:
        results = [_apply_step(cur, plan.tenant_id, step) for step in plan.steps]
        affected = sum(int(r["affected_count"]) for r in results)
        steps = f"{len(results)} step{'' if len(results) == 1 else 's'}"
        changes = f"{affected} image change{'' if affected == 1 else 's'}"
        summary = f"Plan approved: {steps} done, {changes} applied."
        # The hosted API's schema: `results` an object or null, `agent_results` a list or null.
        body: dict[str, Any] = {
            "success": True,
            "plan_id": plan.id,
            "message": summary,
            "action_taken": "approved",
            "results": {"steps": results, "affected_count": affected},
            "agent_results": [
                {
                    "agent_name": "planning_agent",
                    "steps_completed": len(results),
                    "affected_count": affected,
                }
            ],
            "pending_actions": [],
        }
        text = json.dumps(body)
        write_plan_status(cur, plan.id, "running", "completed", result=body)
        message = MessageRow(
            id=str(uuid.uuid4()),
            session_id=plan.session_id,
            role="system",
            content=summary,
            token_count=0,
            created_at=utc_now_iso(),
            metadata={"plan_id": plan.id},
        )
        write_messages(cur, plan.session_id, [message])
        write_json_reply(cur, claim, text)
    return text


def _apply_step(cur: sqlite3.Cursor, tenant_id: str, step: dict[str, Any]) -> dict[str, Any]:
    """One plan step applied to the library, and its entry in the reply's results."""
    ids = [str(i) for i in step.get("image_ids", [])]
    params = step.get("parameters", {})
    if step["action"] == "add_tag":
        affected = write_image_changes(cur, tenant_id, add_tags={i: params["tag"] for i in ids})
    elif step["action"] == "move_to_folder":
        affected = write_image_changes(cur, tenant_id, folders={i: params["folder"] for i in ids})
    elif step["action"] == "archive":
        affected = write_image_changes(cur, tenant_id, archive=ids)
    else:
        raise ApiError(500, "PLAN_STEP_UNKNOWN", f"Unknown plan action {step['action']!r}")
    return {
        "step": step["step"],
        "action": step["action"],
        "status": "completed",
        "affected_count": affected,
    }


def _plan_conflict(db: Database, plan_id: str) -> ApiError:
    current = db.get_plan(plan_id)
    status = current.status if current else "unknown"
    if status == "running":
        return ApiError(409, "PLAN_IN_PROGRESS", "This plan is already being processed")
    return ApiError(
        409,
        "PLAN_ALREADY_PROCESSED",
        f"This plan was already {status}",
        extra={"plan_status": status},
    )
