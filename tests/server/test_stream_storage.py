"""A stored stream costs storage in proportion to its answer, and replays byte for byte."""

from __future__ import annotations

import sqlite3

from .conftest import AUTH
from .helpers import new_session, parse_sse

# A long answer: twenty images, analysed in detail.
_LONG_QUESTION = "analyse the top 20 images of rust, cracks and poles in detail"


async def _stream_bytes(client, sid: str, key: str, **headers: str) -> bytes:
    resp = await client.post(
        f"/api/v2/chat/sessions/{sid}/messages/stream",
        json={"message": _LONG_QUESTION, "force_detailed_analysis": True},
        headers={**AUTH, "Idempotency-Key": key, **headers},
    )
    assert resp.status == 200
    return await resp.read()


def _stored_bytes(db_file: str, sid: str) -> int:
    """Everything the turn added: its messages and its idempotency record, every column."""
    with sqlite3.connect(db_file) as conn:
        rows = [
            *conn.execute("SELECT * FROM messages WHERE session_id = ?", (sid,)),
            *conn.execute("SELECT * FROM idempotency"),
        ]
    return sum(len(v if isinstance(v, bytes) else str(v).encode()) for r in rows for v in r)


async def test_stored_bytes_grow_with_the_answer_not_its_square(make_client, db_file: str) -> None:
    client = await make_client(ping_interval=3600)
    sid = await new_session(client)
    frames = parse_sse((await _stream_bytes(client, sid, "storage")).decode())
    answer = frames[-2].data["content"]
    assert frames[-2].event == "complete" and len(answer) > 4000
    stored = _stored_bytes(db_file, sid)
    assert stored <= 3 * len(answer.encode()) + 8 * 1024, (stored, len(answer))


async def test_replay_and_resume_are_byte_identical_to_the_original(make_client) -> None:
    client = await make_client(ping_interval=3600)
    sid = await new_session(client)
    original = await _stream_bytes(client, sid, "replay")
    assert await _stream_bytes(client, sid, "replay") == original
    frames = original.split(b"\n\n")[:-1]
    assert all(f.split(b"\n")[1] == f"id: {n}".encode() for n, f in enumerate(frames, 1))
    token_ids = [n for n, f in enumerate(frames, 1) if f.startswith(b"event: token\n")]
    # From before the first token, from inside the tokens, and from the last event on.
    for last_seen in (2, token_ids[len(token_ids) // 2], len(frames) - 1, len(frames)):
        resumed = await _stream_bytes(client, sid, "replay", **{"Last-Event-ID": str(last_seen)})
        assert resumed == b"".join(f + b"\n\n" for f in frames[last_seen:])
