# Generated from tests/integration/_async/test_resources.py by tools/gen_sync.py: do not edit; edit the async source.
"""No connection outlives its call: counted on the server side, repeated to expose leaks."""

from __future__ import annotations

import pytest

from tests.integration.conftest import settled_connections
from tests.sync_helpers import ModeCallable
from visionchat import (
    APITimeoutError,
    NotFoundError,
    ResponseDecodeError,
    Timeout,
    VisionChat,
)
from visionchat.server import ReferenceServer

REPEATS = 4


def _normal(client: VisionChat, server: ReferenceServer, sid: str) -> None:
    client.chats.get_session(sid)


def _error_status(client: VisionChat, server: ReferenceServer, sid: str) -> None:
    with pytest.raises(NotFoundError):
        client.chats.get_session("00000000-0000-4000-8000-00000000dead")


def _broken_body(client: VisionChat, server: ReferenceServer, sid: str) -> None:
    server.faults.add("truncated_json", path=f"/sessions/{sid}", method="GET")
    with pytest.raises(ResponseDecodeError):
        client.chats.get_session(sid)


def _stream_to_the_end(client: VisionChat, server: ReferenceServer, sid: str) -> None:
    for _ in client.chats.send_stream("Which poles lean?", session_id=sid):
        pass


def _stream_abandoned(client: VisionChat, server: ReferenceServer, sid: str) -> None:
    for token in client.chats.send_stream("Which poles lean?", session_id=sid):
        if token.type == "token":
            break


def _exception_in_loop(client: VisionChat, server: ReferenceServer, sid: str) -> None:
    with pytest.raises(KeyError):
        for _ in client.chats.send_stream("Which poles lean?", session_id=sid):
            raise KeyError("the caller's bug")


def _timeout(client: VisionChat, server: ReferenceServer, sid: str) -> None:
    server.faults.add("slow", path="/chat/images/all", delay=0.3)
    with pytest.raises(APITimeoutError):
        client.with_options(timeout=Timeout(read=0.05), max_retries=0).chats.get_all_images()


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
def test_no_connection_is_leaked(
    server: ReferenceServer,
    settle,
    scenario: ModeCallable[[VisionChat, ReferenceServer, str], None],
) -> None:
    assert settled_connections(server, 0) == 0
    with VisionChat(api_key=server.api_key, base_url=server.base_url, max_retries=0) as client:
        sid = (client.chats.create_session()).id
        for _ in range(REPEATS):
            scenario(client, server, sid)
            settle()
        # One pooled keep-alive connection may stay; a leak would leave one per repeat.
        assert settled_connections(server, 1) <= 1
    assert settled_connections(server, 0) == 0


def test_a_stream_read_to_its_end_leaves_its_connection_for_the_next_call(
    server: ReferenceServer, settle
) -> None:
    with VisionChat(api_key=server.api_key, base_url=server.base_url) as client:
        sid = (client.chats.create_session()).id
        before = server.connections_used
        for _ in range(3):
            client.chats.send_stream("Which poles lean?", session_id=sid).response()
            settle()
        client.chats.get_session(sid)
        assert server.connections_used - before <= 1
