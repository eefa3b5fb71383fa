"""One VisionChat client per process, and an answer turned into Server-Sent Events.

Reference markup such as `[[img:ID|name]]` can arrive split over several tokens;
`MarkupStream` holds text back from `[[` until the closing `]]` so the browser never
sees half a reference. The final `done` event carries the fully resolved answer.
"""

from __future__ import annotations

import atexit
import json
from collections.abc import Iterator
from functools import cache
from typing import Any

from visionchat import ChatTokenType, VisionChat, VisionChatError
from visionchat.markup import MarkupStream


@cache
def client() -> VisionChat:
    """The process's client (thread-safe; it makes a fresh pool after a fork)."""
    vc = VisionChat()  # VISIONCHAT_API_KEY and VISIONCHAT_BASE_URL from the environment
    atexit.register(vc.close)
    return vc


def sse(event: str, data: dict[str, Any]) -> str:
    """One Server-Sent Event; JSON keeps newlines in the text out of the framing."""
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


def answer_events(question: str, session_id: str | None = None) -> Iterator[str]:
    """Stream an answer as SSE: `session`, `token`s, then `done` (or `error`)."""
    chats = client().chats
    try:
        if session_id is None:
            session_id = chats.create_session(title=question[:80]).id
        yield sse("session", {"session_id": session_id})
        markup = MarkupStream()
        # `with` releases the connection even when the browser goes away mid-answer
        # (the server then closes this generator).
        with chats.send_stream(question, session_id=session_id) as stream:
            for token in stream:
                if token.type == ChatTokenType.TOKEN:
                    text = markup.feed(token.content or "")
                    if text:
                        yield sse("token", {"text": text})
            response = stream.response()
        rest = markup.flush()
        if rest:
            yield sse("token", {"text": rest})
        yield sse("done", {"message_id": response.message_id, "text": response.resolved_content})
    except VisionChatError as exc:
        yield sse("error", {"message": str(exc)})
