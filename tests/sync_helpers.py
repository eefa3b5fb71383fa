"""Fixtures the sync test suites share (twins of async_helpers)."""

from __future__ import annotations

from collections.abc import Callable

import pytest


@pytest.fixture
def settle() -> Callable[[], None]:
    """Nothing to wait for: a dropped generator is finalised at once."""

    def run() -> None:
        return None

    return run
