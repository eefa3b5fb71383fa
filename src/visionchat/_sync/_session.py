# Generated from src/visionchat/_async/_session.py by tools/gen_sync.py: do not edit; edit the async source.
"""A chat session as a context manager, with the session id filled in on every call."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, overload

from .._config import Timeout
from .._wire import QueryValue
from ..models import (
    ChatMessage,
    ChatResponse,
    ChatSession,
    DocumentsUpdated,
    DomainUpdated,
    ImagesUpdated,
    ModeUpdated,
    PlanActionResponse,
    SessionClosed,
    SessionRenamed,
    VideosUpdated,
)
from ._stream import ChatStream

if TYPE_CHECKING:
    from ._chats import Chats


class ChatSessionContext:
    """Creates a session on entry and, when `auto_close`, closes it on exit.

    Its calls take the same per-call options as those of `client.chats`.

    An error while closing never hides the error that left the block.
    """

    def __init__(
        self,
        chats: Chats,
        *,
        title: str | None,
        image_ids: list[str] | None,
        use_all_images: bool,
        auto_close: bool,
    ) -> None:
        self._chats = chats
        self._title = title
        self._image_ids = image_ids
        self._use_all_images = use_all_images
        self._auto_close = auto_close
        self._session: ChatSession | None = None
        self._closed = False

    @property
    def session(self) -> ChatSession:
        """The session created on entry, as the create reply described it.

        Its counters start at zero; `get_session()` gives the server's current view.
        """
        if self._session is None:
            raise RuntimeError("the session is created on entering the `with` block")
        return self._session

    @property
    def session_id(self) -> str:
        """The id of the session created on entry."""
        return self.session.id

    def __enter__(self) -> ChatSessionContext:
        self._session = self._chats.create_session(
            title=self._title, image_ids=self._image_ids, use_all_images=self._use_all_images
        )
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._auto_close or self._closed or self._session is None:
            return
        if exc is None:
            self.close()
            return
        try:
            self.close()
        except Exception as close_error:
            # The error that left the block matters more; keep this one as a note on it.
            exc.add_note(f"closing session {self.session_id} also failed: {close_error!r}")

    def send(
        self,
        message: str,
        *,
        force_detailed_analysis: bool = False,
        expected_image_ids: list[str] | None = None,
        idempotency_key: str | None = None,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> ChatResponse:
        """Send a message in this session and return the complete answer."""
        return self._chats.send(
            message,
            session_id=self.session_id,
            force_detailed_analysis=force_detailed_analysis,
            expected_image_ids=expected_image_ids,
            idempotency_key=idempotency_key,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def send_stream(
        self,
        message: str,
        *,
        force_detailed_analysis: bool = False,
        expected_image_ids: list[str] | None = None,
        debug_reasoning: bool = False,
        idempotency_key: str | None = None,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> ChatStream:
        """Send a message in this session and stream the answer as it arrives."""
        return self._chats.send_stream(
            message,
            session_id=self.session_id,
            force_detailed_analysis=force_detailed_analysis,
            expected_image_ids=expected_image_ids,
            debug_reasoning=debug_reasoning,
            idempotency_key=idempotency_key,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def get_messages(
        self,
        *,
        limit: int | None = None,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> list[ChatMessage]:
        """This session's most recent messages, oldest first."""
        return self._chats.get_messages(
            self.session_id,
            limit=limit,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def update_images(
        self,
        image_ids: list[str],
        *,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> ImagesUpdated:
        """Replace this session's selected images."""
        return self._chats.update_images(
            self.session_id,
            image_ids,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def update_documents(
        self,
        document_ids: list[str],
        *,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> DocumentsUpdated:
        """Replace this session's selected documents."""
        return self._chats.update_documents(
            self.session_id,
            document_ids,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def update_videos(
        self,
        video_ids: list[str],
        *,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> VideosUpdated:
        """Replace this session's selected videos."""
        return self._chats.update_videos(
            self.session_id,
            video_ids,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def update_mode(
        self,
        use_all_images: bool,
        *,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> ModeUpdated:
        """Switch this session between all images and its selected images."""
        return self._chats.update_mode(
            self.session_id,
            use_all_images,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def update_domain(
        self,
        domain: str,
        *,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> DomainUpdated:
        """Set this session's knowledge domain."""
        return self._chats.update_domain(
            self.session_id,
            domain,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def rename(
        self,
        title: str,
        *,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> SessionRenamed:
        """Rename this session."""
        return self._chats.rename_session(
            self.session_id,
            title,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    @overload
    def export(
        self,
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
    def export(
        self,
        *,
        format: str = ...,
        include_metadata: bool = ...,
        path: str | Path,
        timeout: float | Timeout | None = ...,
        extra_headers: Mapping[str, str] | None = ...,
        extra_query: Mapping[str, QueryValue] | None = ...,
        extra_body: Mapping[str, Any] | None = ...,
    ) -> Path: ...

    def export(
        self,
        *,
        format: str = "markdown",
        include_metadata: bool = False,
        path: str | Path | None = None,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> bytes | Path:
        """Export this session: its bytes, or with `path` the file written as it arrives."""
        if path is None:
            return self._chats.export_session(
                self.session_id,
                format=format,
                include_metadata=include_metadata,
                timeout=timeout,
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
            )
        return self._chats.export_session(
            self.session_id,
            format=format,
            include_metadata=include_metadata,
            path=path,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def approve_plan(
        self,
        plan_id: str,
        *,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> PlanActionResponse:
        """Approve a plan proposed in this session."""
        return self._chats.approve_plan(
            self.session_id,
            plan_id,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def cancel_plan(
        self,
        plan_id: str,
        *,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> PlanActionResponse:
        """Cancel a plan proposed in this session."""
        return self._chats.cancel_plan(
            self.session_id,
            plan_id,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )

    def close(
        self,
        *,
        timeout: float | Timeout | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> SessionClosed:
        """Close this session now (leaving the block then does not close it again)."""
        result = self._chats.close_session(
            self.session_id,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )
        self._closed = True
        return result
