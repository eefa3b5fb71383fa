"""A pytest plugin for testing your own code against visionchat, with no network.

Installed with the package (entry point `pytest11`), it offers these fixtures:

- `visionchat_server`: the reference server on a loopback port, one per test session,
  with its seeded demo library and fault injection enabled;
- `visionchat_settings`: `{"api_key": ..., "base_url": ...}` for that server, to build
  any client: `async with AsyncVisionChat(**visionchat_settings) as client: ...`;
- `visionchat_client`: a ready `VisionChat` against it, closed after the test;
- `visionchat_faults`: the server's fault rules, cleared after each test, e.g.
  `visionchat_faults.add("status", path="/messages", status=503)`.

The server starts only when a test asks for one of these fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ._sync._client import VisionChat
    from .server import FaultInjector, ReferenceServer


@pytest.fixture(scope="session")
def visionchat_server() -> Iterator[ReferenceServer]:
    """The reference server for this test session, on 127.0.0.1 with faults enabled."""
    from .server import ReferenceServer

    with ReferenceServer(faults=True) as server:
        yield server


@pytest.fixture
def visionchat_faults(visionchat_server: ReferenceServer) -> Iterator[FaultInjector]:
    """Inject faults for one test; every rule is removed afterwards."""
    visionchat_server.faults.clear()
    yield visionchat_server.faults
    visionchat_server.faults.clear()


@pytest.fixture
def visionchat_settings(visionchat_server: ReferenceServer) -> dict[str, Any]:
    """Keyword arguments that point a client at the reference server."""
    return {"api_key": visionchat_server.api_key, "base_url": visionchat_server.base_url}


@pytest.fixture
def visionchat_client(visionchat_settings: dict[str, Any]) -> Iterator[VisionChat]:
    """A sync client of the reference server, closed after the test."""
    from ._sync._client import VisionChat

    with VisionChat(**visionchat_settings) as client:
        yield client
