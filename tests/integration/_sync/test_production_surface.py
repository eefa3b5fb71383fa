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
from visionchat.server import DEMO_TENANT, ReferenceServer
from visionchat.server.library import generate_documents, generate_videos


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
    server.faults.add("slow", path="/chat/images/all", delay=0.4)
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


def test_every_call_has_a_raw_twin_over_http(client: VisionChat) -> None:
    raw = client.chats.with_raw_response
    images = (client.chats.get_all_images(limit=3)).image_ids
    documents = [d.id for d in generate_documents(DEMO_TENANT)][:1]
    videos = [v.id for v in generate_videos(DEMO_TENANT)][:1]
    created = raw.create_session(title="raw all the way")
    sid = created.parse().id
    replies = [
        created,
        raw.send("Which images show rust?", session_id=sid),
        raw.get_session(sid),
        raw.list_sessions(limit=2),
        raw.get_messages(sid),
        raw.update_images(sid, images),
        raw.update_documents(sid, documents),
        raw.update_videos(sid, videos),
        raw.update_mode(sid, True),
        raw.update_domain(sid, "construction"),
        raw.rename_session(sid, "renamed"),
        raw.export_session(sid, format="json"),
        raw.get_all_images(limit=2),
        raw.search_images("bridge", limit=2),
        raw.close_session(sid),
    ]
    assert {r.status_code for r in replies} == {200}
    assert len({r.request_id for r in replies}) == len(replies)  # one request each
    parsed = [r.parse() for r in replies]
    assert "Which images show rust?" in [m.content for m in parsed[4]]
    assert parsed[10].title == "renamed" and b"renamed" in parsed[11]
    assert parsed[14].request_id == replies[14].request_id


def test_plan_actions_have_raw_twins_over_http(client: VisionChat) -> None:
    raw = client.chats.with_raw_response
    with client.chats.session() as chat:
        first = chat.send("Please organise the rust photos into a folder")
        second = chat.send("Delete the blurry vegetation images")
        assert first.pending_plan is not None and second.pending_plan is not None
        approved = raw.approve_plan(chat.session_id, first.pending_plan.plan_id)
        cancelled = raw.cancel_plan(chat.session_id, second.pending_plan.plan_id)
    assert approved.status_code in (200, 202) and approved.parse().success
    assert cancelled.parse().plan_id == second.pending_plan.plan_id
