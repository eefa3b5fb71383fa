"""Sync clients against the reference server; retry waits shortened, not skipped."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.integration.conftest import OTHER_TENANT_KEY
from tests.sync_helpers import settle as settle
from visionchat import VisionChat
from visionchat._transports._requests import RequestsTransport
from visionchat.server import ReferenceServer


@pytest.fixture(autouse=True)
def _quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    def short_sleep(seconds: float) -> None:
        time.sleep(min(seconds, 0.01))

    monkeypatch.setattr(RequestsTransport, "sleep", staticmethod(short_sleep))


@pytest.fixture
def client(server: ReferenceServer) -> Iterator[VisionChat]:
    with VisionChat(api_key=server.api_key, base_url=server.base_url) as c:
        yield c


@pytest.fixture
def other_client(server: ReferenceServer) -> Iterator[VisionChat]:
    with VisionChat(api_key=OTHER_TENANT_KEY, base_url=server.base_url) as c:
        yield c
