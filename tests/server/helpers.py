"""Small helpers for the server tests: SSE parsing and common requests."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from aiohttp.test_utils import TestClient

from .conftest import AUTH

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


@dataclass
class Frame:
    event: str
    data: dict[str, Any]
    id: int | None


def parse_sse(text: str) -> list[Frame]:
    """Parse a complete SSE body (test helper: strict about the server's own format)."""
    frames: list[Frame] = []
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            if line.startswith(":"):
                continue
            name, _, value = line.partition(": ")
            assert name not in fields, f"duplicate field {name} in {block!r}"
            fields[name] = value
        data = json.loads(fields["data"])
        assert data["type"] == fields["event"]
        frames.append(Frame(fields["event"], data, int(fields["id"]) if "id" in fields else None))
    return frames


async def new_session(client: TestClient, **body: Any) -> str:  # type: ignore[type-arg]
    resp = await client.post("/api/v2/chat/sessions", json=body, headers=AUTH)
    assert resp.status == 200, await resp.text()
    return str((await resp.json())["session_id"])


async def send(client: TestClient, session_id: str, message: str, **extra: Any) -> dict[str, Any]:  # type: ignore[type-arg]
    resp = await client.post(
        f"/api/v2/chat/sessions/{session_id}/messages",
        json={"message": message, **extra},
        headers=AUTH,
    )
    assert resp.status == 200, await resp.text()
    body: dict[str, Any] = await resp.json()
    return body


async def stream(
    client: TestClient,
    session_id: str,
    message: str,
    headers: dict[str, str] | None = None,  # type: ignore[type-arg]
    query: str = "",
    **extra: Any,
) -> tuple[int, list[Frame]]:
    resp = await client.post(
        f"/api/v2/chat/sessions/{session_id}/messages/stream{query}",
        json={"message": message, **extra},
        headers={**AUTH, "Accept": "text/event-stream", **(headers or {})},
    )
    text = await resp.text()
    if resp.status != 200:
        return resp.status, []
    return resp.status, parse_sse(text)


def assert_error(body: dict[str, Any], code: str) -> None:
    assert body["error_code"] == code, body
    assert isinstance(body["error"], str) and body["error"]
    assert ISO_RE.match(body["timestamp"])


def assert_invalid(body: dict[str, Any], *loc: str | int) -> None:
    """A 422 body in the validation shape, naming ``loc`` (the API's framework writes it so)."""
    assert set(body) == {"detail"}, body
    [problem] = body["detail"]
    assert problem["loc"] == list(loc), body
    assert isinstance(problem["msg"], str) and problem["msg"]
    assert isinstance(problem["type"], str) and problem["type"]
