# Generated from tests/integration/_async/test_reply_schemas_over_http.py by tools/gen_sync.py: do not edit; edit the async source.
"""One real HTTP round trip per reply schema of the published OpenAPI document.

A generated instance of each schema is served from a loopback server and read by
the SDK method that receives it, so the whole path (transport, status handling,
decode) meets the shapes the hosted API may send, not only the reference server's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.contract.decoders import DECODERS, SID, encode
from tests.contract.support import FUZZ, CannedServer, canned_server, reply_strategy
from visionchat import VisionChat
from visionchat.errors import NotFoundError, UnprocessableEntityError

CALLS: dict[str, Callable[[VisionChat], Any]] = {
    "SessionCreated": lambda c: c.chats.create_session(),
    "SessionListReply": lambda c: c.chats.list_sessions(),
    "SessionDetail": lambda c: c.chats.get_session(SID),
    "SessionRenamed": lambda c: c.chats.rename_session(SID, "t"),
    "SessionClosed": lambda c: c.chats.close_session(SID),
    "SendReply": lambda c: c.chats.send("hi", session_id=SID),
    "StreamComplete": lambda c: c.chats.send_stream("hi", session_id=SID).response(),
    "ModeUpdated": lambda c: c.chats.update_mode(SID, False),
    "ImagesUpdated": lambda c: c.chats.update_images(SID, []),
    "DocumentsUpdated": lambda c: c.chats.update_documents(SID, []),
    "VideosUpdated": lambda c: c.chats.update_videos(SID, []),
    "DomainUpdated": lambda c: c.chats.update_domain(SID, "general"),
    "AllImages": lambda c: c.chats.get_all_images(),
    "SearchReply": lambda c: c.chats.search_images("rust"),
    "PlanActionReply": lambda c: c.chats.approve_plan(SID, "plan-1"),
    "ChatError": lambda c: c.chats.get_session(SID),
    "ValidationErrorReply": lambda c: c.chats.get_session(SID),
}
#: Error replies: the status they are served with and the exception the call raises.
ERRORS: dict[str, tuple[int, type[Exception]]] = {
    "ChatError": (404, NotFoundError),
    "ValidationErrorReply": (422, UnprocessableEntityError),
}


@pytest.fixture(scope="module")
def canned() -> Iterator[CannedServer]:
    yield from canned_server()


def _serve(canned: CannedServer, name: str, instance: Any) -> None:
    body = encode(instance)
    if name == "StreamComplete":
        connection = msgspec.json.encode({"type": "connection", "message_id": "m-1"})
        close = msgspec.json.encode({"type": "close", "message_id": "m-1"})
        frames = [(b"connection", connection), (b"complete", body), (b"close", close)]
        stream = b"".join(b"event: %s\ndata: %s\n\n" % frame for frame in frames)
        canned.reply = (200, "text/event-stream", stream)
    else:
        canned.reply = (ERRORS.get(name, (200, None))[0], "application/json", body)


def test_every_schema_has_a_call() -> None:
    assert set(CALLS) == set(DECODERS)


@pytest.mark.parametrize("name", sorted(CALLS))
@settings(FUZZ, max_examples=2)
@given(data=st.data())
def test_a_generated_reply_travels_through_the_sdk(
    canned: CannedServer, name: str, data: st.DataObject
) -> None:
    _serve(canned, name, data.draw(reply_strategy(name), label=name))
    with VisionChat(api_key="k", base_url=canned.base_url, max_retries=0) as client:
        if name in ERRORS:
            with pytest.raises(ERRORS[name][1]):
                CALLS[name](client)
        else:
            assert CALLS[name](client) is not None
