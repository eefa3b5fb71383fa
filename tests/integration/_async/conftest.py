"""Async clients against the reference server; retry waits shortened, not skipped."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from tests.async_helpers import settle as settle
from tests.integration.conftest import OTHER_TENANT_KEY
from visionchat import AsyncVisionChat
from visionchat._transports._aiohttp import AiohttpTransport
from visionchat.server import ReferenceServer


@pytest.fixture(autouse=True)
def _quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    async def short_sleep(seconds: float) -> None:
        await asyncio.sleep(min(seconds, 0.01))

    monkeypatch.setattr(AiohttpTransport, "sleep", staticmethod(short_sleep))


@pytest.fixture
async def client(server: ReferenceServer) -> AsyncIterator[AsyncVisionChat]:
    async with AsyncVisionChat(api_key=server.api_key, base_url=server.base_url) as c:
        yield c


@pytest.fixture
async def other_client(server: ReferenceServer) -> AsyncIterator[AsyncVisionChat]:
    async with AsyncVisionChat(api_key=OTHER_TENANT_KEY, base_url=server.base_url) as c:
        yield c
