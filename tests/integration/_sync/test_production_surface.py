# Generated from tests/integration/_async/test_production_surface.py by tools/gen_sync.py: do not edit; edit the async source.
"""Raw replies, per-call options, `with_options()` and paging over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.conftest import OTHER_TENANT_KEY
from visionchat import (
    APITimeoutError,
    ChatStream,
    StreamTimeoutError,
    Timeout,
    VisionChat,
)
from visionchat.server import ReferenceServer


@pytest.fixture(scope="module")
def limited_server() -> Iterator[ReferenceServer]:
    """A server that counts requests per key, so replies carry `X-RateLimit-*`."""
    with ReferenceServer(rate_limit=10_000) as srv:
        yield srv


def test_rate_limit_headers_are_read_from_raw_replies(
    limited_server: ReferenceServer,
) -> None:
    with VisionChat(api_key=limited_server.api_key, base_url=limited_server.base_url) as client:
        first = client.chats.with_raw_response.list_sessions(limit=1)
        second = client.chats.with_raw_response.get_all_images(limit=5)
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.headers["X-RateLimit-Limit"] == "10000"
    remaining = [int(r.headers["X-RateLimit-Remaining"]) for r in (first, second)]
    assert remaining[1] == remaining[0] - 1
    assert first.request_id and first.request_id == first.parse().request_id
    assert len(second.parse().image_ids) == 5


def test_a_raw_stream_shows_headers_before_its_events(
    limited_server: ReferenceServer,
) -> None:
    with VisionChat(api_key=limited_server.api_key, base_url=limited_server.base_url) as client:
        session = client.chats.create_session(title="raw stream")
        raw = client.chats.with_raw_response.send_stream(
            "Which images show rust?", session_id=session.id
        )
        assert raw.status_code == 200 and "X-RateLimit-Remaining" in raw.headers
        stream = raw.parse()
        assert isinstance(stream, ChatStream) and stream.text == ""
        with stream:
            response = stream.response()
        assert response.content and response.request_id == raw.request_id
        # A raw stream closed unread gives its connection up; the client goes on.
        unread = client.chats.with_raw_response.send_stream("Again", session_id=session.id)
        unread.close()
        assert (client.chats.get_session(session.id)).session.id == session.id


def test_options_reach_the_server(client: VisionChat) -> None:
    created = client.chats.create_session(extra_body={"title": "titled by extra_body"})
    detail = client.chats.get_session(created.id, extra_headers={"X-Request-ID": "mine-42"})
    assert detail.session.title == "titled by extra_body"
    assert detail.request_id == "mine-42"
    client.chats.close_session(created.id)
    active = client.chats.list_sessions(limit=100, extra_query={"is_active": "true"})
    assert created.id not in [s.id for s in active.items]
    everything = client.chats.list_sessions(limit=100)
    assert created.id in [s.id for s in everything.items]


def test_a_per_call_timeout_replaces_the_clients(
    server: ReferenceServer, client: VisionChat
) -> None:
    server.faults.add("slow", path="/chat/images/all", delay=1.0)
    impatient = client.with_options(max_retries=0)
    with pytest.raises(APITimeoutError):
        impatient.chats.get_all_images(limit=1, timeout=Timeout(read=0.1))
    page = client.chats.get_all_images(limit=1)  # the client's own timeout again
    assert len(page.image_ids) == 1


def test_with_options_shares_the_pool_across_keys_and_headers(
    server: ReferenceServer, client: VisionChat
) -> None:
    mine = client.chats.create_session(title="mine")
    used = server.connections_used
    other = client.with_options(api_key=OTHER_TENANT_KEY, default_headers={"X-App": "report"})
    theirs = other.chats.list_sessions(limit=100)
    assert mine.id not in [s.id for s in theirs.items]  # another tenant, so another key
    assert server.connections_used == used  # the idle connection was reused
    other.close()  # a copy's close leaves the shared pool open
    assert (client.chats.get_session(mine.id)).session.title == "mine"


def test_iter_all_images_walks_the_whole_library(client: VisionChat) -> None:
    everything = (client.chats.get_all_images(limit=5000)).image_ids
    walked = [image_id for image_id in client.chats.iter_all_images(page_size=10)]
    assert walked == everything and len(everything) > 10
    pages = [raw for raw in client.chats.with_raw_response.iter_all_images(page_size=10)]
    assert len(pages) == -(-len(everything) // 10)


def test_iter_search_images_walks_every_match(client: VisionChat) -> None:
    best = client.chats.search_images("bridge", limit=100)
    walked = [hit for hit in client.chats.iter_search_images("bridge", page_size=3)]
    assert [h.image_id for h in walked] == [h.image_id for h in best]
    assert len(best) > 3


def test_a_per_call_timeout_governs_a_stream(paced_server: str) -> None:
    # The client would wait two minutes for a quiet stream; this one call, 0.3 s.
    with VisionChat(api_key="k", base_url=paced_server) as client:
        with pytest.raises(StreamTimeoutError) as info:
            stream = client.chats.send_stream(
                "q", session_id="quiet", timeout=Timeout(read=2.0, stream_idle=0.3)
            )
            stream.response()
    assert info.value.partial_content == "Before the gap. "
