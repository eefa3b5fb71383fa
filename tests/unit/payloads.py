"""Reply bodies shaped exactly as the protocol describes them, for the mocked tests."""

from __future__ import annotations

from typing import Any

import msgspec

SID = "5f0c6d3e-8a43-4d8e-9a3c-1b2a3c4d5e6f"
IMG = "0a1b2c3d-0000-4000-8000-000000000001"
TS = "2025-01-15T10:30:00Z"


def summary(session_id: str = SID, **changes: Any) -> dict[str, Any]:
    body = {
        "id": session_id,
        "title": "Bridge survey",
        "total_messages": 2,
        "total_tokens": 120,
        "remaining_tokens": 99880,
        "remaining_messages": 198,
        "is_active": True,
        "created_at": TS,
        "updated_at": TS,
        "last_message_at": None,
        "selected_image_count": 0,
        "a_field_from_the_future": {"ignored": True},
    }
    body.update(changes)
    return body


def message(
    role: str = "assistant", content: str = "Rust on [[img:0a1b|beam.jpg]]"
) -> dict[str, Any]:
    return {
        "id": "m-1",
        "role": role,
        "content": content,
        "token_count": 12,
        "created_at": TS,
        "image_context": [{"image_id": IMG, "filename": "beam.jpg"}],
        "metadata": {"vision_used": True},
    }


SEND_REPLY = {
    "message_id": "m-2",
    "content": "Found [[ref:rust]] images: [[img:0a1b|beam.jpg]] and [[doc:d1|spec.pdf|p:5]].",
    "token_count": 30,
    "processing_time_ms": 420,
    "remaining_tokens": 99850,
    "remaining_messages": 197,
    "metadata": {"result_refs": {"rust": {"count": 7}}},
}


def sse(*events: tuple[str, dict[str, Any]] | tuple[str, dict[str, Any], str]) -> bytes:
    """Frames for (event, data) or (event, data, id), each data with its `type`."""
    out = bytearray()
    for item in events:
        name, data = item[0], {"type": item[0], **item[1]}
        if len(item) == 3:
            out += f"id: {item[2]}\n".encode()
        out += f"event: {name}\n".encode() + b"data: " + msgspec.json.encode(data) + b"\n\n"
    return bytes(out)


def answer_stream(words: list[str], message_id: str = "m-9") -> bytes:
    """A full, well-formed stream whose answer is the words joined."""
    events: list[Any] = [
        ("connection", {"message_id": message_id, "status": "connected"}),
        ("thinking", {"status": "processing"}),
        ("ping", {}),
    ]
    text = ""
    for i, word in enumerate(words):
        text += word
        events.append(("token", {"content": word, "accumulated": text, "token_index": i}, str(i)))
    events.append(
        (
            "complete",
            {
                "content": text,
                "resolved_content": text,
                "message_id": message_id,
                "agents_used": ["search"],
                "has_results": True,
                "result_count": 3,
                "image_context": [],
                "processing_time_ms": 10,
                "token_count": len(words),
                "remaining_tokens": 900,
                "remaining_messages": 9,
            },
        )
    )
    events.append(("close", {"message_id": message_id}))
    return sse(*events)
