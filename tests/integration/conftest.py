"""The reference server on a loopback port, shared by the async and the generated sync suites."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from visionchat.server import ReferenceServer

OTHER_TENANT_KEY = "vc-other-tenant-key"


@pytest.fixture(scope="session")
def server() -> Iterator[ReferenceServer]:
    """One server for the run: two tenants, fault injection on, small budgets kept large."""
    with ReferenceServer(
        api_keys=["vc-demo-key", f"other:{OTHER_TENANT_KEY}"], faults=True, ping_interval=0.2
    ) as srv:
        yield srv


@pytest.fixture(autouse=True)
def _no_leftover_faults(server: ReferenceServer) -> Iterator[None]:
    server.faults.clear()
    yield
    server.faults.clear()


def settled_connections(server: ReferenceServer, at_most: int, timeout: float = 3.0) -> int:
    """Wait until the server holds at most `at_most` client connections; return the count."""
    deadline = time.monotonic() + timeout
    while True:
        count = server.open_connections
        if count <= at_most or time.monotonic() >= deadline:
            return count
        time.sleep(0.02)
