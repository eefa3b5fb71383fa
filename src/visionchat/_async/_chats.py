"""`client.chats`: every operation of the chat API, with the reference's names and defaults."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import overload

from .. import _endpoints as api
from .. import _validate as check
from .._endpoints import decode_reply
from ..models import (
    ChatImageList,
    ChatMessage,
    ChatResponse,
    ChatSession,
    ChatSessionDetail,
    DocumentsUpdated,
    DomainUpdated,
    ImageReference,
    ImagesUpdated,
    ModeUpdated,
    PlanActionResponse,
    SessionClosed,
    SessionList,
    SessionRenamed,
    VideosUpdated,
)
from ._export import write_export
from ._http import AsyncHTTPClient
from ._session import AsyncChatSessionContext
from ._stream import AsyncChatStream


class AsyncChats:
    """Chat sessions and messages: create, talk, stream, page, update context, export."""

    def __init__(self, http: AsyncHTTPClient) -> None:
        self._http = http

    def session(
        self,
        *,
        title: str | None = None,
        image_ids: list[str] | None = None,
        use_all_images: bool = True,
        auto_close: bool = True,
    ) -> AsyncChatSessionContext:
        """A session as a context manager: created on entry, closed on exit when `auto_close`."""
        check.optional_title(title)
        return AsyncChatSessionContext(
            self,
            title=title,
            image_ids=image_ids,
            use_all_images=use_all_images,
            auto_close=auto_close,
        )

    async def send(
        self,
        message: str,
        *,
        session_id: str,
        force_detailed_analysis: bool = False,
        expected_image_ids: list[str] | None = None,
        idempotency_key: str | None = None,
    ) -> ChatResponse:
        """Send a message and return the complete answer.

        Retries reuse one idempotency key (yours, or one made for this call), so a
        retried send never posts the message twice.
        """
        request = api.send(
            self._http.config,
            session_id,
            message,
            force_detailed_analysis=force_detailed_analysis,
            expected_image_ids=expected_image_ids,
            idempotency_key=idempotency_key,
        )
        return api.parse_send_reply(await self._http.request(request), session_id)

    def send_stream(
        self,
        message: str,
        *,
        session_id: str,
        force_detailed_analysis: bool = False,
        expected_image_ids: list[str] | None = None,
        debug_reasoning: bool = False,
        idempotency_key: str | None = None,
    ) -> AsyncChatStream:
        """Send a message and stream the answer's events as `ChatToken`s as they arrive.

        Arguments are checked now; the request goes out when iteration starts.
        """
        request = api.send_stream(
            self._http.config,
            session_id,
            message,
            force_detailed_analysis=force_detailed_analysis,
            expected_image_ids=expected_image_ids,
            debug_reasoning=debug_reasoning,
            idempotency_key=idempotency_key,
        )
        return AsyncChatStream(self._http, request, session_id)

    async def create_session(
        self,
        *,
        title: str | None = None,
        image_ids: list[str] | None = None,
        use_all_images: bool = True,
    ) -> ChatSession:
        """Create a new chat session."""
        request = api.create_session(
            self._http.config, title=title, image_ids=image_ids, use_all_images=use_all_images
        )
        return api.parse_created_session(await self._http.request(request), use_all_images)

    async def get_session(
        self,
        session_id: str,
        *,
        include_messages: bool = True,
        message_limit: int | None = None,
    ) -> ChatSessionDetail:
        """Get a session with its most recent messages, oldest first."""
        request = api.get_session(
            self._http.config,
            session_id,
            include_messages=include_messages,
            message_limit=message_limit,
        )
        return decode_reply(await self._http.request(request), ChatSessionDetail)

    async def list_sessions(
        self,
        *,
        limit: int = 20,
        offset: int = 0,
        active_only: bool = False,
    ) -> SessionList:
        """List one page of sessions, newest first."""
        request = api.list_sessions(
            self._http.config, limit=limit, offset=offset, active_only=active_only
        )
        return decode_reply(await self._http.request(request), SessionList)

    async def iter_sessions(
        self,
        *,
        page_size: int = 20,
        active_only: bool = False,
    ) -> AsyncIterator[ChatSession]:
        """Every session, newest first, fetching pages of `page_size` as iteration needs them.

        Offset paging over a list ordered by last change: a session changed while
        iterating may be skipped or seen twice.
        """
        check.integer("page_size", page_size, 1, 100)
        offset = 0
        while True:
            page = await self.list_sessions(limit=page_size, offset=offset, active_only=active_only)
            for item in page.items:
                yield item
            if not page.has_more or not page.items:
                return
            offset += len(page.items)

    async def get_messages(self, session_id: str, *, limit: int | None = None) -> list[ChatMessage]:
        """Get a session's most recent messages (all of them, up to 1000, by default), oldest first."""
        detail = await self.get_session(session_id, include_messages=True, message_limit=limit)
        return detail.messages

    async def update_images(self, session_id: str, image_ids: list[str]) -> ImagesUpdated:
        """Replace the images selected for a session's context (at most 1000)."""
        request = api.update_images(self._http.config, session_id, image_ids)
        return decode_reply(await self._http.request(request), ImagesUpdated)

    async def close_session(self, session_id: str) -> SessionClosed:
        """Close a session: it stays listable, and refuses new messages."""
        request = api.close_session(self._http.config, session_id)
        return decode_reply(await self._http.request(request), SessionClosed)

    async def update_documents(self, session_id: str, document_ids: list[str]) -> DocumentsUpdated:
        """Replace the documents selected for a session's context (at most 100)."""
        request = api.update_documents(self._http.config, session_id, document_ids)
        return decode_reply(await self._http.request(request), DocumentsUpdated)

    async def update_videos(self, session_id: str, video_ids: list[str]) -> VideosUpdated:
        """Replace the videos the video agent may use in a session (at most 100)."""
        request = api.update_videos(self._http.config, session_id, video_ids)
        return decode_reply(await self._http.request(request), VideosUpdated)

    async def update_mode(self, session_id: str, use_all_images: bool) -> ModeUpdated:
        """Switch a session between all images and its selected images."""
        request = api.update_mode(self._http.config, session_id, use_all_images)
        return decode_reply(await self._http.request(request), ModeUpdated)

    async def update_domain(self, session_id: str, domain: str) -> DomainUpdated:
        """Set the knowledge domain (e.g. `construction`) that guides the agents' vocabulary."""
        request = api.update_domain(self._http.config, session_id, domain)
        return decode_reply(await self._http.request(request), DomainUpdated)

    async def rename_session(self, session_id: str, title: str) -> SessionRenamed:
        """Rename a session (1 to 255 characters)."""
        request = api.rename_session(self._http.config, session_id, title)
        return decode_reply(await self._http.request(request), SessionRenamed)

    @overload
    async def export_session(
        self,
        session_id: str,
        *,
        format: str = ...,
        include_metadata: bool = ...,
        path: None = None,
    ) -> bytes: ...

    @overload
    async def export_session(
        self,
        session_id: str,
        *,
        format: str = ...,
        include_metadata: bool = ...,
        path: str | Path,
    ) -> Path: ...

    async def export_session(
        self,
        session_id: str,
        *,
        format: str = "markdown",
        include_metadata: bool = False,
        path: str | Path | None = None,
    ) -> bytes | Path:
        """Export a session as `markdown`, `json` or `text` and return the file's bytes.

        With `path`, the export is written to that file as it arrives, never held
        whole in memory, and the path written is returned instead.
        """
        request = api.export_session(
            self._http.config, session_id, format=format, include_metadata=include_metadata
        )
        if path is None:
            reply = await self._http.request(request)
            api.check_export(reply.status, reply.headers, reply.content[:256])
            return reply.content
        target = Path(path)
        response = await self._http.open(request, stream=True)
        await write_export(response, target)
        return target

    async def get_all_images(self, *, limit: int = 1000, offset: int = 0) -> ChatImageList:
        """One page of the ids of every image available for chat context."""
        request = api.get_all_images(self._http.config, limit=limit, offset=offset)
        return decode_reply(await self._http.request(request), ChatImageList)

    async def search_images(
        self, query: str, *, limit: int = 50, offset: int = 0
    ) -> list[ImageReference]:
        """Search the images available for chat context; best matches first.

        The reply's total count and query interpretation are not returned.
        """
        request = api.search_images(self._http.config, query, limit=limit, offset=offset)
        return api.parse_search_results(await self._http.request(request))

    async def approve_plan(self, session_id: str, plan_id: str) -> PlanActionResponse:
        """Approve a plan the agents proposed; it may run in the background (`accepted`)."""
        request = api.plan_action(self._http.config, session_id, plan_id, "approve")
        return api.parse_plan_action(await self._http.request(request), plan_id)

    async def cancel_plan(self, session_id: str, plan_id: str) -> PlanActionResponse:
        """Cancel a plan the agents proposed."""
        request = api.plan_action(self._http.config, session_id, plan_id, "cancel")
        return api.parse_plan_action(await self._http.request(request), plan_id)
