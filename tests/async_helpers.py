"""Fixtures the async test suites share (their sync twins are in sync_helpers)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeAlias, TypeVar

import pytest

P = ParamSpec("P")
R = TypeVar("R")

#: A function of this mode returning R (a coroutine function here; a plain one in the sync
#: twin), so a test written once names no async-only type in its generated twin.
ModeCallable: TypeAlias = Callable[P, Awaitable[R]]


@pytest.fixture
def settle() -> Callable[[], Awaitable[None]]:
    """Let the event loop run the finalisers of dropped async generators (a loop left by break)."""

    async def run() -> None:
        for _ in range(3):
            await asyncio.sleep(0)

    return run
