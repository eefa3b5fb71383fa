# Generated from src/visionchat/_async/_closing.py by tools/gen_sync.py: do not edit; edit the async source.
"""The base of what a `with` block closes on leaving: the client, a stream, a raw reply."""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self


class ClosingOnExit(ABC):
    """Entering the block gives the object itself; leaving it calls `close()`, whatever happened."""

    __slots__ = ()

    @abstractmethod
    def close(self) -> None:
        """Release what the object holds; safe to call more than once."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
