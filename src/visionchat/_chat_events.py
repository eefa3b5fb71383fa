"""Turn a chat stream's Server-Sent Events into `ChatToken`s, and remember what it said.

Shared by both modes: the stream classes only move bytes; this reader knows the
protocol's events, keeps the answer text so far, spots the final answer, raises on
error events, and tells a finished stream from one that was cut off.
"""

from __future__ import annotations

from typing import Any

import msgspec

from ._sse import ServerSentEvent
from .errors import StreamError
from .models import ChatResponse, ChatToken, ChatTokenType, PendingPlan

_KNOWN: dict[str, ChatTokenType] = {t.value: t for t in ChatTokenType}
_TERMINAL = frozenset({"complete", "plan_pending_approval"})
_data_decoder = msgspec.json.Decoder(dict[str, Any])


class ChatEventReader:
    """The state of one streamed reply, fed one event at a time."""

    def __init__(self, session_id: str) -> None:
        self.session_id = session_id
        self.message_id: str | None = None
        self.last_event_id: str | None = None
        self.response: ChatResponse | None = None
        self.finished = False  # a terminal event arrived
        self.closed = False  # the `close` frame arrived: nothing follows
        self.events = 0  # events turned into tokens so far
        self._parts: list[str] = []

    @property
    def text(self) -> str:
        """The answer text received so far."""
        if len(self._parts) > 1:
            self._parts = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""

    def token(self, event: ServerSentEvent) -> ChatToken | None:
        """The token for one event, or None for a keep-alive; raises on error events."""
        name = event.event
        if name == "ping":
            return None
        data = self._data(event)
        if event.id is not None:
            self.last_event_id = event.id
        content: str | None = None
        if name == "token":
            content = data.get("content")
            if isinstance(content, str):
                self._parts.append(content)
            else:
                content = None
        elif name == "connection":
            self.message_id = data.get("message_id") or self.message_id
        elif name in _TERMINAL:
            self.response = self._final(name, data)
            self.finished = True
        elif name == "error" or name == "auth_error":
            raise self.failure(name, data)
        elif name == "close":
            if not self.finished:
                raise self.cut_off("the server closed the stream before the answer was complete")
            self.closed = True
        self.events += 1
        return ChatToken(type=_KNOWN.get(name, name), content=content, data=data, id=event.id)

    def _data(self, event: ServerSentEvent) -> dict[str, Any]:
        try:
            return _data_decoder.decode(event.data)
        except msgspec.DecodeError:
            if event.event in _KNOWN:
                raise self.cut_off(
                    f"the {event.event!r} event holds malformed data: "
                    f"{event.data[:120].decode('utf-8', 'replace')!r}"
                ) from None
            return {"raw": event.data.decode("utf-8", "replace")}

    def _final(self, name: str, data: dict[str, Any]) -> ChatResponse:
        message_id = data.get("message_id") or self.message_id or ""
        self.message_id = message_id or None
        if name == "plan_pending_approval":
            plan = msgspec.convert(data, PendingPlan)
            return ChatResponse(
                message_id=message_id,
                content=plan.message,
                session_id=self.session_id,
                pending_plan=plan,
            )
        fields = {**data, "message_id": message_id}
        fields.pop("type", None)
        if "content" not in fields:
            fields["content"] = self.text
        try:
            response = msgspec.convert(fields, ChatResponse)
        except msgspec.ValidationError as exc:
            raise self.cut_off(f"the 'complete' event has an unexpected shape ({exc})") from None
        response.session_id = self.session_id
        return response

    def failure(self, name: str, data: dict[str, Any]) -> StreamError:
        """The error for an `error` / `auth_error` event, carrying its code and message."""
        message = data.get("message") or data.get("error") or "the server reported an error"
        code = data.get("code") or data.get("error_code")
        if name == "auth_error" and not code:
            code = "AUTH_ERROR"
        return StreamError(
            f"the stream failed: {message}" + (f" ({code})" if code else ""),
            code=code if isinstance(code, str) else None,
            partial_content=self.text,
            last_event_id=self.last_event_id,
            message_id=self.message_id,
        )

    def cut_off(self, reason: str) -> StreamError:
        """The error for a stream that ended early, carrying what arrived before."""
        return StreamError(
            f"stream cut off: {reason}",
            code="STREAM_CUT_OFF",
            partial_content=self.text,
            last_event_id=self.last_event_id,
            message_id=self.message_id,
        )
