"""A streamed answer ends readable: `<KEY>` placeholders shown while streaming are
replaced by the resolved text once the final event brings the counts."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pyte
import pytest

from visionchat import VisionChat
from visionchat.cli import main
from visionchat.cli.chat import ChatApp
from visionchat.cli.output import Console, display_rows
from visionchat.server import ReferenceServer

QUESTION = "Show me rust on bridges"  # the answer counts images and high-severity matches
PLACEHOLDER = re.compile(r"<[a-z][a-z0-9_]*>")  # a `[[ref:KEY]]` not yet resolved
FILL_IN_NOTE = "(with the counts filled in:)"


class Terminal(io.StringIO):
    """What the console writes to, seen by a terminal emulator of the given size."""

    encoding = "utf-8"

    def isatty(self) -> bool:
        return True

    def screen(self, columns: int, lines: int) -> list[str]:
        screen = pyte.Screen(columns, lines)
        screen.set_mode(pyte.modes.LNM)  # a line feed also returns the carriage, as a tty does
        pyte.Stream(screen).feed(self.getvalue())
        return [row.rstrip() for row in screen.display]


@pytest.fixture
def client(server: ReferenceServer) -> Iterator[VisionChat]:
    with VisionChat(server.api_key, base_url=server.base_url) as c:
        yield c


def chat(client: VisionChat, out: io.StringIO, *, fancy: bool) -> None:
    app = ChatApp(client, Console(out, io.StringIO(), fancy=fancy), stdin=io.StringIO(QUESTION))
    assert app.run() == 0


def test_on_a_terminal_the_answer_is_redrawn_in_place(
    client: VisionChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "60")
    terminal = Terminal()
    chat(client, terminal, fancy=True)
    assert PLACEHOLDER.search(terminal.getvalue())  # shown while streaming...
    screen = "\n".join(terminal.screen(100, 60))
    assert not PLACEHOLDER.search(screen)  # ...and gone from the final screen
    assert "I found 12 images" in screen and "8 of the matches" in screen
    assert screen.count("The 5 most relevant") == 1 and FILL_IN_NOTE not in screen


def test_an_answer_taller_than_the_terminal_follows_in_full(
    client: VisionChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "8")  # the streamed answer has scrolled out of reach
    terminal = Terminal()
    chat(client, terminal, fancy=True)
    assert "\x1b[J" not in terminal.getvalue()
    end = terminal.getvalue().split(FILL_IN_NOTE, 1)[1]
    assert "I found 12 images" in end and not PLACEHOLDER.search(end)


def test_off_a_terminal_the_resolved_answer_follows(client: VisionChat) -> None:
    out = io.StringIO()
    chat(client, out, fancy=False)
    streamed, resolved = out.getvalue().split(FILL_IN_NOTE, 1)
    assert PLACEHOLDER.search(streamed)
    assert "I found 12 images" in resolved and not PLACEHOLDER.search(resolved)
    assert "\x1b" not in out.getvalue()


def test_the_demo_ends_each_answer_resolved(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["demo", "--token-delay", "0", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    answers = out.split(FILL_IN_NOTE)
    assert len(answers) > 1  # the demo asks questions whose answers count things
    for before, after in itertools.pairwise(answers):
        assert PLACEHOLDER.search(before)
        resolved = after.split("\n\n==", 1)[0].split("you> ", 1)[0]
        assert not PLACEHOLDER.search(resolved), resolved


@pytest.mark.parametrize(
    ("text", "columns", "rows"),
    [
        ("", 80, 1),
        ("abc\n", 80, 1),
        ("a" * 80 + "\n", 80, 1),
        ("a" * 81 + "\n", 80, 2),
        ("one\n\nthree\n", 80, 3),
        ("界" * 40 + "\n", 80, 1),
        ("界" * 41 + "\n", 80, 2),
        ("e\u0301" * 80 + "\n", 80, 1),
        ("\tx" * 9, 80, 1),  # tab stops every 8 columns: 73 wide
        ("\tx" * 10, 80, 2),
    ],
)
def test_display_rows(text: str, columns: int, rows: int) -> None:
    assert display_rows(text, columns) == rows
