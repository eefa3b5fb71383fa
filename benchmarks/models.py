"""What a hand-written client would declare: msgspec Structs and pydantic v2 models.

Both mirror the fields of `visionchat.models` that the jobs decode, with the same
types (datetimes parsed, nested image lists typed), so each stack does the same work.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import msgspec
import pydantic

# --- msgspec: the raw transport's typed decode, one reused Decoder per type ---------------


class MsImage(msgspec.Struct, kw_only=True):
    image_id: str
    filename: str | None = None
    description: str | None = None
    confidence: float | None = None
    thumbnail_url: str | None = None
    title: str | None = None
    stored_url: str | None = None


class MsSendReply(msgspec.Struct, kw_only=True):
    message_id: str
    content: str = ""
    token_count: int | None = None
    processing_time_ms: int | None = None
    remaining_tokens: int | None = None
    remaining_messages: int | None = None
    provider: str | None = None
    model: str | None = None
    image_context: list[MsImage] | None = None
    metadata: dict[str, Any] | None = None


class MsSession(msgspec.Struct, kw_only=True):
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


class MsMessage(msgspec.Struct, kw_only=True):
    id: str
    role: str
    content: str
    token_count: int | None = None
    created_at: datetime | None = None
    processing_time_ms: int | None = None
    provider: str | None = None
    model: str | None = None
    image_context: list[MsImage] | None = None
    metadata: dict[str, Any] | None = None


class MsDetail(msgspec.Struct, kw_only=True):
    session: MsSession
    messages: list[MsMessage] = []
    selected_image_ids: list[str] = []
    selected_video_ids: list[str] = []
    context_summary: str | None = None


class MsToken(msgspec.Struct, kw_only=True):
    content: str
    accumulated: str = ""
    token_index: int = 0


class MsComplete(msgspec.Struct, kw_only=True):
    message_id: str
    content: str = ""
    agents_used: list[str] | None = None
    has_results: bool | None = None
    result_count: int | None = None
    image_context: list[MsImage] | None = None
    processing_time_ms: int | None = None
    token_count: int | None = None
    remaining_tokens: int | None = None
    remaining_messages: int | None = None


SEND_DEC = msgspec.json.Decoder(MsSendReply)
DETAIL_DEC = msgspec.json.Decoder(MsDetail)
TOKEN_DEC = msgspec.json.Decoder(MsToken)
COMPLETE_DEC = msgspec.json.Decoder(MsComplete)
ANY_DEC = msgspec.json.Decoder(dict[str, Any])
ENCODER = msgspec.json.Encoder()

# --- pydantic v2: what httpx-based SDKs do ---------------------------------------------------


class PdImage(pydantic.BaseModel):
    image_id: str
    filename: str | None = None
    description: str | None = None
    confidence: float | None = None
    thumbnail_url: str | None = None
    title: str | None = None
    stored_url: str | None = None


class PdSendReply(pydantic.BaseModel):
    message_id: str
    content: str = ""
    token_count: int | None = None
    processing_time_ms: int | None = None
    remaining_tokens: int | None = None
    remaining_messages: int | None = None
    provider: str | None = None
    model: str | None = None
    image_context: list[PdImage] | None = None
    metadata: dict[str, Any] | None = None


class PdSession(pydantic.BaseModel):
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


class PdMessage(pydantic.BaseModel):
    id: str
    role: str
    content: str
    token_count: int | None = None
    created_at: datetime | None = None
    processing_time_ms: int | None = None
    provider: str | None = None
    model: str | None = None
    image_context: list[PdImage] | None = None
    metadata: dict[str, Any] | None = None


class PdDetail(pydantic.BaseModel):
    session: PdSession
    messages: list[PdMessage] = []
    selected_image_ids: list[str] = []
    selected_video_ids: list[str] = []
    context_summary: str | None = None


class PdToken(pydantic.BaseModel):
    content: str
    accumulated: str = ""
    token_index: int = 0


class PdComplete(pydantic.BaseModel):
    message_id: str
    content: str = ""
    agents_used: list[str] | None = None
    has_results: bool | None = None
    result_count: int | None = None
    image_context: list[PdImage] | None = None
    processing_time_ms: int | None = None
    token_count: int | None = None
    remaining_tokens: int | None = None
    remaining_messages: int | None = None


# --- the hand-written SSE loop of the raw stacks ----------------------------------------------


class RawSSE:
    """What a careful hand-written loop does: split chunks on LF, keep the unfinished
    line as parts (no quadratic re-joining), dispatch a frame on a blank line."""

    __slots__ = ("data", "event", "pending")

    def __init__(self) -> None:
        self.pending: list[bytes] = []
        self.event = "message"
        self.data: bytes | None = None

    def feed(self, chunk: bytes) -> list[tuple[str, bytes]]:
        lines = chunk.split(b"\n")
        if len(lines) == 1:
            self.pending.append(chunk)
            return []
        if self.pending:
            self.pending.append(lines[0])
            lines[0] = b"".join(self.pending)
            self.pending = []
        tail = lines.pop()
        if tail:
            self.pending.append(tail)
        out: list[tuple[str, bytes]] = []
        for line in lines:
            if not line:
                if self.data is not None:
                    out.append((self.event, self.data))
                self.event = "message"
                self.data = None
            elif line.startswith(b"data:"):
                self.data = line[6:] if line[5:6] == b" " else line[5:]
            elif line.startswith(b"event:"):
                self.event = line[6:].strip().decode()
        return out


class TypedEvents:
    """The raw stacks' event handling with msgspec typed decode: the answer text kept."""

    __slots__ = ("events", "final", "parts")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.final: MsComplete | None = None
        self.events = 0

    def handle(self, events: list[tuple[str, bytes]]) -> None:
        for name, data in events:
            self.events += 1
            if name == "token":
                self.parts.append(TOKEN_DEC.decode(data).content)
            elif name == "complete":
                self.final = COMPLETE_DEC.decode(data)
            else:
                ANY_DEC.decode(data)

    def result(self) -> tuple[int, int]:
        assert self.final is not None, "no complete event"
        return self.events, len(self.final.content)


class JsonEvents:
    """The raw stacks' event handling with `json.loads` into dicts."""

    __slots__ = ("events", "final", "parts")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.final: dict[str, Any] | None = None
        self.events = 0

    def handle(self, events: list[tuple[str, bytes]]) -> None:
        for name, data in events:
            self.events += 1
            obj = json.loads(data)
            if name == "token":
                self.parts.append(obj["content"])
            elif name == "complete":
                self.final = obj

    def result(self) -> tuple[int, int]:
        assert self.final is not None, "no complete event"
        return self.events, len(self.final["content"])
