"""Every `client.chats` method: the exact wire request it sends and the model it returns."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.payloads import IMG, SEND_REPLY, SID, TS, message, summary
from visionchat import (
    AsyncVisionChat,
    ChatImageList,
    ChatResponse,
    ChatSession,
    ChatSessionDetail,
    ImageReference,
    PlanActionResponse,
    SessionList,
)

S = f"/chat/sessions/{SID}"


async def test_create_session_sends_the_protocol_body(client: AsyncVisionChat, mock_api) -> None:
    mock_api.add("POST", "/chat/sessions", json={"session_id": SID, "title": "T", "created_at": TS})
    session = await client.chats.create_session(title="T", image_ids=[IMG], use_all_images=False)
    assert isinstance(session, ChatSession)
    assert (session.id, session.title, session.use_all_images) == (SID, "T", False)
    call = mock_api.calls[0]
    assert call.json == {"use_all_images": False, "title": "T", "initial_image_ids": [IMG]}
    assert call.headers["Authorization"] == "Bearer vc-test-key-0123456789"
    assert call.headers["Content-Type"] == "application/json"
    assert len(call.headers["Idempotency-Key"]) >= 16


async def test_create_session_defaults(client: AsyncVisionChat, mock_api) -> None:
    mock_api.add(
        "POST", "/chat/sessions", json={"session_id": SID, "title": None, "created_at": TS}
    )
    session = await client.chats.create_session()
    assert session.title == ""
    assert mock_api.calls[0].json == {"use_all_images": True}


async def test_send(client: AsyncVisionChat, mock_api) -> None:
    mock_api.add("POST", f"{S}/messages", json=SEND_REPLY)
    reply = await client.chats.send(
        "Which beams show rust?", session_id=SID, expected_image_ids=[IMG]
    )
    assert isinstance(reply, ChatResponse)
    assert reply.session_id == SID
    assert reply.remaining_tokens == 99850 and reply.remaining_messages == 197
    assert reply.resolved_content == "Found 7 images: beam.jpg and spec.pdf (p.5)."
    assert mock_api.calls[0].json == {
        "message": "Which beams show rust?",
        "force_detailed_analysis": False,
        "expected_image_ids": [IMG],
    }


async def test_send_passes_the_callers_idempotency_key(client: AsyncVisionChat, mock_api) -> None:
    mock_api.add("POST", f"{S}/messages", json=SEND_REPLY)
    await client.chats.send("hi", session_id=SID, idempotency_key="my-key-1")
    assert mock_api.calls[0].headers["Idempotency-Key"] == "my-key-1"


async def test_get_session(client: AsyncVisionChat, mock_api) -> None:
    mock_api.add(
        "GET",
        S,
        json={
            "session": summary(),
            "messages": [message("user", "hello"), message()],
            "selected_image_ids": [IMG],
            "context_summary": None,
        },
    )
    detail = await client.chats.get_session(SID, message_limit=50)
    assert isinstance(detail, ChatSessionDetail)
    assert detail.session.remaining_messages == 198
    assert [m.role for m in detail.messages] == ["user", "assistant"]
    assert detail.messages[1].resolved_content == "Rust on beam.jpg"
    assert detail.messages[1].image_context and detail.messages[1].image_context[0].image_id == IMG
    assert detail.selected_video_ids == [] and detail.selected_image_ids == [IMG]
    assert mock_api.calls[0].query == {"include_messages": "true", "message_limit": "50"}


async def test_get_messages_uses_the_limit(client: AsyncVisionChat, mock_api) -> None:
    mock_api.add("GET", S, json={"session": summary(), "messages": [message()]})
    messages = await client.chats.get_messages(SID, limit=5)
    assert [m.id for m in messages] == ["m-1"]
    assert mock_api.calls[0].query == {"include_messages": "true", "message_limit": "5"}


async def test_list_sessions(client: AsyncVisionChat, mock_api) -> None:
    mock_api.add(
        "GET", "/chat/sessions", json={"sessions": [summary()], "total_count": 41, "has_more": True}
    )
    page = await client.chats.list_sessions(limit=10, offset=20, active_only=True)
    assert isinstance(page, SessionList)
    assert (page.total, page.has_more, page.items[0].id) == (41, True, SID)
    assert mock_api.calls[0].query == {"limit": "10", "offset": "20", "is_active": "true"}


async def test_list_sessions_omits_is_active_by_default(client: AsyncVisionChat, mock_api) -> None:
    mock_api.add(
        "GET", "/chat/sessions", json={"sessions": [], "total_count": 0, "has_more": False}
    )
    await client.chats.list_sessions()
    assert mock_api.calls[0].query == {"limit": "20", "offset": "0"}


async def test_list_sessions_sends_its_filters(client: AsyncVisionChat, mock_api) -> None:
    mock_api.add(
        "GET", "/chat/sessions", json={"sessions": [], "total_count": 0, "has_more": False}
    )
    await client.chats.list_sessions(search="roof leak & 100%", min_messages=0)
    assert mock_api.calls[0].query == {
        "limit": "20",
        "offset": "0",
        "search": "roof leak & 100%",
        "min_messages": "0",
    }


async def test_iter_sessions_sends_its_filters_with_every_page(
    client: AsyncVisionChat, mock_api
) -> None:
    for sessions, more in ([summary("s-1")], True), ([summary("s-2")], False):
        mock_api.add(
            "GET",
            "/chat/sessions",
            json={"sessions": sessions, "total_count": 2, "has_more": more},
        )
    seen = [
        s.id
        async for s in client.chats.iter_sessions(
            page_size=1, active_only=True, search="rust", min_messages=2
        )
    ]
    assert seen == ["s-1", "s-2"]
    assert [c.query for c in mock_api.calls] == [
        {"limit": "1", "offset": str(n), "is_active": "true", "search": "rust", "min_messages": "2"}
        for n in (0, 1)
    ]


@pytest.mark.parametrize(
    ("filters", "error", "message"),
    [
        ({"search": "s" * 201}, ValueError, "at most 200"),
        ({"search": 5}, TypeError, "search must be a string"),
        ({"min_messages": -1}, ValueError, "min_messages must be at least 0"),
        ({"min_messages": True}, TypeError, "min_messages must be an int"),
        ({"min_messages": 1.0}, TypeError, "min_messages must be an int"),
    ],
)
async def test_session_filters_are_checked_before_any_request(
    client: AsyncVisionChat, mock_api, filters, error, message
) -> None:
    with pytest.raises(error, match=message):
        await client.chats.list_sessions(**filters)
    with pytest.raises(error, match=message):
        [s async for s in client.chats.iter_sessions(**filters)]
    assert mock_api.calls == []


async def test_iter_sessions_pages_until_has_more_is_false(
    client: AsyncVisionChat, mock_api
) -> None:
    ids = [f"s-{i}" for i in range(5)]
    mock_api.add(
        "GET",
        "/chat/sessions",
        json={"sessions": [summary(i) for i in ids[:2]], "total_count": 5, "has_more": True},
    )
    mock_api.add(
        "GET",
        "/chat/sessions",
        json={"sessions": [summary(i) for i in ids[2:4]], "total_count": 5, "has_more": True},
    )
    mock_api.add(
        "GET",
        "/chat/sessions",
        json={"sessions": [summary(ids[4])], "total_count": 5, "has_more": False},
    )
    seen = [s.id async for s in client.chats.iter_sessions(page_size=2)]
    assert seen == ids
    assert [c.query["offset"] for c in mock_api.calls] == ["0", "2", "4"]
    assert {c.query["limit"] for c in mock_api.calls} == {"2"}


async def test_iter_sessions_stops_on_an_empty_page(client: AsyncVisionChat, mock_api) -> None:
    mock_api.add("GET", "/chat/sessions", json={"sessions": [], "total_count": 9, "has_more": True})
    assert [s async for s in client.chats.iter_sessions()] == []
    assert len(mock_api.calls) == 1


@pytest.mark.parametrize(
    ("method", "verb", "suffix", "args", "body", "reply", "field", "value"),
    [
        (
            "update_images",
            "PUT",
            "/images",
            ([IMG],),
            {"image_ids": [IMG]},
            {
                "session_id": SID,
                "selected_image_ids": [IMG],
                "selected_video_ids": [],
                "context_summary": "1 image",
                "estimated_tokens": 300,
            },
            "estimated_tokens",
            300,
        ),
        (
            "update_documents",
            "PUT",
            "/documents",
            (["d1"],),
            {"document_ids": ["d1"]},
            {"session_id": SID, "selected_document_ids": ["d1"], "document_count": 1},
            "document_count",
            1,
        ),
        (
            "update_videos",
            "PUT",
            "/videos",
            (["v1"],),
            {"video_ids": ["v1"]},
            {"session_id": SID, "selected_video_ids": ["v1"], "video_count": 1},
            "video_count",
            1,
        ),
        (
            "update_mode",
            "PATCH",
            "/mode",
            (False,),
            {"use_all_images": False},
            {
                "session_id": SID,
                "use_all_images": False,
                "selected_image_count": 3,
                "updated_at": TS,
            },
            "selected_image_count",
            3,
        ),
        (
            "update_domain",
            "PATCH",
            "/domain",
            ("construction",),
            {"domain": "construction"},
            {"session_id": SID, "domain": "construction", "updated_at": TS},
            "domain",
            "construction",
        ),
        (
            "rename_session",
            "PATCH",
            "/title",
            ("New",),
            {"title": "New"},
            {"session_id": SID, "title": "New", "updated_at": TS},
            "title",
            "New",
        ),
        (
            "close_session",
            "DELETE",
            "",
            (),
            None,
            {"session_id": SID, "closed_at": TS, "total_messages": 4, "total_tokens": 99},
            "total_tokens",
            99,
        ),
    ],
)
async def test_session_updates(
    client: AsyncVisionChat, mock_api, method, verb, suffix, args, body, reply, field, value
) -> None:
    mock_api.add(verb, S + suffix, json=reply)
    result = await getattr(client.chats, method)(SID, *args)
    assert getattr(result, field) == value
    assert result[field] == value  # readable like the dict the API sent
    assert result.session_id == SID
    call = mock_api.calls[0]
    assert (call.method, call.path, call.json) == (verb, S + suffix, body)


async def test_exactly_1000_image_ids_pass_and_1001_fail(client: AsyncVisionChat, mock_api) -> None:
    ids = [f"img-{n}" for n in range(1000)]
    reply = {
        "session_id": SID,
        "selected_image_ids": ids,
        "selected_video_ids": [],
        "context_summary": "1000 images",
        "estimated_tokens": 300_000,
    }
    mock_api.add("PUT", S + "/images", json=reply)
    result = await client.chats.update_images(SID, ids)
    assert result.selected_image_ids == ids
    assert mock_api.calls[0].json == {"image_ids": ids}
    with pytest.raises(ValueError, match="at most 1000"):
        await client.chats.update_images(SID, [*ids, "img-1000"])
    assert len(mock_api.calls) == 1  # the refused call sent nothing


async def test_export_returns_the_file_bytes(client: AsyncVisionChat, mock_api) -> None:
    mock_api.add("GET", f"{S}/export", body=b"# Bridge survey\n", content_type="text/markdown")
    data = await client.chats.export_session(SID)
    assert data == b"# Bridge survey\n"
    assert mock_api.calls[0].query == {"format": "markdown", "include_metadata": "false"}


async def test_export_to_a_path_streams_into_the_file(
    client: AsyncVisionChat, mock_api, tmp_path: Path
) -> None:
    mock_api.add("GET", f"{S}/export", body=b'{"messages": []}')
    target = tmp_path / "out.json"
    result = await client.chats.export_session(
        SID, format="json", include_metadata=True, path=target
    )
    assert result == target
    assert target.read_bytes() == b'{"messages": []}'
    assert not (tmp_path / "out.json.part").exists()
    assert mock_api.calls[0].query == {"format": "json", "include_metadata": "true"}


async def test_get_all_images(client: AsyncVisionChat, mock_api) -> None:
    mock_api.add(
        "GET", "/chat/images/all", json={"image_ids": [IMG], "total_count": 61, "has_more": True}
    )
    page = await client.chats.get_all_images(limit=1, offset=3)
    assert isinstance(page, ChatImageList)
    assert (page.image_ids, page.total, page.has_more) == ([IMG], 61, True)
    assert mock_api.calls[0].query == {"limit": "1", "offset": "3"}


async def test_search_images(client: AsyncVisionChat, mock_api) -> None:
    mock_api.add(
        "POST",
        "/chat/images/search",
        json={
            "results": [
                {
                    "image_id": IMG,
                    "description": "rusty beam",
                    "confidence": 0.9,
                    "relevance_score": 3.2,
                    "created_at": TS,
                }
            ],
            "total_count": 1,
            "query_interpretation": {"terms": ["rust"]},
        },
    )
    results = await client.chats.search_images("rust", limit=5)
    assert isinstance(results[0], ImageReference)
    assert results[0].relevance_score == 3.2
    assert mock_api.calls[0].json == {"query": "rust", "limit": 5, "offset": 0}


@pytest.mark.parametrize("action", ["approve", "cancel"])
async def test_plan_actions(client: AsyncVisionChat, mock_api, action: str) -> None:
    mock_api.add(
        "POST",
        f"{S}/plans/plan-1/action",
        json={"success": True, "plan_id": "plan-1", "message": "done", "action_taken": action},
    )
    result = await getattr(client.chats, f"{action}_plan")(SID, "plan-1")
    assert isinstance(result, PlanActionResponse)
    assert (result.action_taken, result.accepted) == (action, False)
    assert mock_api.calls[0].json == {"action": action}


async def test_plan_accepted_with_an_empty_body(client: AsyncVisionChat, mock_api) -> None:
    mock_api.add("POST", f"{S}/plans/plan-1/action", body=b"", status=202)
    result = await client.chats.approve_plan(SID, "plan-1")
    assert result.accepted and result.success and result.plan_id == "plan-1"


async def test_ids_travel_as_one_encoded_path_segment(client: AsyncVisionChat, mock_api) -> None:
    mock_api.add(
        "POST", "/chat/sessions/..%2Fx%3Fy%23z/plans/a%2Fb/action", json={"plan_id": "a/b"}
    )
    await client.chats.approve_plan("../x?y#z", "a/b")
    assert mock_api.calls[0].url.endswith("/chat/sessions/..%2Fx%3Fy%23z/plans/a%2Fb/action")


async def test_replies_carry_the_servers_request_id(client: AsyncVisionChat, mock_api) -> None:
    rid = {"X-Request-ID": "req-42"}
    mock_api.add("POST", f"{S}/messages", json=SEND_REPLY, headers=rid)
    mock_api.add("GET", "/chat/sessions", json={"sessions": [summary()]}, headers=rid)
    mock_api.add("POST", "/chat/sessions", json={"session_id": SID}, headers=rid)
    mock_api.add("DELETE", S, json={"session_id": SID}, headers=rid)
    assert (await client.chats.send("hi", session_id=SID)).request_id == "req-42"
    assert (await client.chats.list_sessions()).request_id == "req-42"
    assert (await client.chats.create_session()).request_id == "req-42"
    assert (await client.chats.close_session(SID)).request_id == "req-42"
