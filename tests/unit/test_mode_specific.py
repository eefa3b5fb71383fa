"""Behaviour that exists in one mode only, or that differs in its mechanics between modes."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import aiohttp
import pytest
import requests
import responses

from tests.unit.mock_api import API_KEY, BASE_URL
from tests.unit.payloads import SID, summary
from visionchat import AsyncVisionChat, VisionChat


def test_importing_visionchat_and_building_the_sync_client_never_imports_aiohttp() -> None:
    code = (
        "import sys, visionchat; c = visionchat.VisionChat(api_key='k', base_url='http://127.0.0.1:1');"
        "c.close(); print('aiohttp' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


async def test_a_borrowed_aiohttp_session_stays_open() -> None:
    async with aiohttp.ClientSession() as session:
        client = AsyncVisionChat(api_key=API_KEY, base_url=BASE_URL, http_session=session)
        await client.close()
        assert not session.closed


def test_a_borrowed_requests_session_stays_open_and_is_used() -> None:
    session = requests.Session()
    session.headers["X-Borrowed"] = "yes"
    with responses.RequestsMock() as mock:
        mock.get(f"{BASE_URL}/chat/sessions/{SID}", json={"session": summary()})
        with VisionChat(api_key=API_KEY, base_url=BASE_URL, http_session=session) as client:
            client.chats.get_session(SID)
        assert mock.calls[0].request.headers["X-Borrowed"] == "yes"
    assert session.adapters  # not closed: still usable by its owner
    session.close()


def test_the_async_client_refuses_a_second_event_loop() -> None:
    client = AsyncVisionChat(api_key=API_KEY, base_url="http://127.0.0.1:9/api/v2", max_retries=0)

    async def first() -> None:
        client._transport._client()  # the session is made lazily, inside this loop

    async def second() -> None:
        with pytest.raises(RuntimeError, match="another event loop"):
            await client.chats.get_session(SID)

    asyncio.run(first())
    asyncio.run(second())
    asyncio.run(client.close())


def test_the_aiohttp_session_is_created_lazily() -> None:
    client = AsyncVisionChat(api_key=API_KEY, base_url=BASE_URL)
    assert client._transport._session is None  # nothing made outside a running loop
