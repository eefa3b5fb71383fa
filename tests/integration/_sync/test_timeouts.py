# Generated from tests/integration/_async/test_timeouts.py by tools/gen_sync.py: do not edit; edit the async source.
"""Hostile pacing and sizes: a quiet stream times out, pings keep it alive, an endless body is capped."""

from __future__ import annotations

import pytest

from visionchat import (
    APITimeoutError,
    ResponseDecodeError,
    StreamError,
    StreamTimeoutError,
    Timeout,
    VisionChat,
)

PATIENCE = Timeout(connect=2.0, read=2.0, stream_idle=0.3)


def test_a_connection_that_cannot_be_opened_times_out(unanswered_url: str) -> None:
    with VisionChat(
        api_key="k", base_url=unanswered_url, timeout=Timeout(connect=0.3), max_retries=0
    ) as client:
        with pytest.raises(APITimeoutError, match="timed out"):
            client.chats.get_session("s")


def test_pings_count_as_activity(paced_server: str) -> None:
    with VisionChat(api_key="k", base_url=paced_server, timeout=PATIENCE) as client:
        response = client.chats.send_stream("q", session_id="with-pings").response()
    assert response.content == "Before the gap. After it."


def test_a_quiet_stream_times_out_keeping_what_arrived(paced_server: str) -> None:
    with VisionChat(api_key="k", base_url=paced_server, timeout=PATIENCE) as client:
        with pytest.raises(StreamTimeoutError) as info:
            client.chats.send_stream("q", session_id="quiet").response()
    error = info.value
    assert isinstance(error, APITimeoutError) and isinstance(error, StreamError)
    assert error.partial_content == "Before the gap. " and error.last_event_id == "2"


@pytest.mark.parametrize("sid", ["open-after-close", "more-after-close"])
def test_what_follows_the_close_frame_changes_nothing(paced_server: str, sid: str) -> None:
    # After `close` the stream reads on to the body's end (so the connection can be
    # reused); a server that holds the body open or sends more must not matter.
    with VisionChat(api_key="k", base_url=paced_server, timeout=PATIENCE) as client:
        stream = client.chats.send_stream("q", session_id=sid)
        tokens = [token for token in stream]
        response = stream.response()
    assert [t.type for t in tokens][-2:] == ["complete", "close"]
    assert stream.text == response.content == "Before the gap. After it."


def test_an_endless_json_body_hits_the_cap(paced_server: str) -> None:
    with VisionChat(
        api_key="k", base_url=paced_server, max_body_bytes=1024 * 1024, max_retries=0
    ) as client:
        with pytest.raises(ResponseDecodeError, match="larger than the 1048576-byte limit"):
            client.chats.get_session("s")
        roomy = client.with_options(max_body_bytes=16 * 1024 * 1024)
        detail = roomy.chats.get_session("s")
        assert len(detail.session.title) == 128 * 65536
