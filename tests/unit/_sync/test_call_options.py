# Generated from tests/unit/_async/test_call_options.py by tools/gen_sync.py: do not edit; edit the async source.
"""Per-call options (`timeout=`, `extra_headers=`, `extra_query=`, `extra_body=`) and `with_options()`."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.mock_api import API_KEY
from tests.unit.payloads import SEND_REPLY, SID, TS, summary
from visionchat import Timeout, VisionChat

S = f"/chat/sessions/{SID}"
PAGE = {"sessions": [summary()], "total_count": 1, "has_more": False}


def test_extra_values_are_merged_into_the_request_and_win(client: VisionChat, mock_api) -> None:
    mock_api.add("POST", f"{S}/messages", json=SEND_REPLY)
    client.chats.send(
        "hi",
        session_id=SID,
        extra_headers={"X-Trace": "t-1", "Accept": "application/x-test"},
        extra_query={"beta": True, "tag": "a b", "temperature": 0.5},
        extra_body={"force_detailed_analysis": True, "temperature": 0.2},
    )
    call = mock_api.calls[0]
    assert call.headers["X-Trace"] == "t-1" and call.headers["Accept"] == "application/x-test"
    assert call.headers["Authorization"] == f"Bearer {API_KEY}"
    assert call.query == {"beta": "true", "tag": "a b", "temperature": "0.5"}
    assert call.json == {"message": "hi", "force_detailed_analysis": True, "temperature": 0.2}


def test_the_session_context_passes_the_options_on(client: VisionChat, mock_api) -> None:
    mock_api.add("POST", "/chat/sessions", json={"session_id": SID, "title": "T", "created_at": TS})
    mock_api.add("POST", f"{S}/messages", json=SEND_REPLY)
    mock_api.add("DELETE", S, json={"success": True, "session_id": SID, "message": "closed"})
    with client.chats.session() as chat:
        chat.send("hi", extra_headers={"X-Trace": "t-2"}, extra_body={"beta": 1})
        chat.close(extra_query={"reason": "done"})
    send, close = mock_api.calls[1], mock_api.calls[2]
    assert send.headers["X-Trace"] == "t-2" and send.json["beta"] == 1
    assert close.query == {"reason": "done"}
    assert len(mock_api.calls) == 3  # closed once, by the explicit call


def test_extra_query_replaces_or_removes_the_sdks_parameters(client: VisionChat, mock_api) -> None:
    mock_api.add("GET", "/chat/sessions", json=PAGE)
    client.chats.list_sessions(limit=5, extra_query={"limit": 7, "offset": None, "q": "x"})
    assert mock_api.calls[0].query == {"limit": "7", "q": "x"}


def test_every_page_of_an_iterator_carries_the_options(client: VisionChat, mock_api) -> None:
    first = {"sessions": [summary("s-1")], "total_count": 2, "has_more": True}
    mock_api.add("GET", "/chat/sessions", json=first)
    mock_api.add("GET", "/chat/sessions", json={**PAGE, "sessions": [summary("s-2")]})
    seen = [
        s.id
        for s in client.chats.iter_sessions(
            page_size=1, extra_headers={"X-Trace": "t"}, extra_query={"tenant_hint": "a"}
        )
    ]
    assert seen == ["s-1", "s-2"]
    assert [c.headers["X-Trace"] for c in mock_api.calls] == ["t", "t"]
    assert [c.query["tenant_hint"] for c in mock_api.calls] == ["a", "a"]
    assert [c.query["offset"] for c in mock_api.calls] == ["0", "1"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"extra_headers": {"Bad Name": "x"}}, "not a valid header name"),
        ({"extra_headers": {"X-A": "1\r\nX-B: 2"}}, "without line breaks"),
        ({"extra_headers": {"X-A": 1}}, "must be a string"),
        ({"extra_headers": ["X-A"]}, "must be a mapping"),
        ({"extra_query": {"q": [1, 2]}}, "must be a string, number, bool or None"),
        ({"extra_body": {"x": object()}}, "cannot be sent as JSON"),
        ({"extra_body": {1: "x"}}, "every key must be a string"),
        ({"timeout": -1}, "timeout must be a positive number"),
        ({"timeout": "5"}, "timeout must be a positive number"),
    ],
)
def test_bad_options_fail_before_any_request(
    client: VisionChat, mock_api, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        client.chats.send("hi", session_id=SID, **options)
    with pytest.raises(ValueError, match=message):
        client.chats.send_stream("hi", session_id=SID, **options)
    assert mock_api.calls == []


def test_extra_body_needs_a_call_that_sends_a_body(client: VisionChat, mock_api) -> None:
    with pytest.raises(ValueError, match="sends none"):
        client.chats.get_session(SID, extra_body={"x": 1})
    with pytest.raises(ValueError, match="sends none"):
        client.chats.close_session(SID, extra_body={"x": 1})
    with pytest.raises(ValueError, match="sends none"):
        for _ in client.chats.iter_all_images(extra_body={"x": 1}):
            pass
    assert mock_api.calls == []
    mock_api.add("GET", S + "/export", body=b"# T\n")
    client.chats.export_session(SID, extra_body={})  # empty: nothing to send
    assert len(mock_api.calls) == 1


def test_with_options_changes_url_key_headers_and_tenant(client: VisionChat, mock_api) -> None:
    mock_api.add("GET", "/chat/sessions", json=PAGE)
    mock_api.add("GET", "/chat/sessions", json=PAGE)
    other = client.with_options(
        api_key="vc-other-key-0123456789",
        base_url="http://127.0.0.1:9/api/v2/",
        default_headers={"X-App": "reports"},
        tenant_id="acme",
        timeout=Timeout(read=5.0),
    )
    other.chats.list_sessions()
    call = mock_api.calls[0]
    assert call.headers["Authorization"] == "Bearer vc-other-key-0123456789"
    assert call.headers["X-App"] == "reports" and call.headers["X-Tenant-ID"] == "acme"
    assert other.base_url == "http://127.0.0.1:9/api/v2"
    assert other.timeout == Timeout(read=5.0)
    assert "vc-" in repr(other) and "0123456789" not in repr(other)
    client.chats.list_sessions()  # the original is unchanged
    mine = mock_api.calls[1]
    assert mine.headers["Authorization"] == f"Bearer {API_KEY}"
    assert "X-App" not in mine.headers and "X-Tenant-ID" not in mine.headers


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"base_url": "ftp://x"}, "base_url must start with http"),
        ({"api_key": "key with space"}, "the API key holds a space"),
        ({"tenant_id": "a\nb"}, "tenant_id must be"),
        ({"tenant_id": ""}, "tenant_id must be"),
    ],
)
def test_with_options_checks_what_it_is_given(
    client: VisionChat, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        client.with_options(**options)
