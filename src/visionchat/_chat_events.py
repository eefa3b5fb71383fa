"""Turn a chat stream's Server-Sent Events into `ChatToken`s, and remember what it said.

Shared by both modes: the stream classes only move bytes; this reader knows the
protocol's events, keeps the answer text so far, spots the final answer, raises on
error events, and tells a finished stream from one that was cut off.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

from ._decode import convert, decode_raw, event_data, token_text
from ._sse import ServerSentEvent
from .errors import StreamError, StreamTimeoutError
from .models import ChatResponse, ChatToken, ChatTokenType, PendingPlan

_KNOWN: dict[str, ChatTokenType] = {t.value: t for t in ChatTokenType}
_TOKEN = ChatTokenType.TOKEN
E = TypeVar("E", bound=StreamError)


class ChatEventReader:
    """The state of one streamed reply, fed one event at a time."""

    def __init__(self, session_id: str) -> None:
        self.session_id = session_id
        self.message_id: str | None = None
        self.request_id: str | None = None  # the server's id for the (last) HTTP reply
        self.last_event_id: str | None = None
        self.response: ChatResponse | None = None  # set by the terminal event
        self.closed = False  # the `close` frame arrived: nothing follows
        self.events = 0  # events turned into tokens so far
        self._parts: list[str] = []
        self._resume_after: str | None = None  # on a resumed stream: the last id already seen
        self._replaying = False  # the resumed stream started over: drop what was seen

    @property
    def text(self) -> str:
        """The answer text received so far."""
        if len(self._parts) > 1:
            self._parts = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""

    def token(self, event: ServerSentEvent) -> ChatToken | None:
        """The token for one event, or None for a keep-alive; raises on error events."""
        name, raw, event_id = event
        if name != "token" or self._resume_after is not None:
            return self._other(name, raw, event_id)
        # A text token: nearly every event, so this path is kept short.
        try:
            text = token_text(raw)
        except msgspec.DecodeError:
            raise self._malformed(name, raw) from None
        if text is not None:
            self._parts.append(text)
        if event_id is not None:
            self.last_event_id = event_id
        self.events += 1
        return ChatToken(type=_TOKEN, content=text, id=event_id, raw=raw)

    def _other(self, name: str, raw: bytes, event_id: str | None) -> ChatToken | None:
        """Any event but a text token, and every event while a resumed stream is de-duplicated."""
        if name == "ping":
            return None
        if self._resume_after is not None:
            if self._already_seen(name, raw, event_id):
                return None
            if name == "token":  # resuming is over: the usual path takes it
                return self.token((name, raw, event_id))
        if event_id is not None:
            self.last_event_id = event_id
        if name == "connection":
            self.message_id = self._data(name, raw).get("message_id") or self.message_id
        elif name == "complete":
            self.response = self._complete(raw)
        elif name == "plan_pending_approval":
            self.response = self._plan(self._data(name, raw))
        elif name == "error" or name == "auth_error":
            raise self.failure(name, self._data(name, raw))
        elif name == "close":
            if self.response is None:  # no terminal event came first
                raise self.cut_off("the server closed the stream before the answer was complete")
            self.closed = True
        elif name in _KNOWN:
            self._data(name, raw)  # a known event whose data is not a JSON object is damage
        self.events += 1
        return ChatToken(type=_KNOWN.get(name, name), id=event_id, raw=raw)

    def expect_resume(self) -> str:
        """Prepare for a stream resumed after the last event id seen, and return that id."""
        assert self.last_event_id is not None
        self._resume_after = self.last_event_id
        self._replaying = False
        return self.last_event_id

    def _already_seen(self, name: str, raw: bytes, event_id: str | None) -> bool:
        """On a resumed stream, whether an event repeats one the caller already has.

        A server that honours `Last-Event-ID` sends only later events; one that
        replays the whole answer starts with `connection` again, and everything up
        to the last id seen is dropped.
        """
        if name == "connection" and not self._replaying:
            self._replaying = True
            data = self._data(name, raw)
            if self.message_id and data.get("message_id") not in (None, self.message_id):
                raise self.cut_off("the resumed stream belongs to another answer")
        if not self._replaying:
            self._resume_after = None
            return False
        if event_id == self._resume_after:
            self._resume_after = None
            self._replaying = False
        return True

    def _data(self, name: str, raw: bytes) -> dict[str, Any]:
        """An event's data as a dict; a known event whose data is not a JSON object is damage."""
        try:
            return event_data(raw)
        except msgspec.DecodeError:
            if name in _KNOWN:
                raise self._malformed(name, raw) from None
            return {"raw": raw.decode("utf-8", "replace")}

    def _malformed(self, name: str, raw: bytes) -> StreamError:
        return self.cut_off(
            f"the {name!r} event holds malformed data: {raw[:120].decode('utf-8', 'replace')!r}"
        )

    def _complete(self, raw: bytes) -> ChatResponse:
        """The final answer, decoded straight from the `complete` event's data.

        A `complete` event without `message_id` or `content` is still read: they are
        filled from the stream (its `connection` event, the tokens received).
        """
        try:
            response = decode_raw(raw, ChatResponse)
        except msgspec.ValidationError:
            response = self._complete_from_dict(self._data("complete", raw))
        except msgspec.DecodeError:
            raise self._malformed("complete", raw) from None
        self.message_id = response.message_id or self.message_id
        response.session_id = self.session_id
        response.request_id = self.request_id
        return response

    def _complete_from_dict(self, data: dict[str, Any]) -> ChatResponse:
        fields = {**data, "message_id": data.get("message_id") or self.message_id or ""}
        fields.pop("type", None)
        if "content" not in fields:
            fields["content"] = self.text
        try:
            return convert(fields, ChatResponse)
        except msgspec.ValidationError as exc:
            raise self.cut_off(f"the 'complete' event has an unexpected shape ({exc})") from None

    def _plan(self, data: dict[str, Any]) -> ChatResponse:
        """A planning turn's end: the answer is the plan waiting for approval."""
        self.message_id = data.get("message_id") or self.message_id
        try:
            plan = convert(data, PendingPlan)
        except msgspec.ValidationError as exc:
            raise self.cut_off(f"the plan event has an unexpected shape ({exc})") from None
        return ChatResponse(
            message_id=self.message_id or "",
            content=plan.message,
            session_id=self.session_id,
            pending_plan=plan,
            request_id=self.request_id,
        )

    def failure(self, name: str, data: dict[str, Any]) -> StreamError:
        """The error for an `error` / `auth_error` event, carrying its code and message."""
        message = data.get("message") or data.get("error") or "the server reported an error"
        code = data.get("code") or data.get("error_code")
        if name == "auth_error" and not code:
            code = "AUTH_ERROR"
        text = f"the stream failed: {message}" + (f" ({code})" if code else "")
        return self._error(StreamError, text, code if isinstance(code, str) else None)

    def timed_out(self, reason: str) -> StreamTimeoutError:
        """The error for a stream that went quiet for longer than the idle timeout."""
        return self._error(StreamTimeoutError, f"stream stalled: {reason}", "STREAM_TIMEOUT")

    def cut_off(self, reason: str) -> StreamError:
        """The error for a stream that ended early, carrying what arrived before."""
        return self._error(StreamError, f"stream cut off: {reason}", "STREAM_CUT_OFF")

    def _error(self, kind: type[E], message: str, code: str | None) -> E:
        """A stream error carrying everything received so far."""
        return kind(
            message,
            code=code,
            partial_content=self.text,
            last_event_id=self.last_event_id,
            message_id=self.message_id,
        )
