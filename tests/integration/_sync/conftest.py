"""Sync clients against the reference server; retry waits shortened, not skipped."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.integration.conftest import OTHER_TENANT_KEY
from visionchat import VisionChat
from visionchat._sync import _http, _stream
from visionchat.server import ReferenceServer
from tests.sync_helpers import settle as settle


@pytest.fixture(autouse=True)
def _quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    def short_sleep(seconds: float) -> None:
        time.sleep(min(seconds, 0.01))

    monkeypatch.setattr(_http, "sleep", short_sleep)
    monkeypatch.setattr(_stream, "sleep", short_sleep)


@pytest.fixture
def client(server: ReferenceServer) -> Iterator[VisionChat]:
    with VisionChat(api_key=server.api_key, base_url=server.base_url) as c:
        yield c


@pytest.fixture
def other_client(server: ReferenceServer) -> Iterator[VisionChat]:
    with VisionChat(api_key=OTHER_TENANT_KEY, base_url=server.base_url) as c:
        yield c
