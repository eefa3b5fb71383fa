"""The server's OpenAPI 3.1 document, built from the msgspec shapes in `shapes`.

Served at `GET /api/v2/openapi.json` without a key. Users point Swagger UI, Postman
or their own contract tests at it; this project's contract tests fuzz the server
with it and decode every reply schema in it with the SDK.
"""

from __future__ import annotations

import functools
from typing import Any

import msgspec
from aiohttp import web

from . import shapes
from .shapes import EXTENSION, REF
from .validation import MAX_INT

_JSON = "application/json"

#: Every error status an operation may answer, with the body it carries.
_ERRORS = {
    "400": "a request the server refuses (closed session, too many ids, unknown image ids)",
    "401": "a missing, invalid or expired key",
    "403": "another tenant's resource",
    "404": "an unknown session, plan or id",
    "409": "a conflict (plan in progress or done, idempotency key reused)",
    "422": "a request the schema refuses",
    "429": "rate limited, or a session's budget spent",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF.format(name=name)}


def _json_body(name: str, description: str = "") -> dict[str, Any]:
    body: dict[str, Any] = {"content": {_JSON: {"schema": _ref(name)}}}
    body["description"] = description or name
    return body


def _query(name: str, schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
        **extra,
    }


def _int(lo: int, hi: int = MAX_INT, default: int | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer", "minimum": lo, "maximum": hi}
    if default is not None:
        schema["default"] = default
    return schema


_BOOL = {"type": "boolean"}
_SESSION_ID = {"name": "session_id", "in": "path", "required": True, "schema": {"type": "string"}}
_PLAN_ID = {"name": "plan_id", "in": "path", "required": True, "schema": {"type": "string"}}
_IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "description": "repeat a POST safely: the same key and body return the stored result",
    **EXTENSION,
}
_LAST_EVENT_ID = {
    "name": "Last-Event-ID",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "with Idempotency-Key: resume a stream after this event id",
    **EXTENSION,
}


def _operation(
    operation_id: str,
    summary: str,
    reply: str | dict[str, Any],
    errors: str,
    *,
    body: str | None = None,
    parameters: list[dict[str, Any]] | None = None,
    extra_responses: dict[str, Any] | None = None,
    extension: bool = False,
    post: bool = False,
) -> dict[str, Any]:
    ok = _json_body(reply, summary) if isinstance(reply, str) else reply
    responses: dict[str, Any] = {"200": ok, **(extra_responses or {})}
    for status in errors.split():
        schema = "ValidationErrorReply" if status == "422" else "ChatError"
        responses[status] = _json_body(schema, _ERRORS[status])
    op: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "parameters": list(parameters or []),
        "responses": responses,
    }
    if body is not None:
        op["requestBody"] = {"required": True, **_json_body(body)}
    if post:
        op["parameters"].append(_IDEMPOTENCY_KEY)
        op["responses"].setdefault("409", _json_body("ChatError", _ERRORS["409"]))
    if extension:
        op.update(EXTENSION)
    return op


_SESSION_ERRORS = "401 404 422 429"
_ACTIVE_SESSION_ERRORS = "400 401 404 422 429"


def _paths() -> dict[str, Any]:
    sid = [_SESSION_ID]
    event = {  # OpenAPI 3.1 has no itemSchema: `schema` describes one event, as tools read it
        "type": "object",
        "required": ["data"],
        "properties": {
            "event": {"type": "string"},
            "id": {"type": "string"},
            "data": {"type": "string", "contentMediaType": "application/json"},
            "retry": {"type": "integer"},
        },
    }
    stream_reply = {
        "description": "Server-Sent Events; the `complete` event's data is StreamComplete",
        "content": {"text/event-stream": {"schema": event}},
        "x-visionchat-complete-event": _ref("StreamComplete"),
    }
    export_reply = {
        "description": "the exported file (Content-Disposition: attachment)",
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "text/markdown": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
        },
    }
    return {
        "/chat/sessions": {
            "post": _operation(
                "create_session",
                "Create a session",
                "SessionCreated",
                "400 401 404 422 429",
                body="CreateSessionBody",
                post=True,
            ),
            "get": _operation(
                "list_sessions",
                "One page of sessions, newest first",
                "SessionListReply",
                "401 422 429",
                parameters=[
                    _query("limit", _int(1, 100, 20), "page size"),
                    _query("offset", _int(0, default=0), "sessions to skip"),
                    _query("is_active", _BOOL, "only active (true) or closed (false) sessions"),
                    _query(
                        "search",
                        {"type": "string", "maxLength": 200},
                        "matches the title or message text",
                    ),
                    _query("min_messages", _int(0), "at least this many messages"),
                ],
            ),
        },
        "/chat/sessions/{session_id}": {
            "get": _operation(
                "get_session",
                "A session with its recent messages",
                "SessionDetail",
                _SESSION_ERRORS,
                parameters=[
                    *sid,
                    _query("include_messages", _BOOL, "include the messages (default true)"),
                    _query("message_limit", _int(1, 1000, 1000), "the most recent N messages"),
                ],
            ),
            "delete": _operation(
                "close_session",
                "Close (deactivate) a session",
                "SessionClosed",
                _SESSION_ERRORS,
                parameters=sid,
            ),
        },
        "/chat/sessions/{session_id}/title": {
            "patch": _operation(
                "rename_session",
                "Rename a session",
                "SessionRenamed",
                _SESSION_ERRORS,
                body="RenameBody",
                parameters=sid,
            ),
        },
        "/chat/sessions/{session_id}/messages": {
            "post": _operation(
                "send",
                "Send a message; the whole answer",
                "SendReply",
                _ACTIVE_SESSION_ERRORS,
                body="SendBody",
                parameters=sid,
                post=True,
            ),
        },
        "/chat/sessions/{session_id}/messages/stream": {
            "post": _operation(
                "send_stream",
                "Send a message; the answer as Server-Sent Events",
                stream_reply,
                _ACTIVE_SESSION_ERRORS,
                body="SendBody",
                parameters=[
                    *sid,
                    _query("debug_reasoning", _BOOL, "add `reasoning` to thinking_step events"),
                    _LAST_EVENT_ID,
                ],
                post=True,
            ),
        },
        "/chat/sessions/{session_id}/mode": {
            "patch": _operation(
                "update_mode",
                "All images or the selection",
                "ModeUpdated",
                _ACTIVE_SESSION_ERRORS,
                body="ModeBody",
                parameters=sid,
            ),
        },
        "/chat/sessions/{session_id}/images": {
            "put": _operation(
                "update_images",
                "Replace the selected images",
                "ImagesUpdated",
                _ACTIVE_SESSION_ERRORS,
                body="ImagesBody",
                parameters=sid,
            ),
        },
        "/chat/sessions/{session_id}/documents": {
            "put": _operation(
                "update_documents",
                "Replace the selected documents",
                "DocumentsUpdated",
                _ACTIVE_SESSION_ERRORS,
                body="DocumentsBody",
                parameters=sid,
            ),
        },
        "/chat/sessions/{session_id}/videos": {
            "put": _operation(
                "update_videos",
                "Replace the selected videos",
                "VideosUpdated",
                _ACTIVE_SESSION_ERRORS,
                body="VideosBody",
                parameters=sid,
            ),
        },
        "/chat/sessions/{session_id}/domain": {
            "patch": _operation(
                "update_domain",
                "Set the knowledge domain",
                "DomainUpdated",
                _ACTIVE_SESSION_ERRORS,
                body="DomainBody",
                parameters=sid,
                extension=True,
            ),
        },
        "/chat/images/all": {
            "get": _operation(
                "get_all_images",
                "One page of the ids of every image",
                "AllImages",
                "401 422 429",
                parameters=[
                    _query("limit", _int(1, 5000, 5000), "page size"),
                    _query("offset", _int(0, default=0), "ids to skip"),
                ],
            ),
        },
        "/chat/images/search": {
            "post": _operation(
                "search_images",
                "Search images, best first",
                "SearchReply",
                "401 422 429",
                body="SearchBody",
                post=True,
            ),
        },
        "/chat/sessions/{session_id}/plans/{plan_id}/action": {
            "post": _operation(
                "plan_action",
                "Approve or cancel a proposed plan",
                "PlanActionReply",
                "400 401 404 409 422 429",
                body="PlanActionBody",
                parameters=[*sid, _PLAN_ID],
                post=True,
                extra_responses={
                    "202": {
                        "description": "accepted: runs in the background (body may be empty)",
                        "content": {_JSON: {"schema": _ref("PlanActionReply")}},
                    }
                },
            ),
        },
        "/chat/sessions/{session_id}/export": {
            "get": _operation(
                "export_session",
                "The conversation as a file",
                export_reply,
                _SESSION_ERRORS,
                parameters=[
                    *sid,
                    _query(
                        "format",
                        {"enum": ["json", "markdown", "text"], "default": "markdown"},
                        "file format",
                    ),
                    _query("include_metadata", _BOOL, "add each message's metadata"),
                ],
            ),
        },
    }


@functools.cache
def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document (server URL relative: `/api/v2`)."""
    _, components = msgspec.json.schema_components(
        (shapes.ImageInfo, *shapes.REPLIES, *shapes.REQUESTS), ref_template=REF
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "visionchat reference server (Chat API v2)",
            "version": "2",
            "description": "The hosted Chat API v2 as the reference server serves it. "
            "Parts this project adds are marked x-visionchat-extension.",
        },
        "servers": [{"url": "/api/v2"}],
        "security": [{"bearer": []}],
        "paths": _paths(),
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


@functools.cache
def _document_bytes() -> bytes:
    return msgspec.json.encode(document())


async def serve_document(request: web.Request) -> web.Response:
    """GET /api/v2/openapi.json: the document, no key needed."""
    return web.Response(body=_document_bytes(), content_type=_JSON)
