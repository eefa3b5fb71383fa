# Generated from tests/unit/_async/test_reply_shapes.py by tools/gen_sync.py: do not edit; edit the async source.
"""Every shape the hosted API may send in a reply decodes: unions, nulls, open objects."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.payloads import IMG, SEND_REPLY, SID, message, summary
from visionchat import ImageInfo, VisionChat

S = f"/chat/sessions/{SID}"
INFOS = [{"image_id": IMG, "filename": "beam.jpg", "confidence": 1}]

#: The four shapes of `image_context` in the API's schema, and the typed view of each.
IMAGE_CONTEXTS: list[tuple[Any, list[ImageInfo] | None]] = [
    (INFOS, [ImageInfo(image_id=IMG, filename="beam.jpg", confidence=1.0)]),
    ([{"foo": 1}, {"image_id": 5}], None),
    ({"image_id": IMG, "note": "one object"}, None),
    (None, None),
]


@pytest.mark.parametrize(("sent", "typed"), IMAGE_CONTEXTS)
def test_every_image_context_shape_decodes_on_messages(
    client: VisionChat, mock_api, sent: Any, typed: list[ImageInfo] | None
) -> None:
    msg = {**message(), "image_context": sent}
    mock_api.add("GET", S, json={"session": summary(), "messages": [msg]})
    detail = client.chats.get_session(SID)
    assert detail.messages[0].image_context == typed
    assert detail.messages[0].image_context_raw == sent


@pytest.mark.parametrize(("sent", "typed"), IMAGE_CONTEXTS)
def test_every_image_context_shape_decodes_on_the_send_reply(
    client: VisionChat, mock_api, sent: Any, typed: list[ImageInfo] | None
) -> None:
    mock_api.add("POST", f"{S}/messages", json={**SEND_REPLY, "image_context": sent})
    reply = client.chats.send("hi", session_id=SID)
    assert reply.image_context == typed and reply.images == typed
    assert reply.image_context_raw == sent


@pytest.mark.parametrize(
    "extras",
    [
        {"results": {"steps": [{"step": 1}]}, "agent_results": [{"a": 1}], "pending_actions": []},
        {"results": None, "agent_results": None, "pending_actions": None},
        {"pending_actions": [{"step": 2, "action": "archive"}]},
    ],
)
def test_plan_action_reply_shapes(client: VisionChat, mock_api, extras: dict[str, Any]) -> None:
    body = {"success": True, "plan_id": "p", "message": "ok", "action_taken": "approved"}
    mock_api.add("POST", f"{S}/plans/p/action", json={**body, **extras})
    result = client.chats.approve_plan(SID, "p")
    for name in ("results", "agent_results", "pending_actions"):
        assert getattr(result, name) == extras.get(name)
    assert result.status is None


def test_plan_status_is_accepted_only_for_a_202(client: VisionChat, mock_api) -> None:
    body = {"success": True, "plan_id": "p", "message": "queued", "action_taken": "approved"}
    mock_api.add("POST", f"{S}/plans/p/action", json=body, status=202)
    mock_api.add("POST", f"{S}/plans/p/action", json={**body, "status": "accepted"})
    assert (client.chats.approve_plan(SID, "p")).status == "accepted"
    assert (client.chats.approve_plan(SID, "p")).status is None  # never from the body


def test_image_list_total_count(client: VisionChat, mock_api) -> None:
    mock_api.add(
        "GET", "/chat/images/all", json={"image_ids": [IMG], "total_count": 9, "has_more": True}
    )
    page = client.chats.get_all_images()
    assert page.total_count == page.total == 9
