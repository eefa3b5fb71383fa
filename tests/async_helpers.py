"""Fixtures the async test suites share (their sync twins are in sync_helpers)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest


@pytest.fixture
def settle() -> Callable[[], Awaitable[None]]:
    """Let the event loop run the finalisers of dropped async generators (a loop left by break)."""

    async def run() -> None:
        for _ in range(3):
            await asyncio.sleep(0)

    return run
