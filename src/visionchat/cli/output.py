"""What a person sees: colour and a spinner on a terminal, plain text when piped or `NO_COLOR`.

Text from the API is never trusted with the terminal: every write escapes control
characters (see `visionchat._printable`) except the console's own colour codes.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import threading
import unicodedata
from types import TracebackType
from typing import TextIO

from .._printable import inert_line, inert_text

RESET = "\x1b[0m"
BOLD = "\x1b[1m"
DIM = "\x1b[2m"
RED = "\x1b[31m"
GREEN = "\x1b[32m"
YELLOW = "\x1b[33m"
CYAN = "\x1b[36m"
CLEAR_LINE = "\r\x1b[K"

#: The only escape sequences a write lets through: those the console itself adds.
_OWN_CODES = re.compile(
    "|".join(re.escape(code) for code in (CLEAR_LINE, RESET, BOLD, DIM, RED, GREEN, YELLOW, CYAN))
)

_FRAMES_UNICODE = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
_FRAMES_ASCII = "|/-\\"


def wants_colour(stream: TextIO) -> bool:
    """Colour (and a spinner) only on a terminal, and never with `NO_COLOR` or `TERM=dumb`."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def display_rows(text: str, columns: int) -> int:
    """The rows `text` fills on a terminal `columns` wide, from the start of a row (wide
    characters take two columns, combining and format characters none)."""
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    rows = 0
    for line in lines:
        width = 0
        for char in line:
            if char == "\t":
                width = (width // 8 + 1) * 8
            elif unicodedata.category(char) in ("Mn", "Me", "Cf"):
                continue
            else:
                width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        rows += max(1, -(-width // max(columns, 1)))
    return rows


class Console:
    """Writes to stdout (and errors to stderr), styled only when `fancy`.

    Every write takes one lock, so a spinner thread never interleaves with output.
    """

    def __init__(
        self,
        out: TextIO | None = None,
        err: TextIO | None = None,
        *,
        fancy: bool | None = None,
    ) -> None:
        self.out = out if out is not None else sys.stdout
        self.err = err if err is not None else sys.stderr
        self.fancy = wants_colour(self.out) if fancy is None else fancy
        self.lock = threading.RLock()

    # -- styling -----------------------------------------------------------------

    def style(self, text: str, *codes: str) -> str:
        """`text` wrapped in ANSI codes when fancy, else unchanged; its own control
        characters are escaped first, so only the console's codes take effect."""
        if not self.fancy or not codes or not text:
            return text
        return "".join(codes) + inert_text(text) + RESET

    def _inert(self, text: str) -> str:
        if not self.fancy:
            return inert_text(text)
        pieces: list[str] = []
        start = 0
        for code in _OWN_CODES.finditer(text):
            pieces += [inert_text(text[start : code.start()]), code.group()]
            start = code.end()
        pieces.append(inert_text(text[start:]))
        return "".join(pieces)

    # -- writing -----------------------------------------------------------------

    def write(self, text: str) -> None:
        """Write text, control characters escaped, and flush (streamed answers must
        show at once)."""
        with self.lock:
            self.out.write(self._inert(text))
            self.out.flush()

    def write_file(self, data: bytes) -> None:
        """Write a file's content (UTF-8) to stdout, control characters escaped: a JSON
        file keeps its values, since the escapes are JSON's own."""
        self.write(data.decode("utf-8", "replace"))

    def line(self, text: str = "") -> None:
        """Write one line."""
        self.write(text + "\n")

    def heading(self, text: str) -> None:
        """A section heading, with a blank line before it."""
        self.line()
        self.line(self.style(f"== {text}", BOLD, CYAN))

    def dim(self, text: str) -> None:
        """A line of secondary information (progress, hints)."""
        self.line(self.style(text, DIM))

    def success(self, text: str) -> None:
        """A line saying something worked."""
        self.line(self.style(text, GREEN))

    def note(self, text: str) -> None:
        """A one-line notice about how the command runs, on stderr so stdout stays for results."""
        with self.lock:
            self.err.write(inert_line(text) + "\n")
            self.err.flush()

    def error(self, text: str) -> None:
        """A one-line error message on stderr."""
        styled = text = inert_line(text)
        if wants_colour(self.err):
            styled = RED + text + RESET
        with self.lock:
            self.err.write(styled + "\n")
            self.err.flush()

    def columns(self) -> int:
        """The terminal's width (80 when it cannot be told)."""
        return shutil.get_terminal_size().columns

    def redraw(self, rows: int) -> bool:
        """Erase the last `rows` rows, to write them again; False when the output is no
        terminal or they have scrolled out of reach."""
        if not self.fancy or rows >= shutil.get_terminal_size().lines:
            return False
        with self.lock:
            self.out.write(f"\r\x1b[{rows}A\x1b[J")  # up `rows` rows, erase to the end
            self.out.flush()
        return True

    def spinner(self, label: str = "thinking") -> Spinner:
        """A spinner shown while waiting (does nothing unless fancy)."""
        return Spinner(self, label)


class Spinner:
    """A one-line animation on its own thread; `stop()` erases it. Restartable."""

    INTERVAL = 0.08

    def __init__(self, console: Console, label: str) -> None:
        self._console = console
        self._label = label
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        encoding = (getattr(console.out, "encoding", None) or "").lower()
        unicode = "utf" in encoding
        self._frames = _FRAMES_UNICODE if unicode else _FRAMES_ASCII
        self._ellipsis = "…" if unicode else "..."

    @property
    def running(self) -> bool:
        """Whether the spinner is showing."""
        return self._thread is not None

    def start(self) -> None:
        """Show the spinner (on a terminal only); no-op when already showing."""
        if not self._console.fancy or self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._spin, name="visionchat-spinner", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop and erase the spinner; safe to call when not showing."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        thread.join()
        self._console.write(CLEAR_LINE)

    def _spin(self) -> None:
        n = 0
        while not self._stop.is_set():
            frame = self._frames[n % len(self._frames)]
            with self._console.lock:
                if self._stop.is_set():
                    return
                self._console.out.write(f"\r{DIM}{frame} {self._label}{self._ellipsis}{RESET}")
                self._console.out.flush()
            n += 1
            self._stop.wait(self.INTERVAL)

    def __enter__(self) -> Spinner:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
