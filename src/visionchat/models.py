"""The data the API returns, as `msgspec.Struct`s shared by both clients.

Unknown fields in a reply are ignored and enum-like fields are plain strings, so a
newer server never breaks an older SDK. Every field accepts whatever the hosted API's
schema allows there (nulls, unions, open objects). Field names follow the wire
protocol, except where a rename makes the Python side read better (noted on the field).

Serialisation, one rule: `to_json()` writes every field under its wire name, the
SDK's own fields included (`request_id`, `resolved_content`, `session_id`,
`pending_plan`, `accepted`), and `<Model>.from_json()` reads that back through the
same decoder as a reply, so every model round-trips to an equal model. `to_dict()`
uses the Python attribute names.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, Self, cast

import msgspec

from . import markup
from ._decode import convert, decode, event_data

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
        """The fields as a plain dict under their attribute names (nested models stay models)."""
        return {name: getattr(self, name) for name in self.__struct_fields__}

    def to_json(self) -> bytes:
        """The model as JSON bytes, every field under its wire name; `from_json` reads it back."""
        return msgspec.json.encode(self)

    @classmethod
    def from_json(cls, data: bytes | str) -> Self:
        """A model from JSON (a reply body, or `to_json()` output), decoded as replies are.

        Raises `ResponseDecodeError` when the JSON does not have the model's shape.
        """
        return decode(data, cls)


def _image_infos(raw: object) -> list[ImageInfo] | None:
    """The typed view of an `image_context`: its items as `ImageInfo`s when every item is one."""
    if not isinstance(raw, list):
        return None
    try:
        return convert(raw, list[ImageInfo])
    except msgspec.ValidationError:
        return None


class _Cites:
    """What a text with reference markup cites; mixed into the models that carry `content`."""

    __slots__ = ()
    content: str
    metadata: dict[str, Any] | None

    @property
    def references(self) -> list[markup.Reference]:
        """What the content cites (`[[img:…]]`, `[[doc:…]]`, …), in order."""
        return markup.references(self.content)

    @property
    def result_refs(self) -> dict[str, Any]:
        """`metadata.result_refs`: the counts that `[[ref:KEY]]` markup stands for ({} if none)."""
        return _result_refs(self.metadata)


def _object(value: object) -> dict[str, Any] | None:
    """`value` when it is a JSON object, else None."""
    return cast("dict[str, Any]", value) if isinstance(value, dict) else None


def _result_refs(metadata: object) -> dict[str, Any]:
    meta = _object(metadata)
    return _object(meta.get("result_refs") if meta else None) or {}


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
            return event_data(self.raw)
        except msgspec.DecodeError:
            return {"raw": self.raw.decode("utf-8", "replace")}

    def _complete_data(self) -> dict[str, Any] | None:
        return self.data if self.type == ChatTokenType.COMPLETE else None

    @property
    def resolved_content(self) -> str | None:
        """On a `complete` event: the answer with its markup resolved; None on other events."""
        data = self._complete_data()
        if data is None:
            return None
        resolved = data.get("resolved_content")
        if isinstance(resolved, str):
            return resolved
        return markup.resolve(str(data.get("content") or ""), _object(data.get("metadata")))

    @property
    def references(self) -> list[markup.Reference] | None:
        """On a `complete` event: what the answer cites; None on other events."""
        data = self._complete_data()
        return None if data is None else markup.references(str(data.get("content") or ""))

    @property
    def result_refs(self) -> dict[str, Any] | None:
        """On a `complete` event: `metadata.result_refs` ({} if none); None on other events."""
        data = self._complete_data()
        return None if data is None else _result_refs(data.get("metadata"))

    @classmethod
    def from_sse_event(cls, event_type: str, event_data: dict[str, Any]) -> ChatToken:
        """The token for one event given as its name and decoded data (as a stream yields it)."""
        kind = _KNOWN_TOKEN_TYPES.get(event_type, event_type)
        content = event_data.get("content") if kind == ChatTokenType.TOKEN else None
        return cls(
            type=kind,
            content=content if isinstance(content, str) else None,
            raw=msgspec.json.encode(event_data),
        )

    def to_dict(self) -> dict[str, Any]:
        """The token as a plain dict, with its data decoded."""
        return {"type": self.type, "content": self.content, "data": self.data, "id": self.id}

    @classmethod
    def from_json(cls, data: bytes | str) -> Self:
        """A token from `to_json()` output; a known event name becomes its `ChatTokenType`."""
        wire = decode(data, _TokenWire)
        return cls(
            type=_KNOWN_TOKEN_TYPES.get(wire.type, wire.type),
            content=wire.content,
            id=wire.id,
            raw=wire.raw,
        )


_KNOWN_TOKEN_TYPES: dict[str, ChatTokenType] = {t.value: t for t in ChatTokenType}


class _TokenWire(msgspec.Struct, kw_only=True):
    """`ChatToken` as `to_json()` writes it (msgspec cannot decode `ChatTokenType | str`)."""

    type: str
    content: str | None = None
    id: str | None = None
    raw: bytes = b""


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


class ChatMessage(_Model, _Cites, kw_only=True, gc=False):
    """One message of a session; `role` is `user`, `assistant` or `system`.

    `image_context` is the images the message was about, as `ImageInfo`s, when the API
    sent a list of image infos; whatever else it sent there (a list of other objects,
    one object) is None in `image_context` and kept as sent in `image_context_raw`.
    """

    id: str
    role: str
    content: str
    token_count: int | None = None
    created_at: datetime | None = None
    processing_time_ms: int | None = None
    provider: str | None = None
    model: str | None = None
    image_context_raw: list[Any] | dict[str, Any] | None = msgspec.field(
        default=None, name="image_context"
    )
    metadata: dict[str, Any] | None = None

    @property
    def image_context(self) -> list[ImageInfo] | None:
        """The image infos of `image_context_raw`, or None when it is not a list of them."""
        return _image_infos(self.image_context_raw)

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


class ChatResponse(Reply, _Cites, kw_only=True):
    """The assistant's complete answer to one message.

    `resolved_content` is the answer with reference markup resolved. After a
    planning turn, streamed or not, `pending_plan` holds the plan waiting for
    approval. `request_id` is the server's id for the reply. `image_context` /
    `images` and `image_context_raw` read as on `ChatMessage`.
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
    image_context_raw: list[Any] | dict[str, Any] | None = msgspec.field(
        default=None, name="image_context"
    )
    metadata: dict[str, Any] | None = None
    agents_used: list[str] | None = None
    has_results: bool | None = None
    result_count: int | None = None
    session_id: str = ""
    pending_plan: PendingPlan | None = None

    def __post_init__(self) -> None:
        if self.resolved_content is None:
            self.resolved_content = markup.resolve(self.content, self.metadata)

    @property
    def image_context(self) -> list[ImageInfo] | None:
        """The image infos of `image_context_raw`, or None when it is not a list of them."""
        return _image_infos(self.image_context_raw)

    @property
    def images(self) -> list[ImageInfo] | None:
        """The reply's image references, built from `image_context` (the other SDK's name)."""
        return _image_infos(self.image_context_raw)


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

    @property
    def total_count(self) -> int:
        """`total` under its wire name, as the other SDK calls it."""
        return self.total


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
    """What approving or cancelling a plan did; `accepted` means it runs in the background (202).

    `accepted` is set by the SDK from the HTTP status, never read from the body.
    """

    success: bool = True
    plan_id: str = ""
    message: str = ""
    action_taken: str | None = None
    results: dict[str, Any] | None = None
    agent_results: list[dict[str, Any]] | None = None
    pending_actions: list[dict[str, Any]] | None = None
    accepted: bool = False

    @property
    def status(self) -> str | None:
        """`"accepted"` when the API answered 202 (running in the background), else None."""
        return "accepted" if self.accepted else None


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
