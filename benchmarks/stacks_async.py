"""The async stacks: each does every job its own way against the same server.

- `aiohttp+json`: aiohttp by hand, `json.loads` into dicts;
- `aiohttp+msgspec`: aiohttp by hand, typed decode with reused msgspec Decoders (the baseline);
- `httpx+pydantic`: httpx.AsyncClient + `Model.model_validate_json` (OpenAI-style SDKs),
  httpx-sse for streams (`httpx-sse+json` decodes event data with `json.loads` instead);
- `visionchat`: the SDK's `AsyncVisionChat`.

Every method returns a small check value so the runner can confirm all stacks
received the same thing.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import httpx_sse

from . import models as m
from . import payloads as p
from .payloads import API

KEY = "bench-key"
HEADERS = {
    "Authorization": f"Bearer {KEY}",
    "Accept": "application/json",
    "Content-Type": "application/json",
}
SSE_HEADERS = {**HEADERS, "Accept": "text/event-stream"}


def idempotency() -> dict[str, str]:
    """A fresh Idempotency-Key, as the SDK sends with every send: a server that keeps
    replies under keys (the reference server does) then does the same work for every stack."""
    return {"Idempotency-Key": uuid.uuid4().hex}


def stream_headers() -> dict[str, str]:
    return {**SSE_HEADERS, **idempotency()}


_CHUNK = 64 * 1024


class AsyncStack:
    name = "?"
    streams_only = False  # only takes part in the stream jobs

    async def start(self, base: str) -> None:
        self.base = base + API + "/chat/sessions/"

    async def close(self) -> None:
        pass

    async def send(self) -> str:
        raise NotImplementedError

    async def get_session(self) -> int:
        raise NotImplementedError

    async def stream(self, sid: str) -> tuple[int, int]:
        raise NotImplementedError

    async def export(self, path: Path) -> int:
        raise NotImplementedError


class AiohttpStack(AsyncStack):
    def __init__(self, typed: bool) -> None:
        self.typed = typed
        self.name = "aiohttp+msgspec" if typed else "aiohttp+json"

    async def start(self, base: str) -> None:
        await super().start(base)
        self.session = aiohttp.ClientSession()

    async def close(self) -> None:
        await self.session.close()

    async def send(self) -> str:
        body = m.ENCODER.encode(p.SEND_BODY)
        async with self.session.post(
            self.base + p.SEND_SESSION + "/messages", data=body, headers=HEADERS
        ) as r:
            r.raise_for_status()
            raw = await r.read()
        if self.typed:
            return m.SEND_DEC.decode(raw).message_id
        return str(json.loads(raw)["message_id"])

    async def get_session(self) -> int:
        async with self.session.get(self.base + p.DETAIL_SESSION, headers=HEADERS) as r:
            r.raise_for_status()
            raw = await r.read()
        if self.typed:
            return len(m.DETAIL_DEC.decode(raw).messages)
        return len(json.loads(raw)["messages"])

    async def stream(self, sid: str) -> tuple[int, int]:
        body = m.ENCODER.encode(p.SEND_BODY)
        parser = m.RawSSE()
        handler = m.TypedEvents() if self.typed else m.JsonEvents()
        async with self.session.post(
            self.base + sid + "/messages/stream", data=body, headers=stream_headers()
        ) as r:
            r.raise_for_status()
            while chunk := await r.content.readany():
                handler.handle(parser.feed(chunk))
        return handler.result()

    async def export(self, path: Path) -> int:
        async with self.session.get(self.base + p.EXPORT_SESSION + "/export", headers=HEADERS) as r:
            r.raise_for_status()
            with path.open("wb") as out:
                async for chunk in r.content.iter_chunked(_CHUNK):
                    out.write(chunk)
        return path.stat().st_size


class HttpxStack(AsyncStack):
    def __init__(self, pydantic_events: bool = True) -> None:
        self.pydantic_events = pydantic_events
        self.name = "httpx+pydantic" if pydantic_events else "httpx-sse+json"
        self.streams_only = not pydantic_events

    async def start(self, base: str) -> None:
        await super().start(base)
        self.client = httpx.AsyncClient(headers={"Authorization": f"Bearer {KEY}"}, timeout=120)

    async def close(self) -> None:
        await self.client.aclose()

    async def send(self) -> str:
        r = await self.client.post(self.base + p.SEND_SESSION + "/messages", json=p.SEND_BODY)
        r.raise_for_status()
        return m.PdSendReply.model_validate_json(r.content).message_id

    async def get_session(self) -> int:
        r = await self.client.get(self.base + p.DETAIL_SESSION)
        r.raise_for_status()
        return len(m.PdDetail.model_validate_json(r.content).messages)

    async def stream(self, sid: str) -> tuple[int, int]:
        events = 0
        parts: list[str] = []
        final: Any = None
        url = self.base + sid + "/messages/stream"
        async with httpx_sse.aconnect_sse(
            self.client, "POST", url, json=p.SEND_BODY, headers=idempotency()
        ) as source:
            source.response.raise_for_status()
            async for sse in source.aiter_sse():
                events += 1
                if self.pydantic_events:
                    if sse.event == "token":
                        parts.append(m.PdToken.model_validate_json(sse.data).content)
                    elif sse.event == "complete":
                        final = m.PdComplete.model_validate_json(sse.data).content
                    else:
                        json.loads(sse.data)
                else:
                    data = json.loads(sse.data)
                    if sse.event == "token":
                        parts.append(data["content"])
                    elif sse.event == "complete":
                        final = data["content"]
        assert final is not None, "no complete event"
        return events, len(final)

    async def export(self, path: Path) -> int:
        url = self.base + p.EXPORT_SESSION + "/export"
        async with self.client.stream("GET", url) as r:
            r.raise_for_status()
            with path.open("wb") as out:
                async for chunk in r.aiter_bytes():
                    out.write(chunk)
        return path.stat().st_size


class VisionChatStack(AsyncStack):
    name = "visionchat"

    async def start(self, base: str) -> None:
        from visionchat import AsyncVisionChat

        await super().start(base)
        self.client = AsyncVisionChat(api_key=KEY, base_url=base + API)

    async def close(self) -> None:
        await self.client.close()

    async def send(self) -> str:
        reply = await self.client.chats.send(p.SEND_MESSAGE, session_id=p.SEND_SESSION)
        return reply.message_id

    async def get_session(self) -> int:
        detail = await self.client.chats.get_session(p.DETAIL_SESSION)
        return len(detail.messages)

    async def stream(self, sid: str) -> tuple[int, int]:
        stream = self.client.chats.send_stream(p.SEND_MESSAGE, session_id=sid)
        events = 0
        async for _token in stream:
            events += 1
        final = await stream.response()
        return events, len(final.content)

    async def export(self, path: Path) -> int:
        await self.client.chats.export_session(p.EXPORT_SESSION, path=path)
        return path.stat().st_size


def all_stacks() -> list[AsyncStack]:
    """Baseline first: ratios are taken against `aiohttp+msgspec`."""
    return [
        AiohttpStack(typed=True),
        AiohttpStack(typed=False),
        HttpxStack(pydantic_events=True),
        HttpxStack(pydantic_events=False),
        VisionChatStack(),
    ]
