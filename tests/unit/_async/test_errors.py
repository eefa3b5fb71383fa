"""Error replies become typed errors; retries follow the policy and reuse one idempotency key."""

from __future__ import annotations

import pytest

from tests.unit.mock_api import API_KEY
from tests.unit.payloads import SEND_REPLY, SID
from visionchat import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncVisionChat,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    QuotaExceededError,
    RateLimitError,
    ResponseDecodeError,
    UnprocessableEntityError,
)

SEND = f"/chat/sessions/{SID}/messages"
GET = f"/chat/sessions/{SID}"


@pytest.mark.parametrize(
    ("status", "error_type"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (418, APIStatusError),
        (422, UnprocessableEntityError),
    ],
)
async def test_statuses_map_to_typed_errors(
    client: AsyncVisionChat, mock_api, status, error_type
) -> None:
    mock_api.add(
        "GET",
        GET,
        status=status,
        json={"error": "nope", "error_code": "X_CODE"},
        headers={"X-Request-ID": "req-7"},
    )
    with pytest.raises(error_type) as info:
        await client.chats.get_session(SID)
    error = info.value
    assert type(error) is error_type
    assert (error.status_code, error.error_code, error.message, error.request_id) == (
        status,
        "X_CODE",
        "nope",
        "req-7",
    )
    assert error.body == {"error": "nope", "error_code": "X_CODE"}
    assert len(mock_api.calls) == 1  # client errors are not retried


async def test_the_envelope_error_shape_is_read(client: AsyncVisionChat, mock_api) -> None:
    mock_api.add(
        "GET",
        GET,
        status=400,
        json={
            "error": {"code": "SESSION_CLOSED", "message": "closed", "details": {}},
            "request_id": "r",
        },
    )
    with pytest.raises(BadRequestError) as info:
        await client.chats.get_session(SID)
    assert (info.value.error_code, info.value.message) == ("SESSION_CLOSED", "closed")


async def test_the_validation_error_shape_is_read(client: AsyncVisionChat, mock_api) -> None:
    mock_api.add(
        "GET",
        GET,
        status=422,
        json={"detail": [{"loc": ["query", "message_limit"], "msg": "too big", "type": "x"}]},
    )
    with pytest.raises(UnprocessableEntityError, match=r"query\.message_limit: too big"):
        await client.chats.get_session(SID)


async def test_a_chat_error_with_a_null_detail_and_extra_fields_is_read(
    client: AsyncVisionChat, mock_api
) -> None:
    body = {
        "error": "This plan was already cancelled",
        "error_code": "PLAN_ALREADY_PROCESSED",
        "detail": None,
        "timestamp": "2026-03-01T10:00:00Z",
        "plan_status": "cancelled",
    }
    mock_api.add("GET", GET, status=409, json=body)
    with pytest.raises(ConflictError) as info:
        await client.chats.get_session(SID)
    assert (info.value.error_code, info.value.message) == (
        "PLAN_ALREADY_PROCESSED",
        "This plan was already cancelled",
    )
    assert info.value.body == body


async def test_an_html_error_page_is_read_without_failing(
    client: AsyncVisionChat, mock_api
) -> None:
    mock_api.add(
        "GET",
        GET,
        status=403,
        body="<html><h1>Forbidden by proxy</h1></html>",
        content_type="text/html",
    )
    with pytest.raises(PermissionDeniedError, match="Forbidden by proxy"):
        await client.chats.get_session(SID)


@pytest.mark.parametrize(
    ("body", "content_type", "says"),
    [
        ("<html>Welcome to the captive portal</html>", "text/html", "not valid JSON"),
        ('{"session": {"id": "x", "title"', "application/json", "not valid JSON"),
        ("", "application/json", "empty body"),
        ('{"messages": []}', "application/json", "expected shape"),
    ],
)
async def test_a_broken_success_body_is_a_decode_error(
    client: AsyncVisionChat, mock_api, body, content_type, says
) -> None:
    mock_api.add("GET", GET, body=body, content_type=content_type)
    with pytest.raises(ResponseDecodeError, match=says) as info:
        await client.chats.get_session(SID)
    assert info.value.status_code == 200
    assert info.value.excerpt == body[:200]


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
async def test_transient_statuses_are_retried_with_one_idempotency_key(
    client: AsyncVisionChat, mock_api, sleeps, status
) -> None:
    mock_api.add("POST", SEND, status=status, json={"error": "try later"})
    mock_api.add("POST", SEND, json=SEND_REPLY)
    reply = await client.chats.send("hello", session_id=SID)
    assert reply.message_id == "m-2"
    assert len(mock_api.calls) == 2
    assert (
        mock_api.calls[0].headers["Idempotency-Key"] == mock_api.calls[1].headers["Idempotency-Key"]
    )
    assert mock_api.calls[0].body == mock_api.calls[1].body
    assert len(sleeps) == 1 and 0 < sleeps[0] <= 0.5


@pytest.mark.parametrize("status", [500, 503])
async def test_retries_stop_at_max_retries(
    client: AsyncVisionChat, mock_api, sleeps, status
) -> None:
    for _ in range(3):
        mock_api.add("GET", GET, status=status, json={"error": "down"})
    with pytest.raises(InternalServerError) as info:
        await client.chats.get_session(SID)
    assert info.value.status_code == status
    assert len(mock_api.calls) == 3  # the first try and max_retries=2 retries
    assert len(sleeps) == 2 and sleeps[1] > sleeps[0] * 1.2  # exponential backoff


async def test_retry_after_is_honoured(client: AsyncVisionChat, mock_api, sleeps) -> None:
    mock_api.add(
        "GET",
        GET,
        status=429,
        json={"error": "slow down", "error_code": "RATE_LIMIT_ERROR"},
        headers={"Retry-After": "3"},
    )
    mock_api.add("GET", GET, status=503, json={"error": "busy"}, headers={"retry-after-ms": "250"})
    mock_api.add("GET", GET, json={"session": {"id": SID}})
    await client.chats.get_session(SID)
    assert sleeps == [3.0, 0.25]


async def test_a_retry_after_beyond_the_ceiling_raises_at_once(
    client: AsyncVisionChat, mock_api, sleeps
) -> None:
    mock_api.add(
        "GET",
        GET,
        status=429,
        json={"error": "later", "error_code": "RATE_LIMIT_ERROR"},
        headers={"Retry-After": "3600"},
    )
    with pytest.raises(RateLimitError) as info:
        await client.chats.get_session(SID)
    assert info.value.retry_after == 3600.0
    assert sleeps == [] and len(mock_api.calls) == 1


@pytest.mark.parametrize("code", ["TOKEN_LIMIT_EXCEEDED", "USAGE_LIMIT_EXCEEDED"])
async def test_quota_429s_are_never_retried(
    client: AsyncVisionChat, mock_api, sleeps, code
) -> None:
    mock_api.add("POST", SEND, status=429, json={"error": "budget spent", "error_code": code})
    with pytest.raises(QuotaExceededError) as info:
        await client.chats.send("hello", session_id=SID)
    assert info.value.error_code == code
    assert sleeps == [] and len(mock_api.calls) == 1


async def test_a_conflict_is_retried_only_when_the_server_says_when(
    client: AsyncVisionChat, mock_api, sleeps
) -> None:
    mock_api.add(
        "POST",
        f"{GET}/plans/p/action",
        status=409,
        json={"error": "in progress"},
        headers={"Retry-After": "1"},
    )
    mock_api.add("POST", f"{GET}/plans/p/action", status=409, json={"error": "in progress"})
    with pytest.raises(ConflictError):
        await client.chats.approve_plan(SID, "p")
    assert sleeps == [1.0] and len(mock_api.calls) == 2


@pytest.mark.parametrize(
    ("fail", "error_type"), [("connection", APIConnectionError), ("timeout", APITimeoutError)]
)
async def test_connection_failures_are_retried_then_raised(
    client: AsyncVisionChat, mock_api, sleeps, fail, error_type
) -> None:
    for _ in range(3):
        mock_api.add("GET", GET, fail=fail)
    with pytest.raises(error_type) as info:
        await client.chats.get_session(SID)
    assert len(mock_api.calls) == 3 and len(sleeps) == 2
    assert API_KEY not in str(info.value)


async def test_a_connection_failure_then_success(client: AsyncVisionChat, mock_api, sleeps) -> None:
    mock_api.add("POST", SEND, fail="connection")
    mock_api.add("POST", SEND, json=SEND_REPLY)
    assert (await client.chats.send("hi", session_id=SID)).message_id == "m-2"
    assert len({c.headers["Idempotency-Key"] for c in mock_api.calls}) == 1


async def test_with_options_changes_retries_and_shares_the_pool(
    client: AsyncVisionChat, mock_api, sleeps
) -> None:
    quick = client.with_options(max_retries=0, timeout=5)
    assert quick.max_retries == 0 and quick.timeout.read == 5.0
    assert client.max_retries == 2
    assert quick._transport is client._transport
    mock_api.add("GET", GET, status=503, json={"error": "down"})
    with pytest.raises(InternalServerError):
        await quick.chats.get_session(SID)
    assert len(mock_api.calls) == 1
    await quick.close()  # a copy does not close the shared pool
    mock_api.add("GET", GET, json={"session": {"id": SID}})
    assert (await client.chats.get_session(SID)).session.id == SID


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.chats.send("", session_id=SID), "message must not be empty"),
        (lambda c: c.chats.send("x" * 10_001, session_id=SID), "at most 10000"),
        (lambda c: c.chats.send("hi", session_id=""), "session_id must not be empty"),
        (lambda c: c.chats.send("hi", session_id="a\nb"), "control characters"),
        (lambda c: c.chats.update_videos(SID, ["v"] * 101), "at most 100"),
        (lambda c: c.chats.update_images(SID, ["i"] * 1001), "at most 1000"),
        (lambda c: c.chats.update_documents(SID, ["d"] * 101), "at most 100"),
        (lambda c: c.chats.create_session(title="t" * 256), "at most 255"),
        (lambda c: c.chats.rename_session(SID, "t" * 256), "at most 255"),
        (lambda c: c.chats.rename_session(SID, ""), "title must not be empty"),
        (lambda c: c.chats.export_session(SID, format="pdf"), "format must be one of"),
        (lambda c: c.chats.update_domain(SID, "Not A Domain"), "domain must be"),
        (lambda c: c.chats.list_sessions(limit=101), "limit must be from 1 to 100"),
        (lambda c: c.chats.get_session(SID, message_limit=0), "message_limit"),
        (lambda c: c.chats.search_images("q" * 501), "at most 500"),
        (lambda c: c.chats.approve_plan(SID, ""), "plan_id must not be empty"),
    ],
)
async def test_invalid_arguments_fail_before_any_request(
    client: AsyncVisionChat, mock_api, call, message
) -> None:
    with pytest.raises(ValueError, match=message):
        await call(client)
    assert mock_api.calls == []


async def test_a_lone_string_is_not_a_list_of_ids(client: AsyncVisionChat, mock_api) -> None:
    with pytest.raises(TypeError, match="list of id strings"):
        await client.chats.update_images(SID, "abc")  # type: ignore[arg-type]
    assert mock_api.calls == []
