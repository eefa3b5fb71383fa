"""`to_json()` / `from_json()`: every model round-trips to an equal model."""

from __future__ import annotations

import json

import msgspec
import pytest

from tests.unit.payloads import IMG, SEND_REPLY, SID, TS, message, summary
from visionchat import models
from visionchat.errors import ResponseDecodeError

_PLAN = {"plan_id": "p-1", "steps": [{"step": 1}], "message": "plan"}
EXAMPLES: dict[str, bytes] = {
    "ChatImageList": b'{"image_ids": ["a"], "total_count": 3, "has_more": true}',
    "ChatMessage": msgspec.json.encode({**message(), "image_context": {"odd": 1}}),
    "ChatResponse": msgspec.json.encode(
        {**SEND_REPLY, "image_context": [{"image_id": IMG}], "pending_plan": _PLAN}
    ),
    "ChatSession": msgspec.json.encode(summary()),
    "ChatSessionDetail": msgspec.json.encode({"session": summary(), "messages": [message()]}),
    "ChatToken": msgspec.json.encode(
        models.ChatToken(type="token", content="Hi", id="3", raw=b'{"content":"Hi"}')
    ),
    "DocumentsUpdated": msgspec.json.encode({"session_id": SID, "document_count": 0}),
    "DomainUpdated": msgspec.json.encode({"session_id": SID, "domain": "x", "updated_at": TS}),
    "ImageInfo": msgspec.json.encode({"image_id": IMG, "title": "t", "confidence": 0.5}),
    "ImageReference": msgspec.json.encode({"image_id": IMG, "created_at": TS}),
    "ImagesUpdated": msgspec.json.encode({"session_id": SID, "selected_image_ids": [IMG]}),
    "ModeUpdated": msgspec.json.encode({"session_id": SID, "use_all_images": False}),
    "PendingPlan": msgspec.json.encode(_PLAN),
    "PlanActionResponse": b'{"plan_id": "p", "results": {"a": 1}, "accepted": true}',
    "SessionClosed": msgspec.json.encode({"session_id": SID, "closed_at": TS}),
    "SessionList": msgspec.json.encode({"sessions": [summary()], "total_count": 1}),
    "SessionRenamed": msgspec.json.encode({"session_id": SID, "title": "t"}),
    "VideosUpdated": msgspec.json.encode({"session_id": SID, "video_count": 0}),
}


def test_every_public_model_has_an_example() -> None:
    public = {
        name for name in models.__all__ if isinstance(getattr(models, name), msgspec.StructMeta)
    }
    assert public == set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_model_round_trips(name: str) -> None:
    cls = getattr(models, name)
    model = cls.from_json(EXAMPLES[name])
    if isinstance(model, models.Reply):
        model.request_id = "req-1"  # a field that never travels from a server, yet round-trips
    again = cls.from_json(model.to_json())
    assert again == model and isinstance(again, cls)
    assert json.loads(json.dumps(msgspec.to_builtins(model))) == json.loads(model.to_json())


def test_sdk_only_fields_and_renames_travel_under_one_rule() -> None:
    response = models.ChatResponse.from_json(msgspec.json.encode(SEND_REPLY))
    wire = json.loads(response.to_json())
    assert wire["resolved_content"] == response.resolved_content
    assert "image_context" in wire and "image_context_raw" not in wire
    page = json.loads(models.SessionList(total=2).to_json())
    assert page["total_count"] == 2 and "sessions" in page


def test_from_json_refuses_another_shape() -> None:
    with pytest.raises(ResponseDecodeError):
        models.ChatSession.from_json(b'{"title": "no id"}')


def test_tokens_from_sse_events_read_like_streamed_ones() -> None:
    token = models.ChatToken.from_sse_event("token", {"content": "Hi", "token_index": 0})
    assert (token.type, token.content, token.data["token_index"]) == ("token", "Hi", 0)
    assert token.resolved_content is None and token.references is None
    metadata = {"result_refs": {"r": {"count": 4}}}
    content = "See [[img:a1|beam.jpg]] ([[ref:r]])"
    complete = models.ChatToken.from_sse_event(
        "complete", {"content": content, "metadata": metadata}
    )
    assert complete.type is models.ChatTokenType.COMPLETE and complete.content is None
    assert complete.resolved_content == "See beam.jpg (4)"
    assert [r.kind for r in complete.references or []] == ["img", "ref"]
    assert complete.result_refs == {"r": {"count": 4}}
    assert models.ChatToken.from_sse_event("brand_new", {}).type == "brand_new"
