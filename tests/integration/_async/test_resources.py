"""No connection outlives its call: counted on the server side, repeated to expose leaks."""

from __future__ import annotations

import pytest

from tests.async_helpers import ModeCallable
from tests.integration.conftest import settled_connections
from visionchat import (
    APITimeoutError,
    AsyncVisionChat,
    NotFoundError,
    ResponseDecodeError,
    Timeout,
)
from visionchat.server import ReferenceServer

REPEATS = 4


async def _normal(client: AsyncVisionChat, server: ReferenceServer, sid: str) -> None:
    await client.chats.get_session(sid)


async def _error_status(client: AsyncVisionChat, server: ReferenceServer, sid: str) -> None:
    with pytest.raises(NotFoundError):
        await client.chats.get_session("00000000-0000-4000-8000-00000000dead")


async def _broken_body(client: AsyncVisionChat, server: ReferenceServer, sid: str) -> None:
    server.faults.add("truncated_json", path=f"/sessions/{sid}", method="GET")
    with pytest.raises(ResponseDecodeError):
        await client.chats.get_session(sid)


async def _stream_to_the_end(client: AsyncVisionChat, server: ReferenceServer, sid: str) -> None:
    async for _ in client.chats.send_stream("Which poles lean?", session_id=sid):
        pass


async def _stream_abandoned(client: AsyncVisionChat, server: ReferenceServer, sid: str) -> None:
    async for token in client.chats.send_stream("Which poles lean?", session_id=sid):
        if token.type == "token":
            break


async def _exception_in_loop(client: AsyncVisionChat, server: ReferenceServer, sid: str) -> None:
    with pytest.raises(KeyError):
        async for _ in client.chats.send_stream("Which poles lean?", session_id=sid):
            raise KeyError("the caller's bug")


async def _timeout(client: AsyncVisionChat, server: ReferenceServer, sid: str) -> None:
    server.faults.add("slow", path="/chat/images/all", delay=0.3)
    with pytest.raises(APITimeoutError):
        await client.with_options(timeout=Timeout(read=0.05), max_retries=0).chats.get_all_images()


@pytest.mark.parametrize(
    "scenario",
    [
        _normal,
        _error_status,
        _broken_body,
        _stream_to_the_end,
        _stream_abandoned,
        _exception_in_loop,
        _timeout,
    ],
)
async def test_no_connection_is_leaked(
    server: ReferenceServer,
    settle,
    scenario: ModeCallable[[AsyncVisionChat, ReferenceServer, str], None],
) -> None:
    assert settled_connections(server, 0) == 0
    async with AsyncVisionChat(
        api_key=server.api_key, base_url=server.base_url, max_retries=0
    ) as client:
        sid = (await client.chats.create_session()).id
        for _ in range(REPEATS):
            await scenario(client, server, sid)
            await settle()
        # One pooled keep-alive connection may stay; a leak would leave one per repeat.
        assert settled_connections(server, 1) <= 1
    assert settled_connections(server, 0) == 0


async def test_a_stream_read_to_its_end_leaves_its_connection_for_the_next_call(
    server: ReferenceServer, settle
) -> None:
    async with AsyncVisionChat(api_key=server.api_key, base_url=server.base_url) as client:
        sid = (await client.chats.create_session()).id
        before = server.connections_used
        for _ in range(3):
            await client.chats.send_stream("Which poles lean?", session_id=sid).response()
            await settle()
        await client.chats.get_session(sid)
        assert server.connections_used - before <= 1
