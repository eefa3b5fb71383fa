"""SSE framing, event order, pacing, pings and Last-Event-ID resume."""

from __future__ import annotations

import asyncio

from .conftest import AUTH
from .helpers import new_session, parse_sse, stream

ORDER = [
    "connection",
    "thinking",
    "thinking_step",
    "status",
    "tool_invocation",
    "tool_result",
    "image_results",
    "token",
    "complete",
    "close",
]


async def test_event_order_ids_and_payloads(client) -> None:
    sid = await new_session(client)
    resp = await client.post(
        f"/api/v2/chat/sessions/{sid}/messages/stream",
        json={"message": "analyse cracks in concrete"},
        headers={**AUTH, "Accept": "text/event-stream"},
    )
    assert resp.status == 200
    assert resp.content_type == "text/event-stream"
    assert resp.headers["X-Request-ID"]
    frames = parse_sse(await resp.text())
    names = [f.event for f in frames]
    # Kinds appear in the protocol's order (repeats of a kind are adjacent).
    runs = [n for i, n in enumerate(names) if i == 0 or names[i - 1] != n]
    assert runs == [n for n in ORDER if n in runs]
    assert names[0] == "connection" and names[-2:] == ["complete", "close"]
    assert [f.id for f in frames] == list(range(1, len(frames) + 1))

    message_id = frames[0].data["message_id"]
    tokens = [f.data for f in frames if f.event == "token"]
    assert [t["token_index"] for t in tokens] == list(range(len(tokens)))
    assert tokens[-1]["accumulated"] == "".join(t["content"] for t in tokens)
    complete = frames[-2].data
    assert complete["content"] == tokens[-1]["accumulated"]
    assert complete["message_id"] == frames[-1].data["message_id"] == message_id
    assert "[[" not in complete["resolved_content"]
    assert complete["has_results"] is True and complete["result_count"] > 0
    for name in (
        "agents_used",
        "image_context",
        "processing_time_ms",
        "token_count",
        "remaining_tokens",
        "remaining_messages",
    ):
        assert name in complete
    steps = [f.data for f in frames if f.event == "thinking_step"]
    assert steps and all("reasoning" not in s for s in steps)

    session = await (await client.get(f"/api/v2/chat/sessions/{sid}", headers=AUTH)).json()
    assert session["messages"][-1]["id"] == message_id
    assert session["messages"][-1]["content"] == complete["content"]


async def test_debug_reasoning_and_documents(client) -> None:
    sid = await new_session(client)
    status, frames = await stream(
        client,
        sid,
        "what does the corrosion standard say about pitting?",
        query="?debug_reasoning=true",
    )
    assert status == 200
    steps = [f.data for f in frames if f.event == "thinking_step"]
    assert steps and all(isinstance(s["reasoning"], str) for s in steps)
    docs = [f.data for f in frames if f.event == "document_results"]
    assert docs and docs[0]["count"] == len(docs[0]["documents"])
    assert {"document_id", "filename", "page", "snippet"} <= set(docs[0]["documents"][0])


async def test_token_pacing_and_pings(make_client) -> None:
    client = await make_client(token_delay=0.01, ping_interval=0.05)
    sid = await new_session(client)
    loop = asyncio.get_running_loop()
    started = loop.time()
    status, frames = await stream(client, sid, "hello")
    elapsed = loop.time() - started
    assert status == 200
    tokens = [f for f in frames if f.event == "token"]
    assert elapsed >= 0.01 * len(tokens) * 0.9
    pings = [f for f in frames if f.event == "ping"]
    assert pings and all(p.id is None for p in pings)
    numbered = [f.id for f in frames if f.id is not None]
    assert numbered == list(range(1, len(numbered) + 1))


async def test_resume_with_last_event_id(client) -> None:
    sid = await new_session(client)
    headers = {"Idempotency-Key": "resume-1"}
    status, full = await stream(client, sid, "show pole decay", headers=headers)
    assert status == 200
    status, rest = await stream(
        client, sid, "show pole decay", headers={**headers, "Last-Event-ID": "7"}
    )
    assert [f.id for f in rest] == [f.id for f in full if f.id and f.id > 7]
    assert [f.data for f in rest] == [f.data for f in full if f.id and f.id > 7]
    session = await (await client.get(f"/api/v2/chat/sessions/{sid}", headers=AUTH)).json()
    assert session["session"]["total_messages"] == 2


async def test_client_disconnect_mid_stream_is_harmless(make_client) -> None:
    client = await make_client(token_delay=0.01)
    sid = await new_session(client)
    resp = await client.post(
        f"/api/v2/chat/sessions/{sid}/messages/stream", json={"message": "show roofs"}, headers=AUTH
    )
    await resp.content.readany()
    resp.close()
    await asyncio.sleep(0.05)
    ok = await client.get("/api/v2/chat/sessions", headers=AUTH)
    assert ok.status == 200
