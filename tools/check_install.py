"""Check installed wheels of visionchat: the `server` extra's and the base install's.

Used by `nox -s package`, each part in a fresh virtual environment holding only the
built wheel (and what it declares):

    python tools/check_install.py --base-python PATH   # in a venv with visionchat[server]
    python tools/check_install.py --base URL KEY       # in a venv with the bare wheel

The first starts the reference server, runs the README's two quick starts against it
(blocking and asyncio), then runs the second with `PATH` (a base venv's Python), which
talks to that server with the blocking client and the CLI and checks that each part
whose extra is missing says which `pip install` line adds it.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.resources
import importlib.util
import subprocess
import sys
from pathlib import Path


def _sync_quick_start(base_url: str, api_key: str) -> str:
    from visionchat import VisionChat

    with VisionChat(api_key=api_key, base_url=base_url) as client:
        with client.chats.session(title="Bridge survey") as chat:
            reply = chat.send("Which beams show rust?").content
            streamed = "".join(t.content or "" for t in chat.send_stream("Describe the worst one"))
    assert reply and streamed
    return streamed


async def _async_quick_start(base_url: str, api_key: str) -> int:
    from visionchat import AsyncVisionChat

    async with AsyncVisionChat(api_key=api_key, base_url=base_url) as client:
        titles = [s.title async for s in client.chats.iter_sessions(active_only=False)]
    assert "Bridge survey" in titles
    return len(titles)


def _refused(statement: str, extra: str) -> None:
    """`statement` must raise the ImportError that names `pip install 'visionchat[extra]'`."""
    try:
        exec(statement, {})
    except ImportError as exc:
        wanted = f"pip install 'visionchat[{extra}]'"
        assert str(exc).endswith(wanted), f"{statement!r} raised {exc!r}, not naming {wanted}"
        return
    raise AssertionError(f"{statement!r} worked on a base install")


def _cli(*args: str) -> str:
    """Run the installed `visionchat` command (beside this Python) and return its output."""
    command = Path(sys.executable).with_name("visionchat")
    done = subprocess.run(
        [str(command), *args], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, f"visionchat {' '.join(args)} failed: {done.stderr}"
    return done.stdout


def check_base(base_url: str, api_key: str) -> None:
    """The bare wheel: no aiohttp, the blocking client and the CLI work, the rest is named."""
    assert importlib.util.find_spec("aiohttp") is None, "the base install pulled in aiohttp"
    streamed = _sync_quick_start(base_url, api_key)
    _refused("from visionchat import AsyncVisionChat", "aiohttp")
    _refused("import visionchat.server", "server")
    assert "serve" in _cli("--help")
    assert "Bridge survey" in _cli("sessions", "--base-url", base_url, "--api-key", api_key, "list")
    print(f"base install: the blocking client streamed {len(streamed)} characters; CLI works")


def check_server(base_python: str) -> None:
    """The wheel with the `server` extra: everything, then the base venv against its server."""
    import visionchat
    from visionchat.server import ReferenceServer

    package = importlib.resources.files("visionchat")
    for required in [
        "py.typed",
        "_sync/_client.py",
        "_sync/_stream.py",
        "server/app.py",
        "server/library.json",  # package data, not code: the demo library
    ]:
        assert package.joinpath(required).is_file(), f"the wheel lacks {required}"
    no_aiohttp = subprocess.run(
        [sys.executable, "-c", "import sys, visionchat; print('aiohttp' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert no_aiohttp.stdout.strip() == "False", "importing visionchat imported aiohttp"
    with ReferenceServer() as server:
        streamed = _sync_quick_start(server.base_url, server.api_key)
        sessions = asyncio.run(_async_quick_start(server.base_url, server.api_key))
        subprocess.run(
            [base_python, __file__, "--base", server.base_url, server.api_key],
            check=True,
            timeout=300,
        )
    print(
        f"visionchat {visionchat.__version__}[server] from {package}: sync streamed "
        f"{len(streamed)} characters, async listed {sessions} session(s)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", nargs=2, metavar=("URL", "KEY"), help="check a base install")
    parser.add_argument("--base-python", help="a base install's Python, to check against")
    args = parser.parse_args(argv)
    if args.base:
        check_base(*args.base)
    elif args.base_python:
        check_server(args.base_python)
    else:
        parser.error("give --base-python PATH (server venv) or --base URL KEY (base venv)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
