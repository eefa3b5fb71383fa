"""A turn's SSE events in the form the server keeps them, and how they are rebuilt.

Every ``token`` event repeats the whole answer so far in ``accumulated``, so the events
themselves grow with the square of the answer. What is kept instead: the events before
the tokens, the token texts, and the events after them, compressed. The live stream and
every replay or resume are rendered from this one record by :meth:`StoredStream.events`,
which is why a replay is byte-identical to the original from any event id on.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import msgspec

from .agent import Event

_FORMAT = 1


class _Record(msgspec.Struct, array_like=True):
    format: int
    message_id: str
    head: list[tuple[str, dict[str, Any]]]
    tokens: list[str]
    tail: list[tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class StoredStream:
    """Events ``head``, then one ``token`` event per text in ``tokens``, then ``tail``.

    Ids count every event from 1, tokens included, so ``Last-Event-ID`` means the same
    in the original stream and in any replay.
    """

    message_id: str
    head: list[Event]
    tokens: list[str]
    tail: list[Event]

    def __len__(self) -> int:
        return len(self.head) + len(self.tokens) + len(self.tail)

    def events(self, after_id: int = 0) -> Iterator[tuple[int, Event]]:
        """``(id, event)`` for every event whose id is above ``after_id``, built lazily."""
        event_id = 0
        for event in self.head:
            event_id += 1
            if event_id > after_id:
                yield event_id, event
        answer = "".join(self.tokens)
        end = 0
        for index, token in enumerate(self.tokens):
            event_id += 1
            end += len(token)
            if event_id > after_id:
                data = {"content": token, "accumulated": answer[:end], "token_index": index}
                yield event_id, ("token", data)
        for event in self.tail:
            event_id += 1
            if event_id > after_id:
                yield event_id, event

    def encode(self) -> bytes:
        """The compact, compressed form kept in the idempotency record."""
        record = _Record(_FORMAT, self.message_id, self.head, self.tokens, self.tail)
        return zlib.compress(msgspec.json.encode(record))

    @classmethod
    def decode(cls, raw: bytes) -> StoredStream:
        """Read back what :meth:`encode` wrote."""
        record = msgspec.json.decode(zlib.decompress(raw), type=_Record)
        if record.format != _FORMAT:
            raise ValueError(f"stored stream format {record.format} is not {_FORMAT}")
        return cls(record.message_id, record.head, record.tokens, record.tail)
