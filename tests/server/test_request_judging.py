"""Requests judged as the hosted API's schema judges them, and its two error shapes."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import AUTH
from .helpers import assert_error, assert_invalid, new_session, send

SESSIONS = "/api/v2/chat/sessions"
SEARCH = "/api/v2/chat/images/search"
UNKNOWN = "00000000-0000-4000-8000-000000000000"


async def _post(client, path: str, body: Any) -> tuple[int, Any]:  # type: ignore[no-untyped-def]
    resp = await client.post(path, json=body, headers=AUTH)
    return resp.status, await resp.json()


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"use_all_images": None}, ("body", "use_all_images")),
        ({"use_all_images": "true"}, ("body", "use_all_images")),
        ({"title": 5}, ("body", "title")),
        ({"title": "x" * 256}, ("body", "title")),
        ({"initial_image_ids": "a"}, ("body", "initial_image_ids")),
        ({"initial_image_ids": ["not-a-uuid"]}, ("body", "initial_image_ids", 0)),
        ([], ("body",)),
    ],
)
async def test_create_refuses_what_the_schema_refuses(client, body, loc) -> None:
    status, reply = await _post(client, SESSIONS, body)
    assert status == 422
    assert_invalid(reply, *loc)


async def test_create_needs_a_body_and_takes_nulls_where_allowed(client) -> None:
    resp = await client.post(SESSIONS, headers=AUTH)
    assert resp.status == 422
    assert_invalid(await resp.json(), "body")
    status, reply = await _post(client, SESSIONS, {"title": None, "initial_image_ids": None})
    assert status == 200 and reply["title"] == "New chat"


async def test_unknown_initial_image_ids_are_400(client) -> None:
    status, reply = await _post(client, SESSIONS, {"initial_image_ids": [UNKNOWN]})
    assert status == 400
    assert_error(reply, "IMAGES_NOT_FOUND")
    assert reply["missing_ids"] == [UNKNOWN]


@pytest.mark.parametrize(
    ("extra", "loc"),
    [
        ({"limit": None}, ("body", "limit")),
        ({"offset": None}, ("body", "offset")),
        ({"limit": "47"}, ("body", "limit")),
        ({"limit": True}, ("body", "limit")),
        ({"limit": 1.5}, ("body", "limit")),
        ({"limit": 0}, ("body", "limit")),
        ({"limit": 101}, ("body", "limit")),
        ({"offset": -1}, ("body", "offset")),
        ({"query": None}, ("body", "query")),
        ({"query": ""}, ("body", "query")),
    ],
)
async def test_search_numbers_follow_json_schema(client, extra, loc) -> None:
    status, reply = await _post(client, SEARCH, {"query": "rust", **extra})
    assert status == 422
    assert_invalid(reply, *loc)


async def test_an_integral_float_is_an_integer(client) -> None:
    status, reply = await _post(client, SEARCH, {"query": "rust", "limit": 2.0, "offset": 1e0})
    assert status == 200 and len(reply["results"]) == 2


async def test_send_judges_its_body(client) -> None:
    sid = await new_session(client)
    url = f"{SESSIONS}/{sid}/messages"
    for body, loc in [
        ({}, ("body", "message")),
        ({"message": "hi", "force_detailed_analysis": None}, ("body", "force_detailed_analysis")),
        ({"message": "hi", "expected_image_ids": [5]}, ("body", "expected_image_ids", 0)),
    ]:
        status, reply = await _post(client, url, body)
        assert status == 422, body
        assert_invalid(reply, *loc)
    # expected_image_ids are strings: one that is no UUID is merely unknown.
    status, reply = await _post(client, url, {"message": "hi", "expected_image_ids": ["img-1"]})
    assert status == 404
    assert_error(reply, "IMAGES_NOT_FOUND")
    assert (await send(client, sid, "hi", expected_image_ids=None))["content"]


async def test_selections_may_be_omitted_except_images(client) -> None:
    sid = await new_session(client)
    for kind in ("documents", "videos"):
        resp = await client.put(f"{SESSIONS}/{sid}/{kind}", json={}, headers=AUTH)
        assert resp.status == 200, kind
        assert (await resp.json())[f"selected_{kind[:-1]}_ids"] == []
        resp = await client.put(
            f"{SESSIONS}/{sid}/{kind}", json={f"{kind[:-1]}_ids": None}, headers=AUTH
        )
        assert resp.status == 422
    resp = await client.put(f"{SESSIONS}/{sid}/images", json={}, headers=AUTH)
    assert resp.status == 422
    assert_invalid(await resp.json(), "body", "image_ids")


async def test_mode_and_domain_are_judged(client) -> None:
    sid = await new_session(client)
    for body in ({}, {"use_all_images": None}, {"use_all_images": "false"}):
        resp = await client.patch(f"{SESSIONS}/{sid}/mode", json=body, headers=AUTH)
        assert resp.status == 422, body
        assert_invalid(await resp.json(), "body", "use_all_images")
    for domain in ("construction\n", "Construction", "", "x" * 65):
        resp = await client.patch(f"{SESSIONS}/{sid}/domain", json={"domain": domain}, headers=AUTH)
        assert resp.status == 422, domain
        assert_invalid(await resp.json(), "body", "domain")


async def test_chat_errors_keep_the_flat_shape_with_a_string_detail(client) -> None:
    resp = await client.get(f"{SESSIONS}/{UNKNOWN}", headers=AUTH)
    body = await resp.json()
    assert resp.status == 404 and set(body) == {"error", "error_code", "detail", "timestamp"}
    assert_error(body, "SESSION_NOT_FOUND")
    assert isinstance(body["detail"], str)


async def test_a_spent_budget_names_what_remains_in_fields_of_its_own(make_client) -> None:
    client = await make_client(message_budget=2)
    sid = await new_session(client)
    await send(client, sid, "hello")
    status, body = await _post(client, f"{SESSIONS}/{sid}/messages", {"message": "again"})
    assert status == 429
    assert_error(body, "TOKEN_LIMIT_EXCEEDED")
    assert body["detail"] is None or isinstance(body["detail"], str)
    assert body["remaining_messages"] == 0 and isinstance(body["remaining_tokens"], int)


async def test_a_processed_plan_names_its_status_in_a_field_of_its_own(client) -> None:
    sid = await new_session(client)
    plan_id = (await send(client, sid, "delete the blocked culvert photos"))["metadata"]["plan_id"]
    url = f"{SESSIONS}/{sid}/plans/{plan_id}/action"
    for bad, loc in [
        ({}, ("body", "action")),
        ({"action": "explode"}, ("body", "action")),
        ({"action": 1}, ("body", "action")),
        ({"action": "cancel", "plan_data": 5}, ("body", "plan_data")),
    ]:
        status, body = await _post(client, url, bad)
        assert status == 422, bad
        assert_invalid(body, *loc)
    assert (await _post(client, url, {"action": "cancel", "plan_data": {"ignored": 1}}))[0] == 200
    status, body = await _post(client, url, {"action": "approve"})
    assert status == 409
    assert_error(body, "PLAN_ALREADY_PROCESSED")
    assert body["plan_status"] == "cancelled"
    assert body["detail"] is None or isinstance(body["detail"], str)


async def test_a_405_says_what_is_allowed_and_echoes_nothing(client) -> None:
    resp = await client.put(SESSIONS + "?secret=s3cr3t", json={}, headers=AUTH)
    assert resp.status == 405
    assert set(resp.headers["Allow"].split(",")) >= {"GET", "POST"}
    text = await resp.text()
    assert "s3cr3t" not in text and "/chat/sessions" not in text
    assert_error(await resp.json(), "METHOD_NOT_ALLOWED")


async def test_an_unknown_route_echoes_nothing(client) -> None:
    resp = await client.get("/api/v2/no/such/route-s3cr3t", headers=AUTH)
    assert resp.status == 404
    assert "s3cr3t" not in await resp.text()
    assert_error(await resp.json(), "NOT_FOUND")
