"""JSON shapes of the protocol (SessionSummary, Message, ImageInfo URLs)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .models import MessageRow, SessionRow
from .state import ServerState

PREVIEW_CHARS = 120
ESTIMATED_TOKENS_PER_IMAGE = 85


def media_base(request: web.Request) -> str:
    """``scheme://host`` the client used, for absolute media URLs."""
    return f"{request.scheme}://{request.host}"


def image_urls(request: web.Request, state: ServerState, image_id: str) -> dict[str, str]:
    """Signed absolute URLs of an image's generated pictures, by size."""
    base = media_base(request)
    sig = state.media_signature(image_id)
    return {
        size: f"{base}/media/{size}/{image_id}.svg?sig={sig}"
        for size in ("thumb", "medium", "full")
    }


def add_image_urls(
    request: web.Request, state: ServerState, infos: list[dict[str, Any]] | None
) -> list[dict[str, Any]] | None:
    """Copies of ImageInfo dicts with ``thumbnail_url`` and ``stored_url`` filled in."""
    if infos is None:
        return None
    result = []
    for info in infos:
        urls = image_urls(request, state, str(info["image_id"]))
        result.append({**info, "thumbnail_url": urls["thumb"], "stored_url": urls["full"]})
    return result


def context_summary(state: ServerState, session: SessionRow) -> str:
    """One line saying what the agents will look at in this session."""
    images = state.db.selection(session.id, "image")
    documents = state.db.selection(session.id, "document")
    videos = state.db.selection(session.id, "video")
    if session.use_all_images:
        parts = [f"all {len(state.library(session.tenant_id).images)} images"]
    else:
        parts = [f"{len(images)} selected image{'s' if len(images) != 1 else ''}"]
    if documents:
        parts.append(f"{len(documents)} document{'s' if len(documents) != 1 else ''}")
    if videos:
        parts.append(f"{len(videos)} video{'s' if len(videos) != 1 else ''}")
    return "Context: " + ", ".join(parts) + f" (domain: {session.domain})"


def session_summary(state: ServerState, session: SessionRow) -> dict[str, Any]:
    """SessionSummary, with the optional fields the reference server knows."""
    last = state.db.last_message(session.id)
    last_user = state.db.last_message(session.id, role="user")
    return {
        "id": session.id,
        "title": session.title,
        "total_messages": session.total_messages,
        "total_tokens": session.total_tokens,
        "remaining_tokens": session.remaining_tokens,
        "remaining_messages": session.remaining_messages,
        "is_active": session.is_active,
        "created_at": session.created_at,
        "updated_at": session.updated_at,
        "last_message_at": session.last_message_at,
        "selected_image_count": len(state.db.selection(session.id, "image")),
        "use_all_images": session.use_all_images,
        "last_message_preview": None if last is None else last.content[:PREVIEW_CHARS],
        "last_user_message": None if last_user is None else last_user.content[:PREVIEW_CHARS],
        "context_summary": context_summary(state, session),
        "domain": session.domain,
        "selected_document_count": len(state.db.selection(session.id, "document")),
        "selected_video_count": len(state.db.selection(session.id, "video")),
    }


def message_json(
    request: web.Request, state: ServerState, message: MessageRow, *, include_metadata: bool = True
) -> dict[str, Any]:
    """A Message as the protocol shows it."""
    body: dict[str, Any] = {
        "id": message.id,
        "role": message.role,
        "content": message.content,
        "token_count": message.token_count,
        "created_at": message.created_at,
        "processing_time_ms": message.processing_time_ms,
        "provider": message.provider,
        "model": message.model,
        "image_context": add_image_urls(request, state, message.image_context),
    }
    if include_metadata:
        body["metadata"] = message.metadata
    return body
