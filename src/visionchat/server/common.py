"""Helpers every route uses: the caller's tenant, session lookup and ownership checks."""

from __future__ import annotations

from collections.abc import Sequence

from aiohttp import web

from .errors import ApiError, bad_request
from .models import SessionRow
from .state import TENANT_KEY, ServerState, state_of
from .validation import parse_uuid

#: How much of a client-sent id an error message quotes: enough to recognise it.
_ID_SHOWN = 64


def shown_id(value: str) -> str:
    """A client-sent id as an error message quotes it: cut short, never unbounded input."""
    return value if len(value) <= _ID_SHOWN else value[:_ID_SHOWN] + "…"


def tenant_of(request: web.Request) -> str:
    """The tenant the auth middleware resolved for this request."""
    return request[TENANT_KEY]


def load_session(request: web.Request) -> SessionRow:
    """The session named in the path: 422 malformed, 404 unknown, 403 another tenant's."""
    session_id = parse_uuid(request.match_info["session_id"], ("path", "session_id"))
    session = state_of(request).db.get_session(session_id)
    if session is None:
        raise ApiError(
            404, "SESSION_NOT_FOUND", "Session not found", detail=f"session {session_id} not found"
        )
    if session.tenant_id != tenant_of(request):
        raise ApiError(403, "SESSION_ACCESS_DENIED", "This session belongs to another workspace")
    return session


def require_active(session: SessionRow) -> None:
    """400 SESSION_CLOSED for a session that was closed."""
    if not session.is_active:
        raise bad_request(
            "SESSION_CLOSED",
            "Session is closed",
            detail=f"session {session.id} was closed at {session.closed_at}",
        )


_KIND_CODES = {
    "image": "IMAGES_NOT_FOUND",
    "document": "DOCUMENTS_NOT_FOUND",
    "video": "VIDEOS_NOT_FOUND",
}


def ensure_owned(
    state: ServerState, tenant_id: str, kind: str, ids: Sequence[str], *, status: int = 404
) -> None:
    """``status`` (404 unless the operation documents another) naming every unknown id."""
    if not ids:
        return
    owned = state.db.owned_ids(tenant_id, kind, ids)
    missing = [i for i in ids if i not in owned]
    if missing:
        shown = ", ".join(shown_id(i) for i in missing[:20]) + (" …" if len(missing) > 20 else "")
        raise ApiError(
            status,
            _KIND_CODES[kind],
            f"Unknown {kind} ids",
            detail=f"{kind} ids not found: {shown}",
            extra={"missing_ids": missing},
        )
