"""`client.chats.with_raw_response`: the calls of `client.chats`, each returning its raw reply."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping
from typing import Any

from .. import _endpoints as api
from .. import _validate as check
from .._config import Timeout
from .._paging import image_page, search_page, session_page
from .._wire import CallOptions, QueryValue, Request
from ..models import ChatImageList, ImageReference, SessionList
from ._chats import AsyncChats
from ._http import AsyncHTTPClient
from ._pages import pages
from ._raw import AsyncRawResponse, as_raw, decoded
from ._stream import AsyncChatStream


class AsyncChatsWithRawResponse:
    """Every call of `client.chats` that sends requests, with the same arguments, returning
    an `AsyncRawResponse` (status, headers, request id, elapsed time; `parse()` gives the
    usual result) instead of the result itself.

    `send_stream` sends its request at once and returns when the reply's headers have
    arrived; the `iter_*` calls yield one raw reply per page. `session()` sends nothing
    itself: use `create_session` and `close_session` here.
    """

    def __init__(self, http: AsyncHTTPClient) -> None:
        self._http = http
        chats = self._chats = AsyncChats(http, raw=True)
        self.send = as_raw(chats.send)
        self.create_session = as_raw(chats.create_session)
        self.get_session = as_raw(chats.get_session)
        self.list_sessions = as_raw(chats.list_sessions)
        self.get_messages = as_raw(chats.get_messages)
        self.update_images = as_raw(chats.update_images)
        self.close_session = as_raw(chats.close_session)
        self.update_documents = as_raw(chats.update_documents)
        self.update_videos = as_raw(chats.update_videos)
        self.update_mode = as_raw(chats.update_mode)
        self.update_domain = as_raw(chats.update_domain)
        self.rename_session = as_raw(chats.rename_session)
        self.export_session = as_raw(chats.export_session)
        self.get_all_images = as_raw(chats.get_all_images)
        self.search_images = as_raw(chats.search_images)
        self.approve_plan = as_raw(chats.approve_plan)
        self.cancel_plan = as_raw(chats.cancel_plan)

    async def send_stream(
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
    ) -> AsyncRawResponse[AsyncChatStream]:
        """Send a message and return once the reply's headers are in; `parse()` gives the stream.

        The stream is already open: iterate it (or close the raw reply) to release the
        connection.
        """
        stream = self._chats.send_stream(
            message,
            session_id=session_id,
            force_detailed_analysis=force_detailed_analysis,
            expected_image_ids=expected_image_ids,
            debug_reasoning=debug_reasoning,
            idempotency_key=idempotency_key,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )
        started = time.monotonic()
        response = await stream.open_now()
        elapsed = time.monotonic() - started
        return AsyncRawResponse(response.status, response.headers, elapsed, lambda: stream, stream)

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
    ) -> AsyncIterator[AsyncRawResponse[SessionList]]:
        """The raw reply of each page of `list_sessions`, as `iter_sessions` walks them."""
        check.integer("page_size", page_size, 1, 100)
        check.optional_search(search)
        check.optional_count("min_messages", min_messages)
        options = CallOptions.of(timeout, extra_headers, extra_query, extra_body)

        def build(limit: int, offset: int) -> Request:
            request = api.list_sessions(
                self._http.config,
                limit=limit,
                offset=offset,
                active_only=active_only,
                search=search,
                min_messages=min_messages,
            )
            return request if options is None else options.apply(request)

        async for reply, page in pages(self._http, page_size, build, session_page):
            yield decoded(reply, page)

    async def iter_all_images(
        self,
        *,
        page_size: int = 1000,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AsyncIterator[AsyncRawResponse[ChatImageList]]:
        """The raw reply of each page of `get_all_images`, as `iter_all_images` walks them."""
        check.integer("page_size", page_size, 1, 5000)
        options = CallOptions.of(timeout, extra_headers, extra_query, extra_body)

        def build(limit: int, offset: int) -> Request:
            request = api.get_all_images(self._http.config, limit=limit, offset=offset)
            return request if options is None else options.apply(request)

        async for reply, page in pages(self._http, page_size, build, image_page):
            yield decoded(reply, page)

    async def iter_search_images(
        self,
        query: str,
        *,
        page_size: int = 50,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> AsyncIterator[AsyncRawResponse[list[ImageReference]]]:
        """The raw reply of each page of `search_images`, as `iter_search_images` walks them."""
        check.integer("page_size", page_size, 1, 100)
        options = CallOptions.of(timeout, extra_headers, extra_query, extra_body)

        def build(limit: int, offset: int) -> Request:
            request = api.search_images(self._http.config, query, limit=limit, offset=offset)
            return request if options is None else options.apply(request)

        async for reply, page in pages(self._http, page_size, build, search_page):
            yield decoded(reply, page)
