# Generated from tests/integration/_async/test_hostile_replies.py by tools/gen_sync.py: do not edit; edit the async source.
"""Lying servers: bodies that expand or never end are refused near the cap, redirects
never change what a call did."""

from __future__ import annotations

import math
import time
import tracemalloc
from pathlib import Path
from typing import TypeVar

import pytest

from tests.integration.hostile import BOMB_BYTES, ENDLESS_BYTES, Hostile, raw_listener
from tests.sync_helpers import ModeCallable
from visionchat import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    InternalServerError,
    RedirectError,
    ResponseDecodeError,
    StreamError,
    VisionChat,
    VisionChatError,
)
from visionchat._transports._requests import RequestsTransport

CAP = 16 * 1024 * 1024
#: What refusing may cost beyond the cap: one piece read, the library's buffers.
SLACK = 4 * 1024 * 1024
#: The error a helper below returns, as the caller expects it.
E = TypeVar("E", bound=VisionChatError)


def _peak_while_refused(call: ModeCallable[[], object]) -> tuple[BaseException, int]:
    """The error a call raised, and the peak of memory traced while it ran."""
    tracemalloc.start()
    try:
        call()
    except VisionChatError as exc:
        return exc, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    raise AssertionError("the call did not fail")


@pytest.mark.parametrize("sid", ["bomb-200", "cbomb-200"])
def test_a_compression_bomb_is_refused_near_the_cap(hostile_server: Hostile, sid: str) -> None:
    # 64 MiB of JSON in about 64 KB of gzip, with and without a Content-Length.
    with VisionChat(
        api_key="k", base_url=hostile_server.base_url, max_body_bytes=CAP, max_retries=0
    ) as client:
        error, peak = _peak_while_refused(lambda: client.chats.get_session(sid))
    assert isinstance(error, ResponseDecodeError)
    assert f"larger than the {CAP}-byte limit" in str(error)
    assert peak < CAP + SLACK


@pytest.mark.parametrize("sid", ["bomb-500", "cbomb-500"])
def test_a_compression_bomb_on_an_error_reply_is_refused_near_the_cap(
    hostile_server: Hostile, sid: str
) -> None:
    with VisionChat(
        api_key="k", base_url=hostile_server.base_url, max_body_bytes=CAP, max_retries=0
    ) as client:
        error, peak = _peak_while_refused(lambda: client.chats.get_session(sid))
    # The error about the reply is kept; its oversized body counts as none.
    assert isinstance(error, InternalServerError) and error.status_code == 500
    assert error.body == ""
    assert peak < CAP + SLACK


def test_an_endless_plain_body_is_refused_near_the_cap(hostile_server: Hostile) -> None:
    with VisionChat(
        api_key="k", base_url=hostile_server.base_url, max_body_bytes=CAP, max_retries=0
    ) as client:
        error, peak = _peak_while_refused(lambda: client.chats.get_session("endless"))
    assert isinstance(error, ResponseDecodeError)
    assert peak < CAP + SLACK
    # The client hung up long before the server's end (socket buffers hold some). The
    # server notes it in its own thread, so a blocking wait is fine in both modes.
    for _ in range(100):
        if hostile_server.endless_sent:
            break
        time.sleep(0.05)
    assert hostile_server.endless_sent and hostile_server.endless_sent[0] < ENDLESS_BYTES // 2


def test_an_export_into_memory_is_capped_on_decoded_bytes(
    hostile_server: Hostile,
) -> None:
    with VisionChat(
        api_key="k", base_url=hostile_server.base_url, max_body_bytes=CAP, max_retries=0
    ) as client:
        error, peak = _peak_while_refused(
            lambda: client.chats.export_session("bomb-200", format="markdown")
        )
    assert isinstance(error, ResponseDecodeError) and "max_body_bytes" in str(error)
    assert peak < CAP + SLACK


def test_an_export_to_a_path_is_not_capped(hostile_server: Hostile, tmp_path: Path) -> None:
    with VisionChat(
        api_key="k", base_url=hostile_server.base_url, max_body_bytes=CAP, max_retries=0
    ) as client:
        written = client.chats.export_session(
            "bomb-200", format="markdown", path=tmp_path / "big.md"
        )
    assert written.stat().st_size > BOMB_BYTES


def test_a_compressed_stream_line_is_capped_on_decoded_bytes(
    hostile_server: Hostile,
) -> None:
    with VisionChat(
        api_key="k", base_url=hostile_server.base_url, max_line_bytes=CAP, max_retries=0
    ) as client:
        error, peak = _peak_while_refused(
            lambda: client.chats.send_stream("q", session_id="bomb").response()
        )
    assert isinstance(error, StreamError) and error.code == "STREAM_CUT_OFF"
    assert peak < 2 * CAP + SLACK  # the line so far, and the piece being joined to it


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_send_is_never_redirected(hostile_server: Hostile, status: int) -> None:
    with VisionChat(api_key="vc-key", base_url=hostile_server.base_url) as client:
        with pytest.raises(RedirectError) as info:
            client.chats.send("secret plans", session_id=f"r{status}")
        with pytest.raises(RedirectError) as streamed:
            client.chats.send_stream("secret plans", session_id=f"r{status}").response()
    landed = f"http://localhost:{hostile_server.port}/api/v2/chat/sessions/landed/messages"
    for error in (info.value, streamed.value):
        assert error.status_code == status and error.location == landed
        assert str(status) in str(error) and landed in str(error)
    # Each call reached the first server once and went nowhere else.
    paths = [(method, path) for method, path, _, _ in hostile_server.seen]
    assert paths == [
        ("POST", f"/api/v2/chat/sessions/r{status}/messages"),
        ("POST", f"/api/v2/chat/sessions/r{status}/messages/stream"),
    ]


def test_a_get_follows_a_few_redirects(hostile_server: Hostile) -> None:
    with VisionChat(api_key="vc-key", base_url=hostile_server.base_url) as client:
        detail = client.chats.get_session("hops-3")
        assert detail.session.id == "arrived"
        assert [auth for *_, auth in hostile_server.seen] == ["Bearer vc-key"] * 4
        with pytest.raises(RedirectError, match="more than 3 redirects") as info:
            client.chats.get_session("hops-4")
    assert info.value.status_code == 302 and info.value.location == "hops-0"


def test_a_get_never_follows_a_redirect_to_another_scheme(
    hostile_server: Hostile,
) -> None:
    with VisionChat(api_key="vc-key", base_url=hostile_server.base_url) as client:
        with pytest.raises(RedirectError, match="another scheme") as info:
            client.chats.get_session("to-https")
    assert info.value.location.startswith("https://127.0.0.1:")


def _get_session_raises(reply: bytes, raised: type[E]) -> E:
    """What `get_session` raises, in one attempt, against a listener that sends `reply`."""
    with raw_listener(reply) as port:
        with VisionChat(
            api_key="k", base_url=f"http://127.0.0.1:{port}/api/v2", max_retries=0
        ) as client:
            with pytest.raises(raised) as info:
                client.chats.get_session("s")
    return info.value


def _raw_reply(status: str, headers: dict[str, str], body: bytes) -> bytes:
    """A whole HTTP reply as bytes, for a listener that sends it to any request."""
    head = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items())]
    head += [f"Content-Length: {len(body)}", "Connection: close"]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


@pytest.mark.parametrize("header", ["Retry-After", "retry-after-ms"])
def test_a_retry_wait_that_is_not_a_number_is_not_slept(
    header: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # float() reads "nan": slept, it raised in the sync client and could hang the event
    # loop (a NaN timer breaks the order of its timer heap).
    waits: list[float] = []

    def record(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(RequestsTransport, "sleep", staticmethod(record))
    reply = _raw_reply(
        "503 Service Unavailable",
        {header: "nan", "Content-Type": "application/json"},
        b'{"error": "busy"}',
    )
    with raw_listener(reply) as port:
        with VisionChat(
            api_key="k", base_url=f"http://127.0.0.1:{port}/api/v2", max_retries=1
        ) as client:
            with pytest.raises(InternalServerError) as info:
                client.chats.get_session("s")
    assert info.value.status_code == 503
    assert len(waits) == 1 and math.isfinite(waits[0])  # the SDK's own backoff instead


#: JSON nested deeper than msgspec's recursion allows in free-form (`Any`) data.
_DEEP = b"[" * 100_000 + b"]" * 100_000
_DEEP_MESSAGE = (
    b'{"session": {"id": "s"}, "messages": [{"id": "m", "role": "assistant", '
    b'"content": "c", "metadata": {"x": ' + _DEEP + b"}}]}"
)


@pytest.mark.parametrize(
    ("status", "body", "raised"),
    [
        ("400 Bad Request", _DEEP, BadRequestError),
        ("200 OK", _DEEP_MESSAGE, ResponseDecodeError),
    ],
)
def test_json_nested_too_deep_is_a_typed_error(
    status: str, body: bytes, raised: type[VisionChatError]
) -> None:
    reply = _raw_reply(status, {"Content-Type": "application/json"}, body)
    _get_session_raises(reply, raised)


def test_stream_event_data_nested_too_deep_is_a_stream_error() -> None:
    frames = b'event: complete\ndata: {"type": "complete", "metadata": ' + _DEEP + b"}\n\n"
    reply = _raw_reply("200 OK", {"Content-Type": "text/event-stream"}, frames)
    with raw_listener(reply) as port:
        with VisionChat(
            api_key="k", base_url=f"http://127.0.0.1:{port}/api/v2", max_retries=0
        ) as client:
            with pytest.raises(StreamError, match="malformed"):
                client.chats.send_stream("q", session_id="s").response()


def test_an_interim_reply_then_silence_times_out() -> None:
    # aiohttp stops its read timer after a 1xx head; the call must still time out.
    with raw_listener(b"HTTP/1.1 100 Continue\r\n\r\n", hold=5.0) as port:
        with VisionChat(
            api_key="k", base_url=f"http://127.0.0.1:{port}/api/v2", timeout=0.2, max_retries=0
        ) as client:
            with pytest.raises(APITimeoutError):
                client.chats.get_session("s")


def test_a_get_never_follows_a_redirect_to_a_url_holding_credentials() -> None:
    location = "http://user:pw@127.0.0.1:9/api/v2/chat/sessions/s"
    reply = _raw_reply("302 Found", {"Location": location}, b"")
    error = _get_session_raises(reply, RedirectError)
    assert error.location == location and "credentials" in str(error)


def test_an_event_of_endless_short_data_lines_is_capped() -> None:
    # No line passes max_line_bytes, but the event's data (their join) would.
    frames = b"event: token\n" + b"data: x\n" * 200_000
    reply = _raw_reply("200 OK", {"Content-Type": "text/event-stream"}, frames)
    with raw_listener(reply) as port:
        with VisionChat(
            api_key="k",
            base_url=f"http://127.0.0.1:{port}/api/v2",
            max_line_bytes=64 * 1024,
            max_retries=0,
        ) as client:
            with pytest.raises(StreamError, match="data is longer than 65536 bytes"):
                client.chats.send_stream("q", session_id="s").response()


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_body_that_does_not_decode_names_its_encoding(encoding: str) -> None:
    reply = _raw_reply(
        "200 OK", {"Content-Type": "application/json", "Content-Encoding": encoding}, b"not it"
    )
    error = _get_session_raises(reply, APIConnectionError)
    assert str(error).endswith("failed: the body does not decode as its Content-Encoding says")


@pytest.mark.parametrize("status", ["300 Multiple Choices", "302 Found", "307 Temporary Redirect"])
def test_a_redirect_without_a_location_is_a_redirect_error(status: str) -> None:
    reply = _raw_reply(status, {"Content-Type": "application/json"}, b"")
    error = _get_session_raises(reply, RedirectError)
    assert error.status_code == int(status[:3]) and error.location is None
    assert "without a Location" in str(error)


@pytest.mark.parametrize("status", ["0 Zero", "42 Low", "600 Beyond", "999 Far"])
def test_a_status_outside_http_is_a_typed_error(status: str) -> None:
    reply = _raw_reply(status, {"Content-Type": "application/json"}, b'{"id": "s"}')
    error = _get_session_raises(reply, VisionChatError)
    assert "the reply is not HTTP" in str(error)
