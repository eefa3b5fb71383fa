# Generated from tests/unit/_async/test_raw_responses.py by tools/gen_sync.py: do not edit; edit the async source.
"""`client.chats.with_raw_response`: status, headers, request id and timing, then `parse()`."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.unit.payloads import IMG, SID, TS, answer_stream, message, summary
from visionchat import (
    ChatSessionDetail,
    ChatStream,
    ImageReference,
    PlanActionResponse,
    RateLimitError,
    RawResponse,
    SessionList,
    VisionChat,
)

S = f"/chat/sessions/{SID}"
LIMITS = {"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "99", "X-RateLimit-Reset": "60"}
DETAIL = {
    "session": summary(),
    "messages": [message()],
    "selected_image_ids": [IMG],
    "context_summary": None,
}


def test_a_raw_reply_shows_status_headers_and_parses_to_the_usual_model(
    client: VisionChat, mock_api
) -> None:
    mock_api.add("GET", S, json=DETAIL, headers={**LIMITS, "X-Request-ID": "req-7"})
    raw = client.chats.with_raw_response.get_session(SID, message_limit=5)
    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200
    assert raw.headers["x-ratelimit-remaining"] == "99"  # any case
    assert raw.request_id == "req-7"
    assert isinstance(raw.elapsed, timedelta) and raw.elapsed >= timedelta(0)
    detail = raw.parse()
    assert isinstance(detail, ChatSessionDetail)
    assert detail.session.id == SID and detail.request_id == "req-7"
    assert raw.parse() is detail  # decoded once
    assert mock_api.calls[0].query == {"include_messages": "true", "message_limit": "5"}
    assert "200" in repr(raw) and "req-7" in repr(raw)


@pytest.mark.parametrize(
    ("call", "verb", "path", "reply", "status", "check"),
    [
        (
            lambda raw: raw.list_sessions(limit=3),
            "GET",
            "/chat/sessions",
            {"sessions": [summary()], "total_count": 1, "has_more": False},
            200,
            lambda parsed: isinstance(parsed, SessionList) and parsed.total == 1,
        ),
        (
            lambda raw: raw.get_messages(SID),
            "GET",
            S,
            DETAIL,
            200,
            lambda parsed: [m.id for m in parsed] == ["m-1"],
        ),
        (
            lambda raw: raw.search_images("rust"),
            "POST",
            "/chat/images/search",
            {"results": [{"image_id": IMG, "description": "beam"}], "total_count": 1},
            200,
            lambda parsed: isinstance(parsed[0], ImageReference),
        ),
        (
            lambda raw: raw.approve_plan(SID, "p-1"),
            "POST",
            f"{S}/plans/p-1/action",
            None,
            202,
            lambda parsed: isinstance(parsed, PlanActionResponse) and parsed.accepted,
        ),
        (
            lambda raw: raw.export_session(SID),
            "GET",
            f"{S}/export",
            None,
            200,
            lambda parsed: parsed == b"# Bridge survey\n",
        ),
    ],
    ids=["list_sessions", "get_messages", "search_images", "approve_plan", "export_session"],
)
def test_each_call_has_a_raw_twin(
    client: VisionChat, mock_api, call, verb, path, reply, status, check
) -> None:
    body = b"# Bridge survey\n" if path.endswith("/export") else None
    mock_api.add(verb, path, json=reply, body=body, status=status, headers=LIMITS)
    raw = call(client.chats.with_raw_response)
    assert raw.status_code == status
    assert raw.headers["X-RateLimit-Limit"] == "100"
    assert check(raw.parse())
    assert len(mock_api.calls) == 1


def test_a_raw_export_to_a_file_is_written_before_the_reply_returns(
    client: VisionChat, mock_api, tmp_path: Path
) -> None:
    mock_api.add("GET", f"{S}/export", body=b"# Bridge survey\n", headers=LIMITS)
    target = tmp_path / "survey.md"
    raw = client.chats.with_raw_response.export_session(SID, path=target)
    assert target.read_bytes() == b"# Bridge survey\n"
    assert raw.parse() == target and raw.headers["X-RateLimit-Reset"] == "60"


def test_a_raw_stream_has_its_headers_before_iteration(client: VisionChat, mock_api) -> None:
    mock_api.add(
        "POST",
        f"{S}/messages/stream",
        body=answer_stream(["Rust ", "here."]),
        content_type="text/event-stream",
        headers={**LIMITS, "X-Request-ID": "req-s"},
    )
    raw = client.chats.with_raw_response.send_stream("rust?", session_id=SID)
    assert len(mock_api.calls) == 1  # sent at once, unlike send_stream
    assert raw.status_code == 200 and raw.request_id == "req-s"
    assert raw.headers["X-RateLimit-Remaining"] == "99"
    with raw.parse() as stream:
        assert isinstance(stream, ChatStream)
        words = [t.content for t in stream if t.content]
        response = stream.response()
    assert words == ["Rust ", "here."]
    assert response.content == "Rust here." and response.request_id == "req-s"
    assert len(mock_api.calls) == 1


def test_an_error_reply_still_raises_through_the_raw_twin(client: VisionChat, mock_api) -> None:
    error = {"error": "slow down", "error_code": "RATE_LIMIT_ERROR"}
    headers = {**LIMITS, "X-RateLimit-Remaining": "0", "Retry-After": "30"}
    mock_api.add("GET", S, json=error, status=429, headers=headers)
    mock_api.add("GET", S, json=error, status=429, headers=headers)
    mock_api.add("GET", S, json=error, status=429, headers=headers)
    with pytest.raises(RateLimitError) as info:
        client.chats.with_raw_response.get_session(SID)
    assert info.value.retry_after == 30


def test_the_raw_iterators_yield_one_raw_reply_per_page(client: VisionChat, mock_api) -> None:
    pages = [(["s-1", "s-2"], True), (["s-3"], False)]
    for ids, more in pages:
        body = {"sessions": [summary(i) for i in ids], "total_count": 3, "has_more": more}
        mock_api.add("GET", "/chat/sessions", json=body, headers=LIMITS)
    walk = client.chats.with_raw_response.iter_sessions(page_size=2)
    replies = [raw for raw in walk]
    assert [[s.id for s in raw.parse().items] for raw in replies] == [["s-1", "s-2"], ["s-3"]]
    assert {raw.headers["X-RateLimit-Limit"] for raw in replies} == {"100"}
    assert [c.query["offset"] for c in mock_api.calls] == ["0", "2"]


def test_create_session_through_the_raw_twin(client: VisionChat, mock_api) -> None:
    mock_api.add("POST", "/chat/sessions", json={"session_id": SID, "title": "T", "created_at": TS})
    raw = client.chats.with_raw_response.create_session(title="T")
    assert raw.parse().id == SID
