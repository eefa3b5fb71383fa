# Generated from tests/unit/_async/test_call_spans.py by tools/gen_sync.py: do not edit; edit the async source.
"""A call's span covers the whole call: the body read, or the whole stream, errors included."""

from __future__ import annotations

import pytest
from opentelemetry.trace import StatusCode

from tests.unit.mock_api import API_KEY, BASE_URL
from tests.unit.payloads import SID, answer_stream, sse, summary
from tests.unit.spans import spans as spans
from visionchat import ResponseDecodeError, StreamError, VisionChat

STREAM = f"/chat/sessions/{SID}/messages/stream"
GET = f"/chat/sessions/{SID}"
SSE = "text/event-stream"


def _traced(**options: int) -> VisionChat:
    return VisionChat(api_key=API_KEY, base_url=BASE_URL, tracing=True, **options)


def test_a_streams_span_stays_open_until_its_last_event(mock_api, sleeps, spans) -> None:
    mock_api.add("POST", STREAM, body=answer_stream(["Rust ", "on ", "beam 4."]), content_type=SSE)
    finished_while_reading = []
    with _traced() as client:
        for _ in client.chats.send_stream("rust?", session_id=SID):
            finished_while_reading.append(len(spans.get_finished_spans()))
    assert len(finished_while_reading) == 7 and set(finished_while_reading) == {0}
    (span,) = spans.get_finished_spans()
    assert span.name == f"POST /api/v2{STREAM}"
    assert span.attributes["http.response.status_code"] == 200
    assert span.status.status_code is not StatusCode.ERROR


def test_a_raw_streams_span_ends_with_the_stream(mock_api, sleeps, spans) -> None:
    mock_api.add("POST", STREAM, body=answer_stream(["Rust"]), content_type=SSE)
    with _traced() as client:
        raw = client.chats.with_raw_response.send_stream("rust?", session_id=SID)
        assert spans.get_finished_spans() == ()  # headers are in; the call is not over
        with raw.parse() as stream:
            stream.response()
    (span,) = spans.get_finished_spans()
    assert span.status.status_code is not StatusCode.ERROR


def test_a_stream_cut_off_marks_its_span(mock_api, sleeps, spans) -> None:
    body = sse(
        ("connection", {"message_id": "m-1", "status": "connected"}),
        ("token", {"content": "Half", "accumulated": "Half", "token_index": 0}, "0"),
    )
    mock_api.add("POST", STREAM, body=body, content_type=SSE)
    with _traced(max_retries=0) as client:
        with pytest.raises(StreamError):
            for _ in client.chats.send_stream("q", session_id=SID):
                pass
    (span,) = spans.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes["error.type"] == "StreamError"


def test_a_stream_left_early_ends_its_span_without_error(mock_api, sleeps, spans) -> None:
    mock_api.add("POST", STREAM, body=answer_stream(["a ", "b"]), content_type=SSE)
    with _traced() as client:
        with client.chats.send_stream("q", session_id=SID) as stream:
            for _ in stream:
                break  # the caller's choice, not a failure
    (span,) = spans.get_finished_spans()
    assert span.status.status_code is not StatusCode.ERROR


def test_a_body_read_failure_marks_the_calls_span(mock_api, sleeps, spans) -> None:
    mock_api.add("GET", GET, json={"session": summary(title="x" * 500)})
    with _traced(max_body_bytes=64) as client:
        with pytest.raises(ResponseDecodeError):
            client.chats.get_session(SID)
    (span,) = spans.get_finished_spans()
    assert span.attributes["http.response.status_code"] == 200
    assert span.status.status_code is StatusCode.ERROR
    assert span.attributes["error.type"] == "ResponseDecodeError"


def test_an_export_refused_after_its_headers_marks_its_span(
    mock_api, sleeps, spans, tmp_path
) -> None:
    mock_api.add(
        "GET", f"/chat/sessions/{SID}/export", body=b"<html>proxy</html>", content_type="text/html"
    )
    with _traced() as client:
        with pytest.raises(ResponseDecodeError):
            client.chats.export_session(SID, path=tmp_path / "out.md")
    (span,) = spans.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR
