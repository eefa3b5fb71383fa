"""`client.chats`: every operation of the chat API, with the reference's names and defaults."""

from __future__ import annotations

import functools
import time
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

from .. import _endpoints as api
from .. import _validate as check
from .._config import Timeout
from .._decode import decode_reply
from .._wire import QueryValue, Request, Response, with_options
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
from ._raw import AsyncRawResponse
from ._session import AsyncChatSessionContext
from ._stream import AsyncChatStream

if TYPE_CHECKING:
    from ._raw_chats import AsyncChatsWithRawResponse

T = TypeVar("T")


class AsyncChats:
    """Chat sessions and messages: create, talk, stream, page, update context, export.

    Every call that sends a request also takes `timeout=` (this call's, instead of the
    client's), `extra_headers=`, `extra_query=` and `extra_body=` (merged into the
    request, winning over the SDK's own values), all checked before anything is sent.
    """

    def __init__(self, http: AsyncHTTPClient, *, raw: bool = False) -> None:
        self._http = http
        self._raw = raw

    @functools.cached_property
    def with_raw_response(self) -> AsyncChatsWithRawResponse:
        """The same calls, each returning the raw reply (status, headers, timing) to `parse()`."""
        from ._raw_chats import AsyncChatsWithRawResponse  # it wraps this class

        return AsyncChatsWithRawResponse(self._http)

    async def _call(self, request: Request, parse: Callable[[Response], T]) -> T:
        """Send `request` and parse its reply, or, in raw mode, hand back the raw reply.

        Raw mode is used only by `with_raw_response`, whose methods are typed as
        returning `AsyncRawResponse[T]`; hence the cast.
        """
        reply = await self._http.request(request)
        if self._raw:
            return cast(T, AsyncRawResponse.of(reply, parse))
        return parse(reply)

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
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
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
        request = with_options(request, timeout, extra_headers, extra_query, extra_body)
        return await self._call(request, lambda reply: api.parse_send_reply(reply, session_id))

    def send_stream(
        self,
        message: str,
        *,
        session_id: str,
        force_detailed_analysis: bool = False,
        expected_image_ids: list[str] | None = None,
        debug_reasoning: bool = False,
        idempotency_key: str | None = None,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
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
        request = with_options(request, timeout, extra_headers, extra_query, extra_body)
        return AsyncChatStream(self._http, request, session_id)

    async def create_session(
        self,
        *,
        title: str | None = None,
        image_ids: list[str] | None = None,
        use_all_images: bool = True,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> ChatSession:
        """Create a new chat session."""
        request = api.create_session(
            self._http.config, title=title, image_ids=image_ids, use_all_images=use_all_images
        )
        request = with_options(request, timeout, extra_headers, extra_query, extra_body)
        return await self._call(
            request, lambda reply: api.parse_created_session(reply, use_all_images)
        )

    async def get_session(
        self,
        session_id: str,
        *,
        include_messages: bool = True,
        message_limit: int | None = None,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> ChatSessionDetail:
        """Get a session with its most recent messages, oldest first."""
        request = api.get_session(
            self._http.config,
            session_id,
            include_messages=include_messages,
            message_limit=message_limit,
        )
        request = with_options(request, timeout, extra_headers, extra_query, extra_body)
        return await self._call(request, lambda reply: decode_reply(reply, ChatSessionDetail))

    async def list_sessions(
        self,
        *,
        limit: int = 20,
        offset: int = 0,
        active_only: bool = False,
        search: str | None = None,
        min_messages: int | None = None,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> SessionList:
        """List one page of sessions, newest first.

        `search` keeps sessions whose title or message text holds it (at most 200
        characters); `min_messages` those with at least that many messages.
        """
        request = api.list_sessions(
            self._http.config,
            limit=limit,
            offset=offset,
            active_only=active_only,
            search=search,
            min_messages=min_messages,
        )
        request = with_options(request, timeout, extra_headers, extra_query, extra_body)
        return await self._call(request, lambda reply: decode_reply(reply, SessionList))

    async def iter_sessions(
        self,
        *,
        page_size: int = 20,
        active_only: bool = False,
        search: str | None = None,
        min_messages: int | None = None,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AsyncIterator[ChatSession]:
        """Every session, newest first, fetching pages of `page_size` as iteration needs them.

        Filters as in `list_sessions`. Offset paging over a list ordered by last change:
        a session changed while iterating may be skipped or seen twice.
        """
        walk = self.with_raw_response.iter_sessions(
            page_size=page_size,
            active_only=active_only,
            search=search,
            min_messages=min_messages,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )
        async for page in walk:
            for item in page.parse().items:
                yield item

    async def get_messages(
        self,
        session_id: str,
        *,
        limit: int | None = None,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> list[ChatMessage]:
        """Get a session's most recent messages (all of them, up to 1000, by default), oldest first."""
        request = api.get_session(
            self._http.config, session_id, include_messages=True, message_limit=limit
        )
        request = with_options(request, timeout, extra_headers, extra_query, extra_body)
        return await self._call(
            request, lambda reply: decode_reply(reply, ChatSessionDetail).messages
        )

    async def update_images(
        self,
        session_id: str,
        image_ids: list[str],
        *,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> ImagesUpdated:
        """Replace the images selected for a session's context (at most 1000)."""
        request = api.update_images(self._http.config, session_id, image_ids)
        request = with_options(request, timeout, extra_headers, extra_query, extra_body)
        return await self._call(request, lambda reply: decode_reply(reply, ImagesUpdated))

    async def close_session(
        self,
        session_id: str,
        *,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> SessionClosed:
        """Close a session: it stays listable, and refuses new messages."""
        request = api.close_session(self._http.config, session_id)
        request = with_options(request, timeout, extra_headers, extra_query, extra_body)
        return await self._call(request, lambda reply: decode_reply(reply, SessionClosed))

    async def update_documents(
        self,
        session_id: str,
        document_ids: list[str],
        *,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> DocumentsUpdated:
        """Replace the documents selected for a session's context (at most 100)."""
        request = api.update_documents(self._http.config, session_id, document_ids)
        request = with_options(request, timeout, extra_headers, extra_query, extra_body)
        return await self._call(request, lambda reply: decode_reply(reply, DocumentsUpdated))

    async def update_videos(
        self,
        session_id: str,
        video_ids: list[str],
        *,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> VideosUpdated:
        """Replace the videos the video agent may use in a session (at most 100)."""
        request = api.update_videos(self._http.config, session_id, video_ids)
        request = with_options(request, timeout, extra_headers, extra_query, extra_body)
        return await self._call(request, lambda reply: decode_reply(reply, VideosUpdated))

    async def update_mode(
        self,
        session_id: str,
        use_all_images: bool,
        *,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> ModeUpdated:
        """Switch a session between all images and its selected images."""
        request = api.update_mode(self._http.config, session_id, use_all_images)
        request = with_options(request, timeout, extra_headers, extra_query, extra_body)
        return await self._call(request, lambda reply: decode_reply(reply, ModeUpdated))

    async def update_domain(
        self,
        session_id: str,
        domain: str,
        *,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> DomainUpdated:
        """Set the knowledge domain (e.g. `construction`) that guides the agents' vocabulary."""
        request = api.update_domain(self._http.config, session_id, domain)
        request = with_options(request, timeout, extra_headers, extra_query, extra_body)
        return await self._call(request, lambda reply: decode_reply(reply, DomainUpdated))

    async def rename_session(
        self,
        session_id: str,
        title: str,
        *,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> SessionRenamed:
        """Rename a session (1 to 255 characters)."""
        request = api.rename_session(self._http.config, session_id, title)
        request = with_options(request, timeout, extra_headers, extra_query, extra_body)
        return await self._call(request, lambda reply: decode_reply(reply, SessionRenamed))

    @overload
    async def export_session(
        self,
        session_id: str,
        *,
        format: str = ...,
        include_metadata: bool = ...,
        path: None = None,
        timeout: float | Timeout | None = ...,
        extra_headers: Mapping[str, str] | None = ...,
        extra_query: Mapping[str, QueryValue] | None = ...,
        extra_body: Mapping[str, Any] | None = ...,
    ) -> bytes: ...

    @overload
    async def export_session(
        self,
        session_id: str,
        *,
        format: str = ...,
        include_metadata: bool = ...,
        path: str | Path,
        timeout: float | Timeout | None = ...,
        extra_headers: Mapping[str, str] | None = ...,
        extra_query: Mapping[str, QueryValue] | None = ...,
        extra_body: Mapping[str, Any] | None = ...,
    ) -> Path: ...

    async def export_session(
        self,
        session_id: str,
        *,
        format: str = "markdown",
        include_metadata: bool = False,
        path: str | Path | None = None,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> bytes | Path:
        """Export a session as `markdown`, `json` or `text` and return the file's bytes.

        With `path`, the export is written to that file as it arrives, never held
        whole in memory, and the path written is returned instead.
        """
        request = api.export_session(
            self._http.config, session_id, format=format, include_metadata=include_metadata
        )
        request = with_options(request, timeout, extra_headers, extra_query, extra_body)
        if path is None:
            return await self._call(request, _export_bytes)
        target = Path(path)
        started = time.monotonic()
        with self._http.span(request) as span:
            response = await self._http.open(request, span, stream=True)
            await write_export(response, target)
        if self._raw:  # as in `_call`
            elapsed = time.monotonic() - started
            raw = AsyncRawResponse(response.status, response.headers, elapsed, lambda: target)
            return cast(Path, raw)
        return target

    async def get_all_images(
        self,
        *,
        limit: int = 1000,
        offset: int = 0,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> ChatImageList:
        """One page of the ids of every image available for chat context."""
        request = api.get_all_images(self._http.config, limit=limit, offset=offset)
        request = with_options(request, timeout, extra_headers, extra_query, extra_body)
        return await self._call(request, lambda reply: decode_reply(reply, ChatImageList))

    async def search_images(
        self,
        query: str,
        *,
        limit: int = 50,
        offset: int = 0,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> list[ImageReference]:
        """Search the images available for chat context; best matches first.

        The reply's total count and query interpretation are not returned.
        """
        request = api.search_images(self._http.config, query, limit=limit, offset=offset)
        request = with_options(request, timeout, extra_headers, extra_query, extra_body)
        return await self._call(request, api.parse_search_results)

    async def iter_all_images(
        self,
        *,
        page_size: int = 1000,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AsyncIterator[str]:
        """The id of every image available for chat context, fetching pages of `page_size` (1 to 5000)."""
        walk = self.with_raw_response.iter_all_images(
            page_size=page_size,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )
        async for page in walk:
            for image_id in page.parse().image_ids:
                yield image_id

    async def iter_search_images(
        self,
        query: str,
        *,
        page_size: int = 50,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AsyncIterator[ImageReference]:
        """Every image matching `query`, best first, fetching pages of `page_size` (1 to 100)."""
        walk = self.with_raw_response.iter_search_images(
            query,
            page_size=page_size,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )
        async for page in walk:
            for result in page.parse():
                yield result

    async def approve_plan(
        self,
        session_id: str,
        plan_id: str,
        *,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> PlanActionResponse:
        """Approve a plan the agents proposed; it may run in the background (`accepted`)."""
        request = api.plan_action(self._http.config, session_id, plan_id, "approve")
        request = with_options(request, timeout, extra_headers, extra_query, extra_body)
        return await self._call(request, lambda reply: api.parse_plan_action(reply, plan_id))

    async def cancel_plan(
        self,
        session_id: str,
        plan_id: str,
        *,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> PlanActionResponse:
        """Cancel a plan the agents proposed."""
        request = api.plan_action(self._http.config, session_id, plan_id, "cancel")
        request = with_options(request, timeout, extra_headers, extra_query, extra_body)
        return await self._call(request, lambda reply: api.parse_plan_action(reply, plan_id))


def _export_bytes(reply: Response) -> bytes:
    api.check_export(reply.status, reply.headers, reply.content[:256])
    return reply.content
