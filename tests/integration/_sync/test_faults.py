# Generated from tests/integration/_async/test_faults.py by tools/gen_sync.py: do not edit; edit the async source.
"""Faults injected by the reference server: what each kind of call does under each fault.

Every cell says what must happen: retried and succeeded, or which typed error with
which message. Nothing may be posted twice, and nothing received may be lost.
"""

from __future__ import annotations

import pytest

from visionchat import (
    APITimeoutError,
    InternalServerError,
    RateLimitError,
    ResponseDecodeError,
    StreamError,
    Timeout,
    VisionChat,
)
from visionchat.server import ReferenceServer


def _roles(client: VisionChat, session_id: str) -> list[str]:
    return [m.role for m in client.chats.get_messages(session_id)]


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("status", {"status": 500}),
        ("status", {"status": 502}),
        ("status", {"status": 503, "retry_after": 0}),
        ("rate_limit", {"retry_after": 0}),
        ("lost_reply", {}),
    ],
)
def test_a_send_is_retried_and_posted_once(
    client: VisionChat, server: ReferenceServer, kind: str, params: dict
) -> None:
    session = client.chats.create_session()
    server.faults.add(kind, path=f"/sessions/{session.id}/messages", method="POST", **params)
    reply = client.chats.send("Which poles lean?", session_id=session.id)
    assert reply.content
    assert _roles(client, session.id) == ["user", "assistant"]


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("status", {"status": 503}),
        ("lost_reply", {}),
        ("cut_stream", {"after_tokens": 0}),
    ],
)
def test_a_stream_that_fails_before_its_first_event_is_retried_once_posted(
    client: VisionChat, server: ReferenceServer, kind: str, params: dict
) -> None:
    session = client.chats.create_session()
    server.faults.add(kind, path=f"/sessions/{session.id}/messages/stream", **params)
    final = client.chats.send_stream("Which poles lean?", session_id=session.id).response()
    assert final.content
    assert _roles(client, session.id) == ["user", "assistant"]


def test_retries_run_out_into_a_typed_error(client: VisionChat, server: ReferenceServer) -> None:
    session = client.chats.create_session()
    server.faults.add("status", path=session.id, status=503, count=3)
    with pytest.raises(InternalServerError) as info:
        client.chats.get_session(session.id)
    assert info.value.status_code == 503 and info.value.request_id


def test_a_long_retry_after_raises_instead_of_sleeping(
    client: VisionChat, server: ReferenceServer
) -> None:
    server.faults.add("rate_limit", path="/chat/sessions", method="GET", retry_after=3600)
    with pytest.raises(RateLimitError) as info:
        client.chats.list_sessions()
    assert info.value.retry_after == 3600.0
    assert info.value.headers.get("X-RateLimit-Limit")


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("html", "not valid JSON"),
        ("truncated_json", "not valid JSON"),
        ("empty_body", "empty body"),
    ],
)
def test_a_broken_json_reply_is_a_decode_error(
    client: VisionChat, server: ReferenceServer, kind: str, says: str
) -> None:
    server.faults.add(kind, path="/chat/images/all")
    with pytest.raises(ResponseDecodeError, match=says):
        client.chats.get_all_images()


def test_an_html_page_instead_of_a_stream(client: VisionChat, server: ReferenceServer) -> None:
    session = client.chats.create_session()
    server.faults.add("html", path=f"{session.id}/messages/stream")
    with pytest.raises(ResponseDecodeError, match="expected an event stream"):
        client.chats.send_stream("hi", session_id=session.id).response()


def test_a_stream_cut_after_tokens_resumes_without_gap_or_duplicate(
    client: VisionChat, server: ReferenceServer
) -> None:
    session = client.chats.create_session()
    server.faults.add("cut_stream", path=f"{session.id}/messages/stream", after_tokens=4)
    stream = client.chats.send_stream("Which roofs leak?", session_id=session.id)
    tokens = [t for t in stream]
    final = stream.response()
    assert "".join(t.content or "" for t in tokens) == final.content
    ids = [t.id for t in tokens if t.id is not None]
    assert len(ids) == len(set(ids))  # no event twice
    assert _roles(client, session.id) == ["user", "assistant"]


def test_a_stream_that_keeps_breaking_raises_with_what_arrived(
    client: VisionChat, server: ReferenceServer
) -> None:
    session = client.chats.create_session()
    server.faults.add("cut_stream", path=f"{session.id}/messages/stream", after_tokens=2, count=9)
    stream = client.chats.send_stream("Which roofs leak?", session_id=session.id)
    received = []
    with pytest.raises(StreamError) as info:
        for token in stream:
            received.append(token.content or "")
    error = info.value
    assert error.code == "STREAM_CUT_OFF"
    assert error.partial_content == "".join(received) and error.partial_content
    assert error.message_id and error.last_event_id
    assert _roles(client, session.id) == ["user", "assistant"]


def test_an_error_event_mid_stream(client: VisionChat, server: ReferenceServer) -> None:
    session = client.chats.create_session()
    server.faults.add("error_event", path=f"{session.id}/messages/stream", code="PROVIDER_ERROR")
    with pytest.raises(StreamError) as info:
        client.chats.send_stream("Which roofs leak?", session_id=session.id).response()
    assert info.value.code == "PROVIDER_ERROR"
    assert "provider" in str(info.value).lower()


def test_an_endless_sse_line_hits_the_cap(client: VisionChat, server: ReferenceServer) -> None:
    session = client.chats.create_session()
    capped = client.with_options(max_retries=0, max_line_bytes=256 * 1024)
    server.faults.add("endless_sse_line", path=f"{session.id}/messages/stream", max_bytes=1_000_000)
    with pytest.raises(StreamError, match="longer than 262144 bytes"):
        capped.chats.send_stream("hi", session_id=session.id).response()


def test_a_slow_reply_times_out(client: VisionChat, server: ReferenceServer) -> None:
    # The server's delay only has to outlast the read timeout: a longer one keeps its
    # connection open into the next tests, which wait for connections to settle.
    server.faults.add("slow", path="/chat/images/all", delay=0.4, count=3)
    impatient = client.with_options(timeout=Timeout(connect=1.0, read=0.1), max_retries=0)
    with pytest.raises(APITimeoutError):
        impatient.chats.get_all_images()
