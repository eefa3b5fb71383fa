"""Malformed input answers 4xx in a JSON body, never 500, never quoting the request back."""

from __future__ import annotations

import json
import logging

import pytest

from visionchat.server import ReferenceServer

from .conftest import AUTH
from .helpers import assert_error, assert_invalid
from .rawhttp import Reply, exchange, request

SECRET = "vc-secret-key-1234"
JSON = {**AUTH, "Content-Type": "application/json"}


def _post(server: ReferenceServer, path: str, body: bytes, **headers: str) -> Reply:
    return exchange(
        server, request("POST", "/api/v2" + path, body=body, headers={**JSON, **headers})
    )


def _session(server: ReferenceServer) -> str:
    reply = _post(server, "/chat/sessions", b"{}")
    assert reply.status == 200, reply
    return str(reply.json()["session_id"])


def _no_server_errors(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


@pytest.mark.parametrize("name", ["offset", "min_messages"])
def test_numbers_past_64_bits_are_422(server, caplog, name) -> None:
    for value in (2**63, 10**30):
        target = f"/api/v2/chat/sessions?{name}={value}"
        reply = exchange(server, request("GET", target, headers=AUTH))
        assert reply.status == 422, reply
        assert_invalid(reply.json(), "query", name)
    _no_server_errors(caplog)


@pytest.mark.parametrize(
    "path", ["/chat/sessions", "/chat/sessions/{sid}/messages", "/chat/images/search"]
)
@pytest.mark.parametrize("idempotent", [False, True])
def test_json_nested_a_thousand_deep_is_422(server, caplog, path, idempotent) -> None:
    deep = b'{"message": ' + b"[" * 1000 + b"]" * 1000 + b"}"
    extra = {"Idempotency-Key": "deep-1"} if idempotent else {}
    reply = _post(server, path.format(sid=_session(server)), deep, **extra)
    assert reply.status == 422, reply
    assert_invalid(reply.json(), "body")
    _no_server_errors(caplog)


def test_a_lone_surrogate_is_422(server, caplog) -> None:
    sid = _session(server)
    for path, field in [("/chat/sessions", "title"), (f"/chat/sessions/{sid}/messages", "message")]:
        reply = _post(server, path, f'{{"{field}": "a\\ud800b"}}'.encode())
        assert reply.status == 422, reply
        assert_invalid(reply.json(), "body", field)
    reply = exchange(server, request("GET", "/api/v2/chat/sessions?search=%ED%A0%80", headers=AUTH))
    assert reply.status in (200, 422), reply
    _no_server_errors(caplog)


def test_a_non_ascii_media_signature_is_404_without_a_traceback(server, caplog) -> None:
    reply = exchange(server, request("GET", "/media/thumb/x.svg?sig=%C3%A9"))
    assert reply.status == 404
    assert_error(reply.json(), "NOT_FOUND")
    _no_server_errors(caplog)


ABUSE = {
    "header line too long": request(
        "GET",
        "/api/v2/chat/sessions",
        headers={"Authorization": f"Bearer {SECRET}", "X-Pad": "p" * 9000},
    ),
    "URL too long": request(
        "GET",
        "/api/v2/chat/sessions?q=" + "u" * 9000 + SECRET,
        headers={"Authorization": f"Bearer {SECRET}"},
    ),
    "bad byte in the path": request(
        "GET", f"/api/v2/chat/\x01{SECRET}", headers={"Authorization": f"Bearer {SECRET}"}
    ),
    "bad byte in a header": request(
        "GET", "/api/v2/chat/sessions", headers={"Authorization": f"Bearer {SECRET}\x01"}
    ),
    "folded header": (
        b"GET /api/v2/chat/sessions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\r\n "
        + SECRET.encode()
        + b"\r\nConnection: close\r\n\r\n"
    ),
}


@pytest.mark.parametrize("raw", ABUSE.values(), ids=ABUSE.keys())
def test_requests_aiohttp_refuses_answer_json_and_keep_the_key_out(server, caplog, raw) -> None:
    caplog.set_level(logging.DEBUG)
    reply = exchange(server, raw)
    assert 400 <= reply.status < 500, reply
    assert reply.headers["content-type"].startswith("application/json"), reply
    body = reply.json()
    assert set(body) == {"error", "error_code", "detail", "timestamp"}, body
    assert SECRET.encode() not in reply.body
    assert SECRET not in caplog.text
    assert "Traceback" not in caplog.text


def test_an_http_exception_keeps_its_headers_and_echoes_nothing(server) -> None:
    reply = exchange(
        server, request("PUT", f"/api/v2/chat/sessions?k={SECRET}", body=b"{}", headers=JSON)
    )
    assert reply.status == 405
    assert "POST" in reply.headers["allow"]
    assert SECRET.encode() not in reply.body
    assert json.loads(reply.body)["error_code"] == "METHOD_NOT_ALLOWED"


def _raw_post(server: ReferenceServer, path: str, headers: bytes, body: bytes) -> Reply:
    """A POST whose header bytes are sent as given (a client library would encode them)."""
    head = (
        f"POST /api/v2{path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n"
    ).encode()
    return exchange(server, head + headers + b"\r\n" + body)


def test_a_key_that_is_not_utf8_is_401(server, caplog) -> None:
    reply = _raw_post(server, "/chat/sessions", b"Authorization: Bearer vc-\xe9\r\n", b"{}")
    assert reply.status == 401, reply
    assert_error(reply.json(), "INVALID_API_KEY")
    _no_server_errors(caplog)


@pytest.mark.parametrize(
    ("value", "kind"),
    [(b"key-\xe9", "string_unicode"), (b"", "string_too_short"), (b"k" * 256, "string_too_long")],
)
def test_an_idempotency_key_that_is_not_1_to_255_characters_of_text_is_422(
    server, caplog, value, kind
) -> None:
    auth = AUTH["Authorization"].encode()
    headers = b"Authorization: " + auth + b"\r\nIdempotency-Key: " + value + b"\r\n"
    reply = _raw_post(server, "/chat/sessions", headers, b"{}")
    assert reply.status == 422, reply
    assert_invalid(reply.json(), "header", "Idempotency-Key")
    assert reply.json()["detail"][0]["type"] == kind
    _no_server_errors(caplog)


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_body_that_does_not_decode_as_its_content_encoding_is_400(
    server, caplog, encoding
) -> None:
    auth = AUTH["Authorization"].encode()
    headers = b"Authorization: " + auth + b"\r\nContent-Encoding: " + encoding.encode() + b"\r\n"
    reply = _raw_post(server, "/chat/sessions", headers, b'{"title": "not compressed"}')
    assert reply.status == 400, reply
    assert_error(reply.json(), "BAD_REQUEST")
    _no_server_errors(caplog)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_body_not_labelled_json_is_422_as_the_api_answers(server, content_type) -> None:
    # The hosted API's framework parses JSON only when the body says it is JSON (or
    # says nothing); otherwise the body is bytes, which the object schema refuses.
    headers = {**AUTH, "Content-Type": content_type}
    reply = exchange(
        server, request("POST", "/api/v2/chat/sessions", body=b'{"title": "t"}', headers=headers)
    )
    assert reply.status == 422, reply
    assert_invalid(reply.json(), "body")


@pytest.mark.parametrize(
    "content_type",
    ["application/json; charset=utf-8", "APPLICATION/JSON", "application/merge-patch+json"],
)
def test_a_body_labelled_json_is_read(server, content_type) -> None:
    headers = {**AUTH, "Content-Type": content_type}
    reply = exchange(
        server, request("POST", "/api/v2/chat/sessions", body=b'{"title": "t"}', headers=headers)
    )
    assert reply.status == 200, reply
    assert reply.json()["title"] == "t"
