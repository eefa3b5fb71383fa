"""The Idempotency-Key extension: replay, reuse conflicts, concurrent repeats."""

from __future__ import annotations

import asyncio

import pytest

from .conftest import AUTH
from .helpers import assert_error, new_session, send, stream


async def _messages(client, sid: str) -> list[dict]:
    body = await (await client.get(f"/api/v2/chat/sessions/{sid}", headers=AUTH)).json()
    return list(body["messages"])


async def test_same_key_twice_does_the_work_once(client) -> None:
    sid = await new_session(client)
    url = f"/api/v2/chat/sessions/{sid}/messages"
    headers = {**AUTH, "Idempotency-Key": "k-1"}
    first = await client.post(url, json={"message": "show rust"}, headers=headers)
    second = await client.post(url, json={"message": "show rust"}, headers=headers)
    assert first.status == second.status == 200
    assert await first.json() == await second.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert [m["role"] for m in await _messages(client, sid)] == ["user", "assistant"]


async def test_key_order_in_body_does_not_matter(client) -> None:
    headers = {**AUTH, "Idempotency-Key": "create-1", "Content-Type": "application/json"}
    a = await client.post(
        "/api/v2/chat/sessions", data=b'{"title":"x","use_all_images":true}', headers=headers
    )
    b = await client.post(
        "/api/v2/chat/sessions", data=b'{"use_all_images": true, "title": "x"}', headers=headers
    )
    assert (await a.json())["session_id"] == (await b.json())["session_id"]
    listed = await (await client.get("/api/v2/chat/sessions", headers=AUTH)).json()
    assert listed["total_count"] == 1


async def test_same_key_different_body_is_409(client) -> None:
    sid = await new_session(client)
    url = f"/api/v2/chat/sessions/{sid}/messages"
    headers = {**AUTH, "Idempotency-Key": "k-2"}
    await client.post(url, json={"message": "one"}, headers=headers)
    resp = await client.post(url, json={"message": "two"}, headers=headers)
    assert resp.status == 409
    assert_error(await resp.json(), "IDEMPOTENCY_KEY_REUSED")
    resp = await client.post("/api/v2/chat/sessions", json={}, headers=headers)  # other path
    assert resp.status == 409


async def test_keys_are_per_tenant(make_client) -> None:
    client = await make_client(api_keys=["vc-demo-key", "acme:acme-key"])
    headers = {"Idempotency-Key": "shared"}
    a = await client.post("/api/v2/chat/sessions", json={}, headers={**AUTH, **headers})
    b = await client.post(
        "/api/v2/chat/sessions", json={}, headers={"Authorization": "Bearer acme-key", **headers}
    )
    assert (await a.json())["session_id"] != (await b.json())["session_id"]


async def test_errors_are_replayed_but_server_failures_are_not(client) -> None:
    headers = {**AUTH, "Idempotency-Key": "k-err"}
    url = "/api/v2/chat/sessions/00000000-0000-4000-8000-000000000000/messages"
    first = await client.post(url, json={"message": "x"}, headers=headers)
    again = await client.post(url, json={"message": "x"}, headers=headers)
    assert first.status == again.status == 404
    assert again.headers["Idempotent-Replayed"] == "true"
    long_key = {**AUTH, "Idempotency-Key": "x" * 256}
    assert (await client.post("/api/v2/chat/sessions", json={}, headers=long_key)).status == 422


async def test_concurrent_repeats_of_a_stream_run_once(make_client) -> None:
    client = await make_client(token_delay=0.002)
    sid = await new_session(client)
    headers = {"Idempotency-Key": "stream-k"}
    results = await asyncio.gather(
        *(stream(client, sid, "show rust on bridges", headers=headers) for _ in range(3))
    )
    assert all(status == 200 for status, _ in results)
    contents = {frames[-2].data["content"] for _, frames in results}
    assert len(contents) == 1
    assert [m["role"] for m in await _messages(client, sid)] == ["user", "assistant"]


async def test_concurrent_repeats_of_json_run_once(make_client) -> None:
    client = await make_client()
    sid = await new_session(client)
    url = f"/api/v2/chat/sessions/{sid}/messages"
    headers = {**AUTH, "Idempotency-Key": "json-k"}
    replies = await asyncio.gather(
        *(client.post(url, json={"message": "show roofs"}, headers=headers) for _ in range(4))
    )
    bodies = [await r.json() for r in replies]
    assert len({b["message_id"] for b in bodies}) == 1
    assert len(await _messages(client, sid)) == 2


async def test_repeat_waits_for_a_running_first_request(make_client) -> None:
    client = await make_client(token_delay=0.02)
    sid = await new_session(client)
    body = await (
        await client.post(
            f"/api/v2/chat/sessions/{sid}/messages",
            json={"message": "organise the roof photos"},
            headers=AUTH,
        )
    ).json()
    url = f"/api/v2/chat/sessions/{sid}/plans/{body['metadata']['plan_id']}/action"
    headers = {**AUTH, "Idempotency-Key": "approve-1"}
    first, second = await asyncio.gather(
        client.post(url, json={"action": "approve"}, headers=headers),
        client.post(url, json={"action": "approve"}, headers=headers),
    )
    assert first.status == second.status == 200
    assert await first.json() == await second.json()
    assert "Idempotent-Replayed" in first.headers or "Idempotent-Replayed" in second.headers


async def test_unknown_routes_and_methods_use_flat_errors(client) -> None:
    resp = await client.get("/api/v2/chat/unknown", headers=AUTH)
    assert resp.status == 404
    assert_error(await resp.json(), "NOT_FOUND")
    resp = await client.put("/api/v2/chat/sessions", headers=AUTH)
    assert resp.status == 405
    assert_error(await resp.json(), "METHOD_NOT_ALLOWED")


async def _refused_409(client) -> tuple[str, dict, dict, str]:
    """A plan action answered 409 PLAN_ALREADY_PROCESSED: (url, body, other body, code)."""
    sid = await new_session(client)
    body = await send(client, sid, "tag rust images as urgent")
    url = f"/api/v2/chat/sessions/{sid}/plans/{body['metadata']['plan_id']}/action"
    assert (await client.post(url, json={"action": "cancel"}, headers=AUTH)).status == 200
    return url, {"action": "approve"}, {"action": "cancel"}, "PLAN_ALREADY_PROCESSED"


async def _refused_429(client) -> tuple[str, dict, dict, str]:
    """A send answered 429 TOKEN_LIMIT_EXCEEDED: (url, body, other body, code)."""
    sid = await new_session(client)
    await send(client, sid, "show rust")  # spends the budget of two messages
    url = f"/api/v2/chat/sessions/{sid}/messages"
    return url, {"message": "show cracks"}, {"message": "show roofs"}, "TOKEN_LIMIT_EXCEEDED"


@pytest.mark.parametrize("refusal", [_refused_409, _refused_429], ids=["409", "429"])
async def test_409_and_429_are_never_stored_or_replayed(make_client, refusal) -> None:
    client = await make_client(message_budget=2)
    url, body, other, code = await refusal(client)
    headers = {**AUTH, "Idempotency-Key": f"refused-{code}"}
    for attempt in (body, body, other):  # a stored refusal would replay, or make `other` 409
        resp = await client.post(url, json=attempt, headers=headers)
        assert resp.status in (409, 429) and "Idempotent-Replayed" not in resp.headers
        assert_error(await resp.json(), code)
