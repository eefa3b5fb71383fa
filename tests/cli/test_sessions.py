"""`visionchat sessions ...`: JSON for scripts, text for people, one-line errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from visionchat import VisionChat
from visionchat.cli import main
from visionchat.models import ChatSession
from visionchat.server import ReferenceServer

MISSING = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def session(server: ReferenceServer) -> Iterator[ChatSession]:
    with VisionChat(server.api_key, base_url=server.base_url) as client:
        created = client.chats.create_session(title="Bridge survey")
        client.chats.send("Show me rust on bridges", session_id=created.id)
        yield created


def cli(server: ReferenceServer, *args: str) -> list[str]:
    return ["sessions", "--base-url", server.base_url, "--api-key", server.api_key, *args]


def run_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, object]:
    assert main(argv) == 0
    out = capsys.readouterr().out
    value = json.loads(out)
    assert isinstance(value, dict)
    return value


def test_list_json(
    server: ReferenceServer, session: ChatSession, capsys: pytest.CaptureFixture[str]
) -> None:
    page = run_json(capsys, cli(server, "list", "--json"))
    assert page["total_count"] == 1 and page["has_more"] is False
    (item,) = page["sessions"]  # type: ignore[misc]
    assert item["id"] == session.id and item["title"] == "Bridge survey"
    assert item["total_messages"] == 2


def test_json_flag_before_the_subcommand(
    server: ReferenceServer, session: ChatSession, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["sessions", "--json", "--base-url", server.base_url, "--api-key", server.api_key]
    page = run_json(capsys, [*argv, "list", "--active-only"])
    assert page["total_count"] == 1


def test_list_text(
    server: ReferenceServer, session: ChatSession, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(cli(server, "list")) == 0
    out = capsys.readouterr().out
    assert session.id in out and "Bridge survey" in out and "1 of 1" in out


def test_show_json_and_text(
    server: ReferenceServer, session: ChatSession, capsys: pytest.CaptureFixture[str]
) -> None:
    detail = run_json(capsys, cli(server, "show", session.id, "--json"))
    assert detail["session"]["id"] == session.id  # type: ignore[index]
    roles = [m["role"] for m in detail["messages"]]  # type: ignore[attr-defined]
    assert roles == ["user", "assistant"]

    assert main(cli(server, "show", session.id, "--messages", "1")) == 0
    out = capsys.readouterr().out
    assert "assistant:" in out and "user:" not in out
    assert "[[" not in out  # references resolved for people


def test_rename_and_close_json(
    server: ReferenceServer, session: ChatSession, capsys: pytest.CaptureFixture[str]
) -> None:
    renamed = run_json(capsys, cli(server, "rename", session.id, "New title", "--json"))
    assert renamed["title"] == "New title" and renamed["session_id"] == session.id
    closed = run_json(capsys, cli(server, "close", session.id, "--json"))
    assert closed["session_id"] == session.id and closed["total_messages"] == 2
    page = run_json(capsys, cli(server, "list", "--active-only", "--json"))
    assert page["sessions"] == []


def test_export_to_stdout_and_file(
    server: ReferenceServer,
    session: ChatSession,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    assert main(cli(server, "export", session.id)) == 0
    assert capsys.readouterr().out.startswith("# Bridge survey")

    exported = run_json(capsys, cli(server, "export", session.id, "--format", "json"))
    assert exported  # the JSON export itself

    target = tmp_path / "s.txt"
    argv = cli(server, "export", session.id, "--format", "text", "--out", str(target), "--json")
    written = run_json(capsys, argv)
    assert written["path"] == str(target.resolve()) and written["bytes"] == target.stat().st_size
    assert target.read_text(encoding="utf-8").startswith("Bridge survey")


def test_errors_are_one_line_on_stderr(
    server: ReferenceServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(cli(server, "show", MISSING, "--json")) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "NotFoundError" in captured.err

    assert main(cli(server, "list", "--api-key", "wrong")) == 1
    assert "AuthenticationError" in capsys.readouterr().err

    assert main(cli(server, "list", "--limit", "0")) == 2  # checked before sending
    assert "invalid argument" in capsys.readouterr().err


def test_environment_gives_the_endpoint(
    server: ReferenceServer,
    session: ChatSession,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VISIONCHAT_BASE_URL", server.base_url)
    monkeypatch.setenv("VISIONCHAT_API_KEY", server.api_key)
    page = run_json(capsys, ["sessions", "list", "--json"])
    assert page["total_count"] == 1


def test_without_endpoint_the_embedded_server_is_used(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sessions", "list", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["sessions"] == []
    assert "embedded reference server" in captured.err


@pytest.mark.parametrize("command", [["sessions", "list"], ["chat"]])
def test_a_url_without_a_key_names_the_option_and_the_variable(
    server: ReferenceServer, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    argv = [command[0], "--base-url", server.base_url, *command[1:]]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--api-key" in err and "VISIONCHAT_API_KEY" in err and "api_key=" not in err


def test_a_key_from_the_environment_is_enough(
    server: ReferenceServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISIONCHAT_BASE_URL", server.base_url)
    monkeypatch.setenv("VISIONCHAT_API_KEY", server.api_key)
    assert main(["sessions", "list"]) == 0
    assert "No sessions." in capsys.readouterr().out
