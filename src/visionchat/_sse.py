"""An I/O-free Server-Sent Events decoder: feed it bytes, get whole events back.

Lines end in `\\n`, `\\r\\n` or `\\r` (also when a `\\r\\n` is split across chunks);
nothing else splits a line, so JSON holding U+2028 stays whole. Multi-line `data:`
is joined with `\\n`, comment lines are ignored, one leading BOM is dropped, and a
frame is dispatched only on a blank line. Lines longer than a cap raise instead of
growing memory without bound, and so does an event's data joined from many lines.

Runs of whole single-`data:` frames are cut apart by one `re.split` per chunk,
because per-line Python work dominates a stream of many small frames; anything
else is read line by line, giving the same events. How this was measured:
docs/performance.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypeAlias, cast

_BOM = b"\xef\xbb\xbf"
DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024

# One whole frame whose only multi-valued field is a single `data:` line: any number of
# `event:`, `id:`, `retry:` and comment lines before and after it, in any order, then
# the blank line. `split()` returns, per frame, the text before it (empty when frames
# follow each other), then the last event name and id before the data line, the data,
# and the last event name and id after it (None where there is none). A repeated
# group keeps its last match, which is the SSE rule (the last `event:` or `id:` wins).
# An id holding NUL does not match (the line-by-line path ignores it).
_AROUND = rb"(?:(?:event: ?([^\n]*+)|id: ?([^\n\x00]*+)|retry:[^\n]*+|:[^\n]*+)\n)*+"
_FRAME = re.compile(_AROUND + rb"data: ?([^\n]*+)\n" + _AROUND + rb"\n")
# The protocol's own frame shape; split() gives the text before, name, id and data.
_USUAL = re.compile(rb"event: ([^\n]*)\nid: ([^\n\x00]*)\ndata: ([^\n]*)\n\n")
_NAMES: dict[bytes | None, str] = {None: "message", b"": "message"}  # names seen, decoded once
_PROBE = 16 * 1024  # bytes looked at to tell short lines (many frames) from long ones


# One dispatched event: its name (default `message`), raw data and the last event id.
# A plain tuple, not a NamedTuple: the collector stops tracking a tuple of strings,
# so events queued in bulk are never promoted to older generations.
ServerSentEvent: TypeAlias = tuple[str, bytes, str | None]


def _last(before: list[bytes | None], after: list[bytes | None]) -> list[bytes | None]:
    """Per frame, a field's value from after its data line if it has one, else from before."""
    if after.count(None) == len(after):
        return before
    return [old if new is None else new for old, new in zip(before, after, strict=True)]


def _decode_ids(raw_ids: list[bytes]) -> list[str]:
    """Decode many ids in one go: an id holds no line end, so joining on one is exact."""
    return b"\n".join(raw_ids).decode("utf-8", "replace").split("\n")


class SSELineTooLong(Exception):
    """A line, or an event's data, grew past the decoder's cap without ending."""


class SSEDecoder:
    """Incremental decoder of an SSE byte stream, correct for any chunking."""

    def __init__(self, max_line_bytes: int = DEFAULT_MAX_LINE_BYTES) -> None:
        self._max_line = max_line_bytes
        # The start of an unfinished line: whole chunks, and at most one view of a chunk's tail.
        self._pending: list[bytes | memoryview] = []
        self._pending_len = 0
        self._skip_lf = False  # the last chunk ended in "\r": a leading "\n" belongs to it
        self._head: bytes | None = b""  # bytes before the BOM check; None once done
        self._event = ""
        self._data: list[bytes] = []
        self._data_len = 0  # the bytes of the frame's data so far, line ends included
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
            self._finish(memoryview(chunk)[: start - 1], events)
        end = chunk.rfind(b"\n") + 1  # just after the last whole line
        if end > start:
            self._lines(chunk, start, end, events)
        if end < len(chunk):
            # A view, not a copy: the line may be megabytes long and is copied once, when whole.
            self._keep(memoryview(chunk)[end:] if end else chunk)
        return events

    def _lines(self, chunk: bytes, start: int, end: int, events: list[ServerSentEvent]) -> None:
        """Decode the whole lines in `chunk[start:end]` (`end` is just after a line end)."""
        while start < end:
            if self._data or self._event:  # inside a frame: finish it line by line
                stop = chunk.index(b"\n", start)
                self._field(chunk, start, stop, events)
                start = stop + 1
                continue
            while start < end and chunk[start] == 0x0A:  # blank lines between frames: no-ops
                start += 1
            if not self._long_lines(chunk, start, end):  # else no two-byte search at all
                stop = chunk.rfind(b"\n\n", start, end) + 2
                whole = start == 0 and stop == len(chunk)
                if stop > 1 and self._frames(chunk if whole else chunk[start:stop], events):
                    start = stop  # what is left is the start of a frame
                    continue
            while start < end:  # unusual frames, or long lines
                stop = chunk.index(b"\n", start)
                self._field(chunk, start, stop, events)
                start = stop + 1

    @staticmethod
    def _long_lines(chunk: bytes, start: int, end: int) -> bool:
        """Whether the lines from `start` on are long: under 8 line ends in the next 16 KiB.

        Long lines skip the regex: `find()` reaches their ends faster than it does.
        """
        probe = start + _PROBE
        return probe <= end and chunk.count(b"\n", start, probe) < 8

    def _frames(self, region: bytes, events: list[ServerSentEvent]) -> bool:
        """Decode `region` (whole frames) in one go if every frame has the usual shape.

        The work is done a column at a time (names, ids, data) by C-level calls, so
        there is no Python bytecode per event. The protocol's own shape (`event:`,
        `id:`, `data:`, each with its space) has a simpler pattern, tried first when
        the region starts that way.
        """
        if len(region) > self._max_line:
            return False  # let the line-by-line path apply the cap
        if region.find(b"\n\n") == len(region) - 2:
            return self._one_frame(region, events)
        if region.startswith(b"event: ") and region.startswith(b"id: ", region.find(b"\n") + 1):
            parts = _USUAL.split(region)
            if not any(parts[::4]):
                self._emit(parts[1::4], parts[3::4], _decode_ids(parts[2::4]), events)
                return True
        parts = _FRAME.split(region)
        if any(parts[::6]):
            return False  # text between matches: some frame has another shape
        names = _last(parts[1::6], parts[4::6])
        self._emit(names, parts[3::6], self._ids(_last(parts[2::6], parts[5::6])), events)
        return True

    def _one_frame(self, region: bytes, events: list[ServerSentEvent]) -> bool:
        """Decode a region of exactly one frame, as a server flushing each event sends it:
        one match and its groups cost a third of the column machinery's lists."""
        match = _FRAME.fullmatch(region)
        if match is None:
            return False
        event_before, id_before, data, event_after, id_after = match.groups()
        raw_name = event_before if event_after is None else event_after
        raw_id = id_before if id_after is None else id_after
        if raw_id is not None:
            self.last_event_id = raw_id.decode("utf-8", "replace")
        events.append((_NAMES.get(raw_name) or self._name(raw_name), data, self.last_event_id))
        return True

    def _ids(self, raw_ids: list[bytes | None]) -> Sequence[str | None]:
        """Each frame's last event id: its own, else the one before it (ids persist)."""
        if None not in raw_ids:
            return _decode_ids(cast("list[bytes]", raw_ids))
        if raw_ids.count(None) == len(raw_ids):
            return [self.last_event_id] * len(raw_ids)
        ids: list[str | None] = []
        last_id = self.last_event_id
        for raw in raw_ids:
            if raw is not None:
                last_id = raw.decode("utf-8", "replace")
            ids.append(last_id)
        return ids

    def _emit(
        self,
        raw_names: list[bytes | None],
        datas: list[bytes],
        ids: Sequence[str | None],
        events: list[ServerSentEvent],
    ) -> None:
        """Add one event per frame, given the frames' columns."""
        names = list(map(_NAMES.get, raw_names))
        if None in names:  # a name not seen before
            names = [_NAMES.get(raw) or self._name(raw) for raw in raw_names]
        if ids:
            self.last_event_id = ids[-1]
        events.extend(zip(cast("list[str]", names), datas, ids, strict=True))

    @staticmethod
    def _name(raw: bytes | None) -> str:
        """An event name, decoded; the first 256 distinct names are kept for reuse."""
        assert raw is not None  # None is always in _NAMES
        name = raw.decode("utf-8", "replace")
        if len(_NAMES) < 256:
            _NAMES[raw] = name
        return name

    def _keep(self, part: bytes | memoryview) -> None:
        self._pending.append(part)
        self._pending_len += len(part)
        if self._pending_len > self._max_line:
            raise SSELineTooLong(f"an SSE line is longer than {self._max_line} bytes")

    def _finish(self, last: memoryview, events: list[ServerSentEvent]) -> None:
        """Complete the pending line with its last part and decode it.

        A data line's value is joined straight from the parts, its field name cut off
        the first part by a view, so a line megabytes long is copied exactly once.
        """
        parts = self._pending
        parts.append(last)
        size = self._pending_len + len(last)
        self._pending = []
        self._pending_len = 0
        if size > self._max_line:
            raise SSELineTooLong(f"an SSE line is longer than {self._max_line} bytes")
        first = parts[0]
        if len(first) > 5 and first[:5] == b"data:":
            view = first if isinstance(first, memoryview) else memoryview(first)
            parts[0] = view[6:] if view[5] == 0x20 else view[5:]
            self._add_data(b"".join(parts))
            return
        line = b"".join(parts)
        self._field(line, 0, len(line), events)

    def _add_data(self, value: bytes) -> None:
        """Add a `data:` line's value to the frame; many short lines count as one long one."""
        self._data_len += len(value) + 1
        if self._data_len > self._max_line:
            raise SSELineTooLong(f"an SSE event's data is longer than {self._max_line} bytes")
        self._data.append(value)

    def _field(self, buf: bytes, start: int, stop: int, events: list[ServerSentEvent]) -> None:
        """Apply the line `buf[start:stop]`: a field, a comment, or a blank line ending a frame."""
        if start == stop:
            if self._data:
                data = self._data[0] if len(self._data) == 1 else b"\n".join(self._data)
                events.append((self._event or "message", data, self.last_event_id))
                self._data = []
                self._data_len = 0
            self._event = ""
            return
        if stop - start > self._max_line:
            raise SSELineTooLong(f"an SSE line is longer than {self._max_line} bytes")
        if buf[start] == 0x3A:  # ":" starts a comment
            return
        colon = buf.find(b":", start, stop)
        if colon < 0:
            name, value_start = buf[start:stop], stop
        else:
            name, value_start = buf[start:colon], colon + 1
            if value_start < stop and buf[value_start] == 0x20:
                value_start += 1
        if name == b"data":
            self._add_data(buf[value_start:stop])
        elif name == b"event":
            self._event = buf[value_start:stop].decode("utf-8", "replace")
        elif name == b"id":
            value = buf[value_start:stop]
            if b"\x00" not in value:
                self.last_event_id = value.decode("utf-8", "replace")
        # "retry" and unknown fields are ignored
