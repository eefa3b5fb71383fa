"""The asyncio fan-out recipe of docs/concurrency.md, run as printed on the page.

The page's `ask_all` is taken from the page itself, so the test checks what readers
copy: at most `limit` turns in flight, one client's few connections, answers in the
order of the questions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from visionchat import AsyncVisionChat, ChatResponse
from visionchat.server import ReferenceServer

PAGE = Path(__file__).resolve().parents[2] / "docs" / "concurrency.md"
QUESTIONS = [f"Which beams show rust? ({n})" for n in range(8)]


def _recipe() -> Any:
    """`ask_all` as defined by the page's Python sample that defines it."""
    blocks = re.findall(r"^```python\n(.*?)^```", PAGE.read_text(encoding="utf-8"), re.S | re.M)
    (source,) = [block for block in blocks if "async def ask_all(" in block]
    namespace: dict[str, Any] = {}
    exec(compile(source, str(PAGE), "exec"), namespace)
    return namespace["ask_all"]


class _Counting:
    """Stands in for `client.chats`: counts turns between session creation and answer."""

    def __init__(self, chats: Any) -> None:
        self._chats = chats
        self.in_flight = self.peak = 0

    async def create_session(self, **kwargs: Any) -> Any:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        return await self._chats.create_session(**kwargs)

    async def send(self, message: str, **kwargs: Any) -> ChatResponse:
        try:
            reply: ChatResponse = await self._chats.send(message, **kwargs)
            return reply
        finally:
            self.in_flight -= 1


class _Client:
    def __init__(self, chats: _Counting) -> None:
        self.chats = chats


@pytest.fixture(scope="module")
def server() -> Iterator[ReferenceServer]:
    with ReferenceServer() as server:
        yield server


async def test_the_fan_out_keeps_to_its_bound_over_one_client(server: ReferenceServer) -> None:
    ask_all = _recipe()
    async with AsyncVisionChat(base_url=server.base_url, api_key=server.api_key) as client:
        counting = _Counting(client.chats)
        answers: list[ChatResponse] = await ask_all(_Client(counting), QUESTIONS, limit=3)

        assert counting.peak == 3  # three at once, never more
        assert counting.in_flight == 0
        assert server.connections_used <= 3  # the one client's pool, reused
        asked = [(await client.chats.get_messages(a.session_id))[0].content for a in answers]
    assert asked == QUESTIONS  # each answer in its question's place
    assert all("rust" in a.resolved_content.lower() for a in answers)
