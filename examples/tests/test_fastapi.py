"""The FastAPI example: a client per app made in the lifespan, answers relayed as SSE."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi_chat import create_app
from sse_events import check_answer, parse_sse

from visionchat import AsyncVisionChat
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


async def test_the_page_is_served(http: httpx.AsyncClient) -> None:
    response = await http.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="question"' in response.text and "__tokenTimes" in response.text
