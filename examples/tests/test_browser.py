"""The FastAPI example's chat page in a real headless Chromium.

The app is served by uvicorn on 127.0.0.1, talking to a reference server that waits
`TOKEN_DELAY` between tokens. The page records `performance.now()` for every token it
shows (`window.__tokenTimes`); the first test checks that many tokens were shown at
increasing times spread over many frames, and that the transcript grew while the
answer was still streaming. The others check what the answer looks like: thumbnails
of the images it cites that really loaded, its Markdown rendered (headings, lists,
emphasis), and no markup or raw HTML from the answer left in the page. A screenshot
of the answer is written to `VISIONCHAT_SCREENSHOT_DIR` when that is set.

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
from typing import Any

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

from playwright.sync_api import Page, sync_playwright  # noqa: E402


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


@pytest.fixture
def page(app_url: str, tmp_path: Path) -> Iterator[Page]:
    """A page of headless Chromium, at the app's chat page."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            timeout=30_000,
            viewport={"width": 900, "height": 1000},
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)
            page.goto(app_url + "/")
            yield page
        finally:
            browser.close()


def ask(page: Page, question: str, *, detailed: bool = False) -> None:
    """Ask as a person would: type the question, tick `detailed` if asked, press Enter."""
    if detailed:
        page.check("#detailed")
    page.fill("#question", question)
    page.press("#question", "Enter")


def screenshot(page: Page, name: str) -> None:
    """Keep a picture of the page for a person to look at, when asked to."""
    folder = os.environ.get("VISIONCHAT_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_the_page_shows_tokens_as_they_arrive(page: Page) -> None:
    ask(page, "Which beams show rust?")
    answer = page.locator(".msg.assistant").last
    page.wait_for_function("() => window.__tokenTimes.length >= 5")
    first = len(answer.inner_text())
    page.wait_for_timeout(300)
    second = len(answer.inner_text())
    state_while_sampling = page.evaluate("window.__state")
    page.wait_for_function("() => window.__state !== 'streaming'")

    assert page.evaluate("window.__state") == "done"
    times: list[float] = page.evaluate("window.__tokenTimes")
    final = answer.inner_text()

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


#: Text that is markup (reference, Markdown or HTML) and must not be seen as such.
RAW = ("[[", "]]", "###", "**", "<", ">", "&lt;", "&amp;")


def test_the_answer_shows_thumbnails_and_renders_its_markdown(page: Page) -> None:
    ask(page, "Analyse the rust on the beams", detailed=True)
    page.wait_for_function("() => window.__state !== 'streaming'")
    # Every thumbnail has finished loading (or failing): then read what loaded.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.thumb img')].every((img) => img.complete)"
    )
    screenshot(page, "fastapi-answer.png")
    answer = page.locator(".msg.assistant").last
    thumbs: list[dict[str, Any]] = answer.locator(".thumb").evaluate_all(
        """(figures) => figures.map((f) => ({
            width: f.querySelector("img").naturalWidth,
            src: f.querySelector("img").currentSrc,
            href: f.querySelector("a").href,
            name: f.querySelector("figcaption").textContent,
        }))"""
    )
    headings = answer.locator(".answer h3").all_inner_texts()
    items = answer.locator(".answer li").count()
    text = answer.inner_text()

    assert page.evaluate("window.__state") == "done"
    assert len(thumbs) == 5, thumbs  # the five images the answer cites, each once
    for thumb in thumbs:
        assert thumb["width"] > 0, thumb  # the picture really loaded
        assert "/media/thumb/" in thumb["src"]
        assert "/media/full/" in thumb["href"]  # links to the larger view
        response = page.request.get(thumb["href"])
        assert response.ok and response.headers["content-type"].startswith("image/")
    # Headings render as headings, one per cited image, named as its thumbnail.
    assert [h.split(". ", 1)[1] for h in headings] == [t["name"] for t in thumbs]
    assert items >= 5 * 7  # the detail lines are list items
    assert "Severity: high" in text
    for raw in RAW:
        assert raw not in text, raw


def test_raw_html_in_an_answer_is_shown_as_text(page: Page) -> None:
    # The reference server repeats a question it finds no images for: this one carries
    # HTML that would run script if the page let it through, and Markdown emphasis.
    question = 'photos of <script>zzq()</script><img src=zzq onerror="zzq()"> **zzq**'
    page.evaluate("() => { window.zzq = () => { window.__ran = true; }; }")
    ask(page, question)
    page.wait_for_function("() => window.__state !== 'streaming'")
    screenshot(page, "fastapi-raw-html.png")
    answer = page.locator(".msg.assistant .answer").last

    assert page.evaluate("window.__state") == "done"
    assert page.evaluate("window.__ran === undefined")
    assert answer.locator("script, img, iframe, object").count() == 0
    assert '<script>zzq()</script><img src=zzq onerror="zzq()">' in answer.inner_text()
    assert answer.locator("strong").all_inner_texts() == ["zzq"]  # emphasis rendered
    assert "**" not in answer.inner_text()
