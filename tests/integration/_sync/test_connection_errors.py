# Generated from tests/integration/_async/test_connection_errors.py by tools/gen_sync.py: do not edit; edit the async source.
"""Connection failures in the SDK's own words: what happened, where, after how many attempts."""

from __future__ import annotations

import pytest

from visionchat import APIConnectionError, APIStatusError, StreamError, VisionChat
from visionchat.server import ReferenceServer

#: Words of the transport libraries that must not reach the SDK's messages.
LIBRARY_WORDS = ("Max retries exceeded", "ssl:default", "HTTPConnectionPool", "ConnectionKey")


def _port(url: str) -> str:
    return url.split("//", 1)[1].split("/", 1)[0]


def _check(error: APIConnectionError, url: str, what: str, attempts: int) -> None:
    text = str(error)
    assert f"to {_port(url)} failed: {what}" in text
    assert f"after {attempts} attempt" in text and error.attempts == attempts
    assert error.host == "127.0.0.1" and str(error.port) == _port(url).split(":")[1]
    assert error.__cause__ is not None  # the library's exception, for those who want it
    assert not [word for word in LIBRARY_WORDS if word in text]


def test_a_refused_connection(refused_url: str) -> None:
    with VisionChat(api_key="k", base_url=refused_url, max_retries=2) as client:
        with pytest.raises(APIConnectionError) as info:
            client.chats.get_session("s")
    _check(info.value, refused_url, "connection refused", 3)
    assert "GET /api/v2/chat/sessions/s to" in str(info.value)


def test_a_port_that_does_not_speak_http(not_http_url: str) -> None:
    with VisionChat(api_key="k", base_url=not_http_url, max_retries=1) as client:
        with pytest.raises(APIConnectionError) as info:
            client.chats.list_sessions()
    assert not isinstance(info.value, APIStatusError)  # no status was ever received
    _check(info.value, not_http_url, "the reply is not HTTP", 2)
    assert "400" not in str(info.value)


def test_a_server_that_hangs_up(hang_up_url: str) -> None:
    with VisionChat(api_key="k", base_url=hang_up_url, max_retries=0) as client:
        with pytest.raises(APIConnectionError) as info:
            client.chats.list_sessions()
    _check(info.value, hang_up_url, "the server closed the connection without replying", 1)


def test_response_after_leaving_the_loop_says_the_caller_closed_it(
    client: VisionChat, server: ReferenceServer
) -> None:
    sid = (client.chats.create_session()).id
    stream = client.chats.send_stream("Tell me about my images", session_id=sid)
    for token in stream:
        if token.content:
            break
    with pytest.raises(StreamError) as info:
        stream.response()
    assert info.value.code == "STREAM_CLOSED" and "closed by the caller" in str(info.value)
    assert info.value.partial_content == stream.text != ""
    closed = client.chats.send_stream("Tell me about my images", session_id=sid)
    closed.close()
    with pytest.raises(StreamError, match="closed by the caller"):
        closed.response()
