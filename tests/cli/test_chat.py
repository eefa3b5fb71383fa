"""`visionchat chat`: a script on stdin, the embedded server, colour only on a terminal."""

from __future__ import annotations

import io
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from visionchat import VisionChat
from visionchat.cli import main
from visionchat.cli.chat import ChatApp
from visionchat.cli.output import Console
from visionchat.server import ReferenceServer

from .conftest import child_env, run_cli

SCRIPT = "hello\n/sessions\n/quit\n"


def test_chat_script_on_the_embedded_server() -> None:
    result = run_cli("chat", "--token-delay", "0", input=SCRIPT, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "embedded reference server" in result.stderr
    assert "Hello!" in result.stdout  # the agent answered
    assert "* " in result.stdout and "2 messages" in result.stdout  # /sessions marks this one
    assert "\x1b[" not in result.stdout
    assert "Traceback" not in result.stderr


def test_end_of_input_quits(server: ReferenceServer) -> None:
    result = run_cli(
        "chat", "--base-url", server.base_url, "--api-key", server.api_key, input="", timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert "embedded" not in result.stderr


def test_bad_key_fails_in_one_line(server: ReferenceServer) -> None:
    result = run_cli(
        "chat", "--base-url", server.base_url, "--api-key", "wrong", input="hi\n", timeout=30
    )
    assert result.returncode == 1
    assert "AuthenticationError" in result.stderr and "Traceback" not in result.stderr


def test_unknown_session_ends_the_command(
    server: ReferenceServer, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    args = ["chat", "--base-url", server.base_url, "--api-key", server.api_key]
    assert main([*args, "--session", missing]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "NotFoundError" in err


def run_app(server: ReferenceServer, script: str) -> tuple[ChatApp, str, int]:
    out = io.StringIO()
    with VisionChat(server.api_key, base_url=server.base_url) as client:
        app = ChatApp(client, Console(out, io.StringIO(), fancy=False), io.StringIO(script))
        code = app.run()
    return app, out.getvalue(), code


def test_commands_in_process(server: ReferenceServer, tmp_path: Path) -> None:
    export = tmp_path / "chat.md"
    script = (
        f"/help\n/export {export}\nShow me rust on bridges\n/images crack\n"
        f"/export {export}\n/new Second\n/sessions\n/bogus\n/images\n"
    )
    app, out, code = run_app(server, script)
    assert code == 0
    assert "/images QUERY" in out  # help
    assert "Nothing to export yet" in out
    assert "IMG_" in out and "[[" not in out and "<images>" in out
    assert "crack" in out
    assert export.read_text(encoding="utf-8").startswith("# Show me rust on bridges")
    assert app.session is not None and app.session.title == "Second"
    assert out.count(" messages, ") == 2  # /sessions lists both
    assert "Unknown command /bogus" in out and "Usage: /images QUERY" in out


@pytest.mark.parametrize(("answer", "expected"), [("y", "Plan approved"), ("n", "cancel")])
def test_a_proposed_plan_is_approved_or_cancelled(
    server: ReferenceServer, answer: str, expected: str
) -> None:
    _, out, code = run_app(server, f"Please organise the rust photos\n{answer}\n")
    assert code == 0
    assert "Approve this plan? [y/N]\n> " + answer in out
    assert "Move " in out  # the plan's steps
    assert expected.lower() in out.lower()


def test_resume_a_session(server: ReferenceServer) -> None:
    with VisionChat(server.api_key, base_url=server.base_url) as client:
        session = client.chats.create_session(title="Earlier")
        app = ChatApp(client, Console(io.StringIO(), io.StringIO(), fancy=False), io.StringIO(""))
        app.resume(session.id)
        assert app.session is not None and app.session.id == session.id


def run_on_pty(script: str, **env: str) -> tuple[int, bytes]:
    """Run `visionchat chat` with stdout on a pseudo-terminal and the script on stdin."""
    master, slave = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "visionchat.cli", "chat", "--token-delay", "0"],
        stdin=subprocess.PIPE,
        stdout=slave,
        stderr=subprocess.DEVNULL,
        env=child_env(TERM="xterm", **env),
    )
    os.close(slave)
    assert proc.stdin is not None
    proc.stdin.write(script.encode())
    proc.stdin.close()
    output = bytearray()
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return code, bytes(output)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_colour_only_on_a_terminal() -> None:
    code, output = run_on_pty(SCRIPT)
    assert code == 0
    assert b"Hello!" in output
    assert b"\x1b[" in output  # styled on a terminal

    code, output = run_on_pty(SCRIPT, NO_COLOR="1")
    assert code == 0
    assert b"Hello!" in output
    assert b"\x1b[" not in output


def wait_for_embedded_server(proc: subprocess.Popen[str], timeout: float = 30) -> None:
    """Read stderr until the command says its embedded server started (bounded)."""
    assert proc.stderr is not None
    seen = ""
    deadline = time.monotonic() + timeout
    while "Started the embedded reference server" not in seen:
        assert time.monotonic() < deadline, f"no embedded server in time: {seen!r}"
        ready, _, _ = select.select([proc.stderr], [], [], 0.2)
        if ready:
            line = proc.stderr.readline()
            assert line, f"the command ended first: {seen!r}"
            seen += line


@pytest.mark.parametrize("command", [["chat"], ["demo", "--token-delay", "5"]])
def test_sigterm_removes_the_embedded_servers_database(tmp_path: Path, command: list[str]) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "visionchat.cli", *command],
        stdin=subprocess.PIPE,  # held open: chat waits for a line
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(TMPDIR=str(tmp_path)),
    )
    try:
        wait_for_embedded_server(proc)
        assert list(tmp_path.glob("visionchat-server-*"))
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 143, err
    assert not list(tmp_path.glob("visionchat-server-*"))
    assert "Traceback" not in err
