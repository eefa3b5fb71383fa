"""visionchat: multi-turn chats with AI agents over your images, documents and videos.

`VisionChat` (blocking, on requests) and `AsyncVisionChat` (asyncio, on aiohttp)
offer the same `client.chats` methods, models and errors. The async client is
imported on first use, so a sync-only program never imports aiohttp.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._config import Timeout
from ._sync._chats import Chats
from ._sync._client import VisionChat
from ._sync._raw import RawResponse
from ._sync._raw_chats import ChatsWithRawResponse
from ._sync._session import ChatSessionContext
from ._sync._stream import ChatStream
from ._version import __version__
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InsecureTransportWarning,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimitError,
    RedirectError,
    ResponseDecodeError,
    StreamError,
    StreamTimeoutError,
    UnprocessableEntityError,
    VisionChatError,
)
from .models import (
    ChatImageList,
    ChatMessage,
    ChatResponse,
    ChatSession,
    ChatSessionDetail,
    ChatToken,
    ChatTokenType,
    DocumentsUpdated,
    DomainUpdated,
    ImageInfo,
    ImageReference,
    ImagesUpdated,
    ModeUpdated,
    PendingPlan,
    PlanActionResponse,
    SessionClosed,
    SessionList,
    SessionRenamed,
    VideosUpdated,
)

if TYPE_CHECKING:
    from ._async._chats import AsyncChats
    from ._async._client import AsyncVisionChat
    from ._async._raw import AsyncRawResponse
    from ._async._raw_chats import AsyncChatsWithRawResponse
    from ._async._session import AsyncChatSessionContext
    from ._async._stream import AsyncChatStream

_LAZY = {
    "AsyncVisionChat": "._async._client",
    "AsyncChats": "._async._chats",
    "AsyncChatSessionContext": "._async._session",
    "AsyncChatStream": "._async._stream",
    "AsyncRawResponse": "._async._raw",
    "AsyncChatsWithRawResponse": "._async._raw_chats",
}


def __getattr__(name: str) -> Any:
    """Import the async client (and aiohttp) only when it is first asked for."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'visionchat' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncChatSessionContext",
    "AsyncChatStream",
    "AsyncChats",
    "AsyncChatsWithRawResponse",
    "AsyncRawResponse",
    "AsyncVisionChat",
    "AuthenticationError",
    "BadRequestError",
    "ChatImageList",
    "ChatMessage",
    "ChatResponse",
    "ChatSession",
    "ChatSessionContext",
    "ChatSessionDetail",
    "ChatStream",
    "ChatToken",
    "ChatTokenType",
    "Chats",
    "ChatsWithRawResponse",
    "ConflictError",
    "DocumentsUpdated",
    "DomainUpdated",
    "ImageInfo",
    "ImageReference",
    "ImagesUpdated",
    "InsecureTransportWarning",
    "InternalServerError",
    "ModeUpdated",
    "NotFoundError",
    "PendingPlan",
    "PermissionDeniedError",
    "PlanActionResponse",
    "QuotaExceededError",
    "RateLimitError",
    "RawResponse",
    "RedirectError",
    "ResponseDecodeError",
    "SessionClosed",
    "SessionList",
    "SessionRenamed",
    "StreamError",
    "StreamTimeoutError",
    "Timeout",
    "UnprocessableEntityError",
    "VideosUpdated",
    "VisionChat",
    "VisionChatError",
    "__version__",
]
