"""The FastAPI example: a client per app made in the lifespan, answers relayed as SSE."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from answer_html import Thumbnails, render_markdown
from fastapi import FastAPI
from fastapi_chat import create_app
from sse_events import check_answer, parse_sse

from visionchat import AsyncVisionChat
from visionchat.markup import references
from visionchat.server import ReferenceServer

TIMEOUT = httpx.Timeout(30.0)


@pytest.fixture
async def app(reference_env: ReferenceServer) -> AsyncIterator[FastAPI]:
    app = create_app()
    # httpx's ASGITransport does not run the lifespan: run it here, as a server would.
    async with app.router.lifespan_context(app):
        assert isinstance(app.state.visionchat, AsyncVisionChat)
        yield app
    assert not hasattr(app.state, "visionchat")  # closed and dropped on shutdown


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", timeout=TIMEOUT
    ) as http:
        yield http


async def ask(http: httpx.AsyncClient, **params: str) -> list[str]:
    async with http.stream("GET", "/ask", params=params) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        return [text async for text in response.aiter_text()]


async def test_the_lifespan_makes_one_client_for_every_request(app: FastAPI) -> None:
    client = app.state.visionchat
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t", timeout=TIMEOUT) as h:
        await ask(h, q="hello")
        await ask(h, q="hello again")
    assert app.state.visionchat is client


async def test_ask_streams_an_answer_as_server_sent_events(http: httpx.AsyncClient) -> None:
    streamed = check_answer(parse_sse(await ask(http, q="Which beams show rust?")))
    assert "rust" in streamed.lower()


async def test_ask_continues_a_session(http: httpx.AsyncClient, app: FastAPI) -> None:
    session_id = parse_sse(await ask(http, q="hello"))[0][1]["session_id"]
    second = parse_sse(await ask(http, q="Which poles lean?", session_id=session_id))
    assert second[0] == ("session", {"session_id": session_id})
    check_answer(second)
    messages = await app.state.visionchat.chats.get_messages(session_id)
    assert [m.role for m in messages] == ["user", "assistant", "user", "assistant"]


async def test_ask_rejects_an_empty_question(http: httpx.AsyncClient) -> None:
    assert (await http.get("/ask", params={"q": " "})).status_code == 400


async def test_ask_reports_an_api_error_as_an_event(http: httpx.AsyncClient) -> None:
    events = parse_sse(await ask(http, q="hi", session_id=str(uuid.uuid4())))
    assert events[-1][0] == "error"
    assert "not found" in events[-1][1]["message"].lower()


async def test_the_page_is_served_with_its_script_only(http: httpx.AsyncClient) -> None:
    response = await http.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="question"' in response.text and '<script src="/page.js">' in response.text
    assert "script-src 'self';" in response.headers["content-security-policy"]
    script = await http.get("/page.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert "__tokenTimes" in script.text


async def test_ask_sends_thumbnails_of_the_images_the_answer_cites(
    http: httpx.AsyncClient, app: FastAPI
) -> None:
    events = parse_sse(await ask(http, q="Analyse the rust on the beams", detailed="true"))
    check_answer(events)
    images = [data for name, data in events if name == "image"]
    messages = await app.state.visionchat.chats.get_messages(events[0][1]["session_id"])
    cited = [ref for ref in references(messages[-1].content) if ref.kind == "img"]

    assert [i["id"] for i in images] == [ref.id for ref in cited]  # each once, in order
    assert [i["name"] for i in images] == [ref.label for ref in cited]
    for image in images:
        assert "/media/thumb/" in image["thumbnail_url"] and "/media/full/" in image["url"]
    # Each thumbnail is sent before the text that cites it is shown, not all at the end.
    shown = ""
    for name, data in events:
        if name == "token":
            shown += data["text"]
        elif name == "image":
            assert data["name"] not in shown
    html = events[-1][1]["html"]
    assert html.count("<h3>") == len(images) and "<li>Severity: " in html


def test_markdown_is_rendered_and_raw_html_escaped() -> None:
    html = render_markdown("### Title\n- *one* **two**\n\n<script>x()</script> <b>b</b>")
    assert "<h3>Title</h3>" in html and "<em>one</em>" in html and "<strong>two</strong>" in html
    assert "&lt;script&gt;x()&lt;/script&gt; &lt;b&gt;b&lt;/b&gt;" in html
    assert "<script" not in html and "<b>" not in html


def test_markdown_images_and_script_links_are_not_rendered() -> None:
    html = render_markdown("![x](http://127.0.0.1/track.png) [y](javascript:alert(1))")
    assert "<img" not in html  # an answer cannot make the page fetch an address
    assert 'href="javascript:' not in html


def test_thumbnails_wait_for_a_whole_reference_and_only_known_web_urls() -> None:
    thumbnails = Thumbnails()
    base = "http://127.0.0.1:1/media"
    thumbnails.add_results(
        {
            "images": [
                {"image_id": "a", "thumbnail_url": f"{base}/thumb/a", "stored_url": f"{base}/a"},
                {"image_id": "b", "thumbnail_url": "javascript:alert(1)"},
            ]
        }
    )
    assert thumbnails.feed("See [[img:a|a.j") == []
    assert thumbnails.feed("pg]] and [[img:b|b.jpg]] and [[img:c|c.jpg]]") == [
        {"id": "a", "name": "a.jpg", "thumbnail_url": f"{base}/thumb/a", "url": f"{base}/a"}
    ]
    assert thumbnails.feed(" and [[img:a|a.jpg]] again") == []
