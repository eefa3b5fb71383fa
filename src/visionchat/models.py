"""The data the API returns, as `msgspec.Struct`s shared by both clients.

Unknown fields in a reply are ignored and enum-like fields are plain strings, so a
newer server never breaks an older SDK. Field names follow the wire protocol, except
where a rename makes the Python side read better (noted on the field).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import msgspec

from . import markup
from ._decode import decoder_for

__all__ = [
    "ChatImageList",
    "ChatMessage",
    "ChatResponse",
    "ChatSession",
    "ChatSessionDetail",
    "ChatToken",
    "ChatTokenType",
    "DocumentsUpdated",
    "DomainUpdated",
    "ImageInfo",
    "ImageReference",
    "ImagesUpdated",
    "ModeUpdated",
    "PendingPlan",
    "PlanActionResponse",
    "SessionClosed",
    "SessionList",
    "SessionRenamed",
    "VideosUpdated",
]


class _Model(msgspec.Struct, kw_only=True):
    """Base of every model: keyword-only, and convertible to the plain dict of its fields."""

    def to_dict(self) -> dict[str, Any]:
        """The fields as a plain dict (nested models stay models)."""
        return {name: getattr(self, name) for name in self.__struct_fields__}


class Reply(_Model, kw_only=True):
    """Base of every model a call returns: carries the server's request id, for support and logs."""

    request_id: str | None = None


class _Result(Reply, kw_only=True):
    """Base of the small results of update calls: also readable like the dict the API sent."""

    def __getitem__(self, key: str) -> Any:
        if key not in self.__struct_fields__:
            raise KeyError(key)
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        """The field's value, or `default` when there is no such field."""
        return getattr(self, key) if key in self.__struct_fields__ else default

    def keys(self) -> tuple[str, ...]:
        """The field names, in wire order."""
        return self.__struct_fields__


class ChatTokenType(enum.StrEnum):
    """The event names a stream may carry; a `ChatToken.type` outside these is a new event.

    `PING` keep-alives are consumed by the SDK, and `ERROR` / `AUTH_ERROR` raise
    `StreamError`: none of these three is ever yielded.
    """

    CONNECTION = "connection"
    THINKING = "thinking"
    THINKING_STEP = "thinking_step"
    STATUS = "status"
    TOOL_INVOCATION = "tool_invocation"
    TOOL_RESULT = "tool_result"
    IMAGE_RESULTS = "image_results"
    DOCUMENT_RESULTS = "document_results"
    PLAN_PENDING_APPROVAL = "plan_pending_approval"
    TOKEN = "token"
    COMPLETE = "complete"
    PING = "ping"
    ERROR = "error"
    AUTH_ERROR = "auth_error"
    CLOSE = "close"


class ChatToken(_Model, kw_only=True, gc=False):
    """One event of a streamed reply.

    `content` is the new answer text on `token` events and None on every other event,
    so printing `token.content or ""` for each event prints exactly the answer.
    `type` is a `ChatTokenType` for known events, the raw name for unknown ones.
    `raw` is the event's data exactly as sent; `data` is that JSON decoded.
    """

    type: ChatTokenType | str
    content: str | None = None
    id: str | None = None
    raw: bytes = b""

    @property
    def data(self) -> dict[str, Any]:
        """The event's data as a dict, decoded from `raw` when asked for.

        Decoding is left until then because a `token` event repeats the whole answer so
        far in `accumulated`: decoding that for every event would cost time that grows
        with the square of the answer's length. Data that is not a JSON object comes
        back as `{"raw": <the text>}`.
        """
        if not self.raw:
            return {}
        try:
            return decoder_for(dict[str, Any]).decode(self.raw)
        except msgspec.DecodeError:
            return {"raw": self.raw.decode("utf-8", "replace")}

    def to_dict(self) -> dict[str, Any]:
        """The token as a plain dict, with its data decoded."""
        return {"type": self.type, "content": self.content, "data": self.data, "id": self.id}


class ImageInfo(_Model, kw_only=True, gc=False):
    """An image cited by, or shown with, a message."""

    image_id: str
    filename: str | None = None
    description: str | None = None
    confidence: float | None = None
    thumbnail_url: str | None = None
    title: str | None = None
    stored_url: str | None = None


class ChatSession(Reply, kw_only=True):
    """A chat session as listed: counters, budgets and what its context holds."""

    id: str
    title: str = ""
    total_messages: int = 0
    total_tokens: int = 0
    remaining_tokens: int | None = None
    remaining_messages: int | None = None
    is_active: bool = True
    created_at: datetime | None = None
    updated_at: datetime | None = None
    last_message_at: datetime | None = None
    selected_image_count: int = 0
    use_all_images: bool = True
    last_message_preview: str | None = None
    last_user_message: str | None = None
    context_summary: str | None = None
    domain: str | None = None
    selected_document_count: int = 0
    selected_video_count: int = 0


class ChatMessage(_Model, kw_only=True, gc=False):
    """One message of a session; `role` is `user`, `assistant` or `system`."""

    id: str
    role: str
    content: str
    token_count: int | None = None
    created_at: datetime | None = None
    processing_time_ms: int | None = None
    provider: str | None = None
    model: str | None = None
    image_context: list[ImageInfo] | None = None
    metadata: dict[str, Any] | None = None

    @property
    def resolved_content(self) -> str:
        """The content with its reference markup replaced by readable names and counts."""
        return markup.resolve(self.content, self.metadata)


class ChatSessionDetail(Reply, kw_only=True):
    """A session with its recent messages (oldest first) and its selected context."""

    session: ChatSession
    messages: list[ChatMessage] = msgspec.field(default_factory=list[ChatMessage])
    selected_image_ids: list[str] = msgspec.field(default_factory=list[str])
    selected_video_ids: list[str] = msgspec.field(default_factory=list[str])
    selected_document_ids: list[str] = msgspec.field(default_factory=list[str])
    context_summary: str | None = None


class PendingPlan(_Model, kw_only=True):
    """A plan the agents propose and wait to have approved or cancelled."""

    plan_id: str
    steps: list[Any] = msgspec.field(default_factory=list[Any])
    message: str = ""


class ChatResponse(Reply, kw_only=True):
    """The assistant's complete answer to one message.

    `resolved_content` is the answer with reference markup resolved. After a
    planning turn, streamed or not, `pending_plan` holds the plan waiting for
    approval. `request_id` is the server's id for the reply.
    """

    message_id: str
    content: str = ""
    resolved_content: str | None = None
    token_count: int | None = None
    processing_time_ms: int | None = None
    remaining_tokens: int | None = None
    remaining_messages: int | None = None
    provider: str | None = None
    model: str | None = None
    image_context: list[ImageInfo] | None = None
    metadata: dict[str, Any] | None = None
    agents_used: list[str] | None = None
    has_results: bool | None = None
    result_count: int | None = None
    session_id: str = ""
    pending_plan: PendingPlan | None = None

    def __post_init__(self) -> None:
        if self.resolved_content is None:
            self.resolved_content = markup.resolve(self.content, self.metadata)


class SessionList(Reply, kw_only=True):
    """One page of sessions, newest first."""

    items: list[ChatSession] = msgspec.field(default_factory=list[ChatSession], name="sessions")
    total: int = msgspec.field(default=0, name="total_count")
    has_more: bool = False


class ChatImageList(Reply, kw_only=True):
    """One page of the ids of every image the key may put in a chat's context."""

    image_ids: list[str] = msgspec.field(default_factory=list[str])
    total: int = msgspec.field(default=0, name="total_count")
    has_more: bool = False


class ImageReference(_Model, kw_only=True):
    """One image search result, best first."""

    image_id: str
    description: str | None = None
    confidence: float | None = None
    relevance_score: float | None = None
    thumbnail_url: str | None = None
    medium_url: str | None = None
    full_url: str | None = None
    created_at: datetime | None = None
    filename: str | None = None


class PlanActionResponse(_Result, kw_only=True):
    """What approving or cancelling a plan did; `accepted` means it runs in the background (202)."""

    success: bool = True
    plan_id: str = ""
    message: str = ""
    action_taken: str | None = None
    results: Any = None
    agent_results: Any = None
    pending_actions: Any = None
    accepted: bool = False


class SessionRenamed(_Result, kw_only=True):
    """Result of renaming a session."""

    session_id: str
    title: str
    updated_at: datetime | None = None


class SessionClosed(_Result, kw_only=True):
    """Result of closing a session, with its final counters."""

    session_id: str
    closed_at: datetime | None = None
    total_messages: int = 0
    total_tokens: int = 0


class ModeUpdated(_Result, kw_only=True):
    """Result of switching between all images and selected images."""

    session_id: str
    use_all_images: bool
    selected_image_count: int = 0
    updated_at: datetime | None = None


class ImagesUpdated(_Result, kw_only=True):
    """Result of replacing a session's selected images."""

    session_id: str
    selected_image_ids: list[str] = msgspec.field(default_factory=list[str])
    selected_video_ids: list[str] = msgspec.field(default_factory=list[str])
    context_summary: str | None = None
    estimated_tokens: int | None = None


class DocumentsUpdated(_Result, kw_only=True):
    """Result of replacing a session's selected documents."""

    session_id: str
    selected_document_ids: list[str] = msgspec.field(default_factory=list[str])
    document_count: int = 0


class VideosUpdated(_Result, kw_only=True):
    """Result of replacing a session's selected videos."""

    session_id: str
    selected_video_ids: list[str] = msgspec.field(default_factory=list[str])
    video_count: int = 0


class DomainUpdated(_Result, kw_only=True):
    """Result of setting a session's knowledge domain."""

    session_id: str
    domain: str
    updated_at: datetime | None = None
