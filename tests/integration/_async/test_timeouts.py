"""Stream idle timeouts: a quiet stream times out, keep-alive pings keep it alive."""

from __future__ import annotations

import pytest

from visionchat import APITimeoutError, AsyncVisionChat, StreamError, StreamTimeoutError, Timeout

PATIENCE = Timeout(connect=2.0, read=2.0, stream_idle=0.3)


async def test_pings_count_as_activity(paced_server: str) -> None:
    async with AsyncVisionChat(api_key="k", base_url=paced_server, timeout=PATIENCE) as client:
        response = await client.chats.send_stream("q", session_id="with-pings").response()
    assert response.content == "Before the gap. After it."


async def test_a_quiet_stream_times_out_keeping_what_arrived(paced_server: str) -> None:
    async with AsyncVisionChat(api_key="k", base_url=paced_server, timeout=PATIENCE) as client:
        with pytest.raises(StreamTimeoutError) as info:
            await client.chats.send_stream("q", session_id="quiet").response()
    error = info.value
    assert isinstance(error, APITimeoutError) and isinstance(error, StreamError)
    assert error.partial_content == "Before the gap. " and error.last_event_id == "2"
