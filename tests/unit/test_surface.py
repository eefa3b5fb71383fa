"""Both clients offer the reference's methods with its parameter names, kinds and defaults.

REFERENCE is the method list of the public SDK this API documents (shared/seed), written
out as (name, kind, default); our own keyword-only additions are listed apart.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from visionchat import AsyncChats, AsyncChatSessionContext, Chats, ChatSessionContext

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
#: Keyword-only parameters this SDK adds after the reference's own.
ADDED = {
    "send": ["idempotency_key"],
    "send_stream": ["idempotency_key"],
    "export_session": ["path"],
}
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
@pytest.mark.parametrize("name", list(REFERENCE))
def test_reference_signatures(resource: type, name: str) -> None:
    params = list(inspect.signature(getattr(resource, name)).parameters.values())[1:]
    ours = [(p.name, p.kind, p.default) for p in params]
    reference = REFERENCE[name]
    assert ours[: len(reference)] == reference
    extra = ours[len(reference) :]
    assert [p[0] for p in extra] == ADDED.get(name, [])
    assert all(kind is K and default is None for _, kind, default in extra)


@pytest.mark.parametrize("name", list(REFERENCE))
def test_awaited_in_async_except_the_three_that_are_not(name: str) -> None:
    not_awaited = {"session", "send_stream", "iter_sessions"}
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
