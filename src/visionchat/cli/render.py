"""Show a streamed answer as it arrives: progress lines, then the text with references resolved.

Reference markup such as `[[img:ID|name]]` may arrive split over several tokens, so
text from `[[` is held back until its `]]` arrives. `[[ref:KEY]]` counts are only known
when the answer is complete (they come in its metadata): while streaming they show as
`<KEY>`, and once the final event arrives the answer is shown again, resolved: on a
terminal it replaces the streamed text in place, elsewhere it follows it.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from .._printable import inert_line, inert_text
from ..markup import MarkupStream
from ..models import ChatResponse, ChatToken, ChatTokenType
from .output import DIM, Console, display_rows

if TYPE_CHECKING:
    from .._async._stream import AsyncChatStream
    from .._sync._stream import ChatStream


def describe(token: ChatToken) -> str | None:
    """A short line for a progress event, or None for events not shown as progress."""
    data = token.data
    agent = data.get("agent_name")
    prefix = f"{agent}: " if agent else ""
    if token.type in (ChatTokenType.THINKING_STEP, ChatTokenType.STATUS):
        message = data.get("message")
        return f"{prefix}{message}" if message else None
    if token.type == ChatTokenType.TOOL_RESULT:
        return f"{data.get('tool_name', 'tool')}: {data.get('result_count', 0)} result(s)"
    if token.type == ChatTokenType.IMAGE_RESULTS:
        return f"{data.get('count', 0)} image(s) attached"
    if token.type == ChatTokenType.DOCUMENT_RESULTS:
        return f"{data.get('count', 0)} document passage(s) attached"
    return None


class StreamView:
    """Prints one streamed answer: a spinner until something shows, progress, then text."""

    def __init__(self, console: Console, *, show_progress: bool = True) -> None:
        self._console = console
        self._show_progress = show_progress
        self._markup = MarkupStream()
        self._spinner = console.spinner("thinking")
        self._answer_started = False
        self._line_open = False  # the last write did not end a line
        self._shown: list[str] = []  # what is on screen since the answer started
        self.token_events = 0

    def __enter__(self) -> StreamView:
        self._spinner.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._spinner.stop()
        self._end_line()

    def handle(self, token: ChatToken) -> None:
        """Show one event of the stream."""
        if token.type == ChatTokenType.TOKEN:
            self.token_events += 1
            text = self._markup.feed(token.content or "")
            if text:
                self._answer(text)
            return
        line = describe(token) if self._show_progress else None
        if line is None:
            return
        self._spinner.stop()
        self._end_line()
        self._progress(line)
        if not self._answer_started:
            self._spinner.start()

    def finish(self, response: ChatResponse) -> None:
        """Show the end of the answer, then the answer resolved if what is on screen still
        holds `<KEY>` placeholders (or the whole answer, if no text was streamed)."""
        rest = self._markup.flush()
        if rest:
            self._answer(rest)
        self._spinner.stop()
        self._end_line()
        resolved = response.resolved_content or ""
        if not self._answer_started:
            if resolved:
                self._answer(resolved)
                self._end_line()
            return
        if not self._markup.placeholders:
            return
        if not self._console.redraw(display_rows("".join(self._shown), self._console.columns())):
            self._console.dim("  (with the counts filled in:)")
        self._console.line(inert_text(resolved))

    def _answer(self, text: str) -> None:
        self._spinner.stop()
        self._answer_started = True
        shown = inert_text(text)  # even the console's own colour codes
        self._console.write(shown)
        self._shown.append(shown)
        self._line_open = not text.endswith("\n")

    def _progress(self, line: str) -> None:
        shown = f"  · {inert_line(line)}"
        self._console.line(self._console.style(shown, DIM))
        if self._answer_started:
            self._shown.append(shown + "\n")

    def _end_line(self) -> None:
        if self._line_open:
            self._console.write("\n")
            self._shown.append("\n")
            self._line_open = False


def show_stream(
    stream: ChatStream, console: Console, *, show_progress: bool = True
) -> ChatResponse:
    """Print a (sync) stream as it arrives and return its final answer."""
    with stream, StreamView(console, show_progress=show_progress) as view:
        for token in stream:
            view.handle(token)
        response = stream.response()
        view.finish(response)
    return response


async def show_async_stream(
    stream: AsyncChatStream, console: Console, *, show_progress: bool = True
) -> ChatResponse:
    """Print an async stream as it arrives and return its final answer."""
    async with stream:
        with StreamView(console, show_progress=show_progress) as view:
            async for token in stream:
                view.handle(token)
            response = await stream.response()
            view.finish(response)
    return response
