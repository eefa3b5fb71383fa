# Generated from tests/integration/_async/test_budgets.py by tools/gen_sync.py: do not edit; edit the async source.
"""Per-session budgets: counted down in every reply, and a spent budget is a quota error."""

from __future__ import annotations

import pytest

from visionchat import QuotaExceededError, VisionChat
from visionchat.server import ReferenceServer


def test_a_spent_budget_is_a_quota_error_never_retried(
    small_budget_server: ReferenceServer,
) -> None:
    server = small_budget_server
    with VisionChat(api_key=server.api_key, base_url=server.base_url) as client:
        with client.chats.session() as chat:
            first = chat.send("Which poles lean?")
            second = chat.send_stream("And which roofs leak?").response()
            assert first.remaining_messages is not None and second.remaining_messages is not None
            assert second.remaining_messages < first.remaining_messages
            with pytest.raises(QuotaExceededError) as info:
                chat.send("One more?")
            assert info.value.error_code == "TOKEN_LIMIT_EXCEEDED"
            assert info.value.status_code == 429
            # The remaining budget rides in fields of its own; `detail` stays a string or null.
            body = info.value.body
            assert isinstance(body, dict) and body["remaining_messages"] == 0
            assert body["detail"] is None or isinstance(body["detail"], str)
            with pytest.raises(QuotaExceededError):
                chat.send_stream("One more, streamed?").response()
            assert len(chat.get_messages()) == 4
