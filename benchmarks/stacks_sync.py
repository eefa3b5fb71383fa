"""The sync stacks: the blocking twins of `stacks_async`.

- `requests+json`: requests by hand, `json.loads` into dicts;
- `requests+msgspec`: requests by hand, typed decode with reused msgspec Decoders (the baseline);
- `httpx+pydantic`: httpx.Client + `Model.model_validate_json`, httpx-sse for streams
  (`httpx-sse+json` decodes event data with `json.loads` instead);
- `visionchat`: the SDK's `VisionChat`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import httpx_sse
import requests

from . import models as m
from . import payloads as p
from .payloads import API
from .stacks_async import HEADERS, KEY, idempotency, stream_headers

_CHUNK = 64 * 1024


class SyncStack:
    name = "?"
    streams_only = False

    def start(self, base: str) -> None:
        self.base = base + API + "/chat/sessions/"

    def close(self) -> None:
        pass

    def send(self) -> str:
        raise NotImplementedError

    def get_session(self) -> int:
        raise NotImplementedError

    def stream(self, sid: str) -> tuple[int, int]:
        raise NotImplementedError

    def export(self, path: Path) -> int:
        raise NotImplementedError


class RequestsStack(SyncStack):
    def __init__(self, typed: bool) -> None:
        self.typed = typed
        self.name = "requests+msgspec" if typed else "requests+json"

    def start(self, base: str) -> None:
        super().start(base)
        self.session = requests.Session()

    def close(self) -> None:
        self.session.close()

    def send(self) -> str:
        body = m.ENCODER.encode(p.SEND_BODY)
        r = self.session.post(
            self.base + p.SEND_SESSION + "/messages", data=body, headers=HEADERS, timeout=120
        )
        r.raise_for_status()
        if self.typed:
            return m.SEND_DEC.decode(r.content).message_id
        return str(json.loads(r.content)["message_id"])

    def get_session(self) -> int:
        r = self.session.get(self.base + p.DETAIL_SESSION, headers=HEADERS, timeout=120)
        r.raise_for_status()
        if self.typed:
            return len(m.DETAIL_DEC.decode(r.content).messages)
        return len(json.loads(r.content)["messages"])

    def stream(self, sid: str) -> tuple[int, int]:
        body = m.ENCODER.encode(p.SEND_BODY)
        parser = m.RawSSE()
        handler = m.TypedEvents() if self.typed else m.JsonEvents()
        with self.session.post(
            self.base + sid + "/messages/stream",
            data=body,
            headers=stream_headers(),
            stream=True,
            timeout=120,
        ) as r:
            r.raise_for_status()
            # chunk_size=None: each chunk as it arrives (iter_lines would hold data back).
            for chunk in r.iter_content(chunk_size=None):
                handler.handle(parser.feed(chunk))
        return handler.result()

    def export(self, path: Path) -> int:
        with self.session.get(
            self.base + p.EXPORT_SESSION + "/export", headers=HEADERS, stream=True, timeout=120
        ) as r:
            r.raise_for_status()
            with path.open("wb") as out:
                for chunk in r.iter_content(chunk_size=_CHUNK):
                    out.write(chunk)
        return path.stat().st_size


class HttpxStack(SyncStack):
    def __init__(self, pydantic_events: bool = True) -> None:
        self.pydantic_events = pydantic_events
        self.name = "httpx+pydantic" if pydantic_events else "httpx-sse+json"
        self.streams_only = not pydantic_events

    def start(self, base: str) -> None:
        super().start(base)
        self.client = httpx.Client(headers={"Authorization": f"Bearer {KEY}"}, timeout=120)

    def close(self) -> None:
        self.client.close()

    def send(self) -> str:
        r = self.client.post(self.base + p.SEND_SESSION + "/messages", json=p.SEND_BODY)
        r.raise_for_status()
        return m.PdSendReply.model_validate_json(r.content).message_id

    def get_session(self) -> int:
        r = self.client.get(self.base + p.DETAIL_SESSION)
        r.raise_for_status()
        return len(m.PdDetail.model_validate_json(r.content).messages)

    def stream(self, sid: str) -> tuple[int, int]:
        events = 0
        parts: list[str] = []
        final: Any = None
        url = self.base + sid + "/messages/stream"
        with httpx_sse.connect_sse(
            self.client, "POST", url, json=p.SEND_BODY, headers=idempotency()
        ) as source:
            source.response.raise_for_status()
            for sse in source.iter_sse():
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

    def export(self, path: Path) -> int:
        url = self.base + p.EXPORT_SESSION + "/export"
        with self.client.stream("GET", url) as r:
            r.raise_for_status()
            with path.open("wb") as out:
                for chunk in r.iter_bytes():
                    out.write(chunk)
        return path.stat().st_size


class VisionChatStack(SyncStack):
    name = "visionchat"

    def start(self, base: str) -> None:
        from visionchat import VisionChat

        super().start(base)
        self.client = VisionChat(api_key=KEY, base_url=base + API)

    def close(self) -> None:
        self.client.close()

    def send(self) -> str:
        return self.client.chats.send(p.SEND_MESSAGE, session_id=p.SEND_SESSION).message_id

    def get_session(self) -> int:
        return len(self.client.chats.get_session(p.DETAIL_SESSION).messages)

    def stream(self, sid: str) -> tuple[int, int]:
        stream = self.client.chats.send_stream(p.SEND_MESSAGE, session_id=sid)
        events = 0
        for _token in stream:
            events += 1
        return events, len(stream.response().content)

    def export(self, path: Path) -> int:
        self.client.chats.export_session(p.EXPORT_SESSION, path=path)
        return path.stat().st_size


def all_stacks() -> list[SyncStack]:
    """Baseline first: ratios are taken against `requests+msgspec`."""
    return [
        RequestsStack(typed=True),
        RequestsStack(typed=False),
        HttpxStack(pydantic_events=True),
        HttpxStack(pydantic_events=False),
        VisionChatStack(),
    ]
