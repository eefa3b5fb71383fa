"""Colour and spinner only on a terminal, never with NO_COLOR or TERM=dumb."""

from __future__ import annotations

import io
import sys
import time

import pytest

from visionchat.cli.output import Console, wants_colour


class FakeTTY(io.StringIO):
    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


def test_plain_when_not_a_terminal() -> None:
    assert not wants_colour(io.StringIO())
    console = Console(io.StringIO(), io.StringIO())
    assert not console.fancy
    assert console.style("x", "\x1b[1m") == "x"


def test_colour_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm")
    assert wants_colour(FakeTTY())
    assert Console(FakeTTY()).style("x", "\x1b[1m") == "\x1b[1mx\x1b[0m"


@pytest.mark.parametrize(("name", "value"), [("NO_COLOR", "1"), ("TERM", "dumb")])
def test_no_colour_when_asked(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    assert not wants_colour(FakeTTY())


def test_spinner_does_nothing_when_plain() -> None:
    out = io.StringIO()
    spinner = Console(out, fancy=False).spinner()
    with spinner:
        assert not spinner.running
    assert out.getvalue() == ""


def test_spinner_animates_and_erases_itself_when_fancy() -> None:
    out = FakeTTY()
    spinner = Console(out, fancy=True).spinner("waiting")
    spinner.start()
    deadline = time.monotonic() + 2
    while "waiting" not in out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    spinner.stop()
    spinner.stop()  # twice is fine
    assert "waiting" in out.getvalue()
    assert out.getvalue().endswith("\r\x1b[K")
    assert not spinner.running


def test_write_file_keeps_text(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    Console(sys.stdout).write_file("é\n\tx".encode())
    assert capsysbinary.readouterr().out == "é\n\tx".encode()
