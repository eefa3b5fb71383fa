"""`visionchat serve`: starts on the given port, answers, stops on Ctrl-C or SIGTERM, and
says in one line when it cannot."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from visionchat.cli import main
from visionchat.server import DEMO_API_KEY

from .conftest import child_env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def answers(url: str, key: str) -> bool:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def test_serve_starts_answers_and_stops() -> None:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "visionchat.cli",
            "serve",
            "--port",
            str(port),
            "--api-key",
            "ops:vc-test-key",
            "--rate-limit",
            "600/min",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    url = f"http://127.0.0.1:{port}/api/v2/chat/sessions"
    try:
        deadline = time.monotonic() + 20
        while not answers(url, "vc-test-key"):
            assert proc.poll() is None, proc.communicate()[1]
            assert time.monotonic() < deadline, "the server did not answer in time"
            time.sleep(0.1)
        assert not answers(url, DEMO_API_KEY)  # only the configured key is accepted
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert f"http://127.0.0.1:{port}/api/v2" in out
    assert "API key: vc-test-key" in out
    assert f"OpenAPI document: http://127.0.0.1:{port}/api/v2/openapi.json" in out
    # the line to paste into another shell
    exports = (
        f"export VISIONCHAT_BASE_URL=http://127.0.0.1:{port}/api/v2 VISIONCHAT_API_KEY=vc-test-key"
    )
    assert f"\n  {exports}\n" in out


def test_serve_help_lists_the_server_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "usage: visionchat serve" in out
    for option in (
        "--host",
        "--port",
        "--db",
        "--api-key",
        "--token-delay",
        "--rate-limit",
        "--faults",
    ):
        assert option in out


def test_serve_rejects_a_bad_rate(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--rate-limit", "fast"])
    assert exit_info.value.code == 2
    assert "N/min" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["visionchat.cli", "serve"], ["visionchat.server"]])
def test_a_busy_port_is_one_line_and_exit_1(command: list[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", *command, "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            env=child_env(),
            check=False,
        )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr
    assert result.stdout == ""


def test_sigterm_removes_the_temporary_database() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "visionchat.cli", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    try:
        assert proc.stdout is not None
        database: Path | None = None
        for _ in range(10):  # the banner is a handful of lines
            line = proc.stdout.readline()
            if line.startswith("database: "):
                database = Path(line.removeprefix("database: ").strip())
                break
        assert database is not None and database.exists()
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert not database.exists() and not database.parent.exists()
    assert "Traceback" not in err
