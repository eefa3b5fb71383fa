"""Sending messages: reply shape, agents, selection, budgets, plans, library endpoints."""

from __future__ import annotations

import asyncio
import re

from yarl import URL

from .conftest import AUTH
from .helpers import UUID_RE, assert_error, new_session, send, stream

IMG_REF = re.compile(r"\[\[img:([0-9a-f-]{36})\|[^\]]+\]\]")


async def _image_ids(client, limit: int = 5000) -> list[str]:
    body = await (await client.get(f"/api/v2/chat/images/all?limit={limit}", headers=AUTH)).json()
    return list(body["image_ids"])


async def test_send_reply_shape_and_markup(client) -> None:
    sid = await new_session(client)
    body = await send(client, sid, "show me rust on the guardrails")
    assert UUID_RE.match(body["message_id"])
    for name, kind in (
        ("content", str),
        ("token_count", int),
        ("processing_time_ms", int),
        ("remaining_tokens", int),
        ("remaining_messages", int),
    ):
        assert isinstance(body[name], kind), name
    assert body["remaining_messages"] == 198
    refs = body["metadata"]["result_refs"]
    assert "[[ref:images]]" in body["content"] and refs["images"]["count"] >= 5
    cited = IMG_REF.findall(body["content"])
    assert cited and cited == [i["image_id"] for i in body["image_context"]]
    assert body["metadata"]["offers_detailed_analysis"] is True


async def test_detailed_analysis_is_longer(client) -> None:
    sid = await new_session(client)
    short = await send(client, sid, "assess the roof condition")
    detailed = await send(client, sid, "assess the roof condition", force_detailed_analysis=True)
    assert len(detailed["content"]) > 1.5 * len(short["content"])
    assert "Recommended action" in detailed["content"]
    assert detailed["metadata"]["vision_used"] is True
    assert detailed["metadata"]["offers_detailed_analysis"] is False


async def test_selection_is_honoured(client) -> None:
    ids = await _image_ids(client)
    chosen = ids[10:13]
    sid = await new_session(client, use_all_images=False, initial_image_ids=chosen)
    body = await send(client, sid, "describe these images")
    assert {i["image_id"] for i in body["image_context"]} <= set(chosen)
    assert "3 selected images" in body["content"]

    empty = await new_session(client, use_all_images=False)
    body = await send(client, empty, "show rust")
    assert "No images are in this session's context" in body["content"]


async def test_expected_image_ids_updates_selection(client) -> None:
    ids = await _image_ids(client)
    sid = await new_session(client, use_all_images=False, initial_image_ids=ids[:2])
    await send(client, sid, "what is in these", expected_image_ids=ids[5:7])
    session = await (await client.get(f"/api/v2/chat/sessions/{sid}", headers=AUTH)).json()
    assert session["selected_image_ids"] == ids[5:7]
    resp = await client.post(
        f"/api/v2/chat/sessions/{sid}/messages",
        headers=AUTH,
        json={"message": "x", "expected_image_ids": ["00000000-0000-4000-8000-000000000001"]},
    )
    assert resp.status == 404


async def test_documents_and_videos(client) -> None:
    sid = await new_session(client)
    body = await send(client, sid, "what does the manual say about leaning poles?")
    assert re.search(
        r"\[\[doc:[0-9a-f-]{36}\|utility-pole-maintenance-manual.pdf\|p:\d+\]\]", body["content"]
    )
    body = await send(client, sid, "is there video footage of the transformer oil leak?")
    assert "[[link:" in body["content"] and "oil stain" in body["content"]


async def test_domain_changes_vocabulary(client) -> None:
    sid = await new_session(client)
    await client.patch(
        f"/api/v2/chat/sessions/{sid}/domain", json={"domain": "insurance"}, headers=AUTH
    )
    body = await send(client, sid, "show roof damage")
    assert "insurable damage" in body["content"]
    assert body["metadata"]["domain"] == "insurance"


async def test_validation_of_send(client) -> None:
    sid = await new_session(client)
    for payload in (
        {},
        {"message": ""},
        {"message": "x" * 10001},
        {"message": 5},
        {"message": "ok", "force_detailed_analysis": "yes"},
    ):
        resp = await client.post(
            f"/api/v2/chat/sessions/{sid}/messages", json=payload, headers=AUTH
        )
        assert resp.status == 422, payload
    resp = await client.post(
        f"/api/v2/chat/sessions/{sid}/messages", data=b"{not json", headers=AUTH
    )
    assert resp.status == 422


async def test_token_budget_429_without_retry_after(make_client) -> None:
    client = await make_client(message_budget=4)
    sid = await new_session(client)
    await send(client, sid, "hello")
    last = await send(client, sid, "hello again")
    assert last["remaining_messages"] == 0
    for path in ("messages", "messages/stream"):
        resp = await client.post(
            f"/api/v2/chat/sessions/{sid}/{path}", json={"message": "more"}, headers=AUTH
        )
        assert resp.status == 429
        assert "Retry-After" not in resp.headers
        assert_error(await resp.json(), "TOKEN_LIMIT_EXCEEDED")
    tokens = await make_client(db_path=None, token_budget=10)
    sid = await new_session(tokens)
    await send(tokens, sid, "show rust")
    resp = await tokens.post(
        f"/api/v2/chat/sessions/{sid}/messages", json={"message": "x"}, headers=AUTH
    )
    assert resp.status == 429


async def test_plan_approve_and_conflicts(client) -> None:
    sid = await new_session(client)
    status, frames = await stream(
        client, sid, "tag the rusty guardrail images as 'corrosion-review'"
    )
    assert status == 200
    names = [f.event for f in frames]
    assert names[-2:] == ["plan_pending_approval", "close"] and "token" not in names
    plan = frames[-2].data
    assert plan["plan_id"] and plan["steps"][0]["action"] == "add_tag"

    url = f"/api/v2/chat/sessions/{sid}/plans/{plan['plan_id']}/action"
    resp = await client.post(url, json={"action": "approve"}, headers=AUTH)
    body = await resp.json()
    assert resp.status == 200 and body["success"] is True and body["action_taken"] == "approved"
    # The hosted API's shape: `results` an object, `agent_results` a list.
    assert isinstance(body["results"], dict) and isinstance(body["agent_results"], list)
    assert body["results"]["steps"][0]["affected_count"] == len(plan["steps"][0]["image_ids"])
    again = await client.post(url, json={"action": "cancel"}, headers=AUTH)
    assert again.status == 409
    assert_error(await again.json(), "PLAN_ALREADY_PROCESSED")

    search = await (
        await client.post(
            "/api/v2/chat/images/search", json={"query": "corrosion-review"}, headers=AUTH
        )
    ).json()
    assert {r["image_id"] for r in search["results"]} >= set(plan["steps"][0]["image_ids"])

    resp = await client.post(
        f"/api/v2/chat/sessions/{sid}/plans/plan_unknown/action",
        json={"action": "approve"},
        headers=AUTH,
    )
    assert resp.status == 404
    assert_error(await resp.json(), "PLAN_NOT_FOUND")
    resp = await client.post(url, json={"action": "explode"}, headers=AUTH)
    assert resp.status == 422


async def test_plan_cancel_and_archive(client) -> None:
    sid = await new_session(client)
    before = len(await _image_ids(client))
    body = await send(client, sid, "delete the blocked culvert photos")
    plan_id = body["metadata"]["plan_id"]
    url = f"/api/v2/chat/sessions/{sid}/plans/{plan_id}/action"
    cancelled = await (await client.post(url, json={"action": "cancel"}, headers=AUTH)).json()
    assert cancelled["action_taken"] == "cancelled"
    assert len(await _image_ids(client)) == before

    body = await send(client, sid, "archive the blocked culvert photos")
    plan = body["metadata"]
    url = f"/api/v2/chat/sessions/{sid}/plans/{plan['plan_id']}/action"
    assert (await client.post(url, json={"action": "approve"}, headers=AUTH)).status == 200
    assert len(await _image_ids(client)) == before - len(plan["steps"][0]["image_ids"])


async def test_plan_in_progress_409(make_client) -> None:
    client = await make_client(token_delay=0.05)
    sid = await new_session(client)
    body = await send(client, sid, "organise the roof photos")
    url = f"/api/v2/chat/sessions/{sid}/plans/{body['metadata']['plan_id']}/action"
    first, second = await asyncio.gather(
        client.post(url, json={"action": "approve"}, headers=AUTH),
        client.post(url, json={"action": "approve"}, headers=AUTH),
    )
    assert sorted([first.status, second.status]) == [200, 409]
    loser = first if first.status == 409 else second
    assert_error(await loser.json(), "PLAN_IN_PROGRESS")


async def test_images_all_paging_and_search(client) -> None:
    ids = await _image_ids(client)
    assert len(ids) >= 60 and len(set(ids)) == len(ids)
    page = await (
        await client.get("/api/v2/chat/images/all?limit=10&offset=60", headers=AUTH)
    ).json()
    assert page["image_ids"] == ids[60:70] and page["has_more"] is False
    assert page["total_count"] == len(ids)
    resp = await client.get("/api/v2/chat/images/all?limit=5001", headers=AUTH)
    assert resp.status == 422

    body = await (
        await client.post(
            "/api/v2/chat/images/search", json={"query": "leaning pole", "limit": 3}, headers=AUTH
        )
    ).json()
    assert len(body["results"]) == 3 and body["total_count"] >= 3
    scores = [r["relevance_score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True) and scores[0] == 1.0
    first = body["results"][0]
    assert "lean" in first["description"].lower()
    for name in (
        "image_id",
        "description",
        "confidence",
        "thumbnail_url",
        "filename",
        "created_at",
    ):
        assert name in first
    assert isinstance(body["query_interpretation"], dict)

    thumb = await client.get(URL(first["thumbnail_url"]).path_qs)
    assert thumb.status == 200 and thumb.content_type == "image/svg+xml"
    assert (await thumb.text()).startswith("<svg")
    forged = await client.get(f"/media/thumb/{first['image_id']}.svg?sig=bad")
    assert forged.status == 404
    for payload in ({"query": ""}, {"query": "x", "limit": 101}, {"query": "x", "offset": -1}):
        resp = await client.post("/api/v2/chat/images/search", json=payload, headers=AUTH)
        assert resp.status == 422, payload


async def test_not_found_details_quote_no_unbounded_client_input(client) -> None:
    sid = await new_session(client)
    long_id = "p" * 5000
    resp = await client.post(
        f"/api/v2/chat/sessions/{sid}/plans/{long_id}/action",
        json={"action": "approve"},
        headers=AUTH,
    )
    assert resp.status == 404
    body = await resp.json()
    assert_error(body, "PLAN_NOT_FOUND")
    assert len(str(body)) < 1000
    resp = await client.post(
        f"/api/v2/chat/sessions/{sid}/messages",
        json={"message": "hi", "expected_image_ids": ["i" * 5000] * 20},
        headers=AUTH,
    )
    assert resp.status == 404
    body = await resp.json()
    assert_error(body, "IMAGES_NOT_FOUND")
    assert len(body["detail"]) < 2000
