"""An I/O-free Server-Sent Events decoder: feed it bytes, get whole events back.

Lines end in `\\n`, `\\r\\n` or `\\r` (also when a `\\r\\n` is split across chunks);
nothing else splits a line, so JSON holding U+2028 stays whole. Multi-line `data:`
is joined with `\\n`, comment lines are ignored, one leading BOM is dropped, and a
frame is dispatched only on a blank line. Lines longer than a cap raise instead of
growing memory without bound.

Speed: a token stream is ~100k small frames, so the per-line Python work is most of
the cost. Runs of whole frames in the usual shape (`event:`, `id:`, one `data:` line,
blank line) are parsed by one regex call per chunk; anything else (comments,
`retry:`, multi-line data, a frame split across chunks) takes the line-by-line path,
which gives the same events.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple, cast

_BOM = b"\xef\xbb\xbf"
DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024

# One whole frame in the usual shape. A match must start at the region's start or
# right after a blank line, and ends with its blank line; group 2 flags an `id:` line
# (an empty id is still an id). An id holding NUL does not match (it is ignored by the
# slow path, which then takes over).
_FRAME = re.compile(
    rb"(?:\A|(?<=\n\n))(?:event: ?([^\n]*)\n)?(?:(i)d: ?([^\n\x00]*)\n)?data: ?([^\n]*)\n\n"
)
_NAMES: dict[bytes, str] = {b"": "message"}  # event names seen, decoded once


class ServerSentEvent(NamedTuple):
    """One dispatched event: its name (default `message`), raw data and the last event id."""

    event: str
    data: bytes
    id: str | None


# Builds a ServerSentEvent without the Python-level __new__ (a hot path: one per event).
_new_event = cast(
    "Callable[[type[ServerSentEvent], tuple[str, bytes, str | None]], ServerSentEvent]",
    tuple[Any, ...].__new__,
)


_PROBE = 16 * 1024  # bytes looked at to tell short lines (many frames) from long ones


def _long_lines(chunk: bytes, start: int, end: int) -> bool:
    """Whether the lines from `start` on are long: under 8 line ends in the next 16 KiB."""
    probe = start + _PROBE
    return probe <= end and chunk.count(b"\n", start, probe) < 8


class SSELineTooLong(Exception):
    """A line grew past the decoder's cap without ending."""


class SSEDecoder:
    """Incremental decoder of an SSE byte stream, correct for any chunking."""

    def __init__(self, max_line_bytes: int = DEFAULT_MAX_LINE_BYTES) -> None:
        self._max_line = max_line_bytes
        self._pending: list[bytes] = []  # the start of an unfinished line
        self._pending_len = 0
        self._skip_lf = False  # the last chunk ended in "\r": a leading "\n" belongs to it
        self._head: bytes | None = b""  # bytes before the BOM check; None once done
        self._event = ""
        self._data: list[bytes] = []
        self.last_event_id: str | None = None

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Take the next bytes of the stream and return the events they complete."""
        if self._head is not None:
            head = self._head + chunk
            if len(head) < len(_BOM) and _BOM.startswith(head):
                self._head = head
                return []
            self._head = None
            chunk = head[len(_BOM) :] if head.startswith(_BOM) else head
        if self._skip_lf:
            self._skip_lf = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
        if b"\r" in chunk:
            self._skip_lf = chunk.endswith(b"\r")
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        events: list[ServerSentEvent] = []
        start = 0
        if self._pending:  # finish the line the last chunk left open
            start = chunk.find(b"\n") + 1
            if not start:
                self._keep(chunk)
                return events
            self._pending.append(chunk[: start - 1])
            line = b"".join(self._pending)
            self._pending = []
            self._pending_len = 0
            self._one(line, events)
        end = chunk.rfind(b"\n") + 1  # just after the last whole line
        if end > start:
            self._lines(chunk, start, end, events)
            start = end
        self._keep(chunk[start:] if start else chunk)
        return events

    def _lines(self, chunk: bytes, start: int, end: int, events: list[ServerSentEvent]) -> None:
        """Decode the whole lines in `chunk[start:end]` (`end` is just after a line end)."""
        while start < end:
            if self._data or self._event:  # inside a frame: finish it line by line
                stop = chunk.index(b"\n", start)
                self._one(chunk[start:stop], events)
                start = stop + 1
                continue
            while start < end and chunk[start] == 0x0A:  # blank lines between frames: no-ops
                start += 1
            if not _long_lines(chunk, start, end):
                stop = chunk.rfind(b"\n\n", start, end) + 2
                if stop > 1 and self._frames(chunk[start:stop], events):
                    start = stop  # what is left is the start of a frame
                    continue
            # Unusual frames, or long lines (split() finds their ends faster than a search).
            for line in chunk[start : end - 1].split(b"\n"):
                self._one(line, events)
            return

    def _frames(self, region: bytes, events: list[ServerSentEvent]) -> bool:
        """Decode `region` (whole frames) in one go if every frame has the usual shape."""
        if len(region) > self._max_line:
            return False  # let the line-by-line path apply the cap
        frames = region.count(b"\n\n")
        if len(region) > 2048 * frames:
            return False  # few, long lines: split() finds their ends faster than the regex
        found = _FRAME.findall(region)
        # Each match ends a run of newlines; any frame not matched adds a run of its own.
        if len(found) != frames:
            return False
        last_id = self.last_event_id
        for raw_name, has_id, raw_id, data in found:
            name = _NAMES.get(raw_name)
            if name is None:
                name = raw_name.decode("utf-8", "replace")
                if len(_NAMES) < 256:
                    _NAMES[raw_name] = name
            if has_id:
                last_id = raw_id.decode("utf-8", "replace")
            events.append(_new_event(ServerSentEvent, (name, data, last_id)))
        self.last_event_id = last_id
        return True

    def _one(self, line: bytes, events: list[ServerSentEvent]) -> None:
        if len(line) > self._max_line:
            raise SSELineTooLong(f"an SSE line is longer than {self._max_line} bytes")
        event = self._line(line)
        if event is not None:
            events.append(event)

    def _keep(self, part: bytes) -> None:
        if not part:
            return
        self._pending.append(part)
        self._pending_len += len(part)
        if self._pending_len > self._max_line:
            raise SSELineTooLong(f"an SSE line is longer than {self._max_line} bytes")

    def _line(self, line: bytes) -> ServerSentEvent | None:
        if not line:
            return self._dispatch()
        if line[0] == 0x3A:  # ":" starts a comment
            return None
        colon = line.find(b":")
        if colon < 0:
            name, value = line, b""
        else:
            name = line[:colon]
            # One slice for the value: data lines can be megabytes long.
            value = line[colon + 2 :] if line[colon + 1 : colon + 2] == b" " else line[colon + 1 :]
        if name == b"data":
            self._data.append(value)
        elif name == b"event":
            self._event = value.decode("utf-8", "replace")
        elif name == b"id":
            if b"\x00" not in value:
                self.last_event_id = value.decode("utf-8", "replace")
        return None  # "retry" and unknown fields are ignored

    def _dispatch(self) -> ServerSentEvent | None:
        if not self._data:
            self._event = ""
            return None
        data = self._data[0] if len(self._data) == 1 else b"\n".join(self._data)
        event = ServerSentEvent(self._event or "message", data, self.last_event_id)
        self._event = ""
        self._data = []
        return event
