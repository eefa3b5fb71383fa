"""Plain records shared by the data layer, the library generator and the agent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ImageItem:
    """One library image (metadata only; pixels are a generated SVG)."""

    id: str
    filename: str
    title: str
    description: str
    tags: tuple[str, ...]
    category: str
    confidence: float
    created_at: str
    folder: str = ""


@dataclass(frozen=True)
class DocumentItem:
    """One library document with its pages of plain text."""

    id: str
    filename: str
    title: str
    pages: tuple[str, ...]
    created_at: str


@dataclass(frozen=True)
class Scene:
    """A timestamped note inside a video."""

    at_seconds: int
    note: str


@dataclass(frozen=True)
class VideoItem:
    """One library video, described by scene notes."""

    id: str
    filename: str
    title: str
    duration_seconds: int
    scenes: tuple[Scene, ...]
    created_at: str


@dataclass
class SessionRow:
    """A chat session as stored."""

    id: str
    tenant_id: str
    title: str
    domain: str
    use_all_images: bool
    is_active: bool
    created_at: str
    updated_at: str
    closed_at: str | None
    last_message_at: str | None
    total_messages: int
    total_tokens: int
    token_budget: int
    message_budget: int

    @property
    def remaining_tokens(self) -> int:
        """Tokens left in this session's budget (never negative)."""
        return max(0, self.token_budget - self.total_tokens)

    @property
    def remaining_messages(self) -> int:
        """Messages left in this session's budget (never negative)."""
        return max(0, self.message_budget - self.total_messages)


@dataclass
class MessageRow:
    """One stored chat message."""

    id: str
    session_id: str
    role: str
    content: str
    token_count: int | None
    created_at: str
    processing_time_ms: int | None = None
    provider: str | None = None
    model: str | None = None
    image_context: list[dict[str, Any]] | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class PlanRow:
    """A plan the planning agent proposed, waiting for approve/cancel."""

    id: str
    session_id: str
    tenant_id: str
    status: str  # pending | running | completed | cancelled
    message: str
    steps: list[dict[str, Any]]
    created_at: str
    result: dict[str, Any] | None = None


@dataclass
class IdempotencyRow:
    """What the server remembers about one Idempotency-Key."""

    tenant_id: str
    key: str
    method: str
    path: str
    body_hash: str
    state: str  # running | done
    status: int | None
    content_type: str | None
    body: bytes | None
    stream: bytes | None  # a stream's events, encoded by stored_stream.StoredStream
    created_at: str


@dataclass
class IdempotencyClaim:
    """A key claimed by the request now running under it.

    A handler that stores its reply inside its own transaction sets ``stored``, so the
    middleware does not store it again (a stream is stored before its first byte).
    """

    tenant_id: str
    key: str
    method: str
    path: str
    body_hash: str
    stored: bool = False


@dataclass(frozen=True)
class StoredReply:
    """The reply to remember for a claimed key: a body, or an encoded stream."""

    claim: IdempotencyClaim
    status: int
    content_type: str | None
    body: bytes | None = None
    stream: bytes | None = None
