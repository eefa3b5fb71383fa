"""`visionchat demo`: every step runs, in-process and as the console command does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from visionchat.cli import main
from visionchat.cli.demo import STEPS

from .conftest import run_cli


def test_demo_in_process(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(["demo", "--token-delay", "0", "--out", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    for n, title in enumerate(STEPS, 1):
        assert f"{n}/{len(STEPS)}  {title}" in out
    assert "embedded reference server" in err
    # Answers were streamed with their references resolved.
    assert "[[" not in out
    assert "IMG_" in out and "corrosion-protection-standard-cp12.pdf (p." in out
    assert "client.chats.approve_plan() -> Plan approved" in out
    assert "\x1b[" not in out  # captured output is not a terminal
    exports = list(tmp_path.glob("visionchat-demo-*.md"))
    assert len(exports) == 1 and str(exports[0]) in out
    assert exports[0].read_text(encoding="utf-8").startswith("# Demo: bridge and asset survey")
    summary = out.split(STEPS[-1], 1)[1]
    messages = re.search(r"Messages\s+(\d+)", summary)
    tokens = re.search(r"Tokens\s+(\d+)", summary)
    assert messages and int(messages.group(1)) >= 10
    assert tokens and int(tokens.group(1)) > 0


def test_demo_rejects_a_negative_delay(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--token-delay", "-1"]) == 2
    err = capsys.readouterr().err
    assert "token-delay" in err and "Traceback" not in err


def test_demo_as_a_command(tmp_path: Path) -> None:
    """The README's first command runs this (there with the visible default token delay,
    which only paces the stream: waiting for it would be most of the test's time)."""
    result = run_cli("demo", "--token-delay", "0", "--out", str(tmp_path), timeout=60)
    assert result.returncode == 0, result.stderr
    for title in STEPS:
        assert title in result.stdout
    assert "Traceback" not in result.stderr
    assert list(tmp_path.glob("*.md"))
