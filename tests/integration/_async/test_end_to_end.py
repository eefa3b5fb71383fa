"""Every SDK method against the reference server over real HTTP on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from visionchat import (
    AsyncVisionChat,
    BadRequestError,
    ChatTokenType,
    NotFoundError,
    PermissionDeniedError,
    UnprocessableEntityError,
)
from visionchat.server import DEMO_TENANT
from visionchat.server.library import generate_documents, generate_videos


async def test_a_conversation_with_streaming(client: AsyncVisionChat) -> None:
    async with client.chats.session(title="Bridge survey") as chat:
        reply = await chat.send("Which beams show rust?")
        assert reply.content and reply.message_id and reply.session_id == chat.session_id
        assert reply.resolved_content and "[[" not in reply.resolved_content
        async with chat.send_stream("Describe the worst one") as stream:
            tokens = [t async for t in stream]
            final = await stream.response()
        kinds = [t.type for t in tokens]
        assert kinds[0] is ChatTokenType.CONNECTION and kinds[-1] is ChatTokenType.CLOSE
        assert ChatTokenType.COMPLETE in kinds and kinds.count(ChatTokenType.TOKEN) > 5
        streamed = "".join(t.content or "" for t in tokens)
        assert streamed == final.content == stream.text
        assert final.message_id == stream.message_id
        messages = await chat.get_messages()
        assert [m.role for m in messages] == ["user", "assistant", "user", "assistant"]
        assert messages[-1].content == final.content
        detail = await client.chats.get_session(chat.session_id, message_limit=2)
        assert [m.role for m in detail.messages] == ["user", "assistant"]
        assert detail.session.total_messages == 4
        assert detail.session.remaining_messages is not None


async def test_detailed_analysis_is_longer(client: AsyncVisionChat) -> None:
    async with client.chats.session() as chat:
        brief = await chat.send("Show cracks in concrete")
        detailed = await chat.send("Show cracks in concrete", force_detailed_analysis=True)
        assert len(detailed.content) > len(brief.content)


async def test_context_updates(client: AsyncVisionChat) -> None:
    images = (await client.chats.get_all_images(limit=5)).image_ids
    documents = [d.id for d in generate_documents(DEMO_TENANT)][:2]
    videos = [v.id for v in generate_videos(DEMO_TENANT)][:1]
    async with client.chats.session(image_ids=images[:2], use_all_images=False) as chat:
        assert (await chat.update_images(images[:3])).selected_image_ids == images[:3]
        assert (await chat.update_documents(documents)).document_count == 2
        assert (await chat.update_videos(videos)).selected_video_ids == videos
        assert (await chat.update_mode(True)).use_all_images is True
        assert (await chat.update_domain("construction"))["domain"] == "construction"
        assert (await chat.rename("Renamed")).title == "Renamed"
        detail = await client.chats.get_session(chat.session_id)
        assert detail.selected_document_ids == documents
        assert detail.session.domain == "construction" and detail.session.title == "Renamed"


async def test_ids_the_tenant_does_not_own_are_refused(client: AsyncVisionChat) -> None:
    async with client.chats.session() as chat:
        with pytest.raises(NotFoundError):
            await chat.update_images(["00000000-0000-4000-8000-000000000000"])


async def test_a_closed_session_refuses_messages(client: AsyncVisionChat) -> None:
    session = await client.chats.create_session(title="short-lived")
    closed = await client.chats.close_session(session.id)
    assert closed.session_id == session.id
    again = await client.chats.close_session(session.id)  # closing twice is harmless
    assert again.session_id == session.id
    with pytest.raises(BadRequestError) as info:
        await client.chats.send("anyone there?", session_id=session.id)
    assert info.value.error_code == "SESSION_CLOSED"


async def test_export_in_every_format(client: AsyncVisionChat, tmp_path: Path) -> None:
    async with client.chats.session(title="Export me") as chat:
        await chat.send("Which roofs have damage?")
        markdown = await chat.export()
        assert markdown.startswith(b"#") and b"Which roofs have damage?" in markdown
        text = await chat.export(format="text")
        assert b"Which roofs have damage?" in text
        as_json = msgspec.json.decode(await chat.export(format="json", include_metadata=True))
        assert isinstance(as_json, dict)
        target = tmp_path / "session.md"
        assert await chat.export(path=target) == target
        assert target.read_bytes() == markdown


async def test_search_and_all_images(client: AsyncVisionChat) -> None:
    results = await client.chats.search_images("rust corrosion", limit=5)
    assert 1 <= len(results) <= 5
    scores = [r.relevance_score or 0 for r in results]
    assert scores == sorted(scores, reverse=True)
    page = await client.chats.get_all_images(limit=10, offset=0)
    assert len(page.image_ids) == 10 and page.total >= 60 and page.has_more


async def test_a_plan_is_proposed_then_approved_or_cancelled(client: AsyncVisionChat) -> None:
    async with client.chats.session() as chat:
        first = await chat.send_stream("Please organise the rust photos into a folder").response()
        assert first.pending_plan is not None
        approved = await chat.approve_plan(first.pending_plan.plan_id)
        assert approved.success and approved.plan_id == first.pending_plan.plan_id
        second = await chat.send_stream("Delete the blurry vegetation images").response()
        assert second.pending_plan is not None
        cancelled = await chat.cancel_plan(second.pending_plan.plan_id)
        assert cancelled.plan_id == second.pending_plan.plan_id
        with pytest.raises(NotFoundError):
            await chat.approve_plan("plan_unknown")


async def test_iter_sessions_pages_through_everything(client: AsyncVisionChat) -> None:
    created = {(await client.chats.create_session(title=f"page test {i}")).id for i in range(250)}
    seen = [s.id async for s in client.chats.iter_sessions(page_size=100)]
    assert created <= set(seen)
    assert len(seen) == len(set(seen))  # stable paging: nothing twice
    active = [s async for s in client.chats.iter_sessions(active_only=True, page_size=50)]
    assert all(s.is_active for s in active)


async def test_tenants_are_isolated(client: AsyncVisionChat, other_client: AsyncVisionChat) -> None:
    mine = await client.chats.create_session(title="tenant A only")
    with pytest.raises((NotFoundError, PermissionDeniedError)):
        await other_client.chats.get_session(mine.id)
    with pytest.raises((NotFoundError, PermissionDeniedError)):
        await other_client.chats.send("let me in", session_id=mine.id)
    theirs = [s.id async for s in other_client.chats.iter_sessions()]
    assert mine.id not in theirs


async def test_hostile_ids_stay_one_path_segment(client: AsyncVisionChat) -> None:
    for bad in ["../../chat/images/all", "x?limit=1", "a#b", "a/b", "%2e%2e"]:
        with pytest.raises((NotFoundError, UnprocessableEntityError)):
            await client.chats.get_session(bad)


@pytest.mark.parametrize("dots", [".", ".."])
async def test_a_dot_id_is_one_path_segment_too(client: AsyncVisionChat, dots: str) -> None:
    # Sent bare, "." and ".." are dot-segments: a URL library removes them, and the
    # call lands on another path (GET /chat/sessions/.. is GET /chat/).
    with pytest.raises(UnprocessableEntityError):  # the server judged the id: it arrived
        await client.chats.get_session(dots)
    with pytest.raises(UnprocessableEntityError):
        await client.chats.rename_session(dots, "renamed")


@pytest.mark.parametrize("key", ["\u202e", "\U0001f680", "caf\u00e9", " lead", "trail ", "a\x7fb"])
async def test_an_idempotency_key_outside_printable_ascii_fails_before_any_request(
    client: AsyncVisionChat, key: str
) -> None:
    # Outside ASCII a key went out as Latin-1 bytes (sync; or failed to encode) and as
    # UTF-8 (async); a space at an end was refused by one mode and sent by the other.
    session = await client.chats.create_session()
    with pytest.raises(ValueError, match="idempotency_key"):
        await client.chats.send("hi", session_id=session.id, idempotency_key=key)
    with pytest.raises(ValueError, match="idempotency_key"):
        await client.chats.send_stream("hi", session_id=session.id, idempotency_key=key).response()
    assert (await client.chats.get_session(session.id)).messages == []


async def test_a_lone_surrogate_fails_before_any_request_naming_the_argument(
    client: AsyncVisionChat,
) -> None:
    # os.fsdecode() makes "\udce9" of a file name's byte 0xE9: it cannot be sent as UTF-8.
    session = await client.chats.create_session()
    with pytest.raises(ValueError, match="message holds a lone surrogate"):
        await client.chats.send("photo-\udce9.jpg", session_id=session.id)
    with pytest.raises(ValueError, match="title holds a lone surrogate"):
        await client.chats.rename_session(session.id, "\udce9")
    with pytest.raises(ValueError, match="image_ids holds a lone surrogate"):
        await client.chats.update_images(session.id, ["\ud800"])
    with pytest.raises(ValueError, match="session_id holds a lone surrogate"):
        await client.chats.get_session("\ud800")
    assert (await client.chats.get_session(session.id)).messages == []


async def test_a_plan_from_a_plain_send_is_pending_too(client: AsyncVisionChat) -> None:
    async with client.chats.session() as chat:
        reply = await chat.send("Please tag the cracked concrete photos")
        assert reply.pending_plan is not None and reply.pending_plan.steps
        assert (await chat.cancel_plan(reply.pending_plan.plan_id)).success
