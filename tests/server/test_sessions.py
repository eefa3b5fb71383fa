"""Session endpoints: shapes, paging order, validation, tenant isolation, export."""

from __future__ import annotations

import json

from .conftest import AUTH
from .helpers import ISO_RE, UUID_RE, assert_error, assert_invalid, new_session, send

SUMMARY_FIELDS = {
    "id": str,
    "title": str,
    "total_messages": int,
    "total_tokens": int,
    "remaining_tokens": int,
    "remaining_messages": int,
    "is_active": bool,
    "created_at": str,
    "updated_at": str,
    "selected_image_count": int,
    "use_all_images": bool,
    "domain": str,
    "selected_document_count": int,
    "selected_video_count": int,
}


async def test_create_session_shape(client) -> None:
    resp = await client.post("/api/v2/chat/sessions", json={"title": "Bridges"}, headers=AUTH)
    assert resp.status == 200
    body = await resp.json()
    assert set(body) == {"session_id", "title", "created_at"}
    assert UUID_RE.match(body["session_id"]) and body["title"] == "Bridges"
    assert ISO_RE.match(body["created_at"])


async def test_get_session_shape_and_messages(client) -> None:
    sid = await new_session(client, title="Shape")
    await send(client, sid, "show rust on bridges")
    resp = await client.get(f"/api/v2/chat/sessions/{sid}", headers=AUTH)
    body = await resp.json()
    for name, kind in SUMMARY_FIELDS.items():
        assert isinstance(body["session"][name], kind), name
    assert body["session"]["total_messages"] == 2
    assert body["session"]["last_message_at"] is not None
    assert [m["role"] for m in body["messages"]] == ["user", "assistant"]
    assistant = body["messages"][1]
    assert assistant["token_count"] > 0 and assistant["provider"] == "reference"
    assert assistant["image_context"][0]["thumbnail_url"].startswith("http://")
    assert body["selected_image_ids"] == [] and body["selected_video_ids"] == []
    assert body["selected_document_ids"] == []
    assert isinstance(body["context_summary"], str)

    limited = await (
        await client.get(f"/api/v2/chat/sessions/{sid}?message_limit=1", headers=AUTH)
    ).json()
    assert [m["role"] for m in limited["messages"]] == ["assistant"]
    none = await (
        await client.get(f"/api/v2/chat/sessions/{sid}?include_messages=false", headers=AUTH)
    ).json()
    assert none["messages"] == []


async def test_list_newest_first_and_stable_paging(client) -> None:
    ids = [await new_session(client, title=f"s{n}") for n in range(7)]
    await send(client, ids[2], "hello")  # touching a session makes it the newest
    seen: list[str] = []
    for offset in range(0, 10, 3):
        resp = await client.get(f"/api/v2/chat/sessions?limit=3&offset={offset}", headers=AUTH)
        page = await resp.json()
        assert page["total_count"] == 7
        assert page["has_more"] == (offset + 3 < 7)
        seen += [s["id"] for s in page["sessions"]]
    assert seen[0] == ids[2]
    assert seen[1:] == [i for i in reversed(ids) if i != ids[2]]
    assert len(set(seen)) == 7


async def test_list_filters(client) -> None:
    a = await new_session(client, title="Roof survey")
    b = await new_session(client, title="Other")
    await send(client, b, "what about culverts")
    await client.delete(f"/api/v2/chat/sessions/{a}", headers=AUTH)

    async def ids(query: str) -> list[str]:
        resp = await client.get(f"/api/v2/chat/sessions?{query}", headers=AUTH)
        assert resp.status == 200
        return [s["id"] for s in (await resp.json())["sessions"]]

    assert await ids("is_active=true") == [b]
    assert await ids("is_active=false") == [a]
    assert await ids("search=roof") == [a]
    assert await ids("search=culverts") == [b]
    assert await ids("min_messages=1") == [b]


async def test_query_validation(client) -> None:
    for query in (
        "limit=0",
        "limit=101",
        "offset=-1",
        "limit=x",
        "is_active=maybe",
        "search=" + "x" * 201,
    ):
        resp = await client.get(f"/api/v2/chat/sessions?{query}", headers=AUTH)
        assert resp.status == 422, query
        assert_invalid(await resp.json(), "query", query.partition("=")[0])


async def test_unknown_and_malformed_ids(client) -> None:
    resp = await client.get(
        "/api/v2/chat/sessions/00000000-0000-4000-8000-000000000000", headers=AUTH
    )
    assert resp.status == 404
    assert_error(await resp.json(), "SESSION_NOT_FOUND")
    resp = await client.get("/api/v2/chat/sessions/..%2Fx%3Fy%23z", headers=AUTH)
    assert resp.status == 422
    assert_invalid(await resp.json(), "path", "session_id")


async def test_rename_close_and_closed_session(client) -> None:
    sid = await new_session(client)
    resp = await client.patch(
        f"/api/v2/chat/sessions/{sid}/title", json={"title": "Renamed"}, headers=AUTH
    )
    body = await resp.json()
    assert body["title"] == "Renamed" and set(body) == {"session_id", "title", "updated_at"}
    resp = await client.patch(
        f"/api/v2/chat/sessions/{sid}/title", json={"title": ""}, headers=AUTH
    )
    assert resp.status == 422

    first = await (await client.delete(f"/api/v2/chat/sessions/{sid}", headers=AUTH)).json()
    assert set(first) == {"session_id", "closed_at", "total_messages", "total_tokens"}
    again = await (await client.delete(f"/api/v2/chat/sessions/{sid}", headers=AUTH)).json()
    assert again == first
    resp = await client.post(
        f"/api/v2/chat/sessions/{sid}/messages", json={"message": "hi"}, headers=AUTH
    )
    assert resp.status == 400
    assert_error(await resp.json(), "SESSION_CLOSED")
    listed = await (await client.get("/api/v2/chat/sessions", headers=AUTH)).json()
    assert listed["sessions"][0]["is_active"] is False


async def test_context_mode_and_domain(client) -> None:
    all_ids = (await (await client.get("/api/v2/chat/images/all?limit=5", headers=AUTH)).json())[
        "image_ids"
    ]
    sid = await new_session(client, initial_image_ids=all_ids[:2], use_all_images=False)
    resp = await client.put(
        f"/api/v2/chat/sessions/{sid}/images", json={"image_ids": all_ids[:3]}, headers=AUTH
    )
    body = await resp.json()
    assert body["selected_image_ids"] == all_ids[:3]
    assert set(body) == {
        "session_id",
        "selected_image_ids",
        "selected_video_ids",
        "context_summary",
        "estimated_tokens",
    }
    mode = await (
        await client.patch(
            f"/api/v2/chat/sessions/{sid}/mode", json={"use_all_images": True}, headers=AUTH
        )
    ).json()
    assert mode["use_all_images"] is True and mode["selected_image_count"] == 3

    session = await (await client.get(f"/api/v2/chat/sessions/{sid}", headers=AUTH)).json()
    docs = await (
        await client.put(
            f"/api/v2/chat/sessions/{sid}/documents", json={"document_ids": []}, headers=AUTH
        )
    ).json()
    assert docs == {"session_id": sid, "selected_document_ids": [], "document_count": 0}
    assert session["selected_image_ids"] == all_ids[:3]

    resp = await client.patch(
        f"/api/v2/chat/sessions/{sid}/domain", json={"domain": "insurance"}, headers=AUTH
    )
    assert (await resp.json())["domain"] == "insurance"
    resp = await client.patch(
        f"/api/v2/chat/sessions/{sid}/domain", json={"domain": "Bad Domain"}, headers=AUTH
    )
    assert resp.status == 422


async def test_too_many_and_unknown_ids(client) -> None:
    sid = await new_session(client)
    many = [f"00000000-0000-4000-8000-{n:012d}" for n in range(101)]
    resp = await client.put(
        f"/api/v2/chat/sessions/{sid}/videos", json={"video_ids": many}, headers=AUTH
    )
    assert resp.status == 400
    assert_error(await resp.json(), "TOO_MANY_IDS")
    resp = await client.put(
        f"/api/v2/chat/sessions/{sid}/documents", json={"document_ids": many[:2]}, headers=AUTH
    )
    assert resp.status == 404
    body = await resp.json()
    assert_error(body, "DOCUMENTS_NOT_FOUND")
    assert many[0] in body["detail"] and body["missing_ids"] == many[:2]
    resp = await client.put(
        f"/api/v2/chat/sessions/{sid}/images", json={"image_ids": ["nope"]}, headers=AUTH
    )
    assert resp.status == 422
    resp = await client.post(
        "/api/v2/chat/sessions",
        headers=AUTH,
        json={
            "use_all_images": False,
            "initial_image_ids": [f"00000000-0000-4000-8000-{n:012d}" for n in range(1001)],
        },
    )
    assert resp.status == 400


async def test_tenant_isolation(make_client) -> None:
    client = await make_client(api_keys=["vc-demo-key", "acme:acme-key"])
    acme = {"Authorization": "Bearer acme-key"}
    sid = await new_session(client, title="demo only")
    demo_images = (await (await client.get("/api/v2/chat/images/all", headers=AUTH)).json())[
        "image_ids"
    ]
    acme_images = (await (await client.get("/api/v2/chat/images/all", headers=acme)).json())[
        "image_ids"
    ]
    assert len(acme_images) == len(demo_images) >= 60
    assert not set(acme_images) & set(demo_images)

    resp = await client.get(f"/api/v2/chat/sessions/{sid}", headers=acme)
    assert resp.status == 403
    assert_error(await resp.json(), "SESSION_ACCESS_DENIED")
    listed = await (await client.get("/api/v2/chat/sessions", headers=acme)).json()
    assert listed["total_count"] == 0
    acme_sid = await new_session(client, **{})  # demo tenant again
    resp = await client.put(
        f"/api/v2/chat/sessions/{acme_sid}/images",
        json={"image_ids": acme_images[:1]},
        headers=AUTH,
    )
    assert resp.status == 404  # another tenant's image ids are unknown here
    resp = await client.get("/api/v2/chat/sessions", headers={**acme, "X-Tenant-ID": "demo"})
    assert resp.status == 403
    assert_error(await resp.json(), "TENANT_MISMATCH")
    resp = await client.get("/api/v2/chat/sessions", headers={**acme, "X-Tenant-ID": "acme"})
    assert resp.status == 200


async def test_auth_and_request_id(client) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic abc"}):
        resp = await client.get("/api/v2/chat/sessions", headers=headers)
        assert resp.status == 401
        assert_error(await resp.json(), "INVALID_API_KEY")
        assert resp.headers["X-Request-ID"].startswith("req_")
    resp = await client.get("/api/v2/chat/sessions", headers={**AUTH, "X-Request-ID": "abc-123"})
    assert resp.headers["X-Request-ID"] == "abc-123"


async def test_export_formats(client) -> None:
    sid = await new_session(client, title="Export me")
    await send(client, sid, "show cracked walls")
    for fmt, ctype, ext in (
        ("json", "application/json", "json"),
        ("markdown", "text/markdown", "md"),
        ("text", "text/plain", "txt"),
    ):
        resp = await client.get(
            f"/api/v2/chat/sessions/{sid}/export?format={fmt}&include_metadata=true", headers=AUTH
        )
        assert resp.status == 200
        assert resp.content_type == ctype
        assert resp.headers["Content-Disposition"] == f'attachment; filename="chat-{sid}.{ext}"'
        text = await resp.text()
        assert "show cracked walls" in text
    default = await client.get(f"/api/v2/chat/sessions/{sid}/export", headers=AUTH)
    assert default.content_type == "text/markdown"
    exported = json.loads(
        await (
            await client.get(f"/api/v2/chat/sessions/{sid}/export?format=json", headers=AUTH)
        ).text()
    )
    assert "metadata" not in exported["messages"][0]
    resp = await client.get(f"/api/v2/chat/sessions/{sid}/export?format=pdf", headers=AUTH)
    assert resp.status == 422
