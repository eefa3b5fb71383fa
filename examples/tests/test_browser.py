"""The FastAPI example's chat page in a real headless Chromium: tokens show as they arrive.

The app is served by uvicorn on 127.0.0.1, talking to a reference server that waits
`TOKEN_DELAY` between tokens. The page records `performance.now()` for every token it
shows (`window.__tokenTimes`); the test checks that many tokens were shown at
increasing times spread over many frames, and that the transcript grew while the
answer was still streaming.

Uses Debian's `chromium` (never `playwright install`). Without it the test is skipped,
except in CI (`CI` set), where it must run.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi_chat import create_app

from visionchat.server import ReferenceServer

TOKEN_DELAY = 0.02
FRAME_MS = 1000 / 60
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not os.path.exists(CHROMIUM):
    if os.environ.get("CI"):
        pytest.fail("chromium is required in CI: .ci/run installs it", pytrace=False)
    pytest.skip(
        "chromium is not installed (apt-get install -y chromium); CI runs this test",
        allow_module_level=True,
    )

from playwright.sync_api import sync_playwright  # noqa: E402


@pytest.fixture
def app_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The example app on a free loopback port, against a slow-token reference server."""
    with ReferenceServer(token_delay=TOKEN_DELAY) as api:
        monkeypatch.setenv("VISIONCHAT_BASE_URL", api.base_url)
        monkeypatch.setenv("VISIONCHAT_API_KEY", api.api_key)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(create_app(), log_level="warning", lifespan="on")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        try:
            for _ in range(500):  # up to 10 s
                if server.started or not thread.is_alive():
                    break
                threading.Event().wait(0.02)
            assert server.started, "uvicorn did not start"
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            sock.close()
            assert not thread.is_alive(), "uvicorn did not stop"


def test_the_page_shows_tokens_as_they_arrive(app_url: str, tmp_path: Path) -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            timeout=30_000,
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)
            page.goto(app_url + "/")
            page.fill("#question", "Which beams show rust?")
            page.press("#question", "Enter")

            answer = page.locator(".msg.assistant").last
            page.wait_for_function("window.__tokenTimes.length >= 5")
            first = len(answer.inner_text())
            page.wait_for_timeout(300)
            second = len(answer.inner_text())
            state_while_sampling = page.evaluate("window.__state")
            page.wait_for_function("window.__state !== 'streaming'")

            assert page.evaluate("window.__state") == "done"
            times: list[float] = page.evaluate("window.__tokenTimes")
            final = answer.inner_text()
        finally:
            browser.close()

    frames = {int(t // FRAME_MS) for t in times}
    spread_ms = times[-1] - times[0]
    print(
        f"\n{len(times)} tokens over {spread_ms:.0f} ms in {len(frames)} frames; "
        f"transcript {first} -> {second} chars in 300 ms; final {len(final)} chars"
    )
    assert len(times) >= 50
    assert all(a <= b for a, b in itertools.pairwise(times))
    assert len(frames) >= 30  # shown one by one, not in one burst at the end
    assert spread_ms > len(times) * TOKEN_DELAY * 1000 / 2  # paced like the server sends
    assert state_while_sampling == "streaming"
    assert 0 < first < second  # the transcript grew while the answer was streaming
    assert "rust" in final.lower() and "[[" not in final
