"""Sync fixtures: `mock_api` on responses, a client against it, and recorded sleeps."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
import responses

from tests.sync_helpers import settle as settle
from tests.unit.mock_api import API_KEY, BASE_URL, Call, encode_body, url_pattern
from visionchat import VisionChat
from visionchat._transports._requests import RequestsTransport

#: `fail=` kinds: the library's own exception for each failure, as the transport meets it.
_FAILURES: dict[str, Any] = {
    "connection": lambda: requests.ConnectionError("connection refused"),
    "timeout": lambda: requests.ReadTimeout("read timed out"),
}


class MockAPI:
    """Canned replies by method and path; `calls` lists what the client sent, in order."""

    def __init__(self, mock: responses.RequestsMock) -> None:
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
        # responses repeats its last match; aioresponses serves each reply once. Serving
        # each registration once here too keeps the two modes' tests identical.
        used = False

        def record(request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
            nonlocal used
            body = request.body.encode() if isinstance(request.body, str) else request.body
            self.calls.append(Call(method, request.url or "", dict(request.headers), body))
            used = True
            if fail is not None:
                raise _FAILURES[fail]()
            return status, {"Content-Type": content_type, **(headers or {})}, payload

        self._mock.add(
            responses.CallbackResponse(
                method, url_pattern(path), callback=record, match=[_Unused(lambda: not used)]
            )
        )


class _Unused:
    """A `responses` matcher that lets a registration answer only once."""

    def __init__(self, still_unused: Any) -> None:
        self._still_unused = still_unused

    def __call__(self, request: requests.PreparedRequest) -> tuple[bool, str]:
        return bool(self._still_unused()), "already used"


@pytest.fixture
def mock_api() -> Iterator[MockAPI]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield MockAPI(mock)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retry waits, recorded instead of slept."""
    recorded: list[float] = []

    def fake_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(RequestsTransport, "sleep", staticmethod(fake_sleep))
    return recorded


@pytest.fixture
def client(sleeps: list[float]) -> Iterator[VisionChat]:
    with VisionChat(api_key=API_KEY, base_url=BASE_URL) as c:
        yield c
