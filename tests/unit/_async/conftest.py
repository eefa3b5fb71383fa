"""Async fixtures: `mock_api` on aioresponses, a client against it, and recorded sleeps."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import pytest
from aioresponses import CallbackResult, aioresponses

from tests.async_helpers import settle as settle
from tests.unit.mock_api import API_KEY, BASE_URL, Call, encode_body, url_pattern
from visionchat import AsyncVisionChat
from visionchat._transports._aiohttp import AiohttpTransport

#: `fail=` kinds: the library's own exception for each failure, as the transport meets it.
_FAILURES: dict[str, Any] = {
    "connection": lambda: aiohttp.ClientConnectionError("connection refused"),
    "timeout": lambda: aiohttp.ServerTimeoutError("read timed out"),
}


class _Written:
    output_size = 0


class _CompatResponse(aiohttp.ClientResponse):
    """aiohttp 3.14 requires `stream_writer`, which aioresponses 0.7.9 does not pass yet."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("stream_writer", _Written())
        super().__init__(*args, **kwargs)


class MockAPI:
    """Canned replies by method and path; `calls` lists what the client sent, in order."""

    def __init__(self, mock: aioresponses) -> None:
        self._mock = mock
        self.calls: list[Call] = []

    def add(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        body: bytes | str | None = None,
        status: int = 200,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json",
        fail: str | None = None,
    ) -> None:
        payload = encode_body(json, body)

        def record(url: Any, **kwargs: Any) -> CallbackResult | None:
            data = kwargs.get("data")
            self.calls.append(Call(method, str(url), dict(kwargs.get("headers") or {}), data))
            if fail is not None:
                return None  # aioresponses then raises the registered exception
            return CallbackResult(
                status=status,
                body=payload,
                headers=headers,
                content_type=content_type,
                response_class=_CompatResponse,
            )

        failure = _FAILURES[fail]() if fail is not None else None
        self._mock.add(url_pattern(path), method, callback=record, exception=failure)


@pytest.fixture
def mock_api() -> Iterator[MockAPI]:
    with aioresponses() as mock:
        yield MockAPI(mock)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retry waits, recorded instead of slept."""
    recorded: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(AiohttpTransport, "sleep", staticmethod(fake_sleep))
    return recorded


@pytest.fixture
async def client(sleeps: list[float]) -> AsyncIterator[AsyncVisionChat]:
    async with AsyncVisionChat(api_key=API_KEY, base_url=BASE_URL) as c:
        yield c
