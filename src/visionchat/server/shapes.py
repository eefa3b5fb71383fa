"""The API's JSON bodies as msgspec structures: what the OpenAPI document is built from.

Replies are declared as the hosted API allows them (its nulls, unions and open
objects), even where this server always sends one shape, so clients tested against
the document are ready for the hosted service. Requests are declared as this server
accepts them, with the protocol's limits. Fields this project adds to the hosted
API are marked `x-visionchat-extension`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from .validation import DOMAIN_PATTERN, MAX_INT

REF = "#/components/schemas/{name}"
EXTENSION = {"x-visionchat-extension": True}

#: msgspec writes a bare `datetime` as a plain string; the API's schema says date-time.
DateTime = Annotated[datetime, msgspec.Meta(extra_json_schema={"format": "date-time"})]
Uuid = Annotated[str, msgspec.Meta(extra_json_schema={"format": "uuid"})]
OpenObject = dict[str, Any]


#: Marks a field this project adds to the hosted API's shape.
Ext = msgspec.Meta(extra_json_schema=EXTENSION)


class _Shape(msgspec.Struct, kw_only=True):
    """Base of every shape: keyword-only; unknown fields allowed (the API may add some)."""


# --- replies ---------------------------------------------------------------------------


class ImageInfo(_Shape, kw_only=True):
    """An image a message cites or was about."""

    image_id: str
    filename: str | None = None
    description: str | None = None
    confidence: float | None = None
    thumbnail_url: str | None = None
    title: str | None = None
    stored_url: str | None = None


#: `image_context` per the hosted API: a list of ImageInfo, a list of any objects, one
#: object, or null. msgspec cannot hold that union as a type, so the schema says it.
ImageContext = Annotated[
    Any,
    msgspec.Meta(
        extra_json_schema={
            "anyOf": [
                {"type": "array", "items": {"$ref": REF.format(name="ImageInfo")}},
                {"type": "array", "items": {"type": "object"}},
                {"type": "object"},
                {"type": "null"},
            ]
        }
    ),
]


class SessionCreated(_Shape, kw_only=True):
    session_id: str
    title: str | None
    created_at: DateTime


class SessionSummary(_Shape, kw_only=True):
    id: str
    title: str
    total_messages: int
    total_tokens: int
    remaining_tokens: int
    remaining_messages: int
    is_active: bool
    created_at: DateTime
    updated_at: DateTime
    last_message_at: DateTime | None
    selected_image_count: int
    use_all_images: bool = True
    last_message_preview: str | None = None
    last_user_message: str | None = None
    context_summary: str | None = None
    domain: Annotated[str | None, Ext] = None
    selected_document_count: int = 0
    selected_video_count: int = 0


class SessionListReply(_Shape, kw_only=True):
    sessions: list[SessionSummary]
    total_count: int
    has_more: bool


class Message(_Shape, kw_only=True):
    id: str
    role: Literal["user", "assistant", "system"]
    content: str
    token_count: int | None
    created_at: DateTime
    processing_time_ms: int | None = None
    provider: str | None = None
    model: str | None = None
    image_context: ImageContext = None
    metadata: OpenObject | None = None


class SessionDetail(_Shape, kw_only=True):
    session: SessionSummary
    messages: list[Message]
    selected_image_ids: list[str]
    selected_video_ids: list[str] = []
    context_summary: str | None = None
    selected_document_ids: Annotated[list[str], Ext] = []


class SessionRenamed(_Shape, kw_only=True):
    session_id: str
    title: str
    updated_at: DateTime


class SessionClosed(_Shape, kw_only=True):
    session_id: str
    closed_at: DateTime
    total_messages: int
    total_tokens: int


class SendReply(_Shape, kw_only=True):
    message_id: str
    content: str
    token_count: int | None
    processing_time_ms: int | None
    remaining_tokens: int
    remaining_messages: int
    provider: str | None = None
    model: str | None = None
    image_context: ImageContext = None
    metadata: OpenObject | None = None


class StreamComplete(_Shape, kw_only=True):
    """The data of the stream's `complete` event."""

    type: Literal["complete"] = "complete"
    content: str
    resolved_content: str
    message_id: str
    agents_used: list[str]
    has_results: bool
    result_count: int
    image_context: ImageContext = None
    processing_time_ms: int | None
    token_count: int | None
    remaining_tokens: int
    remaining_messages: int
    metadata: Annotated[OpenObject | None, Ext] = None


class ModeUpdated(_Shape, kw_only=True):
    session_id: str
    use_all_images: bool
    selected_image_count: int
    updated_at: DateTime


class ImagesUpdated(_Shape, kw_only=True):
    session_id: str
    selected_image_ids: list[str]
    selected_video_ids: list[str]
    context_summary: str | None
    estimated_tokens: int


class DocumentsUpdated(_Shape, kw_only=True):
    session_id: str
    selected_document_ids: list[str]
    document_count: int


class VideosUpdated(_Shape, kw_only=True):
    session_id: str
    selected_video_ids: list[str]
    video_count: int


class DomainUpdated(_Shape, kw_only=True):
    session_id: str
    domain: str
    updated_at: DateTime


class AllImages(_Shape, kw_only=True):
    image_ids: list[str]
    total_count: int
    has_more: bool


class SearchResult(_Shape, kw_only=True):
    image_id: str
    description: str | None
    confidence: float | None
    relevance_score: float | None
    thumbnail_url: str | None = None
    medium_url: str | None = None
    full_url: str | None = None
    created_at: DateTime | None = None
    filename: str | None = None


class SearchReply(_Shape, kw_only=True):
    results: list[SearchResult]
    total_count: int
    query_interpretation: OpenObject


class PlanActionReply(_Shape, kw_only=True):
    success: bool
    plan_id: str
    message: str
    action_taken: str
    results: OpenObject | None = None
    agent_results: list[OpenObject] | None = None
    pending_actions: list[OpenObject] | None = None


class ChatError(_Shape, kw_only=True):
    """A chat error; structured extras (budgets, plan status) come as further fields."""

    error: str
    error_code: str
    detail: str | None = None
    timestamp: DateTime | None = None


class ValidationProblem(_Shape, kw_only=True):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorReply(_Shape, kw_only=True):
    """A request the API's schema refuses (HTTP 422)."""

    detail: list[ValidationProblem]


# --- requests --------------------------------------------------------------------------

Title = Annotated[str, msgspec.Meta(max_length=255)]
IdList = Annotated[list[Uuid], msgspec.Meta(max_length=1000)]


class CreateSessionBody(_Shape, kw_only=True):
    title: Title | None = None
    initial_image_ids: list[Uuid] | None = None
    use_all_images: bool = True


class RenameBody(_Shape, kw_only=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=255)]


class SendBody(_Shape, kw_only=True):
    message: Annotated[str, msgspec.Meta(min_length=1, max_length=10000)]
    force_detailed_analysis: bool = False
    expected_image_ids: IdList | None = None


class ModeBody(_Shape, kw_only=True):
    use_all_images: bool


class ImagesBody(_Shape, kw_only=True):
    image_ids: IdList


class DocumentsBody(_Shape, kw_only=True):
    document_ids: Annotated[list[Uuid], msgspec.Meta(max_length=100)] = []


class VideosBody(_Shape, kw_only=True):
    video_ids: Annotated[list[Uuid], msgspec.Meta(max_length=100)] = []


class DomainBody(_Shape, kw_only=True):
    domain: Annotated[str, msgspec.Meta(pattern=f"^{DOMAIN_PATTERN.pattern}$")]


class SearchBody(_Shape, kw_only=True):
    query: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    limit: Annotated[int, msgspec.Meta(ge=1, le=100)] = 50
    offset: Annotated[int, msgspec.Meta(ge=0, le=MAX_INT)] = 0


class PlanActionBody(_Shape, kw_only=True):
    action: Literal["approve", "cancel"]
    plan_data: Annotated[
        OpenObject | None,
        msgspec.Meta(extra_json_schema={"deprecated": True, "description": "ignored"}),
    ] = None


REPLIES: tuple[type[_Shape], ...] = (
    SessionCreated,
    SessionListReply,
    SessionDetail,
    SessionRenamed,
    SessionClosed,
    SendReply,
    StreamComplete,
    ModeUpdated,
    ImagesUpdated,
    DocumentsUpdated,
    VideosUpdated,
    DomainUpdated,
    AllImages,
    SearchReply,
    PlanActionReply,
    ChatError,
    ValidationErrorReply,
)
REQUESTS: tuple[type[_Shape], ...] = (
    CreateSessionBody,
    RenameBody,
    SendBody,
    ModeBody,
    ImagesBody,
    DocumentsBody,
    VideosBody,
    DomainBody,
    SearchBody,
    PlanActionBody,
)
