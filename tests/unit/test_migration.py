"""Every attribute docs/migration.md says "works" is readable on a decoded instance."""

from __future__ import annotations

import re
from pathlib import Path

import msgspec
import pytest

from tests.unit.payloads import IMG, SEND_REPLY, TS, message, summary
from visionchat import models
from visionchat._chat_events import ChatEventReader

PAGE = Path(__file__).parents[2] / "docs" / "migration.md"
_ROW = re.compile(r"^\| (\w+) \| (\w+) \| (works|changed) \|", re.MULTILINE)
ROWS = _ROW.findall(PAGE.read_text(encoding="utf-8"))


def _complete_token() -> models.ChatToken:
    data = {**SEND_REPLY, "type": "complete", "message_id": "m-2"}
    token = ChatEventReader("s").token(("complete", msgspec.json.encode(data), None))
    assert token is not None
    return token


INSTANCES: dict[str, object] = {
    "ImageInfo": models.ImageInfo.from_json(msgspec.json.encode({"image_id": IMG})),
    "ImageReference": models.ImageReference.from_json(msgspec.json.encode({"image_id": IMG})),
    "ChatMessage": models.ChatMessage.from_json(msgspec.json.encode(message())),
    "ChatResponse": models.ChatResponse.from_json(msgspec.json.encode(SEND_REPLY)),
    "ChatToken": _complete_token(),
    "ChatSession": models.ChatSession.from_json(msgspec.json.encode(summary())),
    "ChatSessionDetail": models.ChatSessionDetail.from_json(
        msgspec.json.encode({"session": summary(), "messages": [message()], "created_at": TS})
    ),
    "SessionList": models.SessionList.from_json(b'{"sessions": [], "total_count": 0}'),
    "ChatImageList": models.ChatImageList.from_json(b'{"image_ids": [], "total_count": 0}'),
    "PlanActionResponse": models.PlanActionResponse.from_json(b'{"plan_id": "p"}'),
}


def test_the_table_covers_every_model_of_the_other_sdk() -> None:
    assert {model for model, _, _ in ROWS} == set(INSTANCES) and len(ROWS) > 60


@pytest.mark.parametrize(
    ("model", "attribute"), [(m, a) for m, a, status in ROWS if status == "works"]
)
def test_every_works_name_reads(model: str, attribute: str) -> None:
    getattr(INSTANCES[model], attribute)


@pytest.mark.parametrize(
    ("model", "attribute"), [(m, a) for m, a, status in ROWS if status == "changed"]
)
def test_every_changed_name_is_really_absent(model: str, attribute: str) -> None:
    assert not hasattr(INSTANCES[model], attribute)
