"""Both clients offer the reference's methods with its parameter names, kinds and defaults.

REFERENCE is the method list of the public SDK this API documents (shared/seed), written
out as (name, kind, default); our own keyword-only additions are listed apart.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from visionchat import (
    AsyncChats,
    AsyncChatSessionContext,
    AsyncChatsWithRawResponse,
    AsyncVisionChat,
    Chats,
    ChatSessionContext,
    ChatsWithRawResponse,
    VisionChat,
)

P, K = inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY
E = inspect.Parameter.empty

REFERENCE: dict[str, list[tuple[str, Any, Any]]] = {
    "session": [
        ("title", K, None),
        ("image_ids", K, None),
        ("use_all_images", K, True),
        ("auto_close", K, True),
    ],
    "send": [
        ("message", P, E),
        ("session_id", K, E),
        ("force_detailed_analysis", K, False),
        ("expected_image_ids", K, None),
    ],
    "send_stream": [
        ("message", P, E),
        ("session_id", K, E),
        ("force_detailed_analysis", K, False),
        ("expected_image_ids", K, None),
        ("debug_reasoning", K, False),
    ],
    "create_session": [("title", K, None), ("image_ids", K, None), ("use_all_images", K, True)],
    "get_session": [
        ("session_id", P, E),
        ("include_messages", K, True),
        ("message_limit", K, None),
    ],
    "list_sessions": [("limit", K, 20), ("offset", K, 0), ("active_only", K, False)],
    "iter_sessions": [("page_size", K, 20), ("active_only", K, False)],
    "get_messages": [("session_id", P, E), ("limit", K, None)],
    "update_images": [("session_id", P, E), ("image_ids", P, E)],
    "close_session": [("session_id", P, E)],
    "update_documents": [("session_id", P, E), ("document_ids", P, E)],
    "update_videos": [("session_id", P, E), ("video_ids", P, E)],
    "update_mode": [("session_id", P, E), ("use_all_images", P, E)],
    "update_domain": [("session_id", P, E), ("domain", P, E)],
    "rename_session": [("session_id", P, E), ("title", P, E)],
    "export_session": [
        ("session_id", P, E),
        ("format", K, "markdown"),
        ("include_metadata", K, False),
    ],
    "get_all_images": [("limit", K, 1000), ("offset", K, 0)],
    "search_images": [("query", P, E), ("limit", K, 50), ("offset", K, 0)],
    "approve_plan": [("session_id", P, E), ("plan_id", P, E)],
    "cancel_plan": [("session_id", P, E), ("plan_id", P, E)],
}
#: Calls this SDK adds to the reference's, written out the same way.
OURS: dict[str, list[tuple[str, Any, Any]]] = {
    "iter_all_images": [("page_size", K, 1000)],
    "iter_search_images": [("query", P, E), ("page_size", K, 50)],
}
#: Per-call options every call that sends requests takes, last, keyword-only, None by default.
OPTIONS = ["timeout", "extra_headers", "extra_query", "extra_body"]
#: Keyword-only parameters this SDK adds after the reference's own (and before the options).
ADDED = {
    "list_sessions": ["search", "min_messages"],
    "iter_sessions": ["search", "min_messages"],
    "send": ["idempotency_key"],
    "send_stream": ["idempotency_key"],
    "export_session": ["path"],
}
ALL = {**REFERENCE, **OURS}
#: Every call of `chats` but `session()`, which sends nothing itself, has a raw twin.
RAW = [name for name in ALL if name != "session"]
ITERATORS = {"iter_sessions", "iter_all_images", "iter_search_images"}
SESSION_METHODS = [
    "send",
    "send_stream",
    "get_messages",
    "update_images",
    "update_documents",
    "update_videos",
    "update_mode",
    "update_domain",
    "rename",
    "export",
    "approve_plan",
    "cancel_plan",
    "close",
]


@pytest.mark.parametrize("resource", [Chats, AsyncChats])
@pytest.mark.parametrize("name", list(ALL))
def test_reference_signatures(resource: type, name: str) -> None:
    params = list(inspect.signature(getattr(resource, name)).parameters.values())[1:]
    ours = [(p.name, p.kind, p.default) for p in params]
    reference = ALL[name]
    assert ours[: len(reference)] == reference
    extra = ours[len(reference) :]
    options = [] if name == "session" else OPTIONS
    assert [p[0] for p in extra] == ADDED.get(name, []) + options
    assert all(kind is K and default is None for _, kind, default in extra)


def _params(method: Any) -> list[tuple[str, Any, Any]]:
    params = inspect.signature(method).parameters.values()
    return [(p.name, p.kind, p.default) for p in params if p.name != "self"]


@pytest.mark.parametrize(
    ("client_type", "raw_type"),
    [(VisionChat, ChatsWithRawResponse), (AsyncVisionChat, AsyncChatsWithRawResponse)],
)
def test_with_raw_response_has_every_call_with_the_same_parameters(
    client_type: type[Any], raw_type: type
) -> None:
    client = client_type(api_key="vc-test-key-0123456789", base_url="http://127.0.0.1:9")
    raw = client.chats.with_raw_response
    assert isinstance(raw, raw_type)
    assert client.chats.with_raw_response is raw
    offered = {n for n in dir(raw) if not n.startswith("_")}
    assert offered == set(RAW)
    for name in RAW:
        assert _params(getattr(raw, name)) == _params(getattr(client.chats, name)), name


@pytest.mark.parametrize("name", RAW)
def test_raw_calls_are_awaited_in_async_except_the_iterators(name: str) -> None:
    method = getattr(AsyncChatsWithRawResponse, name, None)
    if name in ITERATORS:
        assert inspect.isasyncgenfunction(method)
        assert inspect.isgeneratorfunction(getattr(ChatsWithRawResponse, name))
    elif method is not None:  # the others are the raw-mode `AsyncChats` methods
        assert inspect.iscoroutinefunction(method)


@pytest.mark.parametrize("name", list(ALL))
def test_awaited_in_async_except_the_ones_that_are_not(name: str) -> None:
    not_awaited = {"session", "send_stream", *ITERATORS}
    method = getattr(AsyncChats, name)
    if name in not_awaited:
        assert not inspect.iscoroutinefunction(method)
    else:
        assert inspect.iscoroutinefunction(method)
    assert not inspect.iscoroutinefunction(getattr(Chats, name))
    assert not inspect.isasyncgenfunction(getattr(Chats, name))


def test_the_session_context_offers_the_same_calls_in_both_modes() -> None:
    for context in (ChatSessionContext, AsyncChatSessionContext):
        for name in [*SESSION_METHODS, "session_id", "session"]:
            assert hasattr(context, name), (context, name)
    for name in SESSION_METHODS:
        sync = inspect.signature(getattr(ChatSessionContext, name))
        async_ = inspect.signature(getattr(AsyncChatSessionContext, name))
        assert list(sync.parameters) == list(async_.parameters), name
        assert list(sync.parameters)[-len(OPTIONS) :] == OPTIONS, name
