"""Fixtures the sync test suites share (twins of async_helpers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeAlias, TypeVar

import pytest

P = ParamSpec("P")
R = TypeVar("R")

#: A function of this mode returning R (the twin of async_helpers.ModeCallable).
ModeCallable: TypeAlias = Callable[P, R]


@pytest.fixture
def settle() -> Callable[[], None]:
    """Nothing to wait for: a dropped generator is finalised at once."""

    def run() -> None:
        return None

    return run
