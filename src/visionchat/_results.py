"""What a call gives back in each mode, as type aliases the generator can swap.

The async source writes `AsyncResult[T]` (an awaitable of T); the generated sync
code reads `SyncResult[T]`, which is T itself. Typing helpers that wrap methods of
either client need the pair.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar, Union

T = TypeVar("T")

AsyncResult = Awaitable[T]
SyncResult = Union[T]  # noqa: UP007 -- `T | None`-style syntax cannot spell a bare generic alias
