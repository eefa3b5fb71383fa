"""What users' type checkers see: checked by mypy --strict and pyright, never run.

Sync methods return models; async ones return awaitables of the same models; streams
yield `ChatToken`; paging yields `ChatSession`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Iterator
from pathlib import Path
from typing import assert_type

from visionchat import (
    AsyncChatSessionContext,
    AsyncChatStream,
    AsyncRawResponse,
    AsyncVisionChat,
    ChatImageList,
    ChatMessage,
    ChatResponse,
    ChatSession,
    ChatSessionContext,
    ChatSessionDetail,
    ChatStream,
    ChatToken,
    DocumentsUpdated,
    DomainUpdated,
    ImageReference,
    ImagesUpdated,
    ModeUpdated,
    PlanActionResponse,
    RawResponse,
    SessionClosed,
    SessionList,
    SessionRenamed,
    Timeout,
    VideosUpdated,
    VisionChat,
)


def sync_surface(client: VisionChat) -> None:
    chats = client.chats
    assert_type(chats.send("hi", session_id="s"), ChatResponse)
    assert_type(chats.send_stream("hi", session_id="s"), ChatStream)
    assert_type(chats.create_session(title="t"), ChatSession)
    assert_type(chats.get_session("s"), ChatSessionDetail)
    assert_type(chats.list_sessions(), SessionList)
    assert_type(chats.iter_sessions(), Iterator[ChatSession])
    assert_type(chats.get_messages("s"), list[ChatMessage])
    assert_type(chats.update_images("s", ["i"]), ImagesUpdated)
    assert_type(chats.update_documents("s", ["d"]), DocumentsUpdated)
    assert_type(chats.update_videos("s", ["v"]), VideosUpdated)
    assert_type(chats.update_mode("s", True), ModeUpdated)
    assert_type(chats.update_domain("s", "construction"), DomainUpdated)
    assert_type(chats.rename_session("s", "t"), SessionRenamed)
    assert_type(chats.close_session("s"), SessionClosed)
    assert_type(chats.export_session("s"), bytes)
    assert_type(chats.export_session("s", path="out.md"), Path)
    assert_type(chats.get_all_images(), ChatImageList)
    assert_type(chats.search_images("rust"), list[ImageReference])
    assert_type(chats.approve_plan("s", "p"), PlanActionResponse)
    assert_type(chats.cancel_plan("s", "p"), PlanActionResponse)
    for token in chats.send_stream("hi", session_id="s"):
        assert_type(token, ChatToken)
    with chats.send_stream("hi", session_id="s") as stream:
        assert_type(stream.response(), ChatResponse)
        assert_type(stream.text, str)
    with chats.session(title="t") as chat:
        assert_type(chat, ChatSessionContext)
        assert_type(chat.send("hi"), ChatResponse)
        assert_type(chat.session_id, str)
        assert_type(chat.send_stream("hi"), ChatStream)
        assert_type(chat.export(), bytes)
        assert_type(chat.export(path="out.md"), Path)
    for session in chats.iter_sessions(active_only=True):
        assert_type(session, ChatSession)
    assert_type(chats.iter_all_images(timeout=5), Iterator[str])
    assert_type(chats.iter_search_images("rust"), Iterator[ImageReference])
    raw = chats.with_raw_response
    detail = raw.get_session("s", message_limit=1, extra_headers={"X-A": "1"})
    assert_type(detail, RawResponse[ChatSessionDetail])
    assert_type(detail.parse(), ChatSessionDetail)
    assert_type(detail.headers.get("X-RateLimit-Remaining"), str | None)
    assert_type(raw.send("hi", session_id="s", extra_body={"x": 1}).parse(), ChatResponse)
    assert_type(raw.export_session("s", path="out.md").parse(), Path)
    assert_type(raw.send_stream("hi", session_id="s").parse(), ChatStream)
    for page in raw.iter_sessions(page_size=50):
        assert_type(page.parse(), SessionList)
    for hits in raw.iter_search_images("rust"):
        assert_type(hits.parse(), list[ImageReference])


async def async_surface(client: AsyncVisionChat) -> None:
    chats = client.chats
    pending: Awaitable[ChatResponse] = chats.send("hi", session_id="s")
    assert_type(await pending, ChatResponse)
    assert_type(chats.send_stream("hi", session_id="s"), AsyncChatStream)
    assert_type(await chats.create_session(), ChatSession)
    assert_type(await chats.get_session("s"), ChatSessionDetail)
    assert_type(await chats.list_sessions(), SessionList)
    assert_type(chats.iter_sessions(), AsyncIterator[ChatSession])
    assert_type(await chats.get_messages("s"), list[ChatMessage])
    assert_type(await chats.update_images("s", ["i"]), ImagesUpdated)
    assert_type(await chats.close_session("s"), SessionClosed)
    assert_type(await chats.export_session("s"), bytes)
    assert_type(await chats.export_session("s", path=Path("out.md")), Path)
    assert_type(await chats.search_images("rust"), list[ImageReference])
    assert_type(await chats.approve_plan("s", "p"), PlanActionResponse)
    async for token in chats.send_stream("hi", session_id="s"):
        assert_type(token, ChatToken)
    async with chats.send_stream("hi", session_id="s") as stream:
        assert_type(await stream.response(), ChatResponse)
    async with chats.session() as chat:
        assert_type(chat, AsyncChatSessionContext)
        assert_type(await chat.send("hi"), ChatResponse)
    async for session in chats.iter_sessions():
        assert_type(session, ChatSession)
    async for image_id in chats.iter_all_images(page_size=100):
        assert_type(image_id, str)
    raw = chats.with_raw_response
    listed = await raw.list_sessions(timeout=Timeout(read=5.0), extra_query={"q": "x"})
    assert_type(listed, AsyncRawResponse[SessionList])
    assert_type((await raw.export_session("s")).parse(), bytes)
    streamed = await raw.send_stream("hi", session_id="s")
    assert_type(streamed.parse(), AsyncChatStream)
    async for page in raw.iter_all_images():
        assert_type(page.parse(), ChatImageList)


def wrong_uses(client: VisionChat) -> None:
    client.chats.send(42, session_id="s")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    client.chats.update_images("s", "not-a-list")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
