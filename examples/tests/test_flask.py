"""The Flask example: a view streaming an answer with `stream_with_context`."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import flask_chat
import pytest
from flask.testing import FlaskClient
from sse_events import check_answer, parse_sse

from visionchat.server import ReferenceServer


@pytest.fixture
def http(reference_env: ReferenceServer) -> Iterator[FlaskClient]:
    flask_chat.client.cache_clear()
    yield flask_chat.app.test_client()
    flask_chat.client().close()
    flask_chat.client.cache_clear()


def ask(http: FlaskClient, **params: str) -> list[str]:
    response = http.get("/ask", query_string=params, buffered=False)
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "text/event-stream"
    try:
        return [chunk.decode() for chunk in response.iter_encoded()]
    finally:
        response.close()


def test_view_streams_an_answer_as_server_sent_events(http: FlaskClient) -> None:
    chunks = ask(http, q="Which beams show rust?")
    assert len(chunks) > 10  # one chunk per event, each sent when it is ready
    streamed = check_answer(parse_sse(chunks))
    assert "rust" in streamed.lower()


def test_view_continues_a_session(http: FlaskClient) -> None:
    session_id = parse_sse(ask(http, q="hello"))[0][1]["session_id"]
    second = parse_sse(ask(http, q="Which poles lean?", session_id=session_id))
    assert second[0] == ("session", {"session_id": session_id})
    check_answer(second)
    messages = flask_chat.client().chats.get_messages(session_id)
    assert [m.role for m in messages] == ["user", "assistant", "user", "assistant"]


def test_view_rejects_an_empty_question(http: FlaskClient) -> None:
    assert http.get("/ask", query_string={"q": ""}).status_code == 400


def test_view_reports_an_api_error_as_an_event(http: FlaskClient) -> None:
    events = parse_sse(ask(http, q="hi", session_id=str(uuid.uuid4())))
    assert events[-1][0] == "error"
    assert "not found" in events[-1][1]["message"].lower()
