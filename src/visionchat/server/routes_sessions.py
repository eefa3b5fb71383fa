"""Session endpoints: create, list, get, rename, close, mode, context, domain, export."""

from __future__ import annotations

import json
import uuid
from typing import Any

from aiohttp import web

from .clock import utc_now_iso
from .common import ensure_owned, load_session, require_active, tenant_of
from .errors import validation_error
from .export import render_export
from .models import SessionRow
from .state import ServerState, state_of
from .validation import (
    DOMAIN_PATTERN,
    body_bool,
    body_ids,
    body_str,
    json_object,
    query_bool,
    query_int,
    query_str,
)
from .views import ESTIMATED_TOKENS_PER_IMAGE, context_summary, message_json, session_summary

routes = web.RouteTableDef()
MAX_IMAGE_IDS = 1000
MAX_DOCUMENT_IDS = 100
MAX_VIDEO_IDS = 100


@routes.post("/chat/sessions")
async def create_session(request: web.Request) -> web.Response:
    """1. Create a session (optionally with an initial image selection)."""
    state = state_of(request)
    tenant = tenant_of(request)
    body = await json_object(request)
    title = body_str(body, "title", required=False, lo=0, hi=255, nullable=True)
    use_all = body_bool(body, "use_all_images", True)
    image_ids = (
        body_ids(
            body,
            "initial_image_ids",
            limit=None if use_all else MAX_IMAGE_IDS,
            required=False,
            nullable=True,
        )
        or []
    )
    # The hosted API documents 400 (not 404) for unknown initial image ids.
    ensure_owned(state, tenant, "image", image_ids, status=400)
    session = state.db.create_session(
        session_id=str(uuid.uuid4()),
        tenant_id=tenant,
        title=title or "New chat",
        use_all_images=use_all,
        image_ids=image_ids,
        token_budget=state.config.token_budget,
        message_budget=state.config.message_budget,
    )
    return web.json_response(
        {"session_id": session.id, "title": session.title, "created_at": session.created_at}
    )


@routes.get("/chat/sessions")
async def list_sessions(request: web.Request) -> web.Response:
    """2. One page of the tenant's sessions, newest first."""
    state = state_of(request)
    limit = query_int(request, "limit", 20, 1, 100)
    offset = query_int(request, "offset", 0, 0, None)
    search = query_str(request, "search", 200)
    assert limit is not None and offset is not None
    rows, total = state.db.list_sessions(
        tenant_of(request),
        limit=limit,
        offset=offset,
        is_active=query_bool(request, "is_active", None),
        search=search or None,
        min_messages=query_int(request, "min_messages", None, 0, None),
    )
    return web.json_response(
        {
            "sessions": [session_summary(state, row) for row in rows],
            "total_count": total,
            "has_more": offset + len(rows) < total,
        }
    )


@routes.get("/chat/sessions/{session_id}")
async def get_session(request: web.Request) -> web.Response:
    """3. A session with (by default) its most recent messages, oldest first."""
    state = state_of(request)
    session = load_session(request)
    include = query_bool(request, "include_messages", True)
    limit = query_int(request, "message_limit", 1000, 1, 1000)
    messages = state.db.messages(session.id, limit) if include else []
    return web.json_response(
        {
            "session": session_summary(state, session),
            "messages": [message_json(request, state, m) for m in messages],
            "selected_image_ids": state.db.selection(session.id, "image"),
            "selected_video_ids": state.db.selection(session.id, "video"),
            "selected_document_ids": state.db.selection(session.id, "document"),
            "context_summary": context_summary(state, session),
        }
    )


@routes.patch("/chat/sessions/{session_id}/title")
async def rename_session(request: web.Request) -> web.Response:
    """4. Rename."""
    session = load_session(request)
    title = body_str(await json_object(request), "title", required=True, lo=1, hi=255)
    updated = state_of(request).db.update_session(session.id, title=title)
    return web.json_response(
        {"session_id": updated.id, "title": updated.title, "updated_at": updated.updated_at}
    )


@routes.delete("/chat/sessions/{session_id}")
async def close_session(request: web.Request) -> web.Response:
    """5. Close (deactivate); closing again returns the same body."""
    session = load_session(request)
    if session.is_active:
        session = state_of(request).db.update_session(
            session.id, is_active=False, closed_at=utc_now_iso()
        )
    return web.json_response(
        {
            "session_id": session.id,
            "closed_at": session.closed_at,
            "total_messages": session.total_messages,
            "total_tokens": session.total_tokens,
        }
    )


@routes.patch("/chat/sessions/{session_id}/mode")
async def update_mode(request: web.Request) -> web.Response:
    """8. Switch between all images and the explicit selection."""
    state = state_of(request)
    session = load_session(request)
    require_active(session)
    body = await json_object(request)
    use_all = body_bool(body, "use_all_images", None)
    updated = state.db.update_session(session.id, use_all_images=use_all)
    return web.json_response(
        {
            "session_id": updated.id,
            "use_all_images": updated.use_all_images,
            "selected_image_count": len(state.db.selection(updated.id, "image")),
            "updated_at": updated.updated_at,
        }
    )


async def _replace_selection(
    request: web.Request, kind: str, limit: int, *, required: bool = False
) -> tuple[ServerState, SessionRow, list[str]]:
    """Replace an active session's selected items of `kind` with the body's `<kind>_ids`.

    The ids must all be the tenant's own; an omitted optional list is an empty selection.
    Returns the state, the session and the ids.
    """
    state = state_of(request)
    session = load_session(request)
    require_active(session)
    body = await json_object(request)
    ids = body_ids(body, f"{kind}_ids", limit=limit, required=required) or []
    ensure_owned(state, session.tenant_id, kind, ids)
    state.db.set_selection(session.id, kind, ids)
    return state, session, ids


@routes.put("/chat/sessions/{session_id}/images")
async def update_images(request: web.Request) -> web.Response:
    """9. Replace the selected images."""
    state, session, ids = await _replace_selection(request, "image", MAX_IMAGE_IDS, required=True)
    refreshed = _reload(request, session)
    return web.json_response(
        {
            "session_id": session.id,
            "selected_image_ids": ids,
            "selected_video_ids": state.db.selection(session.id, "video"),
            "context_summary": context_summary(state, refreshed),
            "estimated_tokens": len(ids) * ESTIMATED_TOKENS_PER_IMAGE,
        }
    )


@routes.put("/chat/sessions/{session_id}/documents")
async def update_documents(request: web.Request) -> web.Response:
    """10. Replace the selected documents."""
    _, session, ids = await _replace_selection(request, "document", MAX_DOCUMENT_IDS)
    return web.json_response(
        {"session_id": session.id, "selected_document_ids": ids, "document_count": len(ids)}
    )


@routes.put("/chat/sessions/{session_id}/videos")
async def update_videos(request: web.Request) -> web.Response:
    """11. Replace the selected videos."""
    _, session, ids = await _replace_selection(request, "video", MAX_VIDEO_IDS)
    return web.json_response(
        {"session_id": session.id, "selected_video_ids": ids, "video_count": len(ids)}
    )


@routes.patch("/chat/sessions/{session_id}/domain")
async def update_domain(request: web.Request) -> web.Response:
    """12. (extension) Set the knowledge domain that guides the agents' vocabulary."""
    session = load_session(request)
    require_active(session)
    domain = body_str(await json_object(request), "domain", required=True, lo=1, hi=64)
    if domain is None or not DOMAIN_PATTERN.fullmatch(domain):
        raise validation_error(
            ("body", "domain"),
            f"String should match pattern '^{DOMAIN_PATTERN.pattern}$'",
            "string_pattern_mismatch",
        )
    updated = state_of(request).db.update_session(session.id, domain=domain)
    return web.json_response(
        {"session_id": updated.id, "domain": updated.domain, "updated_at": updated.updated_at}
    )


@routes.get("/chat/sessions/{session_id}/export")
async def export_session(request: web.Request) -> web.Response:
    """16. The conversation as a downloadable json, markdown or text file."""
    state = state_of(request)
    session = load_session(request)
    fmt = request.query.get("format", "markdown")
    if fmt not in ("json", "markdown", "text"):
        raise validation_error(
            ("query", "format"), "Input should be 'json', 'markdown' or 'text'", "literal_error"
        )
    include_metadata = bool(query_bool(request, "include_metadata", False))
    messages = state.db.messages(session.id)
    if fmt == "json":
        document: dict[str, Any] = {
            "session": session_summary(state, session),
            "messages": [
                message_json(request, state, m, include_metadata=include_metadata) for m in messages
            ],
            "exported_at": utc_now_iso(),
        }
        text = json.dumps(document, ensure_ascii=False, indent=2)
        content_type, ext = "application/json", "json"
    else:
        text = render_export(
            session,
            [(m.role, m.created_at, m.content, m.metadata) for m in messages],
            markdown=fmt == "markdown",
            include_metadata=include_metadata,
        )
        content_type, ext = ("text/markdown", "md") if fmt == "markdown" else ("text/plain", "txt")
    return web.Response(
        text=text,
        content_type=content_type,
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="chat-{session.id}.{ext}"'},
    )


def _reload(request: web.Request, session: SessionRow) -> SessionRow:
    fresh = state_of(request).db.get_session(session.id)
    return fresh if fresh is not None else session
