"""Fault injection: every kind, matching rules, and the HTTP control endpoint."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from visionchat.server import FaultsDisabledError
from visionchat.server.state import STATE_KEY

from .conftest import AUTH
from .helpers import assert_error, new_session, parse_sse


@pytest.fixture
async def fclient(make_client):
    return await make_client(faults=True)


def faults_of(client):
    return client.app[STATE_KEY].faults


async def _count_messages(client, sid: str) -> int:
    body = await (await client.get(f"/api/v2/chat/sessions/{sid}", headers=AUTH)).json()
    return int(body["session"]["total_messages"])


async def test_faults_are_off_by_default(client) -> None:
    with pytest.raises(FaultsDisabledError):
        faults_of(client).add("status")
    resp = await client.post("/_control/faults", json={"kind": "status"})
    assert resp.status == 404


async def test_status_fault_with_count_and_retry_after(fclient) -> None:
    faults_of(fclient).add(
        "status", path="/chat/sessions", method="GET", count=2, status=503, retry_after=2
    )
    for _ in range(2):
        resp = await fclient.get("/api/v2/chat/sessions", headers=AUTH)
        assert resp.status == 503 and resp.headers["Retry-After"] == "2"
        assert_error(await resp.json(), "SERVICE_UNAVAILABLE")
    assert (await fclient.post("/api/v2/chat/sessions", json={}, headers=AUTH)).status == 200
    assert (await fclient.get("/api/v2/chat/sessions", headers=AUTH)).status == 200


async def test_rate_limit_fault(fclient) -> None:
    faults_of(fclient).add("rate_limit", retry_after=3)
    resp = await fclient.get("/api/v2/chat/sessions", headers=AUTH)
    assert resp.status == 429 and resp.headers["Retry-After"] == "3"
    assert resp.headers["X-RateLimit-Remaining"] == "0"
    assert_error(await resp.json(), "RATE_LIMIT_ERROR")


async def test_slow_html_and_content_faults(fclient) -> None:
    faults = faults_of(fclient)
    faults.add("slow", delay=0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert (await fclient.get("/api/v2/chat/sessions", headers=AUTH)).status == 200
    assert loop.time() - started >= 0.2

    faults.add("html", status=502)
    resp = await fclient.get("/api/v2/chat/sessions", headers=AUTH)
    assert resp.status == 502 and resp.content_type == "text/html"
    assert "<html>" in await resp.text()

    faults.add("truncated_json", path=r"/chat/sessions$", path_regex=True)
    resp = await fclient.post("/api/v2/chat/sessions", json={"title": "cut"}, headers=AUTH)
    text = await resp.text()
    assert resp.status == 200 and text.startswith("{") and not text.endswith("}")

    faults.add("empty_body")
    resp = await fclient.get("/api/v2/chat/sessions", headers=AUTH)
    assert resp.status == 200 and await resp.read() == b""

    faults.add("wrong_content_type")
    resp = await fclient.get("/api/v2/chat/sessions", headers=AUTH)
    assert resp.content_type == "text/plain" and (await resp.text()).startswith("{")
    # the truncated create still did its work
    listed = await (await fclient.get("/api/v2/chat/sessions", headers=AUTH)).json()
    assert [s["title"] for s in listed["sessions"]] == ["cut"]


async def test_lost_reply_does_the_work(fclient) -> None:
    sid = await new_session(fclient)
    faults_of(fclient).add("lost_reply", path="/messages")
    headers = {**AUTH, "Idempotency-Key": "lost-1"}
    url = f"/api/v2/chat/sessions/{sid}/messages"
    with pytest.raises(aiohttp.ClientError):
        await fclient.post(url, json={"message": "show rust"}, headers=headers)
    assert await _count_messages(fclient, sid) == 2
    retry = await fclient.post(url, json={"message": "show rust"}, headers=headers)
    assert retry.status == 200 and retry.headers["Idempotent-Replayed"] == "true"
    assert await _count_messages(fclient, sid) == 2


async def test_lost_reply_on_stream(fclient) -> None:
    sid = await new_session(fclient)
    faults_of(fclient).add("lost_reply", path="/messages/stream")
    url = f"/api/v2/chat/sessions/{sid}/messages/stream"
    headers = {**AUTH, "Idempotency-Key": "lost-2"}
    with pytest.raises(aiohttp.ClientError):
        resp = await fclient.post(url, json={"message": "show rust"}, headers=headers)
        await resp.read()
    resp = await fclient.post(url, json={"message": "show rust"}, headers=headers)
    frames = parse_sse(await resp.text())
    assert frames[-1].event == "close" and await _count_messages(fclient, sid) == 2


async def test_cut_stream_then_resume(fclient) -> None:
    sid = await new_session(fclient)
    faults_of(fclient).add("cut_stream", after_tokens=3)
    url = f"/api/v2/chat/sessions/{sid}/messages/stream"
    headers = {**AUTH, "Idempotency-Key": "cut-1"}
    resp = await fclient.post(url, json={"message": "show bridges"}, headers=headers)
    frames = parse_sse(await resp.text())
    assert [f.event for f in frames].count("token") == 3
    assert frames[-1].event == "token"
    resumed = await fclient.post(
        url,
        json={"message": "show bridges"},
        headers={**headers, "Last-Event-ID": str(frames[-1].id)},
    )
    rest = parse_sse(await resumed.text())
    assert rest[0].id == frames[-1].id + 1 and rest[-1].event == "close"
    full = "".join(f.data["content"] for f in frames + rest if f.event == "token")
    assert full == rest[-2].data["content"]


async def test_cut_stream_abort(fclient) -> None:
    sid = await new_session(fclient)
    faults_of(fclient).add("cut_stream", after_tokens=1, abort=True)
    with pytest.raises(aiohttp.ClientError):
        resp = await fclient.post(
            f"/api/v2/chat/sessions/{sid}/messages/stream",
            json={"message": "show bridges"},
            headers=AUTH,
        )
        await resp.read()


async def test_error_event(fclient) -> None:
    sid = await new_session(fclient)
    faults_of(fclient).add("error_event", after_tokens=2, code="USAGE_LIMIT_EXCEEDED")
    resp = await fclient.post(
        f"/api/v2/chat/sessions/{sid}/messages/stream",
        json={"message": "show bridges"},
        headers=AUTH,
    )
    frames = parse_sse(await resp.text())
    assert [f.event for f in frames[-4:]] == ["token", "token", "error", "close"]
    assert frames[-2].data["code"] == "USAGE_LIMIT_EXCEEDED" and frames[-2].data["message"]


async def test_endless_sse_line(fclient) -> None:
    sid = await new_session(fclient)
    faults_of(fclient).add("endless_sse_line", after_tokens=1, max_bytes=300_000)
    resp = await fclient.post(
        f"/api/v2/chat/sessions/{sid}/messages/stream",
        json={"message": "show bridges"},
        headers=AUTH,
    )
    body = await resp.read()
    tail = body.rsplit(b"\n\n", 1)[1]
    assert tail.startswith(b"event: token\ndata: ") and b"\n" not in tail[20:]
    assert len(tail) == len(b"event: token\ndata: ") + 300_000


async def test_stream_faults_skip_json_requests(fclient) -> None:
    faults_of(fclient).add("cut_stream")
    sid = await new_session(fclient)
    resp = await fclient.post(
        f"/api/v2/chat/sessions/{sid}/messages", json={"message": "hi"}, headers=AUTH
    )
    assert resp.status == 200
    assert len(faults_of(fclient).rules) == 1


async def test_control_endpoint(fclient) -> None:
    resp = await fclient.post(
        "/_control/faults",
        json={"kind": "status", "status": 500, "count": 1, "path": "/chat/images"},
    )
    assert resp.status == 201
    listed = await (await fclient.get("/_control/faults")).json()
    assert listed["rules"][0]["kind"] == "status"
    assert (await fclient.get("/api/v2/chat/images/all", headers=AUTH)).status == 500
    assert (await fclient.get("/api/v2/chat/images/all", headers=AUTH)).status == 200
    await fclient.post(
        "/_control/faults", json={"rules": [{"kind": "html"}, {"kind": "slow", "delay": 0}]}
    )
    assert len(faults_of(fclient).rules) == 2
    assert (await fclient.delete("/_control/faults")).status == 200
    assert faults_of(fclient).rules == []
    bad = await fclient.post("/_control/faults", json={"kind": "nonsense"})
    assert bad.status == 422
    bad = await fclient.post("/_control/faults", json={"kind": "slow", "wat": 1})
    assert bad.status == 422
