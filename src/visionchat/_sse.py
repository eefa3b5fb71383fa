"""An I/O-free Server-Sent Events decoder: feed it bytes, get whole events back.

Lines end in `\\n`, `\\r\\n` or `\\r` (also when a `\\r\\n` is split across chunks);
nothing else splits a line, so JSON holding U+2028 stays whole. Multi-line `data:`
is joined with `\\n`, comment lines are ignored, one leading BOM is dropped, and a
frame is dispatched only on a blank line. Lines longer than a cap raise instead of
growing memory without bound.
"""

from __future__ import annotations

from typing import NamedTuple

_BOM = b"\xef\xbb\xbf"
DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024


class ServerSentEvent(NamedTuple):
    """One dispatched event: its name (default `message`), raw data and the last event id."""

    event: str
    data: bytes
    id: str | None


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
        lines = chunk.split(b"\n")
        tail = lines.pop()
        if not lines:
            self._keep(tail)
            return []
        if self._pending:
            self._pending.append(lines[0])
            lines[0] = b"".join(self._pending)
            self._pending = []
            self._pending_len = 0
        events: list[ServerSentEvent] = []
        for line in lines:
            if len(line) > self._max_line:
                raise SSELineTooLong(f"an SSE line is longer than {self._max_line} bytes")
            event = self._line(line)
            if event is not None:
                events.append(event)
        self._keep(tail)
        return events

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
        name, colon, value = line.partition(b":")
        if colon and value[:1] == b" ":
            value = value[1:]
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
