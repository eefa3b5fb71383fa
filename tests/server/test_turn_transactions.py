"""A turn's checks and writes are one step, over real HTTP (raw sockets where needed).

- A body that arrives late is judged against the session as it is when the turn is
  written, not as it was when the headers came.
- Messages, plan and idempotency record are written together or not at all.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from .conftest import AUTH, DEMO_API_KEY
from .helpers import assert_error, new_session, send


async def _messages(client, sid: str) -> list[dict]:
    body = await (await client.get(f"/api/v2/chat/sessions/{sid}", headers=AUTH)).json()
    return list(body["messages"])


class _LateBody:
    """A send whose headers are on the wire and whose body is still to come.

    ``Expect: 100-continue`` makes the server answer ``100 Continue`` when it starts on
    the request, so the test knows the handler is waiting for the body (no sleeps).
    """

    def __init__(self, client, path: str, body: dict) -> None:
        self.host, self.port = client.server.host, client.server.port
        self.path = path
        self.body = json.dumps(body).encode()

    async def send_headers(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = (
            f"POST {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Authorization: Bearer {DEMO_API_KEY}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(self.body)}\r\nExpect: 100-continue\r\n"
            "Connection: close\r\n\r\n"
        )
        self.writer.write(head.encode())
        await self.writer.drain()
        interim = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), 5)
        assert interim.startswith(b"HTTP/1.1 100"), interim

    async def send_body(self) -> tuple[int, dict]:
        self.writer.write(self.body)
        await self.writer.drain()
        raw = await asyncio.wait_for(self.reader.read(), 10)
        self.writer.close()
        await self.writer.wait_closed()
        head, _, payload = raw.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        return status, json.loads(payload) if payload else {}


async def test_a_late_body_does_not_land_in_a_session_closed_meanwhile(client) -> None:
    sid = await new_session(client)
    late = _LateBody(client, f"/api/v2/chat/sessions/{sid}/messages", {"message": "show rust"})
    await late.send_headers()
    closed = await client.delete(f"/api/v2/chat/sessions/{sid}", headers=AUTH)
    assert closed.status == 200
    status, body = await late.send_body()
    assert status == 400, body
    assert_error(body, "SESSION_CLOSED")
    assert await _messages(client, sid) == []


async def test_a_late_body_does_not_overrun_a_budget_spent_meanwhile(make_client) -> None:
    client = await make_client(message_budget=2)
    sid = await new_session(client)
    late = _LateBody(client, f"/api/v2/chat/sessions/{sid}/messages", {"message": "show rust"})
    await late.send_headers()
    await send(client, sid, "show cracks")  # spends the whole budget: user + assistant
    status, body = await late.send_body()
    assert status == 429, body
    assert_error(body, "TOKEN_LIMIT_EXCEEDED")
    assert len(await _messages(client, sid)) == 2


async def test_a_late_plan_approval_does_not_run_in_a_session_closed_meanwhile(client) -> None:
    sid = await new_session(client)
    plan_id = (await send(client, sid, "tag rust images as urgent"))["metadata"]["plan_id"]
    path = f"/api/v2/chat/sessions/{sid}/plans/{plan_id}/action"
    late = _LateBody(client, path, {"action": "approve"})
    await late.send_headers()
    assert (await client.delete(f"/api/v2/chat/sessions/{sid}", headers=AUTH)).status == 200
    status, body = await late.send_body()
    assert status == 400, body
    assert_error(body, "SESSION_CLOSED")
    assert [m["role"] for m in await _messages(client, sid)] == ["user", "assistant"]


async def test_concurrent_sends_never_overrun_the_budget(make_client) -> None:
    client = await make_client(message_budget=6)
    sid = await new_session(client)
    url = f"/api/v2/chat/sessions/{sid}/messages"
    replies = await asyncio.gather(
        *(client.post(url, json={"message": f"show rust {n}"}, headers=AUTH) for n in range(8))
    )
    assert sorted(r.status for r in replies) == [200] * 3 + [429] * 5
    assert len(await _messages(client, sid)) == 6


@contextmanager
def _failing(db_file: str, table: str, when: str) -> Iterator[None]:
    """Make SQLite refuse a write to ``table`` (a fault between a turn's writes)."""
    conn = sqlite3.connect(db_file, isolation_level=None)
    conn.execute(
        f"CREATE TRIGGER injected_fault BEFORE {when} ON {table}"
        " BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
    )
    try:
        yield
    finally:
        conn.execute("DROP TRIGGER injected_fault")
        conn.close()


def _count(db_file: str, sql: str, *params: object) -> int:
    with sqlite3.connect(db_file) as conn:
        return int(conn.execute(sql, params).fetchone()[0])


async def test_a_failed_planning_turn_leaves_no_orphan_plan(client, db_file: str) -> None:
    sid = await new_session(client)
    url = f"/api/v2/chat/sessions/{sid}/messages"
    with _failing(db_file, "messages", "INSERT"):
        resp = await client.post(url, json={"message": "tag rust images as urgent"}, headers=AUTH)
        assert resp.status == 500
    assert _count(db_file, "SELECT COUNT(*) FROM plans WHERE session_id = ?", sid) == 0
    assert await _messages(client, sid) == []


async def test_a_failed_idempotency_write_leaves_no_messages(client, db_file: str) -> None:
    sid = await new_session(client)
    url = f"/api/v2/chat/sessions/{sid}/messages"
    headers = {**AUTH, "Idempotency-Key": "fault-between-writes"}
    with _failing(db_file, "idempotency", "UPDATE"):
        resp = await client.post(url, json={"message": "show rust"}, headers=headers)
        assert resp.status == 500
    assert await _messages(client, sid) == []
    retried = await client.post(url, json={"message": "show rust"}, headers=headers)
    assert retried.status == 200
    assert [m["role"] for m in await _messages(client, sid)] == ["user", "assistant"]


async def test_a_failed_plan_approval_leaves_the_library_as_it_was(client, db_file: str) -> None:
    sid = await new_session(client)
    plan_id = (await send(client, sid, "tag rust images as urgent"))["metadata"]["plan_id"]
    url = f"/api/v2/chat/sessions/{sid}/plans/{plan_id}/action"
    tagged = "SELECT COUNT(*) FROM images WHERE tags LIKE '%\"urgent\"%'"
    with _failing(db_file, "messages", "INSERT"):  # the plan's system message
        resp = await client.post(url, json={"action": "approve"}, headers=AUTH)
        assert resp.status == 500
    assert _count(db_file, tagged) == 0
    assert _count(db_file, "SELECT COUNT(*) FROM plans WHERE status = 'pending'") == 1
    retried = await client.post(url, json={"action": "approve"}, headers=AUTH)
    assert retried.status == 200
    assert _count(db_file, tagged) == (await retried.json())["results"]["affected_count"] > 0
