"""A base install (no aiohttp): the blocking client and the CLI's client commands work, and
each part whose extra is missing raises an ImportError naming the `pip install` line.

Each check runs in a child Python whose import system refuses aiohttp and yarl, as a
fresh venv with only the base wheel would (`nox -s package` checks a real one).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from visionchat.server import ReferenceServer

# Put in front of the import system: aiohttp and yarl look uninstalled.
_BLOCK = """
import importlib.abc, sys
class _NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("aiohttp", "yarl"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, _NotInstalled())
"""


def _base_install(code: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _BLOCK + code],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _cli(*args: str) -> str:
    """What `visionchat ARGS` runs on a base install, as a child's code."""
    return f"from visionchat.cli import main; raise SystemExit(main({list(args)!r}))"


@pytest.fixture(scope="module")
def server() -> Iterator[ReferenceServer]:
    with ReferenceServer() as srv:
        yield srv


def test_the_blocker_really_hides_aiohttp() -> None:
    result = _base_install("import aiohttp")
    assert result.returncode != 0 and "No module named 'aiohttp'" in result.stderr


def test_the_blocking_client_talks_to_a_server_without_aiohttp(server: ReferenceServer) -> None:
    code = f"""
from visionchat import VisionChat
with VisionChat(api_key={server.api_key!r}, base_url={server.base_url!r}) as client:
    with client.chats.session(title="Base install") as chat:
        assert chat.send("Which beams show rust?").content
        assert "".join(t.content or "" for t in chat.send_stream("And the worst?"))
assert not any(m.startswith(("aiohttp", "yarl", "visionchat.server")) for m in sys.modules)
print("ok")
"""
    result = _base_install(code)
    assert result.stdout.strip() == "ok", result.stderr


@pytest.mark.parametrize(
    "code",
    [
        "from visionchat import AsyncVisionChat",
        "import visionchat; visionchat.AsyncVisionChat",
        "from visionchat._async._client import AsyncVisionChat",
    ],
)
def test_the_async_client_names_its_extra(code: str) -> None:
    result = _base_install(code)
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: AsyncVisionChat needs aiohttp")
    assert last.endswith("pip install 'visionchat[aiohttp]'")


@pytest.mark.parametrize(
    "code", ["import visionchat.server", "from visionchat.server import ReferenceServer"]
)
def test_the_reference_server_names_its_extra(code: str) -> None:
    result = _base_install(code)
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: the reference server needs aiohttp")
    assert last.endswith("pip install 'visionchat[server]'")


def test_the_pytest_plugin_names_the_server_extra_when_a_fixture_needs_it() -> None:
    code = """
import visionchat.testing as plugin
try:
    next(plugin.visionchat_server.__wrapped__())
except ImportError as exc:
    print(exc)
"""
    result = _base_install(code)
    assert result.stdout.strip().endswith("pip install 'visionchat[server]'"), result.stderr


def test_the_cli_starts_without_the_server_or_aiohttp() -> None:
    code = (
        "import contextlib, io\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):\n"
        "    " + _cli("--help") + "\n"
        "assert 'serve' in out.getvalue() and 'sessions' in out.getvalue()\n"
        "assert not any(m.startswith(('aiohttp', 'visionchat.server')) for m in sys.modules)\n"
        "print('ok')"
    )
    result = _base_install(code)
    assert result.stdout.strip().endswith("ok"), result.stderr


def test_cli_sessions_and_chat_work_against_a_given_url(server: ReferenceServer) -> None:
    endpoint = ["--base-url", server.base_url, "--api-key", server.api_key]
    listed = _base_install(_cli("sessions", *endpoint, "list"))
    assert listed.returncode == 0, listed.stderr
    chat = subprocess.run(
        [sys.executable, "-c", _BLOCK + _cli("chat", *endpoint)],
        input="Which beams show rust?\n/quit\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert chat.returncode == 0, chat.stderr
    assert "beam" in chat.stdout.lower()


@pytest.mark.parametrize("command", [["serve"], ["demo"], ["sessions", "list"]])
def test_cli_commands_needing_the_server_say_which_extra_in_one_line(command: list[str]) -> None:
    result = _base_install(_cli(*command))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("visionchat: ")
    assert lines[-1].endswith("pip install 'visionchat[server]'")
    assert "Traceback" not in result.stderr
