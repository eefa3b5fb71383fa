"""The reply bodies the benchmark server sends, built once and encoded ahead of time.

Sizes come from a `Scale`, so `--quick` runs shrink every job the same way. The
shapes follow the wire protocol (`/work/shared/protocol/chat-api.md`): a send reply,
a session with many messages, SSE streams and an export file.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass

API = "/api/v2"


@dataclass(frozen=True)
class Scale:
    """How big each job is; `full()` is what the targets speak of."""

    sends: int = 2000
    concurrent: int = 200
    concurrent_rounds: int = 5
    threads: int = 8
    thread_sends: int = 1000
    messages: int = 10_000
    tokens: int = 100_000
    full_tokens: int = 2000
    full_token_chars: int = 100
    line_bytes: int = 1024 * 1024
    export_bytes: int = 50 * 1024 * 1024
    repeats: int = 5
    mem_repeats: int = 3
    import_repeats: int = 20
    server_streams: int = 10

    @classmethod
    def full(cls) -> Scale:
        return cls()

    @classmethod
    def quick(cls) -> Scale:
        return cls(
            sends=300,
            concurrent=200,
            concurrent_rounds=1,
            thread_sends=200,
            messages=2000,
            tokens=10_000,
            full_tokens=300,
            line_bytes=1024 * 1024,
            export_bytes=8 * 1024 * 1024,
            repeats=3,
            mem_repeats=1,
            import_repeats=5,
            server_streams=3,
        )

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def _uuid(i: int) -> str:
    return str(uuid.UUID(int=(0x5EED << 96) + i))


_WORDS = (
    "the crack in the north wall of building four runs from the window sill to the "
    "foundation and widens near the downspout where water pools after rain"
).split()


def _text(i: int, chars: int) -> str:
    out: list[str] = []
    size = 0
    k = i
    while size < chars:
        word = _WORDS[k % len(_WORDS)]
        out.append(word)
        size += len(word) + 1
        k += 7
    return " ".join(out)[:chars]


def send_reply() -> bytes:
    """The small JSON reply of POST .../messages."""
    return json.dumps(
        {
            "message_id": _uuid(1),
            "content": _text(1, 240),
            "token_count": 61,
            "processing_time_ms": 850,
            "remaining_tokens": 98_000,
            "remaining_messages": 480,
            "provider": "openai",
            "model": "gpt-4o",
            "image_context": None,
            "metadata": {"vision_used": False},
        },
        separators=(",", ":"),
    ).encode()


def _message(i: int) -> dict[str, object]:
    assistant = i % 2 == 1
    return {
        "id": _uuid(1000 + i),
        "role": "assistant" if assistant else "user",
        "content": _text(i, 300 if assistant else 120),
        "token_count": 75 if assistant else 30,
        "created_at": f"2025-01-15T10:{(i // 60) % 60:02d}:{i % 60:02d}Z",
        "processing_time_ms": 900 + i % 300 if assistant else None,
        "provider": "openai" if assistant else None,
        "model": "gpt-4o" if assistant else None,
        "image_context": [
            {"image_id": _uuid(50_000 + i), "filename": f"site-{i}.jpg", "confidence": 0.91}
        ]
        if assistant
        else None,
        "metadata": {"vision_used": assistant, "offers_detailed_analysis": False},
    }


def session_detail(messages: int) -> bytes:
    """GET /chat/sessions/{id}: a session summary and `messages` messages (about 500 B each)."""
    body = {
        "session": {
            "id": _uuid(0),
            "title": "Site inspection",
            "total_messages": messages,
            "total_tokens": 52 * messages,
            "remaining_tokens": 100_000,
            "remaining_messages": 500,
            "is_active": True,
            "created_at": "2025-01-15T10:00:00Z",
            "updated_at": "2025-01-15T11:00:00Z",
            "last_message_at": "2025-01-15T11:00:00Z",
            "selected_image_count": 3,
            "use_all_images": False,
        },
        "messages": [_message(i) for i in range(messages)],
        "selected_image_ids": [_uuid(90_000 + i) for i in range(3)],
        "selected_video_ids": [],
        "context_summary": None,
    }
    return json.dumps(body, separators=(",", ":")).encode()


def _frame(
    event: str, data: dict[str, object], event_id: int | None = None, *, id_first: bool = False
) -> bytes:
    """One SSE frame: `event:`, `id:`, `data:` as the API documents, or `id:` first."""
    name = f"event: {event}\n"
    head = name if event_id is None else f"id: {event_id}\n"
    if event_id is not None:
        head = head + name if id_first else name + head
    return (head + "data: " + json.dumps(data, separators=(",", ":")) + "\n\n").encode()


def _complete(message_id: str, content: str) -> bytes:
    return _frame(
        "complete",
        {
            "type": "complete",
            "content": content,
            "message_id": message_id,
            "agents_used": ["vision"],
            "has_results": False,
            "result_count": 0,
            "image_context": None,
            "processing_time_ms": 1200,
            "token_count": 42,
            "remaining_tokens": 90_000,
            "remaining_messages": 400,
        },
    )


def token_stream(
    tokens: int, *, token_chars: int | None, accumulated_cap: int | None, id_first: bool = False
) -> bytes:
    """A whole SSE answer: connection, `tokens` token events, complete, close.

    `accumulated` is capped at `accumulated_cap` characters (None: the full text so far),
    `token_chars` fixes each token's length (None: one word and a space); `id_first`
    writes each token frame's `id:` line before its `event:` line.
    """
    message_id = _uuid(7)
    parts = [
        _frame(
            "connection", {"type": "connection", "message_id": message_id, "status": "connected"}
        ),
        _frame("thinking", {"type": "thinking", "status": "processing"}),
    ]
    pieces: list[str] = []
    size = 0
    accumulated = ""
    for i in range(tokens):
        if token_chars is None:
            content = _WORDS[i % len(_WORDS)] + " "
        else:
            content = _text(i, token_chars - 1) + " "
        pieces.append(content)
        size += len(content)
        if accumulated_cap is None:
            accumulated += content
            shown = accumulated
        else:
            accumulated = (accumulated + content)[-accumulated_cap:]
            shown = accumulated
        data = {"type": "token", "content": content, "accumulated": shown, "token_index": i}
        parts.append(_frame("token", data, i, id_first=id_first))
    parts.append(_complete(message_id, "".join(pieces)))
    parts.append(_frame("close", {"type": "close", "message_id": message_id}))
    return b"".join(parts)


def one_line_stream(line_bytes: int) -> bytes:
    """A stream whose `complete` event holds `line_bytes` of content on one `data:` line."""
    message_id = _uuid(8)
    return b"".join(
        [
            _frame(
                "connection",
                {"type": "connection", "message_id": message_id, "status": "connected"},
            ),
            _complete(message_id, _text(3, line_bytes)),
            _frame("close", {"type": "close", "message_id": message_id}),
        ]
    )


def export_file(size: int) -> bytes:
    """A markdown export of `size` bytes."""
    block = ("## assistant\n\n" + _text(5, 1000) + "\n\n").encode()
    reps = size // len(block) + 1
    return (block * reps)[:size]


# The session ids the client asks for; the server picks the body by id.
SEND_SESSION = "bench-send"
DETAIL_SESSION = "bench-detail"
STREAM_TOKENS = "bench-tokens"
STREAM_ID_FIRST = "bench-tokens-id-first"
STREAM_FULL = "bench-full"
STREAM_LINE = "bench-line"
EXPORT_SESSION = "bench-export"

SEND_MESSAGE = "What is wrong with the north wall?"
SEND_BODY: dict[str, object] = {"message": SEND_MESSAGE, "force_detailed_analysis": False}
