"""Fixtures for the reference-server tests."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

_SRC = Path(__file__).resolve().parents[2] / "src"
if str(_SRC) not in sys.path:  # the package may not be installed in the venv yet
    sys.path.insert(0, str(_SRC))

from visionchat.server import DEMO_API_KEY, ReferenceServer, create_app  # noqa: E402

AUTH = {"Authorization": f"Bearer {DEMO_API_KEY}"}


@pytest.fixture
def db_file(tmp_path: Path) -> str:
    return str(tmp_path / "server.sqlite3")


@pytest.fixture
async def make_client(db_file: str) -> AsyncIterator[object]:
    """Factory: an aiohttp test client for ``create_app(db_file, **options)``."""
    clients: list[TestClient[web.Request, web.Application]] = []

    async def factory(**options: object) -> TestClient[web.Request, web.Application]:
        app = create_app(options.pop("db_path", db_file), **options)  # type: ignore[arg-type]
        client: TestClient[web.Request, web.Application] = TestClient(TestServer(app))
        await client.start_server()
        clients.append(client)
        return client

    yield factory
    for client in clients:
        await client.close()


@pytest.fixture
async def client(make_client: object) -> TestClient[web.Request, web.Application]:
    """A client for a default app (demo key, no faults, no rate limit)."""
    return await make_client()  # type: ignore[operator,no-any-return]


@pytest.fixture
def server(db_file: str) -> Iterator[ReferenceServer]:
    """A real ReferenceServer on loopback with faults enabled."""
    with ReferenceServer(db_file, faults=True) as running:
        yield running
