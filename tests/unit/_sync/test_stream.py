# Generated from tests/unit/_async/test_stream.py by tools/gen_sync.py: do not edit; edit the async source.
"""Streaming: tokens in order, the final answer, cut-off and error streams, and release."""

from __future__ import annotations

import pytest

from tests.unit.payloads import SID, answer_stream, sse
from visionchat import (
    ChatResponse,
    ChatTokenType,
    ResponseDecodeError,
    StreamError,
    VisionChat,
)

PATH = f"/chat/sessions/{SID}/messages/stream"
SSE = "text/event-stream"


def test_tokens_arrive_in_order_and_the_answer_is_complete(client: VisionChat, mock_api) -> None:
    mock_api.add("POST", PATH, body=answer_stream(["Rust ", "on ", "beam 4."]), content_type=SSE)
    with client.chats.send_stream("rust?", session_id=SID) as stream:
        tokens = [t for t in stream]
        response = stream.response()
    kinds = [t.type for t in tokens]
    assert kinds == ["connection", "thinking", "token", "token", "token", "complete", "close"]
    assert kinds[0] is ChatTokenType.CONNECTION
    assert "".join(t.content or "" for t in tokens) == "Rust on beam 4."
    assert [t.id for t in tokens if t.type == "token"] == ["0", "1", "2"]
    third = tokens[3]
    assert third.data == {
        "type": "token",
        "content": "on ",
        "accumulated": "Rust on ",
        "token_index": 1,
    }
    assert third.to_dict()["data"]["accumulated"] == "Rust on "
    assert isinstance(response, ChatResponse)
    assert (response.content, response.message_id, response.session_id) == (
        "Rust on beam 4.",
        "m-9",
        SID,
    )
    assert response.agents_used == ["search"] and response.remaining_messages == 9
    assert stream.text == "Rust on beam 4." and stream.last_event_id == "2"
    call = mock_api.calls[0]
    assert call.headers["Accept"] == "text/event-stream"
    assert call.json == {"message": "rust?", "force_detailed_analysis": False}
    assert call.query == {}


def test_response_reads_the_stream_to_its_end(client: VisionChat, mock_api) -> None:
    mock_api.add("POST", PATH, body=answer_stream(["a", "b"]), content_type=SSE)
    response = client.chats.send_stream("q", session_id=SID).response()
    assert response.content == "ab"


def test_debug_reasoning_is_a_query_flag(client: VisionChat, mock_api) -> None:
    mock_api.add("POST", PATH, body=answer_stream(["x"]), content_type=SSE)
    client.chats.send_stream("q", session_id=SID, debug_reasoning=True).response()
    assert mock_api.calls[0].query == {"debug_reasoning": "true"}


def test_a_stream_without_its_final_event_is_cut_off(client: VisionChat, mock_api) -> None:
    body = sse(
        ("connection", {"message_id": "m-1", "status": "connected"}),
        ("token", {"content": "Half an ", "accumulated": "Half an ", "token_index": 0}, "0"),
        ("token", {"content": "answer", "accumulated": "Half an answer", "token_index": 1}, "1"),
    )
    mock_api.add("POST", PATH, body=body, content_type=SSE)
    seen = []
    with pytest.raises(StreamError) as info:
        for token in client.chats.send_stream("q", session_id=SID):
            seen.append(token.content)
    assert seen == [None, "Half an ", "answer"]
    error = info.value
    assert error.code == "STREAM_CUT_OFF"
    assert (error.partial_content, error.last_event_id, error.message_id) == (
        "Half an answer",
        "1",
        "m-1",
    )
    assert "cut off" in str(error)


def test_close_without_a_terminal_event_is_cut_off(client: VisionChat, mock_api) -> None:
    body = sse(("connection", {"message_id": "m-1"}), ("close", {"message_id": "m-1"}))
    mock_api.add("POST", PATH, body=body, content_type=SSE)
    with pytest.raises(StreamError, match="cut off"):
        client.chats.send_stream("q", session_id=SID).response()


@pytest.mark.parametrize(
    ("event", "data", "code"),
    [
        (
            "error",
            {"message": "usage limit reached", "code": "USAGE_LIMIT_EXCEEDED"},
            "USAGE_LIMIT_EXCEEDED",
        ),
        ("auth_error", {"error": "key expired"}, "AUTH_ERROR"),
    ],
)
def test_error_events_raise_with_their_code(
    client: VisionChat, mock_api, event, data, code
) -> None:
    body = sse(
        ("connection", {"message_id": "m-1"}),
        ("token", {"content": "So far", "accumulated": "So far", "token_index": 0}, "0"),
        (event, data),
        ("close", {"message_id": "m-1"}),
    )
    mock_api.add("POST", PATH, body=body, content_type=SSE)
    with pytest.raises(StreamError) as info:
        client.chats.send_stream("q", session_id=SID).response()
    assert info.value.code == code
    assert info.value.partial_content == "So far"


def test_unknown_events_come_through_as_tokens(client: VisionChat, mock_api) -> None:
    body = sse(
        ("connection", {"message_id": "m-1"}),
        ("hologram", {"frames": 3}),
        ("complete", {"content": "done", "message_id": "m-1"}),
        ("close", {}),
    )
    mock_api.add("POST", PATH, body=body, content_type=SSE)
    tokens = [t for t in client.chats.send_stream("q", session_id=SID)]
    assert tokens[1].type == "hologram" and tokens[1].data["frames"] == 3


def test_an_unknown_event_with_plain_text_data(client: VisionChat, mock_api) -> None:
    body = (
        sse(("connection", {"message_id": "m-1"}))
        + b"event: note\ndata: not json\n\n"
        + sse(("complete", {"content": "done", "message_id": "m-1"}), ("close", {}))
    )
    mock_api.add("POST", PATH, body=body, content_type=SSE)
    tokens = [t for t in client.chats.send_stream("q", session_id=SID)]
    assert (tokens[1].type, tokens[1].data, tokens[1].raw) == (
        "note",
        {"raw": "not json"},
        b"not json",
    )


def test_a_token_event_that_is_not_json_is_damage(client: VisionChat, mock_api) -> None:
    body = sse(("connection", {"message_id": "m-1"})) + b"event: token\ndata: {oops\n\n"
    mock_api.add("POST", PATH, body=body, content_type=SSE)
    with pytest.raises(StreamError, match="malformed"):
        client.chats.send_stream("q", session_id=SID).response()


def test_a_plan_turn_ends_the_stream_with_a_pending_plan(client: VisionChat, mock_api) -> None:
    body = sse(
        ("connection", {"message_id": "m-3"}),
        (
            "plan_pending_approval",
            {"plan_id": "p-1", "steps": [{"action": "move"}], "message": "Move 4 images?"},
        ),
        ("close", {"message_id": "m-3"}),
    )
    mock_api.add("POST", PATH, body=body, content_type=SSE)
    response = client.chats.send_stream("organise", session_id=SID).response()
    assert response.pending_plan is not None
    assert (response.pending_plan.plan_id, response.content) == ("p-1", "Move 4 images?")


def test_an_html_reply_is_a_decode_error(client: VisionChat, mock_api) -> None:
    mock_api.add("POST", PATH, body="<html>Bad gateway</html>", content_type="text/html")
    with pytest.raises(ResponseDecodeError, match="expected an event stream") as info:
        client.chats.send_stream("q", session_id=SID).response()
    assert "Bad gateway" in str(info.value)


def test_an_error_status_before_the_stream_is_a_status_error(client: VisionChat, mock_api) -> None:
    from visionchat import NotFoundError

    mock_api.add(
        "POST",
        PATH,
        status=404,
        json={"error": "no such session", "error_code": "SESSION_NOT_FOUND"},
    )
    with pytest.raises(NotFoundError):
        client.chats.send_stream("q", session_id=SID).response()


def test_breaking_out_releases_the_stream(client: VisionChat, mock_api, settle) -> None:
    mock_api.add("POST", PATH, body=answer_stream(["a", "b", "c"]), content_type=SSE)
    stream = client.chats.send_stream("q", session_id=SID)
    for token in stream:
        if token.type == "token":
            break
    settle()  # the dropped loop iterator is finalised
    assert stream._response is None
    assert [t for t in stream] == []  # a closed stream yields nothing more


def test_close_in_a_with_block_releases_the_stream(client: VisionChat, mock_api) -> None:
    mock_api.add("POST", PATH, body=answer_stream(["a", "b", "c"]), content_type=SSE)
    with client.chats.send_stream("q", session_id=SID) as stream:
        iterator = iter(stream)
        assert (next(iterator)).type == "connection"
        assert stream._response is not None
    assert stream._response is None


def test_an_exception_in_the_loop_releases_the_stream(client: VisionChat, mock_api) -> None:
    mock_api.add("POST", PATH, body=answer_stream(["a", "b"]), content_type=SSE)
    stream = client.chats.send_stream("q", session_id=SID)
    with pytest.raises(RuntimeError):
        with stream:
            for _ in stream:
                raise RuntimeError("caller failed")
    assert stream._response is None


def test_a_broken_start_is_retried_with_the_same_idempotency_key(
    client: VisionChat, mock_api, sleeps
) -> None:
    mock_api.add("POST", PATH, status=503, json={"error": "busy"})
    mock_api.add("POST", PATH, body=b"", content_type=SSE)  # ends before any event
    mock_api.add("POST", PATH, body=answer_stream(["ok"]), content_type=SSE)
    response = client.chats.send_stream("q", session_id=SID).response()
    assert response.content == "ok"
    keys = {c.headers["Idempotency-Key"] for c in mock_api.calls}
    assert len(mock_api.calls) == 3 and len(keys) == 1
    assert len(sleeps) == 2


def test_arguments_are_checked_before_anything_is_sent(client: VisionChat, mock_api) -> None:
    with pytest.raises(ValueError, match="message"):
        client.chats.send_stream("", session_id=SID)
    with pytest.raises(ValueError, match="10000"):
        client.chats.send_stream("x" * 10_001, session_id=SID)
    assert mock_api.calls == []


def _cut_after(words: list[str], keep: int) -> bytes:
    """The start of `answer_stream(words)`: everything up to the `keep`-th token."""
    full = answer_stream(words)
    frames = full.split(b"\n\n")
    out, tokens = [], 0
    for frame in frames:
        out.append(frame)
        if b"event: token" in frame:
            tokens += 1
            if tokens == keep:
                break
    return b"\n\n".join(out) + b"\n\n"


def test_a_cut_stream_resumes_after_the_last_event_id(client: VisionChat, mock_api, sleeps) -> None:
    words = ["one ", "two ", "three ", "four"]
    mock_api.add("POST", PATH, body=_cut_after(words, 2), content_type=SSE)
    # A server that honours Last-Event-ID sends only what follows id 1.
    rest = answer_stream(words).split(b"id: 1\n", 1)[1].split(b"\n\n", 1)[1]
    mock_api.add("POST", PATH, body=rest, content_type=SSE)
    stream = client.chats.send_stream("q", session_id=SID)
    tokens = [t for t in stream]
    assert "".join(t.content or "" for t in tokens) == "one two three four"
    assert [t.id for t in tokens if t.type == "token"] == ["0", "1", "2", "3"]
    first, second = mock_api.calls
    assert "Last-Event-ID" not in first.headers and second.headers["Last-Event-ID"] == "1"
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"]


def test_a_resumed_stream_that_starts_over_is_deduplicated(
    client: VisionChat, mock_api, sleeps
) -> None:
    words = ["one ", "two ", "three"]
    mock_api.add("POST", PATH, body=_cut_after(words, 2), content_type=SSE)
    mock_api.add("POST", PATH, body=answer_stream(words), content_type=SSE)  # replays it all
    tokens = [t for t in client.chats.send_stream("q", session_id=SID)]
    assert "".join(t.content or "" for t in tokens) == "one two three"
    assert [t.type for t in tokens].count("connection") == 1


def test_a_ping_before_the_replay_does_not_end_deduplication(
    client: VisionChat, mock_api, sleeps
) -> None:
    words = ["one ", "two ", "three"]
    mock_api.add("POST", PATH, body=_cut_after(words, 2), content_type=SSE)
    replay = b"event: ping\ndata: {}\n\n" + answer_stream(words)
    mock_api.add("POST", PATH, body=replay, content_type=SSE)
    tokens = [t for t in client.chats.send_stream("q", session_id=SID)]
    assert "".join(t.content or "" for t in tokens) == "one two three"
    assert [t.type for t in tokens].count("connection") == 1


def test_a_resumed_stream_of_another_answer_is_refused(
    client: VisionChat, mock_api, sleeps
) -> None:
    words = ["one ", "two ", "three"]
    mock_api.add("POST", PATH, body=_cut_after(words, 2), content_type=SSE)
    mock_api.add("POST", PATH, body=answer_stream(["other"], message_id="m-new"), content_type=SSE)
    with pytest.raises(StreamError, match="another answer") as info:
        client.chats.send_stream("q", session_id=SID).response()
    assert info.value.partial_content == "one two "


def test_the_final_answer_carries_the_streams_request_id(client: VisionChat, mock_api) -> None:
    mock_api.add(
        "POST", PATH, body=answer_stream(["x"]), content_type=SSE, headers={"X-Request-ID": "r-9"}
    )
    assert (client.chats.send_stream("q", session_id=SID).response()).request_id == "r-9"


def test_a_complete_event_without_ids_or_content_is_filled_from_the_stream(
    client: VisionChat, mock_api
) -> None:
    body = sse(
        ("connection", {"message_id": "m-7"}),
        ("token", {"content": "All ", "accumulated": "All ", "token_index": 0}, "0"),
        ("token", {"content": "there.", "accumulated": "All there.", "token_index": 1}, "1"),
        ("complete", {"token_count": 2}),
        ("close", {}),
    )
    mock_api.add("POST", PATH, body=body, content_type=SSE)
    response = client.chats.send_stream("q", session_id=SID).response()
    assert (response.message_id, response.content, response.token_count) == ("m-7", "All there.", 2)
