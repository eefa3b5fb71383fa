# Generated from tests/unit/_async/test_client.py by tools/gen_sync.py: do not edit; edit the async source.
"""Building a client: arguments, environment, headers, repr, and its lifecycle."""

from __future__ import annotations

import pytest

from tests.unit.mock_api import API_KEY, BASE_URL
from tests.unit.payloads import SID, summary
from visionchat import Timeout, VisionChat
from visionchat._config import DEFAULT_BASE_URL

GET = f"/chat/sessions/{SID}"
DETAIL = {"session": summary()}


def test_a_missing_key_fails_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VISIONCHAT_API_KEY", raising=False)
    with pytest.raises(ValueError, match="VISIONCHAT_API_KEY"):
        VisionChat()


def test_key_and_url_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VISIONCHAT_API_KEY", "vc-from-env-123456")
    monkeypatch.setenv("VISIONCHAT_BASE_URL", "http://127.0.0.1:8765/api/v2/")
    client = VisionChat.from_env(max_retries=5)
    assert client.base_url == "http://127.0.0.1:8765/api/v2"
    assert client.max_retries == 5
    assert client._config.api_key == "vc-from-env-123456"


def test_the_hosted_service_is_the_default_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VISIONCHAT_BASE_URL", raising=False)
    assert VisionChat(api_key=API_KEY).base_url == DEFAULT_BASE_URL


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base_url": "ftp://x"}, "base_url"),
        ({"max_retries": -1}, "max_retries"),
        ({"timeout": 0}, "timeout"),
        ({"api_key": "a\nb"}, "control character \\(U\\+000A\\) at position 2"),
    ],
)
def test_bad_settings_fail_at_construction(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        VisionChat(**{"api_key": API_KEY, **kwargs})


def test_the_key_never_shows_in_the_repr() -> None:
    client = VisionChat(api_key=API_KEY, base_url=BASE_URL)
    assert API_KEY not in repr(client) and API_KEY not in repr(client._config)
    assert "127.0.0.1:9" in repr(client)


def test_timeouts_are_finite_by_default_and_settable() -> None:
    client = VisionChat(api_key=API_KEY, base_url=BASE_URL)
    assert client.timeout == Timeout(connect=10.0, read=120.0, stream_idle=120.0)
    custom = Timeout(connect=1.0, read=2.0, stream_idle=3.0)
    assert VisionChat(api_key=API_KEY, base_url=BASE_URL, timeout=custom).timeout == custom


def test_headers_on_every_request(mock_api, sleeps) -> None:
    mock_api.add("GET", GET, json=DETAIL)
    with VisionChat(
        api_key=API_KEY, base_url=BASE_URL, tenant_id="acme", default_headers={"X-App": "survey"}
    ) as client:
        client.chats.get_session(SID)
    headers = mock_api.calls[0].headers
    assert headers["Authorization"] == f"Bearer {API_KEY}"
    assert headers["X-Tenant-ID"] == "acme"
    assert headers["X-App"] == "survey"
    assert headers["User-Agent"].startswith("visionchat-python/")
    assert "Idempotency-Key" not in headers  # only POSTs carry one


def test_a_closed_client_refuses_new_calls(mock_api, sleeps) -> None:
    client = VisionChat(api_key=API_KEY, base_url=BASE_URL)
    mock_api.add("GET", GET, json=DETAIL)
    client.chats.get_session(SID)
    client.close()
    client.close()  # closing twice is harmless
    with pytest.raises(RuntimeError, match="closed"):
        client.chats.get_session(SID)


def test_the_session_context_creates_and_closes(client: VisionChat, mock_api) -> None:
    mock_api.add("POST", "/chat/sessions", json={"session_id": SID, "title": "T"})
    mock_api.add("POST", f"{GET}/messages", json={"message_id": "m", "content": "hi"})
    mock_api.add("DELETE", GET, json={"session_id": SID, "total_messages": 2, "total_tokens": 9})
    with client.chats.session(title="T") as chat:
        assert chat.session_id == SID and chat.session.title == "T"
        reply = chat.send("hello")
        assert reply.session_id == SID
    assert [(c.method, c.path) for c in mock_api.calls] == [
        ("POST", "/chat/sessions"),
        ("POST", f"{GET}/messages"),
        ("DELETE", GET),
    ]


def test_the_session_context_keeps_the_blocks_error(client: VisionChat, mock_api) -> None:
    mock_api.add("POST", "/chat/sessions", json={"session_id": SID})
    mock_api.add("DELETE", GET, status=404, json={"error": "gone"})
    with pytest.raises(KeyError) as info:
        with client.chats.session():
            raise KeyError("the caller's own error")
    assert any("closing session" in note for note in info.value.__notes__)


def test_the_session_context_without_auto_close(client: VisionChat, mock_api) -> None:
    mock_api.add("POST", "/chat/sessions", json={"session_id": SID})
    with client.chats.session(auto_close=False) as chat:
        pass
    assert chat.session_id == SID
    assert [c.method for c in mock_api.calls] == ["POST"]


def test_the_session_context_forwards_every_call(client: VisionChat, mock_api) -> None:
    mock_api.add("POST", "/chat/sessions", json={"session_id": SID})
    mock_api.add("PUT", f"{GET}/images", json={"session_id": SID})
    mock_api.add("PUT", f"{GET}/documents", json={"session_id": SID})
    mock_api.add("PUT", f"{GET}/videos", json={"session_id": SID})
    mock_api.add("PATCH", f"{GET}/mode", json={"session_id": SID, "use_all_images": False})
    mock_api.add("PATCH", f"{GET}/domain", json={"session_id": SID, "domain": "bridges"})
    mock_api.add("PATCH", f"{GET}/title", json={"session_id": SID, "title": "N"})
    mock_api.add("GET", GET, json=DETAIL)
    mock_api.add("GET", f"{GET}/export", body=b"text", content_type="text/plain")
    mock_api.add("POST", f"{GET}/plans/p/action", json={"plan_id": "p"})
    mock_api.add("POST", f"{GET}/plans/p/action", json={"plan_id": "p"})
    mock_api.add("DELETE", GET, json={"session_id": SID})
    with client.chats.session() as chat:
        chat.update_images(["i"])
        chat.update_documents(["d"])
        chat.update_videos(["v"])
        chat.update_mode(False)
        chat.update_domain("bridges")
        chat.rename("N")
        assert chat.get_messages(limit=3) == []
        assert chat.export(format="text") == b"text"
        chat.approve_plan("p")
        chat.cancel_plan("p")
        chat.close()
    paths = [(c.method, c.path.removeprefix(GET)) for c in mock_api.calls]
    assert paths == [
        ("POST", "/chat/sessions"),
        ("PUT", "/images"),
        ("PUT", "/documents"),
        ("PUT", "/videos"),
        ("PATCH", "/mode"),
        ("PATCH", "/domain"),
        ("PATCH", "/title"),
        ("GET", ""),
        ("GET", "/export"),
        ("POST", "/plans/p/action"),
        ("POST", "/plans/p/action"),
        ("DELETE", ""),
    ]  # closed once: leaving the block after close() does not close again


@pytest.mark.parametrize(
    ("url", "warns"),
    [
        ("http://api.example.com/api/v2", True),
        ("http://10.0.0.7:8080/api/v2", True),
        ("https://api.example.com/api/v2", False),
        ("http://127.0.0.1:8765/api/v2", False),
        ("http://localhost:8765/api/v2", False),
        ("http://[::1]:8765/api/v2", False),
    ],
)
def test_plain_http_to_another_host_warns(url: str, warns: bool) -> None:
    import warnings

    from visionchat import InsecureTransportWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        VisionChat(api_key=API_KEY, base_url=url)
    insecure = [w for w in caught if issubclass(w.category, InsecureTransportWarning)]
    assert bool(insecure) is warns
    if warns:
        assert API_KEY not in str(insecure[0].message)
