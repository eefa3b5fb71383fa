"""The Django example: a streaming view and the `ask` management command."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable, Iterator
from typing import Any, cast

import django
import pytest
from django.core.management import call_command
from django.http import StreamingHttpResponse
from django.test import Client
from sse_events import check_answer, parse_sse

from visionchat.server import ReferenceServer

django.setup()  # DJANGO_SETTINGS_MODULE is set by conftest.py

from chatsite import answers  # noqa: E402


@pytest.fixture(autouse=True)
def fresh_client(reference_env: ReferenceServer) -> Iterator[None]:
    answers.client.cache_clear()
    yield
    answers.client().close()
    answers.client.cache_clear()


def ask(**params: str) -> list[str]:
    response = Client().get("/ask", params)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/event-stream"
    return [chunk.decode() for chunk in cast(Iterable[bytes], response.streaming_content)]


def test_view_streams_an_answer_as_server_sent_events() -> None:
    chunks = ask(q="Which beams show rust?")
    assert len(chunks) > 10  # one chunk per event, each sent when it is ready
    streamed = check_answer(parse_sse(chunks))
    assert "rust" in streamed.lower()


def test_view_continues_a_session() -> None:
    first: list[tuple[str, dict[str, Any]]] = parse_sse(ask(q="hello"))
    session_id = first[0][1]["session_id"]
    second = parse_sse(ask(q="Which poles lean?", session_id=session_id))
    assert second[0] == ("session", {"session_id": session_id})
    check_answer(second)
    messages = answers.client().chats.get_messages(session_id)
    assert [m.role for m in messages] == ["user", "assistant", "user", "assistant"]


def test_view_rejects_an_empty_question() -> None:
    assert Client().get("/ask", {"q": "  "}).status_code == 400


def test_view_reports_an_api_error_as_an_event() -> None:
    events = parse_sse(ask(q="hi", session_id=str(uuid.uuid4())))
    assert events[-1][0] == "error"
    assert events[-1][1]["message"]


def test_ask_command_prints_the_streamed_answer() -> None:
    out = io.StringIO()
    call_command("ask", "Which beams show rust?", stdout=out)
    text = out.getvalue()
    assert "rust" in text.lower()
    assert "[[" not in text
    assert "<images> = " in text  # a [[ref:...]] count, known once the answer is complete
    assert "session " in text
