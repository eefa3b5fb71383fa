# Generated from tests/integration/_async/test_error_shapes.py by tools/gen_sync.py: do not edit; edit the async source.
"""The server's two error shapes, as the SDK reads them: validation (422) and chat errors."""

from __future__ import annotations

import pytest

from visionchat import NotFoundError, UnprocessableEntityError, VisionChat


def test_a_validation_failure_reads_as_unprocessable(client: VisionChat) -> None:
    with pytest.raises(UnprocessableEntityError) as info:
        client.chats.get_session("not-a-uuid")
    error = info.value
    assert error.status_code == 422 and error.error_code is None
    assert error.message == "path.session_id: Input should be a valid UUID"
    assert error.body == {
        "detail": [
            {
                "loc": ["path", "session_id"],
                "msg": "Input should be a valid UUID",
                "type": "uuid_parsing",
            }
        ]
    }


def test_a_chat_error_reads_with_its_code_and_detail(client: VisionChat) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    with pytest.raises(NotFoundError) as info:
        client.chats.get_session(unknown)
    error = info.value
    assert error.error_code == "SESSION_NOT_FOUND"
    assert error.message == f"Session not found: session {unknown} not found"
    assert isinstance(error.body, dict)
    assert set(error.body) == {"error", "error_code", "detail", "timestamp"}
