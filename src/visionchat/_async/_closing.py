"""The base of what a `with` block closes on leaving: the client, a stream, a raw reply."""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self


class ClosingOnExit(ABC):
    """Entering the block gives the object itself; leaving it calls `close()`, whatever happened."""

    __slots__ = ()

    @abstractmethod
    async def close(self) -> None:
        """Release what the object holds; safe to call more than once."""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
