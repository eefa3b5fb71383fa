"""Behaviour of one mode only: threads and fork (sync), cancellation and loops (async)."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.integration.conftest import settled_connections
from tests.integration.hostile import raw_listener
from visionchat import APIConnectionError, AsyncVisionChat, VisionChat
from visionchat.server import ReferenceServer


def test_one_sync_client_shared_by_many_threads(server: ReferenceServer) -> None:
    with VisionChat(api_key=server.api_key, base_url=server.base_url) as client:
        sessions = [client.chats.create_session(title=f"thread {i}").id for i in range(8)]

        def work(sid: str) -> list[str]:
            roles = []
            for _ in range(3):
                client.chats.send("Which poles lean?", session_id=sid)
                text = "".join(
                    t.content or "" for t in client.chats.send_stream("And rust?", session_id=sid)
                )
                assert text
            roles = [m.role for m in client.chats.get_messages(sid)]
            return roles

        with ThreadPoolExecutor(max_workers=16) as pool:
            results = list(pool.map(work, sessions * 2))
    for roles in results:
        assert roles.count("user") == roles.count("assistant")
    assert settled_connections(server, 0) == 0


def test_a_forked_child_gets_its_own_connections(server: ReferenceServer) -> None:
    with VisionChat(api_key=server.api_key, base_url=server.base_url) as client:
        sid = client.chats.create_session(title="before fork").id
        parent_session = client._transport._session
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: must not touch the parent's pooled socket
            code = 1
            try:
                client.chats.send("from the child", session_id=sid)
                fresh = client._transport._session is not parent_session
                code = 0 if fresh else 2
            finally:
                os.write(write, bytes([code]))
                os._exit(code)
        os.close(write)
        _, status = os.waitpid(pid, 0)
        assert os.read(read, 1) == b"\x00" and os.waitstatus_to_exitcode(status) == 0
        os.close(read)
        assert client._transport._session is parent_session
        client.chats.send("from the parent", session_id=sid)  # its socket still works
        contents = [m.content for m in client.chats.get_messages(sid) if m.role == "user"]
    assert contents == ["from the child", "from the parent"]


async def test_cancelling_a_task_mid_stream_releases_the_connection(
    server: ReferenceServer,
) -> None:
    async with AsyncVisionChat(api_key=server.api_key, base_url=server.base_url) as client:
        sid = (await client.chats.create_session()).id
        got_token = asyncio.Event()
        stream = client.chats.send_stream("Describe every image", session_id=sid)

        async def consume() -> None:
            async for token in stream:
                if token.type == "token":
                    got_token.set()
                    await asyncio.sleep(10)  # the caller is slow; it gets cancelled here

        task = asyncio.create_task(consume())
        await asyncio.wait_for(got_token.wait(), 5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        for _ in range(3):  # the dropped loop iterator is finalised by the event loop
            await asyncio.sleep(0)
        assert stream._response is None
        assert settled_connections(server, 1) <= 1
    assert settled_connections(server, 0) == 0


def test_concurrent_async_calls_share_one_client(server: ReferenceServer) -> None:
    async def main() -> list[str]:
        async with AsyncVisionChat(api_key=server.api_key, base_url=server.base_url) as client:
            sid = (await client.chats.create_session()).id

            async def ask(i: int) -> str:
                return (await client.chats.send(f"question {i} about rust", session_id=sid)).content

            return await asyncio.gather(*(ask(i) for i in range(20)))

    answers = asyncio.run(main())
    assert len(answers) == 20 and all(answers)


async def test_an_encoding_aiohttp_cannot_decode_is_named_not_called_not_http() -> None:
    # aiohttp (without Brotli) refuses a `br` body while reading the head; requests
    # passes it on undecoded, so this is the async client's own case.
    reply = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: br\r\n"
        b"Content-Length: 6\r\nConnection: close\r\n\r\nnot it"
    )
    with raw_listener(reply) as port:
        async with AsyncVisionChat(
            api_key="k", base_url=f"http://127.0.0.1:{port}/api/v2", max_retries=0
        ) as client:
            with pytest.raises(APIConnectionError) as info:
                await client.chats.get_session("s")
    assert "the body does not decode as its Content-Encoding says" in str(info.value)
