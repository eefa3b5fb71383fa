"""Run the README's two quick starts with an installed visionchat, against its own reference server.

Used by `nox -s package` inside a fresh virtual environment where only the built
wheel is installed: it proves the wheel carries the generated sync client, the
reference server and `py.typed`, and that both clients work from it.
"""

from __future__ import annotations

import asyncio
import importlib.resources
import subprocess
import sys


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


def main() -> int:
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
    print(
        f"visionchat {visionchat.__version__} from {package}: sync streamed "
        f"{len(streamed)} characters, async listed {sessions} session(s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
