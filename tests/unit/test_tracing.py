"""Opt-in OpenTelemetry spans: one client span per call, in both modes, nothing when off."""

from __future__ import annotations

import asyncio

import pytest
import responses
from aioresponses import aioresponses
from opentelemetry import trace

from tests.unit._async.conftest import _CompatResponse
from tests.unit.mock_api import API_KEY, BASE_URL
from tests.unit.payloads import SID, summary
from tests.unit.spans import spans as spans
from visionchat import AsyncVisionChat, InternalServerError, VisionChat


@pytest.fixture(autouse=True)
def _no_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    from visionchat._transports._requests import RequestsTransport

    monkeypatch.setattr(RequestsTransport, "sleep", staticmethod(lambda seconds: None))


def test_a_sync_call_makes_one_client_span_with_its_retries(spans) -> None:
    url = f"{BASE_URL}/chat/sessions/{SID}"
    with responses.RequestsMock() as mock:
        mock.get(url, status=503, json={"error": "busy"})
        mock.get(url, json={"session": summary()})
        with VisionChat(api_key=API_KEY, base_url=BASE_URL, tracing=True) as client:
            client.chats.get_session(SID)
    (span,) = spans.get_finished_spans()
    assert span.name == f"GET /api/v2/chat/sessions/{SID}"
    assert span.kind is trace.SpanKind.CLIENT
    assert span.attributes["http.response.status_code"] == 200
    assert span.attributes["visionchat.retries"] == 1
    assert "?" not in span.attributes["url.full"]
    assert API_KEY not in str(dict(span.attributes))


def test_a_failed_call_marks_its_span(spans) -> None:
    url = f"{BASE_URL}/chat/sessions/{SID}"
    with responses.RequestsMock() as mock:
        for _ in range(3):
            mock.get(url, status=503, json={"error": "busy"})
        with VisionChat(api_key=API_KEY, base_url=BASE_URL, tracing=True) as client:
            with pytest.raises(InternalServerError):
                client.chats.get_session(SID)
    (span,) = spans.get_finished_spans()
    assert span.status.status_code is trace.StatusCode.ERROR
    assert span.attributes["visionchat.retries"] == 2


def test_an_async_call_makes_a_span(spans) -> None:
    async def main() -> None:
        with aioresponses() as mock:
            mock.get(
                f"{BASE_URL}/chat/sessions/{SID}?include_messages=true",
                payload={"session": summary()},
                response_class=_CompatResponse,
            )
            async with AsyncVisionChat(api_key=API_KEY, base_url=BASE_URL, tracing=True) as c:
                await c.chats.get_session(SID)

    asyncio.run(main())
    (span,) = spans.get_finished_spans()
    assert span.attributes["http.request.method"] == "GET"


def test_no_span_without_opting_in(spans) -> None:
    with responses.RequestsMock() as mock:
        mock.get(f"{BASE_URL}/chat/sessions/{SID}", json={"session": summary()})
        with VisionChat(api_key=API_KEY, base_url=BASE_URL) as client:
            client.chats.get_session(SID)
    assert spans.get_finished_spans() == ()


def test_tracing_without_opentelemetry_fails_at_construction(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "opentelemetry" else real(name),
    )
    with pytest.raises(ValueError, match=r"visionchat\[otel\]"):
        VisionChat(api_key=API_KEY, base_url=BASE_URL, tracing=True)
