"""A turn's SSE events in the form the server keeps them, and how they are rebuilt.

Every ``token`` event repeats the whole answer so far in ``accumulated``, so the events
themselves grow with the square of the answer. What is kept instead: the events before
the tokens, the token texts, and the events after them, compressed. The live stream and
every replay or resume are rendered from this one record by :meth:`StoredStream.frames`,
which is why a replay is byte-identical to the original from any event id on.

Frames are written ``event:``, ``id:``, ``data:``, the order the hosted API documents.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import msgspec

from .agent import Event

_FORMAT = 1


def format_frame(name: str, data: dict[str, Any], event_id: int | None = None) -> bytes:
    """One SSE frame; ``data`` is a single JSON line whose ``type`` repeats the name."""
    payload = json.dumps({"type": name, **data}, ensure_ascii=False, separators=(",", ":"))
    id_line = "" if event_id is None else f"id: {event_id}\n"
    return f"event: {name}\n{id_line}data: {payload}\n\n".encode()


def _escaped(text: str) -> str:
    """``text`` as the inside of a JSON string, exactly as :func:`format_frame` writes it.

    JSON escapes character by character, so the escaped answer can grow token by token.
    """
    return json.dumps(text, ensure_ascii=False)[1:-1]


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

    def frames(self, after_id: int = 0) -> Iterator[tuple[str, bytes]]:
        """``(event name, SSE frame)`` for every event above ``after_id``.

        The same bytes as :func:`format_frame` over :meth:`events`, but a token's frame
        reuses the answer escaped so far instead of encoding ``accumulated`` again: that
        encoding is what made a long stream cost CPU in the square of its answer.
        """
        tokens_from = len(self.head) + 1
        tokens_to = len(self.head) + len(self.tokens)
        for event_id, (name, data) in enumerate(self.head, start=1):
            if event_id > after_id:
                yield name, format_frame(name, data, event_id)
        accumulated = ""
        for index, token in enumerate(self.tokens):
            event_id = tokens_from + index
            content = _escaped(token)
            accumulated += content
            if event_id > after_id:
                frame = (
                    f'event: token\nid: {event_id}\ndata: {{"type":"token","content":"{content}",'
                    f'"accumulated":"{accumulated}","token_index":{index}}}\n\n'
                )
                yield "token", frame.encode()
        for event_id, (name, data) in enumerate(self.tail, start=tokens_to + 1):
            if event_id > after_id:
                yield name, format_frame(name, data, event_id)

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
