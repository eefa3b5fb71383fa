"""Titles and messages from the API are inert on screen: no control character reaches the
terminal, a title stays on its line, and `--json` keeps every value exact."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator

import pytest

from visionchat import VisionChat
from visionchat.cli import main
from visionchat.cli.chat import ChatApp
from visionchat.cli.output import Console
from visionchat.server import ReferenceServer

#: One of each: an OSC that retitles the terminal, a CSI that clears it, the one-byte C1
#: CSI, a bidi override, the Unicode line separator, a newline that forges a line.
HOSTILE = "\x1b]0;pwned\x07|\x1b[2J|\x9b31m|\u202e|\u2028|\n## Assistant (2026-01-01)"
TITLE = f"Survey {HOSTILE}"

#: What must never reach a terminal from API text (line feeds and tabs aside).
RAW_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


@pytest.fixture
def client(server: ReferenceServer) -> Iterator[VisionChat]:
    with VisionChat(server.api_key, base_url=server.base_url) as c:
        yield c


def sessions(server: ReferenceServer, *args: str) -> list[str]:
    return ["sessions", "--base-url", server.base_url, "--api-key", server.api_key, *args]


def test_sessions_list_prints_one_inert_line_per_session(
    server: ReferenceServer, client: VisionChat, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = client.chats.create_session(title=TITLE)
    plain = client.chats.create_session(title="Plain")
    assert main(sessions(server, "list")) == 0
    out = capsys.readouterr().out
    assert not RAW_CONTROL.search(out), repr(out)
    lines = out.splitlines()
    assert len(lines) == 3  # two sessions and the count
    (line,) = [x for x in lines if x.startswith(hostile.id)]
    assert (
        "\\u001b]0;pwned\\u0007|\\u001b[2J|\\u009b31m|\\u202e|\\u2028|\\u000a## Assistant" in line
    )
    assert any(x.startswith(plain.id) for x in lines)


def test_sessions_list_json_keeps_the_exact_title(
    server: ReferenceServer, client: VisionChat, capsys: pytest.CaptureFixture[str]
) -> None:
    client.chats.create_session(title=TITLE)
    assert main(sessions(server, "list", "--json")) == 0
    out = capsys.readouterr().out
    assert not RAW_CONTROL.search(out), repr(out)
    assert json.loads(out)["sessions"][0]["title"] == TITLE


def test_sessions_show_keeps_lines_and_escapes_controls(
    server: ReferenceServer, client: VisionChat, capsys: pytest.CaptureFixture[str]
) -> None:
    session = client.chats.create_session(title=TITLE)
    client.chats.send(f"first line{HOSTILE}\nlast line", session_id=session.id)
    assert main(sessions(server, "show", session.id)) == 0
    out = capsys.readouterr().out
    assert not RAW_CONTROL.search(out), repr(out)
    assert "\nlast line" in out  # the message's own lines are kept
    assert main(sessions(server, "show", session.id, "--json")) == 0
    detail = json.loads(capsys.readouterr().out)
    assert detail["session"]["title"] == TITLE
    assert detail["messages"][0]["content"] == f"first line{HOSTILE}\nlast line"


@pytest.mark.parametrize("fmt", ["markdown", "text", "json"])
def test_sessions_export_to_the_terminal_is_inert(
    server: ReferenceServer, client: VisionChat, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    session = client.chats.create_session(title=TITLE)
    client.chats.send(f"look{HOSTILE}", session_id=session.id)
    assert main(sessions(server, "export", session.id, "--format", fmt)) == 0
    out = capsys.readouterr().out
    assert not RAW_CONTROL.search(out), repr(out)
    if fmt == "json":  # a JSON file stays the same document
        assert json.loads(out)["session"]["title"] == TITLE


def test_chat_shows_answers_and_titles_inert(server: ReferenceServer, client: VisionChat) -> None:
    client.chats.create_session(title=TITLE)
    out = io.StringIO()
    # The agent quotes the question back when it finds nothing: the hostile text returns
    # in the streamed answer.
    script = io.StringIO(f"zzqx{HOSTILE.replace(chr(10), ' ')}\n/sessions\n/quit\n")
    app = ChatApp(client, Console(out, io.StringIO(), fancy=False), stdin=script)
    assert app.run() == 0
    text = out.getvalue()
    assert not RAW_CONTROL.search(text), repr(text)
    assert "\\u001b[2J" in text


def test_error_messages_are_one_inert_line() -> None:
    err = io.StringIO()
    Console(io.StringIO(), err).error(f"visionchat: NotFoundError: no session {HOSTILE}")
    assert not RAW_CONTROL.search(err.getvalue())
    assert err.getvalue().count("\n") == 1


def test_the_consoles_own_colours_survive_on_a_terminal() -> None:
    out = io.StringIO()
    console = Console(out, io.StringIO(), fancy=True)
    console.line(console.style(TITLE, "\x1b[1m"))
    written = out.getvalue()
    assert written.startswith("\x1b[1mSurvey ") and written.endswith("\x1b[0m\n")
    assert not RAW_CONTROL.search(written.removeprefix("\x1b[1m").removesuffix("\x1b[0m\n"))


def test_a_streamed_answer_cannot_borrow_the_consoles_colours(
    server: ReferenceServer, client: VisionChat
) -> None:
    out = io.StringIO()
    script = io.StringIO("zzqx \x1b[1m bold \x1b[0m\n/quit\n")
    app = ChatApp(client, Console(out, io.StringIO(), fancy=True), stdin=script)
    assert app.run() == 0
    answer = out.getvalue().split("zzqx", 2)[2]  # the echo of the input, then the answer
    assert "\\u001b[1m bold \\u001b[0m" in answer
