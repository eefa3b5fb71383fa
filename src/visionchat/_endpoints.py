"""One request builder per API operation, and the reply parsers that need more than a decode.

This is the protocol's endpoint table written as code: paths, query parameters and
JSON bodies, with every argument checked first. Both clients call these builders, so
the wire format is defined once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import msgspec

from . import _validate as check
from ._config import ClientConfig
from ._decode import convert, decode_reply, excerpt
from ._wire import QueryValue, Request, Response, build_request, segment
from .errors import ResponseDecodeError
from .models import (
    ChatResponse,
    ChatSession,
    ImageReference,
    PendingPlan,
    PlanActionResponse,
)

_SESSIONS = "/chat/sessions"


def _session_path(session_id: str, suffix: str = "") -> str:
    return f"{_SESSIONS}/{segment(check.identifier('session_id', session_id))}{suffix}"


def create_session(
    config: ClientConfig,
    *,
    title: str | None,
    image_ids: list[str] | None,
    use_all_images: bool,
) -> Request:
    """POST /chat/sessions: `image_ids` travels as `initial_image_ids`."""
    body: dict[str, Any] = {"use_all_images": check.flag("use_all_images", use_all_images)}
    title = check.optional_title(title)
    if title is not None:
        body["title"] = title
    if image_ids is not None:
        most = None if use_all_images else check.MAX_IMAGE_IDS
        body["initial_image_ids"] = check.id_list("image_ids", image_ids, most)
    return build_request(config, "POST", _SESSIONS, json=body)


class _SessionCreated(msgspec.Struct):
    session_id: str
    title: str | None = None
    created_at: datetime | None = None


def parse_created_session(response: Response, use_all_images: bool) -> ChatSession:
    """The create reply is small; fill a full `ChatSession` from it and the request."""
    created = decode_reply(response, _SessionCreated)
    return ChatSession(
        id=created.session_id,
        title=created.title or "",
        created_at=created.created_at,
        updated_at=created.created_at,
        use_all_images=use_all_images,
        request_id=response.request_id,
    )


def list_sessions(
    config: ClientConfig,
    *,
    limit: int,
    offset: int,
    active_only: bool,
    search: str | None,
    min_messages: int | None,
) -> Request:
    """GET /chat/sessions: `active_only=True` sends `is_active=true`; unset filters send nothing."""
    params = {
        "limit": check.integer("limit", limit, 1, 100),
        "offset": check.integer("offset", offset, 0),
        "is_active": True if check.flag("active_only", active_only) else None,
        "search": check.optional_search(search),
        "min_messages": check.optional_count("min_messages", min_messages),
    }
    return build_request(config, "GET", _SESSIONS, params=params)


def get_session(
    config: ClientConfig, session_id: str, *, include_messages: bool, message_limit: int | None
) -> Request:
    """GET /chat/sessions/{id} with the most recent `message_limit` messages."""
    params = {
        "include_messages": check.flag("include_messages", include_messages),
        "message_limit": None
        if message_limit is None
        else check.integer("message_limit", message_limit, 1, 1000),
    }
    return build_request(config, "GET", _session_path(session_id), params=params)


def rename_session(config: ClientConfig, session_id: str, title: str) -> Request:
    """PATCH /chat/sessions/{id}/title."""
    body = {"title": check.text("title", title, most=check.MAX_TITLE_CHARS)}
    return build_request(config, "PATCH", _session_path(session_id, "/title"), json=body)


def close_session(config: ClientConfig, session_id: str) -> Request:
    """DELETE /chat/sessions/{id}: deactivates it; closing twice is harmless."""
    return build_request(config, "DELETE", _session_path(session_id))


def _message_body(
    message: str, force_detailed_analysis: bool, expected_image_ids: list[str] | None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "message": check.message(message),
        "force_detailed_analysis": check.flag("force_detailed_analysis", force_detailed_analysis),
    }
    if expected_image_ids is not None:
        body["expected_image_ids"] = check.id_list(
            "expected_image_ids", expected_image_ids, check.MAX_IMAGE_IDS
        )
    return body


def send(
    config: ClientConfig,
    session_id: str,
    message: str,
    *,
    force_detailed_analysis: bool,
    expected_image_ids: list[str] | None,
    idempotency_key: str | None,
) -> Request:
    """POST /chat/sessions/{id}/messages."""
    body = _message_body(message, force_detailed_analysis, expected_image_ids)
    return build_request(
        config,
        "POST",
        _session_path(session_id, "/messages"),
        json=body,
        idempotency_key=check.idempotency_key(idempotency_key),
    )


def parse_send_reply(response: Response, session_id: str) -> ChatResponse:
    """The answer to `send()`; a planning turn's plan, named in its metadata, becomes `pending_plan`.

    The protocol signals a plan only as a stream event; a JSON reply carries it as
    `metadata.plan_id` (with `steps`), which is read here so both ways look alike.
    """
    reply = decode_reply(response, ChatResponse)
    reply.session_id = session_id
    metadata = reply.metadata or {}
    plan_id = metadata.get("plan_id")
    if isinstance(plan_id, str) and metadata.get("plan_status", "pending_approval") == (
        "pending_approval"
    ):
        plan: dict[str, Any] = {"plan_id": plan_id, "message": reply.content}
        plan["steps"] = metadata.get("steps") or []
        try:
            reply.pending_plan = convert(plan, PendingPlan)
        except msgspec.ValidationError:
            pass  # a plan the SDK cannot read stays in `metadata`, as sent
    return reply


def send_stream(
    config: ClientConfig,
    session_id: str,
    message: str,
    *,
    force_detailed_analysis: bool,
    expected_image_ids: list[str] | None,
    debug_reasoning: bool,
    idempotency_key: str | None,
) -> Request:
    """POST /chat/sessions/{id}/messages/stream, answered with Server-Sent Events."""
    body = _message_body(message, force_detailed_analysis, expected_image_ids)
    params = {"debug_reasoning": True if check.flag("debug_reasoning", debug_reasoning) else None}
    return build_request(
        config,
        "POST",
        _session_path(session_id, "/messages/stream"),
        params=params,
        json=body,
        headers={"Accept": "text/event-stream"},
        idempotency_key=check.idempotency_key(idempotency_key),
    )


def update_mode(config: ClientConfig, session_id: str, use_all_images: bool) -> Request:
    """PATCH /chat/sessions/{id}/mode."""
    body = {"use_all_images": check.flag("use_all_images", use_all_images)}
    return build_request(config, "PATCH", _session_path(session_id, "/mode"), json=body)


def update_images(config: ClientConfig, session_id: str, image_ids: list[str]) -> Request:
    """PUT /chat/sessions/{id}/images: at most 1000 ids."""
    body = {"image_ids": check.id_list("image_ids", image_ids, check.MAX_IMAGE_IDS)}
    return build_request(config, "PUT", _session_path(session_id, "/images"), json=body)


def update_documents(config: ClientConfig, session_id: str, document_ids: list[str]) -> Request:
    """PUT /chat/sessions/{id}/documents: at most 100 ids."""
    body = {"document_ids": check.id_list("document_ids", document_ids, check.MAX_DOCUMENT_IDS)}
    return build_request(config, "PUT", _session_path(session_id, "/documents"), json=body)


def update_videos(config: ClientConfig, session_id: str, video_ids: list[str]) -> Request:
    """PUT /chat/sessions/{id}/videos: at most 100 ids."""
    body = {"video_ids": check.id_list("video_ids", video_ids, check.MAX_VIDEO_IDS)}
    return build_request(config, "PUT", _session_path(session_id, "/videos"), json=body)


def update_domain(config: ClientConfig, session_id: str, domain: str) -> Request:
    """PATCH /chat/sessions/{id}/domain (an extension of the hosted API)."""
    body = {"domain": check.domain(domain)}
    return build_request(config, "PATCH", _session_path(session_id, "/domain"), json=body)


def get_all_images(config: ClientConfig, *, limit: int, offset: int) -> Request:
    """GET /chat/images/all."""
    params = {
        "limit": check.integer("limit", limit, 1, 5000),
        "offset": check.integer("offset", offset, 0),
    }
    return build_request(config, "GET", "/chat/images/all", params=params)


def search_images(config: ClientConfig, query: str, *, limit: int, offset: int) -> Request:
    """POST /chat/images/search."""
    body = {
        "query": check.text("query", query, most=check.MAX_QUERY_CHARS),
        "limit": check.integer("limit", limit, 1, 100),
        "offset": check.integer("offset", offset, 0),
    }
    return build_request(config, "POST", "/chat/images/search", json=body)


def plan_action(config: ClientConfig, session_id: str, plan_id: str, action: str) -> Request:
    """POST /chat/sessions/{id}/plans/{plan_id}/action with `approve` or `cancel`."""
    plan = segment(check.identifier("plan_id", plan_id))
    path = _session_path(session_id, f"/plans/{plan}/action")
    return build_request(config, "POST", path, json={"action": action})


def parse_plan_action(response: Response, plan_id: str) -> PlanActionResponse:
    """A 202 means accepted and running in the background; its body may be empty."""
    if response.status == 202 and not response.content.strip():
        return PlanActionResponse(
            success=True, plan_id=plan_id, accepted=True, request_id=response.request_id
        )
    result = decode_reply(response, PlanActionResponse)
    result.accepted = response.status == 202
    return result


def export_session(
    config: ClientConfig, session_id: str, *, format: str, include_metadata: bool
) -> Request:
    """GET /chat/sessions/{id}/export: the body is the exported file itself."""
    params: dict[str, QueryValue] = {
        "format": check.export_format(format),
        "include_metadata": check.flag("include_metadata", include_metadata),
    }
    headers = {"Accept": "*/*"}
    return build_request(
        config, "GET", _session_path(session_id, "/export"), params=params, headers=headers
    )


def check_export(response_status: int, headers: Mapping[str, str], body_start: bytes) -> None:
    """Refuse what cannot be an export: an HTML page (a proxy's, say) or an empty body.

    No export format is HTML, and every export holds at least the session's heading.
    """
    content_type = headers.get("Content-Type", "").partition(";")[0].strip().lower()
    if content_type == "text/html" or not body_start:
        what = "an HTML page" if body_start else "an empty body"
        raise ResponseDecodeError(
            f"expected an exported session but the server sent {what}",
            status_code=response_status,
            request_id=headers.get("X-Request-ID"),
            excerpt=excerpt(body_start),
        )


class _SearchResults(msgspec.Struct):
    results: list[ImageReference] = []
    total_count: int | None = None


def parse_search_results(response: Response) -> list[ImageReference]:
    """The search reply wraps its results; callers get the list, best first."""
    return decode_reply(response, _SearchResults).results


def parse_search_page(response: Response) -> tuple[list[ImageReference], int | None]:
    """The search reply's results and its `total_count` (what paging needs)."""
    page = decode_reply(response, _SearchResults)
    return page.results, page.total_count
